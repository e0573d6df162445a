"""Benchmark: ``opsrepo validate`` (all checks) vs check-jsonschema (schemas only).

    python benchmarks/validate.py [--schedules 3000] [--repeat 3]

Generates a large org (benchmarks/genorg.py), then times, in this one run and
on the same files: ``opsrepo validate`` as a whole process (every check:
parsing, schemas, references, schedules, escalation, post-mortems) and
check-jsonschema validating the same YAML files against the same schemas
(exported with ``opsrepo schema export``). Prints the best of N runs and the ratio.
Budget (issue 2): opsrepo at least 10x faster.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from genorg import generate

KIND_FOLDERS = {"team": "teams", "schedule": "schedules", "escalation": "policies/escalation"}


def best_of(repeat: int, command: list[str], cwd: Path) -> tuple[float, subprocess.CompletedProcess[str]]:
    best, last = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        last = subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False)
        best = min(best, time.perf_counter() - start)
    assert last is not None
    return best, last


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--schedules", type=int, default=3000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    opsrepo = shutil.which("opsrepo")
    checker = shutil.which("check-jsonschema")
    if not opsrepo or not checker:
        print("needs opsrepo and check-jsonschema on PATH (pip install -e '.[bench]')")
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "org"
        generate(root, args.schedules, runbooks=0)
        schemas = Path(tmp) / "schemas"
        subprocess.run([opsrepo, "schema", "export", str(schemas)], check=True, capture_output=True)
        files = {kind: sorted(str(p) for p in (root / folder).glob("*.yaml"))
                 for kind, folder in KIND_FOLDERS.items()}
        count = sum(len(v) for v in files.values())
        print(f"org: {args.schedules} schedules, {len(files['team'])} teams, "
              f"{len(files['escalation'])} policies ({count} YAML files)")

        ours, result = best_of(args.repeat, [opsrepo, "validate", "--repo", str(root)], root)
        print(f"opsrepo validate (all checks, whole process): {ours:.2f} s  -> {result.stdout.strip()}")

        theirs = 0.0
        for kind, paths in files.items():
            schema = str(schemas / f"{kind}.schema.json")
            seconds, done = best_of(1, [checker, "--schemafile", schema, *paths], root)
            theirs += seconds
            status = "ok" if done.returncode == 0 else f"exit {done.returncode}: {done.stdout[-300:]}"
            print(f"  check-jsonschema {kind}: {seconds:.2f} s ({len(paths)} files, {status})")
        print(f"check-jsonschema (schemas only): {theirs:.2f} s")
        print(f"ratio: opsrepo is {theirs / ours:.1f}x faster (budget: >= 10x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
