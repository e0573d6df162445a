"""On-call load per person and team over the period, from the schedule engine's final shifts.

A turn is one unbroken stretch of one person on call in one schedule (pieces
that touch are joined). The fairness spread of a team is, for each measure,
the largest minus the smallest load among the rotation members of the team's
schedules, counting only those schedules.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol

from opsrepo.model import Repo, Schedule
from opsrepo.report.accounting import Tally, merged
from opsrepo.report.period import Period

#: spread measures, in display order
SPREAD_MEASURES = ("hours", "turns", "night_hours", "weekend_days", "holiday_days")


class Shift(Protocol):
    """What the engine's final shifts (``opsrepo.oncall.Shift``) carry that the report reads."""

    @property
    def person(self) -> str | None:
        """Who is on call (``None``: nobody)."""

    @property
    def start(self) -> datetime:
        """Aware start."""

    @property
    def end(self) -> datetime:
        """Aware end (exclusive)."""


#: one person's on-call spans ``[start, end)`` in one schedule
Spans = list[tuple[datetime, datetime]]
ShiftSource = Callable[[Repo, str, datetime, datetime], Iterable[Shift]]


@dataclass(frozen=True)
class PersonLoad:
    """One person's load."""

    person: str
    name: str
    team: str
    hours: float
    turns: int
    night_hours: float
    weekend_days: int
    holiday_days: int

    def to_dict(self) -> dict[str, Any]:
        """JSON shape."""
        return dict(vars(self))


@dataclass(frozen=True)
class Spread:
    """Largest minus smallest load of one measure, and who carries each."""

    measure: str
    low: float
    high: float
    lowest: tuple[str, ...]
    highest: tuple[str, ...]

    @property
    def value(self) -> float:
        """``high - low``."""
        return round(self.high - self.low, 2)

    def to_dict(self) -> dict[str, Any]:
        """JSON shape."""
        return {"measure": self.measure, "spread": self.value, "low": self.low, "high": self.high,
                "lowest": list(self.lowest), "highest": list(self.highest)}


@dataclass(frozen=True)
class TeamLoad:
    """A team's schedules, its rotation members' load from them, and the spread."""

    team: str
    schedules: tuple[str, ...]
    members: tuple[PersonLoad, ...]
    spread: tuple[Spread, ...]

    def to_dict(self) -> dict[str, Any]:
        """JSON shape."""
        return {"team": self.team, "schedules": list(self.schedules),
                "members": [p.to_dict() for p in self.members], "spread": [s.to_dict() for s in self.spread]}


@dataclass(frozen=True)
class OncallLoad:
    """Load per person over every schedule, and per team."""

    people: tuple[PersonLoad, ...]
    teams: tuple[TeamLoad, ...]

    def to_dict(self) -> dict[str, Any]:
        """JSON shape."""
        return {"people": [p.to_dict() for p in self.people], "teams": [t.to_dict() for t in self.teams]}


def oncall_load(repo: Repo, period: Period, shifts: ShiftSource) -> OncallLoad:
    """Load of everyone on call in the period, overall and per team."""
    spans = {sid: _spans(shifts(repo, sid, period.since, period.until), period)
             for sid in sorted(repo.schedules)}
    everyone = _tally(repo, spans.values())
    people = tuple(sorted((_person_load(repo, pid, t) for pid, t in everyone.items()),
                          key=lambda p: (-p.hours, p.person)))
    return OncallLoad(people, tuple(_team_load(repo, team, spans) for team in sorted(repo.teams)
                                    if _team_schedules(repo, team)))


def rotation_members(repo: Repo, schedule: Schedule, seen: frozenset[str] = frozenset()) -> set[str]:
    """People in the schedule's layers (or its source's, for a derived schedule)."""
    found = {person for layer in schedule.layers for person in layer.members}
    source = repo.schedules.get(schedule.derive.source) if schedule.derive else None
    if source is not None and source.id not in seen:
        found |= rotation_members(repo, source, seen | {schedule.id})
    return found


def _spans(found: Iterable[Shift], period: Period) -> dict[str, list[tuple[datetime, datetime]]]:
    by_person: dict[str, list[tuple[datetime, datetime]]] = defaultdict(list)
    for shift in found:
        start = max(shift.start.astimezone(UTC), period.since)
        end = min(shift.end.astimezone(UTC), period.until)
        if shift.person is not None and start < end:
            by_person[shift.person].append((start, end))
    return by_person


def _tally(repo: Repo, schedules: Iterable[Mapping[str, Spans]]) -> dict[str, Tally]:
    """Turns per schedule; time once, even when one person holds two schedules at once."""
    tallies: dict[str, Tally] = defaultdict(Tally)
    pieces: dict[str, list[tuple[datetime, datetime]]] = defaultdict(list)
    for by_person in schedules:
        for person_id, spans in by_person.items():
            if person_id in repo.people:
                tallies[person_id].turns += len(merged(spans))
                pieces[person_id].extend(spans)
    for person_id, spans in pieces.items():
        for start, end in merged(spans):
            tallies[person_id].add(repo.people[person_id], start, end)
    return tallies


def _person_load(repo: Repo, person_id: str, tally: Tally | None) -> PersonLoad:
    tally = tally or Tally()
    person = repo.people[person_id]
    return PersonLoad(person_id, person.name, person.team, round(tally.seconds / 3600, 2), tally.turns,
                      round(tally.night_seconds / 3600, 2), len(tally.weekend_days), len(tally.holiday_days))


def _team_schedules(repo: Repo, team: str) -> list[Schedule]:
    return [s for sid, s in sorted(repo.schedules.items()) if s.team == team]


def _team_load(repo: Repo, team: str, spans: Mapping[str, Mapping[str, Spans]]) -> TeamLoad:
    schedules = _team_schedules(repo, team)
    tallies = _tally(repo, (spans[s.id] for s in schedules))
    members = sorted(p for s in schedules for p in rotation_members(repo, s) if p in repo.people)
    loads = tuple(sorted((_person_load(repo, p, tallies.get(p)) for p in set(members)),
                         key=lambda p: (-p.hours, p.person)))
    return TeamLoad(team, tuple(s.id for s in schedules), loads, _spread(loads))


def _spread(loads: Sequence[PersonLoad]) -> tuple[Spread, ...]:
    if not loads:
        return ()
    found = []
    for measure in SPREAD_MEASURES:
        values = {p.person: float(getattr(p, measure)) for p in loads}
        low, high = min(values.values()), max(values.values())
        found.append(Spread(measure, low, high, tuple(sorted(p for p, v in values.items() if v == low)),
                            tuple(sorted(p for p, v in values.items() if v == high))))
    return tuple(found)
