"""Regenerate the golden outputs of ``opsrepo report`` (review the diff!).

    python -m tests.golden.report.regen
"""

from __future__ import annotations

from pathlib import Path
from unittest import mock

from click.testing import CliRunner

from opsrepo.cli.main import cli
from tests.helpers import FIXTURES, ROOT

HERE = Path(__file__).parent
NOW = "2026-11-23T09:00:00Z"
FOUR = FIXTURES / "repos" / "report-four"
#: golden file -> (repo, format)
CASES = {
    "example.md": (ROOT, "md"),
    "example.json": (ROOT, "json"),
    "four.txt": (FOUR, "text"),
    "four.md": (FOUR, "md"),
    "four.json": (FOUR, "json"),
}


def run(repo: Path, output_format: str) -> tuple[int, str]:
    """Exit code and stdout of ``opsrepo report`` at the pinned instant.

    Git history is left out (every runbook's last change unknown) so the
    golden files do not change with each commit that touches a runbook.
    """
    with mock.patch("opsrepo.git.history.last_changes", return_value={}):
        result = CliRunner().invoke(cli, ["report", "--repo", str(repo), "--format", output_format],
                                    env={"OPSREPO_NOW": NOW, "TZ": None})
    return result.exit_code, result.stdout


def main() -> None:
    for name, (repo, output_format) in CASES.items():
        code, out = run(repo, output_format)
        assert code == 0, (name, code, out)
        (HERE / name).write_text(out, encoding="utf-8")


if __name__ == "__main__":
    main()
