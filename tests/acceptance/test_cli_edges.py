"""Instants and durations at the edges of what a computer can write: usage errors (exit 2), never crashes.

A year-9999 ``--at`` plus the 400 days ``oncall`` looks around it, or a
year-1 ``--since`` minus a zone's offset, ran past the last (or first) date
Python can write and ended in "internal error: OverflowError".
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from opsrepo.cli.main import cli
from tests.helpers import MINIMAL as REPO
from tests.helpers import NOW as PINNED

NOW = PINNED.isoformat()

OUT_OF_RANGE = "opsrepo: error: {} is out of range: opsrepo reads years 1900 to 2999\n" \
               "  hint: write a date or instant within them\n"


def run(*arguments: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, [*arguments, "--repo", str(REPO)], env=env or {"OPSREPO_NOW": NOW})
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize(("arguments", "shown"), [
    (["oncall", "--at", "9999-12-31T00:00:00Z"], "--at 9999-12-31T00:00:00Z"),
    (["oncall", "--at", "0001-01-01T00:00"], "--at 0001-01-01T00:00"),
    (["oncall", "--schedule", "core-primary", "--at", "3000-01-01T00:00:00+14:00"],
     "--at 3000-01-01T00:00:00+14:00"),
    (["oncall", "--at", "+100000w"], "--at +100000w"),
    (["escalate", "--service", "api", "--at", "9999-12-31T23:59:59Z"], "--at 9999-12-31T23:59:59Z"),
    (["escalate", "--service", "api", "--at", "-10000w"], "--at -10000w"),
    (["report", "--since", "0001-01-01"], "0001-01-01"),
    (["report", "--until", "9999-12-31"], "9999-12-31"),
    (["report", "--since", "1899-12-31T23:00:00Z"], "--since 1899-12-31T23:00:00Z"),
    (["calendar", "--from", "0001-01-01", "--to", "2026-12-01"], "0001-01-01"),
])
def test_an_instant_out_of_range_is_a_usage_error(arguments: list[str], shown: str, tmp_path: Path) -> None:
    if arguments[0] == "calendar":
        arguments = [*arguments, "--out", str(tmp_path)]
    assert run(*arguments) == (2, "", OUT_OF_RANGE.format(shown))


def test_a_pinned_now_out_of_range_is_a_usage_error() -> None:
    code, out, err = run("oncall", env={"OPSREPO_NOW": "9999-12-31T23:00:00Z"})
    assert (code, out) == (2, "")
    assert err == OUT_OF_RANGE.format("9999-12-31T23:00:00Z")


def test_the_first_and_last_years_still_answer() -> None:
    assert run("oncall", "--at", "2999-12-31T23:59:59Z")[0] == 0
    assert run("oncall", "--at", "1900-01-01T00:00:00Z")[0] == 0
    assert run("escalate", "--service", "api", "--at", "2999-12-31T23:00:00Z")[0] == 0


@pytest.mark.parametrize("wait", ["99999999999w", "9" * 5000 + "s"])
def test_a_duration_out_of_range_on_the_command_line_is_a_usage_error(wait: str) -> None:
    code, out, err = run("actions", "status", "--max-wait", wait, env={"OPSREPO_NOW": NOW, "GITHUB_TOKEN": "x"})
    assert (code, out) == (2, "")
    assert "is out of range; durations are at most about 600 years" in err
