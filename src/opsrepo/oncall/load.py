"""Per-person load of one schedule over a period: the data the burnout and fairness checks judge."""

from __future__ import annotations

import bisect
import itertools
import operator
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import timedelta
from functools import lru_cache
from typing import Any, NamedTuple, TypeVar

from opsrepo.model import Repo, Schedule
from opsrepo.oncall import accounting as acc
from opsrepo.oncall.clock import DAY, HOUR, MICRO
from opsrepo.oncall.cover import OVERRIDE, Segment, away_within, person_away
from opsrepo.oncall.engine import rotation
from opsrepo.oncall.intervals import Span, inside
from opsrepo.oncall.zonedays import zone_days
from opsrepo.records import dataclass

T = TypeVar("T")
WINDOW_28D = 28 * DAY
MEASURES = ("nights", "weekends", "holidays")
UNITS = {"nights": " nights", "weekends": " weekend days", "holidays": " holidays"}


@dataclass(frozen=True)
class Conflict:
    """``person`` is on call over ``spans`` during their time off (from layers, or from overrides)."""

    person: str
    spans: tuple[Span, ...]
    by_override: bool


def rotation_members(repo: Repo, schedule: Schedule) -> list[str]:
    """The distinct members of the layers a schedule rotates through, in first-seen order."""
    plan = rotation(repo, schedule)
    layers = plan.layers if plan is not None else ()
    return list(dict.fromkeys(person for layer in layers for person in layer.members))


def time_off_conflicts(repo: Repo, segments: Sequence[Segment],
                       within: tuple[int, int] | None = None) -> list[Conflict]:
    """Where the final schedule puts someone on call during their own time off.

    ``within``: a range holding every segment; time off is then read clipped to it
    (:func:`~opsrepo.oncall.cover.away_within`, kept per person and range).
    """
    found: list[Conflict] = []
    for by_override in (False, True):
        chosen = [s for s in segments if (s.kind == OVERRIDE) == by_override]
        for person, spans in sorted(acc.turns_of(chosen).items()):
            away = person_away(repo, person) if within is None else away_within(repo, person, *within)
            clash = inside(spans, away) if away else []
            if clash:
                found.append(Conflict(person, tuple(clash), by_override))
    return found


class Breaches(NamedTuple):
    """Who breaks a schedule's burnout limits, by person id: busiest 28 days, most turns, least rest."""

    hours: tuple[tuple[str, acc.Peak], ...]
    turns: tuple[tuple[str, acc.Peak], ...]
    rest: tuple[tuple[str, tuple[int, int]], ...]


def breaches(schedule: Schedule, turns: Mapping[str, Sequence[Span]]) -> Breaches:
    """The people whose ``turns`` break the schedule's limits (the limits that are set), by id.

    A person whose whole horizon holds no more than the hours allowed, or no
    more turns than allowed, cannot break that limit in any 28 days.
    """
    limits = schedule.limits
    bounds = (limits.max_hours_28d, limits.max_turns_28d, limits.min_rest)
    caps = _caps(*bounds)
    hours, most, rests = [], [], []
    for pid, spans in sorted(turns.items()):
        held = tuple(spans)
        peak, busiest, rest = _KEPT.get(held, bounds, _breach, held, *caps)
        if peak is not None:
            hours.append((pid, peak))
        if busiest is not None:
            most.append((pid, busiest))
        if rest is not None:
            rests.append((pid, rest))
    return Breaches(tuple(hours), tuple(most), tuple(rests))


