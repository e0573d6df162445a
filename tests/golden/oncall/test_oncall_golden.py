"""``opsrepo oncall`` text and JSON on the oncall-basic fixture repo, against reviewed golden files."""

from __future__ import annotations

import json

import pytest

from tests.golden.oncall.regen import CASES, HERE, run


@pytest.mark.parametrize("name", CASES)
def test_output_matches_golden(name: str) -> None:
    code, out, err = run(CASES[name])
    assert (code, err) == (0, "")
    assert out == (HERE / name).read_text(encoding="utf-8")


def test_the_json_has_the_spec_shape() -> None:
    document = json.loads((HERE / "now.json").read_text(encoding="utf-8"))
    assert set(document) == {"at", "schedules"}
    for entry in document["schedules"]:
        assert {"id", "person", "until", "source"} <= set(entry)
        assert set(entry["source"]) == {"kind", "name"}


def test_the_cover_case_really_shows_a_cover() -> None:
    document = json.loads((HERE / "time-off-cover.json").read_text(encoding="utf-8"))
    assert document["schedules"][0]["source"] == {"kind": "time-off-cover", "name": "weekly", "covering_for": "ben"}


def test_the_weekend_of_an_office_schedule_is_off_hours_not_a_gap() -> None:
    entry = json.loads((HERE / "office-gap.json").read_text(encoding="utf-8"))["schedules"][0]
    # nobody from Friday's close to Monday's open, outside the declared mon-fri 09:00-17:00 coverage:
    # off hours, with when nobody began and ends and when coverage resumes, all with seconds (SPEC 2)
    assert entry == {"id": "office", "person": None, "until": "2026-11-30T09:00:00+00:00", "source": None,
                     "from": "2026-11-27T17:00:00+00:00", "status": "off-hours",
                     "coverage_resumes": "2026-11-30T09:00:00+00:00"}
