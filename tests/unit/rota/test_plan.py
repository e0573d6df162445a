"""Swaps and covers as handovers and override entries; candidates judged for a cover."""

from __future__ import annotations

from datetime import datetime

import pytest

from opsrepo.oncall import final_shifts
from opsrepo.rota.candidates import rank, reasons
from opsrepo.rota.plan import RotaError, applied, entries, plan_cover, plan_need, plan_swap, wall_text
from tests.unit.oncall.builders import at, layer, override, person, repo, schedule

NOW = at("2026-11-23T09:00:00+00:00")


def weekly(*overrides: object) -> object:
    return repo(schedule("primary", layer("weekly", "ana ben cleo", "2026-10-19T09:00", "1w"),
                         overrides=overrides),  # type: ignore[arg-type]
                people=[person("ana"), person("ben"), person("cleo", off=[("2026-10-27", "2026-10-28")])])


def test_a_cover_takes_every_stretch_in_the_window_and_crosses_a_clock_change() -> None:
    # ana's week 19-26 October (then ben's, then cleo's) is cut by an override of cleo; Berlin leaves summer
    # time on the 25th
    found = weekly(override("cleo", "2026-10-21T09:00", "2026-10-22T09:00"))
    change = plan_cover(found, "primary", "ana", "ben", at("2026-10-20T00:00+02:00"), at("2026-10-27T00:00+01:00"))
    assert entries(change, found.schedules["primary"]) == [  # type: ignore[attr-defined]
        {"person": "ben", "from": "2026-10-20T00:00", "to": "2026-10-21T09:00", "reason": "ben covers ana"},
        {"person": "ben", "from": "2026-10-22T09:00", "to": "2026-10-26T09:00", "reason": "ben covers ana"},
    ]
    after = applied(found, change)  # type: ignore[arg-type]
    shifts = final_shifts(after, "primary", at("2026-10-20T00:00+02:00"), at("2026-10-26T09:00+01:00"))
    assert [(s.person, s.kind) for s in shifts] == [("ben", "override"), ("cleo", "override"), ("ben", "override")]
    assert shifts[-1].end - shifts[-1].start == at("2026-10-26T09:00+01:00") - at("2026-10-22T09:00+02:00")


def test_a_swap_moves_both_ways_in_time_order() -> None:
    found = weekly()
    change = plan_swap(found, "primary", "ben", "ana", at("2026-10-21T09:00+02:00"), at("2026-10-28T09:00+01:00"),
                       note="family")
    assert [(e["person"], e["from"], e["to"], e["reason"]) for e in entries(change, found.schedules["primary"])] == [  # type: ignore[attr-defined]
        ("ben", "2026-10-21T09:00", "2026-10-26T09:00", "swap: ben takes ana's turn: family"),
        ("ana", "2026-10-26T09:00", "2026-10-28T09:00", "swap: ana takes ben's turn: family"),
    ]


def test_a_swap_needs_both_people_in_the_window() -> None:
    with pytest.raises(RotaError, match="cleo is not on call in primary"):
        plan_swap(weekly(), "primary", "ana", "cleo", at("2026-10-20T09:00+02:00"), at("2026-10-22T09:00+02:00"))


def test_the_repeated_hour_has_no_wall_time() -> None:
    # 02:30 happens twice in Berlin on 25 October 2026: the second one (01:30 UTC) cannot be written
    assert wall_text("Europe/Berlin", int(datetime.fromisoformat("2026-10-25T00:30:00+00:00").timestamp() * 1e6)) \
        == "2026-10-25T02:30"
    with pytest.raises(RotaError, match="repeated hour"):
        wall_text("Europe/Berlin", int(datetime.fromisoformat("2026-10-25T01:30:00+00:00").timestamp() * 1e6))


def test_candidates_free_first_with_reasons() -> None:
    found = weekly()
    need = plan_need(found, "primary", "ben", at("2026-10-27T12:00+01:00"), at("2026-10-28T12:00+01:00"))
    ranked = rank(found, need, NOW)  # type: ignore[arg-type]
    assert [c.person for c in ranked] == ["ana", "cleo"]  # cleo is off on the 27th and 28th
    assert reasons(ranked[1], "Europe/Berlin")[0] == (
        "not free: time off from 2026-10-27T12:00+01:00 to 2026-10-28T12:00+01:00")