def _caps(max_hours: float | None, max_turns: int | None,
          min_rest: timedelta | None) -> tuple[float | None, int | None, int | None]:
    """The limits as :func:`_breach` compares them: hours and rest in microseconds (once per schedule)."""
    return (None if max_hours is None else max_hours * HOUR, max_turns,
            None if min_rest is None else min_rest // MICRO)


def _breach(spans: tuple[Span, ...], max_hours: float | None, max_turns: int | None,
            min_rest: int | None) -> tuple[acc.Peak | None, acc.Peak | None, tuple[int, int] | None]:
    """The busiest 28 days, most turns in 28 days and shortest rest of ``spans``, where over a limit.

    ``max_hours`` and ``min_rest`` in microseconds (:func:`_caps`).
    """
    peak = busiest = rest = None
    starts, ends = list(map(_START, spans)), list(map(_END, spans))  # the sums and rests below run in C
    if max_hours is not None and sum(ends) - sum(starts) > max_hours \
            and _most_hours(starts, ends, WINDOW_28D) > max_hours:
        peak = _busiest_hours(spans)
        peak = peak if peak.amount > max_hours else None
    if max_turns is not None and len(spans) > max_turns and _most_turns(starts, ends, WINDOW_28D) > max_turns:
        busiest = _busiest_turns(spans)
        busiest = busiest if busiest.amount > max_turns else None
    if min_rest is not None and len(spans) > 1:
        # acc.shortest_rest: the least rest, after the earliest turn that has it (found again where short)
        least = min(map(operator.sub, starts[1:], ends))
        if least < min_rest:
            rest = (least, ends[list(map(operator.sub, starts[1:], ends)).index(least)])
    return peak, busiest, rest


_START, _END = operator.itemgetter(0), operator.itemgetter(1)


def _stretches(starts: list[int], ends: list[int], width: int) -> Iterator[tuple[int, int]]:
    """``[low, low + step + width)`` every ``step`` (half ``width``) from the first start to the last end.

    Any window ``width`` long that holds on-call time lies inside one of them
    (it opens less than a step after one does): so what the spans meeting
    each hold bounds the busiest window from above, with a few bisections
    where finding it takes two sweeps over the spans. Where a narrow window
    would make many more stretches than there are spans, one stretch holds
    them all.
    """
    step = max(1, width // 2)
    low = starts[0]
    if (ends[-1] - low) // step > 4 * len(starts) + 16:
        yield low, ends[-1]
        return
    while low < ends[-1]:
        yield low, low + step + width
        low += step


def _most_hours(starts: list[int], ends: list[int], width: int) -> int:
    """At least :func:`~opsrepo.oncall.accounting.busiest_hours`' amount (sorted, disjoint spans)."""
    held = [0, *itertools.accumulate(map(operator.sub, ends, starts))]
    return max(held[bisect.bisect_left(starts, high)] - held[bisect.bisect_right(ends, low)]
               for low, high in _stretches(starts, ends, width))


def _most_turns(starts: list[int], ends: list[int], width: int) -> int:
    """At least :func:`~opsrepo.oncall.accounting.busiest_turns`' amount (sorted, disjoint spans)."""
    return max(bisect.bisect_left(starts, high) - bisect.bisect_left(starts, low)
               for low, high in _stretches(starts, ends, width))


class _ByIdentity:
    """Results kept per turns object and a few plain values.

    Schedules of one form get the very same turn objects (:mod:`opsrepo.oncall.turns`),
    so what is found for one person's turns is found again without hashing them.
    """

    def __init__(self, size: int) -> None:
        self.size = size
        self.found: dict[tuple[int, object], tuple[object, Any]] = {}

    def get(self, spans: object, extra: object, make: Callable[..., T], *args: Any) -> T:
        """``make(*args)``, kept for ``spans`` (the object itself) and ``extra``."""
        key = (id(spans), extra)
        kept = self.found.get(key)
        if kept is not None and kept[0] is spans:
            found: T = kept[1]
            return found
        value = make(*args)
        self.found[key] = (spans, value)  # holding the object keeps its id from being reused
        if len(self.found) > self.size:
            del self.found[next(iter(self.found))]
        return value


_KEPT = _ByIdentity(1 << 15)


# Schedules of one shape deal the same turns to many people: each person's turns are judged once.
@lru_cache(maxsize=1 << 14)
def _busiest_hours(spans: tuple[Span, ...]) -> acc.Peak:
    return acc.busiest_hours(spans, WINDOW_28D)


@lru_cache(maxsize=1 << 14)
def _busiest_turns(spans: tuple[Span, ...]) -> acc.Peak:
    return acc.busiest_turns(spans, WINDOW_28D)


def measures(repo: Repo, schedule: Schedule, turns: Mapping[str, Sequence[Span]], start: int,
             end: int) -> dict[str, dict[str, float]]:
    """The fairness measures of every rotation member over ``[start, end)``, by measure then person.

    ``turns`` are the people's turns within that range (:func:`opsrepo.oncall.turns.person_turns`).
    Nights, weekend days and holidays on call; holidays only for people with a country.
    """
    by_night: dict[str, float] = {}
    by_weekend: dict[str, float] = {}
    by_holiday: dict[str, float] = {}
    people, kept = repo.people, _KEPT
    for pid in rotation_members(repo, schedule):
        person = people.get(pid)
        if person is None:
            continue
        spans = tuple(turns.get(pid, ()))
        zone, country, subdivision = person.timezone, person.country, person.subdivision
        nights, weekends, holidays = kept.get(spans, (zone, country, subdivision, start, end),
                                              _person_measures, zone, country, subdivision, spans, start, end)
        by_night[pid] = nights
        by_weekend[pid] = weekends
        if country:
            by_holiday[pid] = holidays
    return {"nights": by_night, "weekends": by_weekend, "holidays": by_holiday}


@lru_cache(maxsize=1 << 14)
def _person_measures(zone: str, country: str | None, subdivision: str | None, spans: tuple[Span, ...],
                     start: int, end: int) -> tuple[int, int, int]:
    """Nights, weekend days and holidays (0 without a country) ``spans`` touch; kept by content.

    Schedules of one shape deal the same turns to many people: each is counted once.
    """
    return zone_days(zone, start, end).measured(spans, country, subdivision)


def measure(repo: Repo, schedule: Schedule, segments: Sequence[Segment], name: str) -> dict[str, float]:
    """One fairness measure for every rotation member from the final schedule's segments.

    The definition :func:`measures` follows (kept as its reference).
    """
    turns = acc.turns_of(segments)
    values: dict[str, float] = {}
    for pid in rotation_members(repo, schedule):
        person = repo.people.get(pid)
        if person is None or (name == "holidays" and not person.country):
            continue
        spans = turns.get(pid, [])
        if name == "nights":
            values[pid] = acc.nights_on_call(spans, person.timezone)
        else:
            days = acc.local_days(spans, person.timezone)
            values[pid] = acc.weekend_days(days) if name == "weekends" else acc.holiday_days(days, person)
    return values
