"""Derived schedules, follow-the-sun, and the query helpers (on_call, handoffs, layer_turns, person_shifts)."""

from __future__ import annotations

from datetime import datetime

from opsrepo import model as m
from opsrepo.oncall import (
    LayerTurn,
    Shift,
    final_shifts,
    handoffs,
    layer_turns,
    on_call,
    person_shifts,
    whole_shifts,
)
from opsrepo.oncall.query import OncallRequest, answer, next_turns
from opsrepo.timeutil import get_zone
from tests.unit.oncall.builders import at, layer, override, person, repo, schedule, window
from tests.unit.oncall.test_engine import rows

PRIMARY = schedule("primary", layer("weekly", "a b c d", "2026-11-02T09:00", "1w"),
                   layer("weekend", "x y", "2026-11-07T00:00", "1w", restrictions=[window("sat", "10:00", "12:00")]),
                   overrides=[override("z", "2026-11-03T09:00", "2026-11-04T09:00")])


def secondary(offset: int = 1, **extra: object) -> m.Schedule:
    return schedule("secondary", derive=m.Derive("primary", offset), **extra)  # type: ignore[arg-type]


def test_derived_schedule_is_the_previous_turns_person_with_same_restrictions_and_own_overrides() -> None:
    derived = secondary(overrides=[override("q", "2026-11-10T09:00", "2026-11-10T10:00")])
    shifts = final_shifts(repo(PRIMARY, derived), "secondary", at("2026-11-09T09:00+01:00"),
                          at("2026-11-16T09:00+01:00"))
    assert rows(shifts) == [
        # the primary's override (z) does not apply; the secondary's own (q) does
        "a 2026-11-09T09:00+01:00 2026-11-10T09:00+01:00 layer:weekly",
        "q 2026-11-10T09:00+01:00 2026-11-10T10:00+01:00 override:override",
        "a 2026-11-10T10:00+01:00 2026-11-14T10:00+01:00 layer:weekly",
        "x 2026-11-14T10:00+01:00 2026-11-14T12:00+01:00 layer:weekend",
        "a 2026-11-14T12:00+01:00 2026-11-16T09:00+01:00 layer:weekly",
    ]
    primary = final_shifts(repo(PRIMARY, derived), "primary", at("2026-11-09T09:00+01:00"),
                           at("2026-11-09T10:00+01:00"))
    assert [s.person for s in primary] == ["b"]


def test_offset_two_and_a_derived_chain_add_up() -> None:
    chain = schedule("tertiary", derive=m.Derive("secondary", 1))
    both = repo(PRIMARY, secondary(2), chain)
    week = (at("2026-11-23T09:00+01:00"), at("2026-11-23T10:00+01:00"))  # primary: turn 3 (d)
    assert [s.person for s in final_shifts(both, "secondary", *week)] == ["b"]
    assert [s.person for s in final_shifts(both, "tertiary", *week)] == ["a"]


def test_cyclic_or_dangling_derive_has_nobody() -> None:
    loop = [schedule("p", derive=m.Derive("q", 1)), schedule("q", derive=m.Derive("p", 1)),
            schedule("r", derive=m.Derive("missing", 1))]
    for sid in ("p", "q", "r"):
        assert final_shifts(repo(*loop), sid, at("2026-11-23T00:00Z"), at("2026-12-23T00:00Z")) == []


def test_derived_cover_skips_the_person_on_the_source_turn() -> None:
    people = [person("a", off=[("2026-11-10", "2026-11-10")])]
    shifts = final_shifts(repo(PRIMARY, secondary(), people=people), "secondary",
                          at("2026-11-10T00:00+01:00"), at("2026-11-11T00:00+01:00"))
    # secondary's week 2 is a's (primary has b); a is away: the next in turn order is b, the primary
    # holder, so c covers.
    assert rows(shifts) == ["c 2026-11-10T00:00+01:00 2026-11-11T00:00+01:00 time-off-cover:weekly>a"]


SUN = [
    layer("sydney", "s1 s2", "2026-01-05T08:00", "1w", "Australia/Sydney", restrictions=[window("", "08:00", "18:00")]),
    layer("london", "l1 l2", "2026-01-05T07:00", "1w", "Europe/London", restrictions=[window("", "07:00", "15:00")]),
    layer("new-york", "n1 n2", "2026-01-05T10:00", "1w", "America/New_York",
          restrictions=[window("", "10:00", "16:00")]),
]


