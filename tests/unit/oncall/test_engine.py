"""The final schedule: restrictions, precedence, overrides, layer ends, time off, derive (table-driven)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from opsrepo import model as m
from opsrepo.oncall import Shift, final_shifts
from opsrepo.oncall.clock import to_micros
from opsrepo.oncall.engine import held_spans
from opsrepo.timeutil import get_zone
from tests.unit.oncall.builders import at, layer, override, person, repo, schedule, window


def rows(shifts: list[Shift], zone: str = "Europe/Berlin") -> list[str]:
    """'person from to kind:source[>covered]' with instants in ``zone``."""
    tz = get_zone(zone)
    out = []
    for s in shifts:
        cover = f">{s.covering_for}" if s.covering_for else ""
        out.append(f"{s.person} {s.start.astimezone(tz).isoformat(timespec='minutes')} "
                   f"{s.end.astimezone(tz).isoformat(timespec='minutes')} {s.kind}:{s.source}{cover}")
    return out


BUSINESS = window("mon tue wed thu fri", "09:00", "17:00")
WEEKDAYS = window("mon tue wed thu fri")
BASE = layer("base", "a b", "2026-01-05T09:00", "1w")


CASES = [
    pytest.param(
        schedule("s", layer("office", "a b", "2026-01-05T09:00", "1w", restrictions=[BUSINESS])), (),
        "2026-11-20T00:00+01:00", "2026-11-25T00:00+01:00",
        ["b 2026-11-20T09:00+01:00 2026-11-20T17:00+01:00 layer:office",
         "a 2026-11-23T09:00+01:00 2026-11-23T17:00+01:00 layer:office",
         "a 2026-11-24T09:00+01:00 2026-11-24T17:00+01:00 layer:office"],
        id="business-hours-weekly-layer"),
    pytest.param(
        schedule("s", layer("weekdays", "a b c", "2026-11-02T00:00", "1d", restrictions=[WEEKDAYS])), (),
        "2026-11-05T00:00+01:00", "2026-11-11T00:00+01:00",
        ["a 2026-11-05T00:00+01:00 2026-11-06T00:00+01:00 layer:weekdays",
         "b 2026-11-06T00:00+01:00 2026-11-07T00:00+01:00 layer:weekdays",
         # Saturday (c) and Sunday (a) turns pass while the layer is restricted out
         "b 2026-11-09T00:00+01:00 2026-11-10T00:00+01:00 layer:weekdays",
         "c 2026-11-10T00:00+01:00 2026-11-11T00:00+01:00 layer:weekdays"],
        id="weekday-only-daily-layer-turns-advance-while-restricted-out"),
    pytest.param(
        schedule("s", layer("nights", "a b", "2026-11-02T00:00", "1w", restrictions=[window("fri", "22:00", "06:00")])),
        (), "2026-11-02T00:00+01:00", "2026-11-16T00:00+01:00",
        ["a 2026-11-06T22:00+01:00 2026-11-07T06:00+01:00 layer:nights",
         "b 2026-11-13T22:00+01:00 2026-11-14T06:00+01:00 layer:nights"],
        id="window-crossing-midnight"),
    pytest.param(
        schedule("s", layer("nights", "a b", "2026-11-02T00:00", "1w", restrictions=[window("sun", "20:00", "08:00")])),
        (), "2026-11-08T00:00+01:00", "2026-11-10T00:00+01:00",
        ["a 2026-11-08T20:00+01:00 2026-11-09T00:00+01:00 layer:nights",
         "b 2026-11-09T00:00+01:00 2026-11-09T08:00+01:00 layer:nights"],
        id="window-crossing-midnight-and-a-handoff"),
    pytest.param(
        schedule("s", layer("all-day", "a b", "2026-03-23T00:00", "1w", restrictions=[window("sun", "00:00", "00:00")])),
        (), "2026-03-28T00:00+01:00", "2026-03-31T00:00+02:00",
        ["a 2026-03-29T00:00+01:00 2026-03-30T00:00+02:00 layer:all-day"],
        id="from-equals-to-is-a-whole-day-23h-on-dst-day"),
    pytest.param(
        schedule("s", BASE, layer("weekend", "x y", "2026-01-10T00:00", "1w",
                                   restrictions=[window("sat sun", "08:00", "20:00")])), (),
        "2026-11-20T09:00+01:00", "2026-11-23T09:00+01:00",
        ["b 2026-11-20T09:00+01:00 2026-11-21T08:00+01:00 layer:base",
         "y 2026-11-21T08:00+01:00 2026-11-21T20:00+01:00 layer:weekend",
         "b 2026-11-21T20:00+01:00 2026-11-22T08:00+01:00 layer:base",
         "y 2026-11-22T08:00+01:00 2026-11-22T20:00+01:00 layer:weekend",
         "b 2026-11-22T20:00+01:00 2026-11-23T09:00+01:00 layer:base"],
        id="weekend-layer-over-base-layer"),
    pytest.param(
        schedule("s", layer("office", "a b", "2026-01-05T09:00", "1w", restrictions=[BUSINESS]),
                 overrides=[override("x", "2026-11-23T12:00", "2026-11-23T20:00", "dentist"),
                            override("y", "2026-11-23T14:00", "2026-11-23T15:00")]), (),
        "2026-11-23T00:00+01:00", "2026-11-24T00:00+01:00",
        ["a 2026-11-23T09:00+01:00 2026-11-23T12:00+01:00 layer:office",
         "x 2026-11-23T12:00+01:00 2026-11-23T14:00+01:00 override:dentist",
         "y 2026-11-23T14:00+01:00 2026-11-23T15:00+01:00 override:override",
         "x 2026-11-23T15:00+01:00 2026-11-23T20:00+01:00 override:dentist"],
        id="overlapping-overrides-last-wins-and-beat-restricted-out-time"),
    pytest.param(
        schedule("s", BASE, overrides=[override("x", "2026-11-24T09:00", "2026-11-23T09:00")]), (),
        "2026-11-23T00:00+01:00", "2026-11-25T00:00+01:00",
        ["b 2026-11-23T00:00+01:00 2026-11-23T09:00+01:00 layer:base",
         "a 2026-11-23T09:00+01:00 2026-11-25T00:00+01:00 layer:base"],
        id="inverted-override-is-ignored"),
    pytest.param(
        schedule("s", layer("old", "a b", "2026-01-05T09:00", "1w", end="2026-11-25T12:00"),
                 layer("new", "c d", "2026-11-30T09:00", "1w")), (),
        "2026-11-24T00:00+01:00", "2026-12-08T00:00+01:00",
        ["a 2026-11-24T00:00+01:00 2026-11-25T12:00+01:00 layer:old",
         "c 2026-11-30T09:00+01:00 2026-12-07T09:00+01:00 layer:new",
         "d 2026-12-07T09:00+01:00 2026-12-08T00:00+01:00 layer:new"],
        id="a-layer-that-ends-and-one-that-starts-later"),
    pytest.param(
        schedule("s", layer("weekly", "a b c d", "2026-11-02T09:00", "1w")),
        [person("a", off=[("2026-11-03", "2026-11-04")]), person("b", off=[("2026-11-03", "2026-11-03")]),
         person("c", off=[("2026-11-01", "2026-11-10")])],
        "2026-11-02T09:00+01:00", "2026-11-09T09:00+01:00",
        ["a 2026-11-02T09:00+01:00 2026-11-03T00:00+01:00 layer:weekly",
         "d 2026-11-03T00:00+01:00 2026-11-04T00:00+01:00 time-off-cover:weekly>a",
         "b 2026-11-04T00:00+01:00 2026-11-05T00:00+01:00 time-off-cover:weekly>a",
         "a 2026-11-05T00:00+01:00 2026-11-09T09:00+01:00 layer:weekly"],
        id="time-off-cascades-past-two-absent-members"),
    pytest.param(
        schedule("s", layer("weekly", "a b c", "2026-11-02T09:00", "1w")),
        [person("a", off=[("2026-11-03", "2026-11-03")]), person("b", off=[("2026-11-01", "2026-11-30")]),
         person("c", off=[("2026-11-03T00:00", "2026-11-03T12:00")])],
        "2026-11-02T09:00+01:00", "2026-11-05T00:00+01:00",
        ["a 2026-11-02T09:00+01:00 2026-11-03T00:00+01:00 layer:weekly",
         "c 2026-11-03T12:00+01:00 2026-11-04T00:00+01:00 time-off-cover:weekly>a",
         "a 2026-11-04T00:00+01:00 2026-11-05T00:00+01:00 layer:weekly"],
        id="nobody-free-leaves-a-gap"),
    pytest.param(
        schedule("s", layer("weekly", "a b", "2026-11-02T09:00", "1w"), time_off="flag"),
        [person("a", off=[("2026-11-03", "2026-11-03")])],
        "2026-11-02T09:00+01:00", "2026-11-05T00:00+01:00",
        ["a 2026-11-02T09:00+01:00 2026-11-05T00:00+01:00 layer:weekly"],
        id="flag-mode-keeps-the-absent-person"),
    pytest.param(
        schedule("s", layer("weekly", "a b", "2026-11-02T09:00", "1w")),
        [person("a", "Australia/Sydney", off=[("2026-11-03", "2026-11-03")])],
        "2026-11-02T09:00+01:00", "2026-11-04T00:00+01:00",
        ["a 2026-11-02T09:00+01:00 2026-11-02T14:00+01:00 layer:weekly",
         "b 2026-11-02T14:00+01:00 2026-11-03T14:00+01:00 time-off-cover:weekly>a",
         "a 2026-11-03T14:00+01:00 2026-11-04T00:00+01:00 layer:weekly"],
        id="time-off-days-are-the-persons-own-days"),
    pytest.param(
        schedule("s", layer("sydney", "a b", "2026-01-05T08:00", "1w", "Australia/Sydney",
                            restrictions=[window("", "08:00", "18:00")])), (),
        "2026-11-23T00:00+01:00", "2026-11-24T00:00+01:00",
        ["a 2026-11-23T00:00+01:00 2026-11-23T08:00+01:00 layer:sydney",
         "a 2026-11-23T22:00+01:00 2026-11-24T00:00+01:00 layer:sydney"],
        id="a-layer-in-its-own-timezone"),
    pytest.param(
        schedule("s", layer("weekly", "a b", "2026-11-30T09:00", "1w")), (),
        "2026-11-23T00:00+01:00", "2026-12-01T00:00+01:00",
        ["a 2026-11-30T09:00+01:00 2026-12-01T00:00+01:00 layer:weekly"],
        id="nobody-before-the-layer-starts"),
    pytest.param(
        schedule("s", layer("solo", "a", "2026-11-02T09:00", "1d")), (),
        "2026-11-23T00:00+01:00", "2026-11-26T00:00+01:00",
        ["a 2026-11-23T00:00+01:00 2026-11-26T00:00+01:00 layer:solo"],
        id="adjacent-turns-of-one-person-merge"),
    pytest.param(
        schedule("s", layer("zero", "a", "2026-11-02T09:00", "0s")), (),
        "2026-11-23T00:00+01:00", "2026-11-26T00:00+01:00", [],
        id="zero-length-layer-has-nobody"),
]


@pytest.mark.parametrize(("sched", "people", "frm", "to", "expected"), CASES)
def test_final_schedule(sched: m.Schedule, people: list[m.Person], frm: str, to: str, expected: list[str]) -> None:
    assert rows(final_shifts(repo(sched, people=people), "s", at(frm), at(to))) == expected


def test_shifts_are_utc_and_clipped() -> None:
    shifts = final_shifts(repo(schedule("s", BASE)), "s", at("2026-11-23T10:00+01:00"), at("2026-11-23T11:00+01:00"))
    assert shifts == [Shift("s", "a", at("2026-11-23T09:00Z"), at("2026-11-23T10:00Z"), "layer", "base")]
    assert shifts[0].start.utcoffset() == timedelta(0)
    assert shifts[0].duration == timedelta(hours=1)


def test_unknown_schedule_and_naive_instants_are_refused() -> None:
    with pytest.raises(KeyError, match="unknown schedule 'nope'"):
        final_shifts(repo(), "nope", at("2026-11-23T10:00+01:00"), at("2026-11-24T10:00+01:00"))
    with pytest.raises(ValueError, match="aware instants"):
        final_shifts(repo(schedule("s", BASE)), "s", at("2026-11-23T10:00+01:00").replace(tzinfo=None),
                     at("2026-11-24T10:00+01:00"))


def test_held_spans_skip_dealing_only_while_someone_is_free() -> None:
    weekdays = layer("day", "a b", "2026-11-02T09:00", "1w", restrictions=[window("mon tue wed thu fri", "09:00", "17:00")])
    lone = schedule("s", weekdays, overrides=[override("c", "2026-11-07T10:00", "2026-11-07T12:00")])
    start, end = to_micros(at("2026-11-02T00:00+01:00")), to_micros(at("2026-11-09T00:00+01:00"))
    one_away = repo(lone, people=[person("a", off=[("2026-11-03", "2026-11-04")]), person("b")])
    expected = [(to_micros(at(f"2026-11-0{d}T09:00+01:00")), to_micros(at(f"2026-11-0{d}T17:00+01:00"))) for d in (2, 3, 4, 5, 6)]
    expected.insert(5, (to_micros(at("2026-11-07T10:00+01:00")), to_micros(at("2026-11-07T12:00+01:00"))))
    assert held_spans(one_away, lone, start, end) == expected
    both_away = repo(lone, people=[person("a", off=[("2026-11-03", "2026-11-04")]), person("b", off=[("2026-11-04", "2026-11-04")])])
    assert held_spans(both_away, lone, start, end) is None
    assert held_spans(both_away, schedule("s", weekdays, time_off="flag"), start, end) == expected[:5]
