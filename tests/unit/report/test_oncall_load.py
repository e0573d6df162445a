"""On-call load from the engine's shifts: hours, turns, nights, weekends, holidays, spread."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import NamedTuple

from opsrepo.model import Repo
from opsrepo.oncall.clock import to_micros
from opsrepo.report import ReportRequest, build_report
from opsrepo.report.oncall_load import OncallLoad, PersonLoad, ShiftSource, Spread, TeamTotals
from tests.unit.report.build import NOW, SCHEDULE, load, write_repo


@dataclass(frozen=True)
class Shift:
    person: str | None
    start: datetime
    end: datetime


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


class Segment(NamedTuple):
    """A shift as the report's source gives it: microseconds."""

    start: int
    end: int
    person: str | None


def source(by_schedule: Mapping[str, list[Shift]]) -> ShiftSource:
    def shifts(repo: Repo, schedule: str, start: datetime, end: datetime) -> Iterable[Segment]:
        return [Segment(to_micros(s.start), to_micros(s.end), s.person) for s in by_schedule.get(schedule, [])]

    return shifts


CORE = [
    # ana: Friday 22:00 to Sunday 22:00 Berlin (CET) in two touching pieces: one turn of 48 h,
    # two nights of 8 h, Saturday and Sunday
    Shift("ana", utc("2026-11-20T21:00"), utc("2026-11-21T21:00")),
    Shift("ana", utc("2026-11-21T21:00"), utc("2026-11-22T21:00")),
    # ben: 00:00-12:00 Berlin (CEST) on Saturday 3 October, German Unity Day: 6 night hours
    Shift("ben", utc("2026-10-02T22:00"), utc("2026-10-03T10:00")),
    # cleo: Saturday 20:00 CEST to Sunday 09:00 CET across the fall-back night: 14 h, a 9 h night
    Shift("cleo", utc("2026-10-24T18:00"), utc("2026-10-25T08:00")),
    Shift(None, utc("2026-10-25T08:00"), utc("2026-10-26T08:00")),     # a gap
    Shift("ana", utc("2024-01-01T00:00"), utc("2024-01-02T00:00")),   # before the period: ignored
]


def load_of(repo: Repo, by_schedule: Mapping[str, list[Shift]]) -> OncallLoad:
    found = build_report(repo, ReportRequest(now=NOW, shifts=source(by_schedule))).load
    assert found is not None
    return found


def test_people(four: Repo) -> None:
    assert load_of(four, {"core-primary": CORE}).people == (
        PersonLoad("ana", "Ana Silva", "core", hours=48, turns=1, night_hours=16, nights=2, weekend_days=2,
                   holiday_days=0),
        PersonLoad("cleo", "Cleo Park", "core", hours=14, turns=1, night_hours=9, nights=1, weekend_days=2,
                   holiday_days=0),
        PersonLoad("ben", "Ben Okafor", "core", hours=12, turns=1, night_hours=6, nights=1, weekend_days=1,
                   holiday_days=1),
    )


def test_team_spread_among_rotation_members(four: Repo) -> None:
    (core,) = load_of(four, {"core-primary": CORE}).teams
    assert (core.team, core.schedules) == ("core", ("core-primary",))
    assert core.spread == (
        Spread("hours", 12, 48, ("ben",), ("ana",)),
        Spread("turns", 1, 1, ("ana", "ben", "cleo"), ("ana", "ben", "cleo")),
        Spread("night_hours", 6, 16, ("ben",), ("ana",)),
        Spread("nights", 1, 2, ("ben", "cleo"), ("ana",)),
        Spread("weekend_days", 1, 2, ("ben",), ("ana", "cleo")),
        Spread("holiday_days", 0, 1, ("ana", "cleo"), ("ben",)),
    )
    assert core.spread[0].value == 36


def test_a_member_never_on_call_counts_in_the_spread(four: Repo) -> None:
    (core,) = load_of(four, {"core-primary": CORE[:2]}).teams
    assert [(p.person, p.hours) for p in core.members] == [("ana", 48), ("ben", 0), ("cleo", 0)]
    assert core.spread[0] == Spread("hours", 0, 48, ("ben", "cleo"), ("ana",))


def test_night_hours_across_spring_forward(four: Repo) -> None:
    # 28-29 March 2026 in Berlin: 22:00 CET to 06:00 CEST is 7 real hours
    shifts = [Shift("ana", utc("2026-03-28T11:00"), utc("2026-03-29T10:00"))]
    (ana,) = load_of(four, {"core-primary": shifts}).people
    assert (ana.hours, ana.night_hours, ana.nights, ana.weekend_days) == (23, 7, 1, 2)


