"""month_grid: Monday-first weeks of days, each with the shifts that touch it, in the schedule's zone."""

from __future__ import annotations

from opsrepo.calendar.grid import month_grid, months_between
from opsrepo.oncall import Shift
from tests.unit.oncall.builders import at


def shift(person: str, start: str, end: str, kind: str = "layer", source: str = "weekly",
          cover: str | None = None) -> Shift:
    return Shift("s", person, at(start), at(end), kind, source, cover)


SHIFTS = [
    shift("ana", "2026-03-23T09:00+01:00", "2026-03-28T02:30+01:00"),
    shift("ben", "2026-03-28T02:30+01:00", "2026-03-29T20:00+02:00", "override", "swap"),
    shift("cleo", "2026-03-29T20:00+02:00", "2026-04-06T09:00+02:00", "time-off-cover", "weekly", "ana"),
]


def test_weeks_start_on_monday_and_pad_with_neighbouring_months() -> None:
    grid = month_grid(SHIFTS, 2026, 3, "Europe/Berlin")
    assert (grid["title"], grid["zone"], len(grid["weeks"])) == ("March 2026", "Europe/Berlin", 6)
    assert [d["date"] for d in grid["weeks"][0]] == [f"2026-{m}-{d}" for m, d in (
        ("02", "23"), ("02", "24"), ("02", "25"), ("02", "26"), ("02", "27"), ("02", "28"), ("03", "01"))]
    assert [d["in_month"] for d in grid["weeks"][0]] == [False] * 6 + [True]
    assert [d["weekend"] for d in grid["weeks"][0]] == [False] * 5 + [True, True]


def test_entries_are_clipped_to_the_day_with_24_00_at_midnight() -> None:
    days = {d["date"]: d for week in month_grid(SHIFTS, 2026, 3, "Europe/Berlin")["weeks"] for d in week}
    assert days["2026-03-22"]["entries"] == []
    assert days["2026-03-23"]["entries"] == [
        {"person": "ana", "from": "09:00", "to": "24:00", "kind": "layer", "source": "weekly", "covering_for": None,
         "continued": False, "continues": True}]
    assert [(e["person"], e["from"], e["to"], e["continued"], e["continues"]) for e in days["2026-03-28"]["entries"]] \
        == [("ana", "00:00", "02:30", True, False), ("ben", "02:30", "24:00", False, True)]
    # the DST day has 23 hours; ben hands over at 20:00 summer time
    assert [(e["person"], e["from"], e["to"], e["kind"]) for e in days["2026-03-29"]["entries"]] == [
        ("ben", "00:00", "20:00", "override"), ("cleo", "20:00", "24:00", "time-off-cover")]
    assert days["2026-03-30"]["entries"][0]["covering_for"] == "ana"


def test_months_between_counts_in_the_zone() -> None:
    assert months_between(at("2026-11-30T23:30Z"), at("2027-01-31T23:00Z"), "Europe/Berlin") == [
        (2026, 12), (2027, 1)]
    assert months_between(at("2026-11-30T23:30Z"), at("2027-01-31T23:00:01Z"), "Europe/Berlin") == [
        (2026, 12), (2027, 1), (2027, 2)]


def test_a_shift_ending_at_a_midnight_that_happens_twice_ends_at_24_00() -> None:
    # Havana falls back from 01:00 to 00:00 on 1 November 2026: its first midnight is 04:00Z
    days = {d["date"]: d for week in month_grid([shift("ana", "2026-10-31T12:00Z", "2026-11-01T04:00Z")],
                                                2026, 10, "America/Havana")["weeks"] for d in week}
    assert days["2026-10-31"]["entries"] == [
        {"person": "ana", "from": "08:00", "to": "24:00", "kind": "layer", "source": "weekly", "covering_for": None,
         "continued": False, "continues": False}]
