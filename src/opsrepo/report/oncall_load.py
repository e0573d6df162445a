"""On-call load per person and team over the period, from the schedule engine's final shifts.

The accounting (turns, night time, nights, local days, weekends, holidays)
is the engine's own (``opsrepo.oncall.accounting``), so the report counts
exactly what the fairness and burnout rules judge. Time held on two
schedules at once counts once; turns count per schedule. The fairness spread
of a team is, for each measure, the largest minus the smallest load among the
rotation members of the team's schedules, counting only those schedules
(holidays only among members with a country, as the fairness rule does). A
team's totals add up the load of everyone who held the team's schedules in the
period (people from other teams covering by override included).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from opsrepo.model import Person, Repo
from opsrepo.oncall import accounting as acc
from opsrepo.oncall.clock import HOUR, to_micros
from opsrepo.oncall.intervals import Span, total, union
from opsrepo.oncall.load import rotation_members
from opsrepo.report.period import Period

#: spread measures, in display order
SPREAD_MEASURES = ("hours", "turns", "night_hours", "nights", "weekend_days", "holiday_days")


class Shift(Protocol):
    """What the engine's final shifts (``opsrepo.oncall.shift_segments``) carry that the report reads.

    Instants are integer microseconds: the report only adds up time, and a
    year of every schedule is too many shifts to convert to datetimes and back.
    """

    @property
    def person(self) -> str | None:
        """Who is on call (``None``: nobody)."""

    @property
    def start(self) -> int:
        """Start, microseconds since the epoch."""

    @property
    def end(self) -> int:
        """End (exclusive), microseconds since the epoch."""


#: person -> their turns in one schedule, as spans of microseconds
Turns = Mapping[str, list[Span]]
#: ``(repo, schedule_id, start, end) -> shifts`` over ``[start, end)``: ``opsrepo.oncall.shift_segments``
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
    #: nights (22:00-06:00) with any time on call
    nights: int
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
class TeamTotals:
    """The load of everyone who held a team's schedules, added up (measures as in :class:`PersonLoad`)."""

    people: int
    hours: float
    turns: int
    night_hours: float
    nights: int
    weekend_days: int
    holiday_days: int

    def to_dict(self) -> dict[str, Any]:
        """JSON shape."""
        return dict(vars(self))


@dataclass(frozen=True)
class TeamLoad:
    """A team's schedules, its rotation members' load from them, the spread and the team's totals."""

    team: str
    schedules: tuple[str, ...]
    members: tuple[PersonLoad, ...]
    spread: tuple[Spread, ...]
    totals: TeamTotals

    def to_dict(self) -> dict[str, Any]:
        """JSON shape."""
        return {"team": self.team, "schedules": list(self.schedules), "totals": self.totals.to_dict(),
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
    turns = {sid: _turns(shifts(repo, sid, period.since, period.until), period)
             for sid in sorted(repo.schedules)}
    ledger = _Ledger(repo)
    people = tuple(sorted(ledger.loads(turns.values()).values(), key=lambda p: (-p.hours, p.person)))
    teams = sorted({schedule.team for schedule in repo.schedules.values()} & set(repo.teams))
    return OncallLoad(people, tuple(_team_load(ledger, team, turns) for team in teams))


def _turns(found: Iterable[Shift], period: Period) -> dict[str, list[Span]]:
    """The shifts clipped to the period, as each person's turns in microseconds."""
    low, high = to_micros(period.since), to_micros(period.until)
    segments = sorted(
        (max(shift.start, low), min(shift.end, high), shift.person)
        for shift in found if shift.person is not None
    )
    return acc.turns_of(segment for segment in segments if segment[0] < segment[1])


class _Ledger:
    """Per-person loads of one report, each computed once (most people's team schedules are all of theirs)."""

    def __init__(self, repo: Repo) -> None:
        self.repo = repo
        self._known: dict[tuple[str, tuple[Span, ...], int], PersonLoad] = {}

    def loads(self, schedules: Iterable[Turns]) -> dict[str, PersonLoad]:
        """Turns per schedule; time once, even when one person holds two schedules at once."""
        count: dict[str, int] = defaultdict(int)
        spans: dict[str, list[Span]] = defaultdict(list)
        for by_person in schedules:
            for person_id, turns in by_person.items():
                count[person_id] += len(turns)
                spans[person_id].extend(turns)
        people = self.repo.people
        return {pid: self.load(pid, union(spans[pid]), count[pid]) for pid in spans if pid in people}

    def load(self, person_id: str, spans: list[Span], turns: int) -> PersonLoad:
        """:func:`person_load`, remembered."""
        key = (person_id, tuple(spans), turns)
        if key not in self._known:
            self._known[key] = person_load(self.repo.people[person_id], spans, turns)
        return self._known[key]


def person_load(person: Person, spans: list[Span], turns: int) -> PersonLoad:
    """One person's load from their on-call time (sorted, merged spans) and turn count."""
    days = acc.local_days(spans, person.timezone)
    return PersonLoad(
        person.id, person.name, person.team, hours=round(total(spans) / HOUR, 2), turns=turns,
        night_hours=round(acc.night_time(spans, person.timezone) / HOUR, 2),
        nights=acc.nights_on_call(spans, person.timezone), weekend_days=acc.weekend_days(days),
        holiday_days=acc.holiday_days(days, person),
    )


def _team_load(ledger: _Ledger, team: str, turns: Mapping[str, Turns]) -> TeamLoad:
    repo = ledger.repo
    schedules = [s for sid, s in sorted(repo.schedules.items()) if s.team == team]
    loads = ledger.loads(turns[s.id] for s in schedules)
    members = sorted({p for s in schedules for p in rotation_members(repo, s) if p in repo.people})
    found = tuple(sorted((loads.get(p) or ledger.load(p, [], 0) for p in members),
                         key=lambda p: (-p.hours, p.person)))
    return TeamLoad(team, tuple(s.id for s in schedules), found, _spread(repo, found),
                    team_totals(loads.values()))


def team_totals(loads: Iterable[PersonLoad]) -> TeamTotals:
    """The sums of ``loads`` (hours rounded to the hundredth, as each person's are)."""
    loads = list(loads)
    return TeamTotals(
        people=len(loads), hours=round(sum(p.hours for p in loads), 2), turns=sum(p.turns for p in loads),
        night_hours=round(sum(p.night_hours for p in loads), 2), nights=sum(p.nights for p in loads),
        weekend_days=sum(p.weekend_days for p in loads), holiday_days=sum(p.holiday_days for p in loads),
    )


def _spread(repo: Repo, loads: Sequence[PersonLoad]) -> tuple[Spread, ...]:
    found = []
    for measure in SPREAD_MEASURES:
        values = {p.person: float(getattr(p, measure)) for p in loads
                  if measure != "holiday_days" or repo.people[p.person].country}
        if not values:
            continue
        low, high = min(values.values()), max(values.values())
        found.append(Spread(measure, low, high, tuple(sorted(p for p, v in values.items() if v == low)),
                            tuple(sorted(p for p, v in values.items() if v == high))))
    return tuple(found)
