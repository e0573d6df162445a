"""On-call load from the engine's shifts: hours, turns, nights, weekends, holidays, spread."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from opsrepo.model import Repo
from opsrepo.report import ReportRequest, build_report
from opsrepo.report.accounting import local_dates, merged, night_seconds
from opsrepo.report.oncall_load import OncallLoad, PersonLoad, Spread
from opsrepo.timeutil import get_zone
from tests.unit.report.build import NOW

BERLIN = get_zone("Europe/Berlin")


@dataclass(frozen=True)
class Shift:
    person: str | None
    start: datetime
    end: datetime


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


SHIFTS = {
    "core-primary": [
        # ana: Friday 22:00 to Sunday 22:00 Berlin (CET), split in two touching pieces: one turn of 48 h,
        # nights 22-06 twice (16 h), Saturday and Sunday
        Shift("ana", utc("2026-11-20T21:00"), utc("2026-11-21T21:00")),
        Shift("ana", utc("2026-11-21T21:00"), utc("2026-11-22T21:00")),
        # ben: 00:00-12:00 Berlin (CEST) on Saturday 3 October, German Unity Day: 6 night hours
        Shift("ben", utc("2026-10-02T22:00"), utc("2026-10-03T10:00")),
        # cleo: Saturday 20:00 CEST to Sunday 09:00 CET across the fall-back night: 14 h, a 9 h night
        Shift("cleo", utc("2026-10-24T18:00"), utc("2026-10-25T08:00")),
        Shift(None, utc("2026-10-25T08:00"), utc("2026-10-26T08:00")),     # a gap
        Shift("ana", utc("2024-01-01T00:00"), utc("2024-01-02T00:00")),   # before the period: ignored
    ],
}


def shifts(repo: Repo, schedule: str, start: datetime, end: datetime) -> Iterable[Shift]:
    return SHIFTS.get(schedule, [])


def load_of(repo: Repo) -> OncallLoad:
    found = build_report(repo, ReportRequest(now=NOW, shifts=shifts)).load
    assert found is not None
    return found


def test_people(four: Repo) -> None:
    assert load_of(four).people == (
        PersonLoad("ana", "Ana Silva", "core", hours=48, turns=1, night_hours=16, weekend_days=2, holiday_days=0),
        PersonLoad("cleo", "Cleo Park", "core", hours=14, turns=1, night_hours=9, weekend_days=2, holiday_days=0),
        PersonLoad("ben", "Ben Okafor", "core", hours=12, turns=1, night_hours=6, weekend_days=1, holiday_days=1),
    )


def test_team_spread_among_rotation_members(four: Repo) -> None:
    (core,) = load_of(four).teams
    assert (core.team, core.schedules) == ("core", ("core-primary",))
    assert core.spread == (
        Spread("hours", 12, 48, ("ben",), ("ana",)),
        Spread("turns", 1, 1, ("ana", "ben", "cleo"), ("ana", "ben", "cleo")),
        Spread("night_hours", 6, 16, ("ben",), ("ana",)),
        Spread("weekend_days", 1, 2, ("ben",), ("ana", "cleo")),
        Spread("holiday_days", 0, 1, ("ana", "cleo"), ("ben",)),
    )
    assert core.spread[0].value == 36


def test_a_member_never_on_call_counts_in_the_spread(four: Repo) -> None:
    saved = SHIFTS["core-primary"]
    SHIFTS["core-primary"] = saved[:2]
    try:
        (core,) = load_of(four).teams
    finally:
        SHIFTS["core-primary"] = saved
    assert [(p.person, p.hours) for p in core.members] == [("ana", 48), ("ben", 0), ("cleo", 0)]
    assert core.spread[0] == Spread("hours", 0, 48, ("ben", "cleo"), ("ana",))


def test_without_the_engine_there_is_no_load(four: Repo) -> None:
    assert build_report(four, ReportRequest(now=NOW)).load is None


def test_night_hours_across_spring_forward() -> None:
    # 28-29 March 2026: 22:00 CET to 06:00 CEST is 7 real hours
    start, end = datetime(2026, 3, 28, 12, tzinfo=BERLIN), datetime(2026, 3, 29, 12, tzinfo=BERLIN)
    assert night_seconds(start, end, BERLIN) == 7 * 3600


def test_local_dates_of_a_span_ending_at_midnight() -> None:
    start, end = datetime(2026, 11, 21, tzinfo=BERLIN), datetime(2026, 11, 23, tzinfo=BERLIN)
    assert [d.isoformat() for d in local_dates(start, end, BERLIN)] == ["2026-11-21", "2026-11-22"]
    assert local_dates(end, end, BERLIN) == []


def test_merged_joins_touching_and_overlapping_spans() -> None:
    a, b, c, d = (utc(f"2026-01-0{n}T00:00") for n in (1, 2, 3, 4))
    assert merged([(c, d), (a, b), (b, c)]) == [(a, d)]
    assert merged([(a, b), (c, d)]) == [(a, b), (c, d)]
