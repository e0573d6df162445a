"""Regenerate the golden JSON outputs of ``opsrepo escalate`` on the example repo (review the diff!).

    python -m tests.golden.escalate.regen

Each case is one command line; its output is ``<name>.json`` next to this file.
"""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from opsrepo.cli.main import cli
from tests.helpers import ROOT

HERE = Path(__file__).parent
NOW = "2026-11-23T09:00:00Z"

#: name -> arguments; every instant is explicit so the output does not depend on the clock
CASES: dict[str, list[str]] = {
    # SEV0 overrides the payments policy; primary and secondary hand off at Monday 09:00 Berlin,
    # ten minutes into the chain, so the first run and the repeats reach different people
    "payments-api-sev0-handoff": ["--service", "payments-api", "--severity", "SEV0", "--at", "2026-11-30T08:50"],
    # Friday evening in London (shown there with --tz): the data business-hours schedule has nobody,
    # level 1 reaches no one
    "event-ingest-lag-after-hours": ["--alert", "event-ingest-lag", "--at", "2026-11-27T18:30:00+00:00",
                                     "--tz", "Europe/London"],
}


def run(arguments: list[str]) -> tuple[int, str, str]:
    """Exit code, stdout and stderr of ``escalate --format json`` on the example repo."""
    result = CliRunner().invoke(cli, ["escalate", "--repo", str(ROOT), *arguments, "--format", "json"],
                                env={"OPSREPO_NOW": NOW})
    return result.exit_code, result.stdout, result.stderr


def main() -> None:
    """Write every case's output."""
    for name, arguments in CASES.items():
        code, out, err = run(arguments)
        assert code == 0, (name, code, err)
        (HERE / f"{name}.json").write_text(out, encoding="utf-8")


if __name__ == "__main__":
    main()
