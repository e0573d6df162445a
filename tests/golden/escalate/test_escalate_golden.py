"""``opsrepo escalate --format json`` on two example services, against reviewed golden files."""

from __future__ import annotations

import json

import pytest

from tests.golden.escalate.regen import CASES, HERE, run


@pytest.mark.parametrize("name", CASES)
def test_output_matches_golden(name: str) -> None:
    code, out, err = run(CASES[name])
    assert (code, err) == (0, "")
    assert out == (HERE / f"{name}.json").read_text(encoding="utf-8")


def test_the_handoff_case_really_hands_off_mid_chain() -> None:
    """The golden file is only worth keeping while it shows what it claims to."""
    document = json.loads((HERE / "payments-api-sev0-handoff.json").read_text(encoding="utf-8"))
    first_runs = [level["people"] for level in document["levels"] if level["level"] == 1]
    assert document["policy"] == "payments-critical"
    assert first_runs[0] != first_runs[1]


def test_the_after_hours_case_shows_a_level_that_reaches_nobody() -> None:
    document = json.loads((HERE / "event-ingest-lag-after-hours.json").read_text(encoding="utf-8"))
    assert document["levels"][0]["people"] == []
    assert all(level["people"] for level in document["levels"][1:])
