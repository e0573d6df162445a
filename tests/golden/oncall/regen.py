"""Regenerate the golden outputs of ``opsrepo oncall`` on the oncall-basic fixture repo (review the diff!).

    python -m tests.golden.oncall.regen

Each case is one command line; its stdout is ``<name>.json`` or ``<name>.txt`` next to this file.
"""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from opsrepo.cli.main import cli
from tests.helpers import FIXTURES

HERE = Path(__file__).parent
REPO = FIXTURES / "repos" / "oncall-basic"
NOW = "2026-11-23T09:00:00Z"

#: name -> arguments; every instant is explicit or pinned by OPSREPO_NOW
CASES: dict[str, list[str]] = {
    # every schedule now: a weekly primary, its derived secondary, an office-hours schedule
    "now.json": ["--format", "json"],
    "now.txt": [],
    # Christmas Eve evening: the override (with its reason) and the secondary's own turn
    "christmas-override.json": ["--at", "2026-12-24T19:00", "--format", "json", "--next", "2"],
    # Saturday night in London (--tz: the wall time is London's): the office schedule is off hours,
    # not in a gap; until = when someone comes on, coverage_resumes = when its declared coverage does
    "office-gap.json": ["--schedule", "office", "--at", "2026-11-28T22:00", "--tz", "Europe/London",
                        "--format", "json"],
    "office-gap.txt": ["--schedule", "office", "--at", "2026-11-28T22:00", "--tz", "Europe/London"],
    # Ben's time off (15-16 December, his own days in London) falls in his secondary week: the next
    # member in turn order, cleo, holds the primary then, so dan covers
    "time-off-cover.txt": ["--schedule", "secondary", "--at", "2026-12-15T12:00", "--next", "3"],
    "time-off-cover.json": ["--schedule", "secondary", "--at", "2026-12-15T12:00", "--format", "json"],
    "ben-turns.json": ["--person", "ben", "--at", "2026-11-23T10:00", "--next", "4", "--format", "json"],
    "ben-turns.txt": ["--person", "ben", "--at", "2026-11-23T10:00", "--next", "4", "--tz", "Europe/London"],
    "team-next.txt": ["--team", "ops", "--schedule", "primary", "--next", "4", "--at", "2026-11-23T10:00"],
}


def run(arguments: list[str]) -> tuple[int, str, str]:
    """Exit code, stdout and stderr of ``opsrepo oncall`` on the fixture repo."""
    result = CliRunner().invoke(cli, ["oncall", "--repo", str(REPO), *arguments], env={"OPSREPO_NOW": NOW})
    return result.exit_code, result.stdout, result.stderr


def main() -> None:
    """Write every case's output."""
    for name, arguments in CASES.items():
        code, out, err = run(arguments)
        assert code == 0 and not err, (name, code, err)
        (HERE / name).write_text(out, encoding="utf-8")


if __name__ == "__main__":
    main()