def test_two_schedules_at_once_count_the_time_once_and_both_turns(tmp_path: Path) -> None:
    ic = {**SCHEDULE, "id": "incident-commander", "name": "Incident commander"}
    repo = load(write_repo(tmp_path, [], schedules=[ic]))
    found = load_of(repo, {
        "core-primary": [Shift("ana", utc("2026-11-02T08:00"), utc("2026-11-02T16:00"))],
        "incident-commander": [Shift("ana", utc("2026-11-02T12:00"), utc("2026-11-02T20:00"))],
    })
    assert [(p.person, p.hours, p.turns) for p in found.people] == [("ana", 12, 2)]
    assert [(p.person, p.hours, p.turns) for p in found.teams[0].members] == [
        ("ana", 12, 2), ("ben", 0, 0), ("cleo", 0, 0)]


def test_a_person_on_two_teams_schedules_counts_each_team_s_own_time(tmp_path: Path) -> None:
    edge = {**SCHEDULE, "id": "edge-primary", "name": "Edge primary", "team": "edge",
            "layers": [{"name": "weekly", "members": ["dan"], "start": "2026-01-05T09:00", "length": "1w"}]}
    repo = load(write_repo(tmp_path, [], schedules=[edge]))
    found = load_of(repo, {
        "core-primary": [Shift("ana", utc("2026-11-02T08:00"), utc("2026-11-02T16:00"))],
        "edge-primary": [Shift("ana", utc("2026-11-03T08:00"), utc("2026-11-03T12:00")),
                         Shift("dan", utc("2026-11-04T08:00"), utc("2026-11-04T10:00"))],
    })
    assert [(p.person, p.hours, p.turns) for p in found.people] == [("ana", 12, 2), ("dan", 2, 1)]
    core, edge_team = found.teams
    assert [(p.person, p.hours, p.turns) for p in core.members] == [("ana", 8, 1), ("ben", 0, 0), ("cleo", 0, 0)]
    assert (core.totals.people, core.totals.hours) == (1, 8)
    assert [(p.person, p.hours, p.turns) for p in edge_team.members] == [("dan", 2, 1)]
    assert (edge_team.totals.people, edge_team.totals.hours, edge_team.totals.turns) == (2, 6, 2)


def test_shifts_in_any_order_give_the_same_load(four: Repo) -> None:
    ordered = sorted(CORE[:4], key=lambda shift: shift.start)
    assert load_of(four, {"core-primary": ordered}) == load_of(four, {"core-primary": ordered[::-1]})


def test_a_shift_across_the_start_of_the_period_counts_from_it(four: Repo) -> None:
    # the period starts 2025-12-01 00:00 Berlin (CET): 2025-11-30 23:00 UTC
    (ana,) = load_of(four, {"core-primary": [Shift("ana", utc("2025-11-30T21:00"), utc("2025-12-01T01:00"))]}).people
    assert (ana.hours, ana.turns) == (2, 1)


def test_team_totals_add_up_everyone_on_the_team_s_schedules(tmp_path: Path) -> None:
    secondary = {**SCHEDULE, "id": "core-secondary", "name": "Core secondary"}
    repo = load(write_repo(tmp_path, [], schedules=[secondary]))
    (core,) = load_of(repo, {
        # ana: 48 h over the weekend, 16 night hours, 2 nights, Saturday and Sunday (see CORE)
        "core-primary": CORE[:2],
        # ben: Monday 16 November 09:00-17:00 Berlin, no night. dan (team edge) covers Tuesday 09:00
        # to Wednesday 09:00 Berlin, 03:00 to 03:00 on his New York clock: 03:00-06:00 ends the night
        # into Tuesday and 22:00-03:00 begins the next, so 8 night hours on 2 nights
        "core-secondary": [Shift("ben", utc("2026-11-16T08:00"), utc("2026-11-16T16:00")),
                           Shift("dan", utc("2026-11-17T08:00"), utc("2026-11-18T08:00"))],
    }).teams
    assert core.schedules == ("core-primary", "core-secondary")
    assert core.totals == TeamTotals(people=3, hours=48 + 8 + 24, turns=3, night_hours=16 + 0 + 8,
                                     nights=2 + 0 + 2, weekend_days=2, holiday_days=0)
    # the spread stays among the rotation members: dan covered but is not one of them
    assert [p.person for p in core.members] == ["ana", "ben", "cleo"]


def test_without_the_engine_there_is_no_load(four: Repo) -> None:
    assert build_report(four, ReportRequest(now=NOW)).load is None


def test_the_real_engine_on_the_fixture(four: Repo) -> None:
    from opsrepo.oncall import shift_segments

    since = datetime(2026, 11, 2, 8, tzinfo=UTC)      # Monday 09:00 Berlin: a handoff
    until = datetime(2026, 11, 16, 8, tzinfo=UTC)
    found = build_report(four, ReportRequest(now=NOW, since=since, until=until, shifts=shift_segments)).load
    assert found is not None
    # weekly turns from 2026-01-05 09:00 in the order ana, ben, cleo: 2026-11-02 is 43 weeks later,
    # turn 43 is ben's (43 mod 3 = 1) and turn 44 cleo's
    assert [(p.person, p.hours, p.turns, p.nights, p.weekend_days) for p in found.people] == [
        ("ben", 168, 1, 7, 2), ("cleo", 168, 1, 7, 2)]
