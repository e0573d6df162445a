"""Golden outputs of ``opsrepo import`` on the fixture accounts: every written file and the JSON report.

python -m tests.acceptance.importers.golden --write   # then review `git diff`
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

from click.testing import CliRunner

from opsrepo.cli.main import cli
from tests.helpers import FIXTURES

ACCOUNTS = FIXTURES / "import"
NOW = "2026-11-23T00:00:00Z"
#: case name -> (vendor, folder option, account folder, extra arguments)
CASES = {
    "pagerduty-basic": ("pagerduty", "--from-dir", ACCOUNTS / "pagerduty" / "basic", ["--verify-days", "7"]),
    "opsgenie-backup": ("opsgenie", "--from-backup", ACCOUNTS / "opsgenie" / "backup", []),
}


def run_import(out: Path, vendor: str, *args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    """``opsrepo import VENDOR --out OUT ARGS`` with "now" pinned; (exit code, stdout, stderr)."""
    result = CliRunner().invoke(
        cli, ["import", vendor, "--out", str(out), *args], env={"OPSREPO_NOW": NOW, **(env or {})}
    )
    return result.exit_code, result.stdout, result.stderr


def outputs(case: str, out: Path) -> dict[str, str]:
    """Every file the case writes (but the exported schemas), and its JSON report as ``stdout.json``."""
    vendor, option, folder, extra = CASES[case]
    code, stdout, stderr = run_import(out, vendor, option, str(folder), "--format", "json", *extra)
    assert stderr == "", stderr
    found = {
        p.relative_to(out).as_posix(): p.read_text(encoding="utf-8")
        for p in sorted(out.rglob("*"))
        if p.is_file() and p.parent.name != "schemas"
    }
    found["stdout.json"] = stdout
    found["exit-code"] = f"{code}\n"
    return found


def expected_dir(case: str) -> Path:
    return ACCOUNTS / "expected" / case


def main() -> int:
    if sys.argv[1:] != ["--write"]:
        print(__doc__)
        return 2
    for case in CASES:
        with tempfile.TemporaryDirectory() as tmp:
            found = outputs(case, Path(tmp) / "out")
        target = expected_dir(case)
        shutil.rmtree(target, ignore_errors=True)
        for name, text in found.items():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            (target / name).write_text(text, encoding="utf-8")
        print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