def test_follow_the_sun_tiles_january_and_leaves_a_gap_in_july() -> None:
    sun = schedule("s", *SUN, zone="Europe/London")
    january = rows(final_shifts(repo(sun), "s", at("2026-01-14T00:00Z"), at("2026-01-15T00:00Z")), "UTC")
    assert january == [
        "s2 2026-01-14T00:00+00:00 2026-01-14T07:00+00:00 layer:sydney",
        "l2 2026-01-14T07:00+00:00 2026-01-14T15:00+00:00 layer:london",
        "n2 2026-01-14T15:00+00:00 2026-01-14T21:00+00:00 layer:new-york",
        "s2 2026-01-14T21:00+00:00 2026-01-15T00:00+00:00 layer:sydney",
    ]
    july = rows(final_shifts(repo(sun), "s", at("2026-07-15T00:00Z"), at("2026-07-16T00:00Z")), "UTC")
    assert july == [
        "s2 2026-07-15T00:00+00:00 2026-07-15T06:00+00:00 layer:sydney",
        "l2 2026-07-15T06:00+00:00 2026-07-15T14:00+00:00 layer:london",
        "n2 2026-07-15T14:00+00:00 2026-07-15T20:00+00:00 layer:new-york",
        "s2 2026-07-15T22:00+00:00 2026-07-16T00:00+00:00 layer:sydney",
    ]


def test_on_call_returns_the_whole_shift_and_none_in_a_gap() -> None:
    single = schedule("s", layer("solo", "a", "2026-11-02T09:00", "1d", end="2027-01-04T09:00"),
                      overrides=[override("b", "2026-12-01T00:00", "2026-12-02T00:00", "swap")])
    data = repo(single)
    assert on_call(data, "s", at("2026-11-20T12:00+01:00")) == Shift(
        "s", "a", at("2026-11-02T09:00+01:00"), at("2026-12-01T00:00+01:00"), "layer", "solo")
    assert on_call(data, "s", at("2026-12-01T00:00+01:00")) == Shift(
        "s", "b", at("2026-12-01T00:00+01:00"), at("2026-12-02T00:00+01:00"), "override", "swap")
    assert on_call(data, "s", at("2027-01-04T09:00+01:00")) is None
    assert on_call(data, "s", at("2026-11-02T08:59+01:00")) is None


def test_handoffs_are_the_next_shift_starts() -> None:
    data = repo(PRIMARY)
    found = handoffs(data, "primary", at("2026-11-09T09:00+01:00"), 3)
    assert rows(found) == [
        "y 2026-11-14T10:00+01:00 2026-11-14T12:00+01:00 layer:weekend",
        "b 2026-11-14T12:00+01:00 2026-11-16T09:00+01:00 layer:weekly",
        "c 2026-11-16T09:00+01:00 2026-11-21T10:00+01:00 layer:weekly",
    ]
    assert handoffs(repo(schedule("s", layer("solo", "a", "2026-11-02T09:00", "1d"))), "s",
                    at("2026-11-09T09:00+01:00"), 2) == []


def test_layer_turns_are_before_time_off_and_overrides() -> None:
    turns = layer_turns(repo(PRIMARY, people=[person("a", off=[("2026-11-03", "2026-11-03")])]), "primary",
                        at("2026-11-02T09:00+01:00"), at("2026-11-09T09:00+01:00"))
    assert turns == [
        LayerTurn("primary", "weekly", 0, "a", at("2026-11-02T09:00+01:00"), at("2026-11-09T09:00+01:00")),
        LayerTurn("primary", "weekend", 0, "x", at("2026-11-07T10:00+01:00"), at("2026-11-07T12:00+01:00")),
    ]


def test_person_shifts_span_every_schedule() -> None:
    data = repo(PRIMARY, secondary())
    found = person_shifts(data, "b", at("2026-11-09T09:00+01:00"), at("2026-11-23T09:00+01:00"))
    assert [(s.schedule, s.start) for s in found] == [
        ("primary", at("2026-11-09T09:00+01:00")), ("primary", at("2026-11-14T12:00+01:00")),
        ("secondary", at("2026-11-16T09:00+01:00")), ("secondary", at("2026-11-21T12:00+01:00")),
    ]


def test_an_instant_in_a_fall_back_overlap_still_gets_the_whole_shift() -> None:
    # 02:30 in Berlin on 25 October 2026 happens twice; the first one (fold=0, as --at reads it) is 00:30Z
    data = repo(schedule("s", layer("weekly", "a b", "2026-10-19T09:00", "1w")))
    overlap = datetime(2026, 10, 25, 2, 30, tzinfo=get_zone("Europe/Berlin"))
    whole = Shift("s", "a", at("2026-10-19T07:00Z"), at("2026-10-26T08:00Z"), "layer", "weekly")
    assert whole_shifts(data, "s", overlap, at("2026-10-25T23:00Z")) == [whole]
    assert whole_shifts(data, "s", at("2026-10-24T00:00Z"), overlap) == [whole]
    assert [turn.pieces for turn in next_turns(data, "a", overlap, 1)] == [(whole,)]


def test_a_gap_is_traced_back_to_its_start_as_far_as_the_search_ahead_goes() -> None:
    ended = repo(schedule("s", layer("solo", "a", "2026-01-05T09:00", "1d", end="2026-05-04T09:00")))
    since = [answer(ended, OncallRequest(now=at(f"{day}T12:00+02:00"), schedules=("s",))).answers[0].status.since
             for day in ("2026-05-20", "2026-09-20", "2027-05-20", "2027-06-20")]
    # 16, 139 and 381 days after the layer ended: found; 412 days: beyond ON_CALL_HORIZON (400 days)
    assert since == [at("2026-05-04T09:00+02:00")] * 3 + [None]
