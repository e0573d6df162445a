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
    schedule_ids = sorted(repo.schedules)
    ledger = Ledger(repo, {sid: schedule_turns(shifts(repo, sid, period.since, period.until), period)
                           for sid in schedule_ids})
    people = tuple(sorted(ledger.loads(schedule_ids).values(), key=lambda p: (-p.hours, p.person)))
    by_team = schedules_by_team(repo)  # grouped once, not scanned per team
    teams = sorted(set(by_team) & set(repo.teams))
    return OncallLoad(people, tuple(_team_load(ledger, team, by_team[team]) for team in teams))


def schedules_by_team(repo: Repo) -> dict[str, list[str]]:
    """Team id -> its schedules, by id (every schedule's ``team``, whether or not the repo defines it)."""
    found: dict[str, list[str]] = {}
    for schedule_id in sorted(repo.schedules):
        found.setdefault(repo.schedules[schedule_id].team, []).append(schedule_id)
    return found


def schedule_turns(found: Iterable[Shift], period: Period) -> dict[str, list[Span]]:
    """The shifts clipped to the period, as each person's turns in microseconds."""
    low, high = to_micros(period.since), to_micros(period.until)
    shifts = list(found)
    if _tiled(shifts, low, high):  # the engine's: sorted and inside already, nothing to clip or sort
        return acc.turns_of((shift.start, shift.end, shift.person) for shift in shifts)
    segments = sorted(
        (max(shift.start, low), min(shift.end, high), shift.person)
        for shift in shifts if shift.person is not None
    )
    return acc.turns_of(segment for segment in segments if segment[0] < segment[1])


def _tiled(shifts: Sequence[Shift], low: int, high: int) -> bool:
    """True when every shift is someone's, not empty, inside ``[low, high)`` and after the one before."""
    previous = low
    for shift in shifts:
        if shift.person is None or not previous <= shift.start < shift.end <= high:
            return False
        previous = shift.end
    return True


class Ledger:
    """Per-person loads of one report, each computed once.

    Most people hold only their own team's schedules: their load from the
    team's schedules is their load from all of them, so it is taken as is.
    """

    def __init__(self, repo: Repo, turns: Mapping[str, Turns]) -> None:
        self.repo = repo
        #: schedule id -> each person's turns in it
        self.turns = turns
        #: person -> the schedules they have turns in
        self._held: dict[str, set[str]] = defaultdict(set)
        for schedule_id, by_person in turns.items():
            for person_id in by_person:
                self._held[person_id].add(schedule_id)
        self._overall: dict[str, PersonLoad] = {}
        self._known: dict[tuple[str, tuple[Span, ...], int], PersonLoad] = {}

    def loads(self, schedule_ids: Iterable[str]) -> dict[str, PersonLoad]:
        """Each person's load from these schedules, in the order people first appear in them.

        Turns count per schedule; time counts once, even when one person holds two schedules at once.
        """
        chosen = list(schedule_ids)
        people = dict.fromkeys(pid for sid in chosen for pid in self.turns[sid] if pid in self.repo.people)
        among = frozenset(chosen)  # once: a set made of the list per person was quadratic in schedules
        return {pid: self._load_from(pid, among) for pid in people}

    def _load_from(self, person_id: str, schedule_ids: frozenset[str]) -> PersonLoad:
        """Their overall load when ``schedule_ids`` include every schedule they hold; else from those.

        Only the schedules they hold are looked at: their number, not the org's.
        """
        held = self._held[person_id]
        if held <= schedule_ids:
            if person_id not in self._overall:
                self._overall[person_id] = self._load_of(person_id, sorted(held))
            return self._overall[person_id]
        return self._load_of(person_id, sorted(held & schedule_ids))

    def _load_of(self, person_id: str, schedule_ids: list[str]) -> PersonLoad:
        """The person's load from their turns in ``schedule_ids`` (all of which they hold)."""
        turns = [self.turns[sid][person_id] for sid in schedule_ids]
        return self.load(person_id, union(span for spans in turns for span in spans), sum(map(len, turns)))

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


def _team_load(ledger: Ledger, team: str, schedule_ids: list[str]) -> TeamLoad:
    """The load of the team's schedules (``schedule_ids``, sorted)."""
    repo = ledger.repo
    loads = ledger.loads(schedule_ids)
    members = sorted({p for sid in schedule_ids for p in rotation_members(repo, repo.schedules[sid])
                      if p in repo.people})
    found = tuple(sorted((loads.get(p) or ledger.load(p, [], 0) for p in members),
                         key=lambda p: (-p.hours, p.person)))
    return TeamLoad(team, tuple(schedule_ids), found, spread(repo, found), team_totals(loads.values()))


def team_totals(loads: Iterable[PersonLoad]) -> TeamTotals:
    """The sums of ``loads`` (hours rounded to the hundredth, as each person's are)."""
    loads = list(loads)
    return TeamTotals(
        people=len(loads), hours=round(sum(p.hours for p in loads), 2), turns=sum(p.turns for p in loads),
        night_hours=round(sum(p.night_hours for p in loads), 2), nights=sum(p.nights for p in loads),
        weekend_days=sum(p.weekend_days for p in loads), holiday_days=sum(p.holiday_days for p in loads),
    )


def spread(repo: Repo, loads: Sequence[PersonLoad]) -> tuple[Spread, ...]:
    """Each measure's spread among ``loads`` (holidays only among people with a country)."""
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
