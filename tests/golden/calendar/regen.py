"""Regenerate the golden ``opsrepo calendar`` files of the oncall-basic fixture repo (review the diff!).

    python -m tests.golden.calendar.regen

Renders December 2026 (Christmas override, Ben's time off covered in the
derived secondary) and keeps the files listed in ``FILES`` next to this script.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from click.testing import CliRunner

from opsrepo.cli.main import cli
from tests.golden.oncall.regen import NOW, REPO

HERE = Path(__file__).parent
ARGUMENTS = ["--from", "2026-12-01", "--to", "2027-01-01"]
FILES = ("index.html", "schedules/primary.ics", "schedules/secondary.ics", "schedules/office.ics",
         "schedules/primary/2026-12.html", "people/ben.ics", "people/dan.ics", "teams/ops.ics")


def render(out: Path) -> tuple[int, str, str]:
    """Run ``opsrepo calendar`` into ``out``: exit code, stdout, stderr."""
    result = CliRunner().invoke(cli, ["calendar", "--repo", str(REPO), *ARGUMENTS, "--out", str(out)],
                                env={"OPSREPO_NOW": NOW})
    return result.exit_code, result.stdout, result.stderr


def golden_name(relative: str) -> str:
    """``schedules/primary/2026-12.html`` -> ``schedules--primary--2026-12.html``."""
    return relative.replace("/", "--")


def main() -> None:
    """Write the golden files."""
    with tempfile.TemporaryDirectory() as tmp:
        code, _, err = render(Path(tmp))
        assert code == 0 and not err, err
        for relative in FILES:
            shutil.copyfile(Path(tmp) / relative, HERE / golden_name(relative))


if __name__ == "__main__":
    main()
