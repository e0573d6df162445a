"""How much on-call a person carries: turns, hours in any 28 days, rest, nights, weekends, holidays.

Definitions (the same as ``opsrepo report`` and ``opsrepo diff``): a *turn* is
one unbroken stretch of one person on call in one schedule (pieces that touch
are joined); nights are the hours between 22:00 and 06:00 on the person's
wall clock; a weekend day or a public holiday counts once when the person is
on call at any moment of that local date. Holidays come from the ``holidays``
package by the person's ``country`` and ``subdivision`` (none without a
country), read from its table written ahead of time where that has them
(:mod:`opsrepo.oncall.holidaytables`), and cached per country and year.
"""

from __future__ import annotations

import bisect
import itertools
import operator
from collections.abc import Iterable, Sequence
from datetime import date, time, timedelta
from functools import lru_cache
from typing import Any

from opsrepo.model import ALL_DAYS, Person, Window
from opsrepo.oncall.clock import DayTable, day_micros, day_table, local_date
from opsrepo.oncall.holidaytables import tabled_holidays
from opsrepo.oncall.intervals import Span, inside, total
from opsrepo.oncall.rotation import window_spans
from opsrepo.records import dataclass

NIGHTS = (Window(ALL_DAYS, time(22), time(6)),)
SATURDAY = 5
_ONE_DAY = timedelta(days=1)


@dataclass(frozen=True)
class Peak:
    """The heaviest window: ``amount`` (microseconds or turns) in ``[start, start + width)``."""

    amount: int
    start: int


def turns_of(segments: Iterable[tuple[Any, ...]]) -> dict[str, list[Span]]:
    """Each person's turns: their segments with touching pieces joined, in order."""
    found: dict[str, list[Span]] = {}
    for segment in segments:
        start, end, person = segment[0], segment[1], segment[2]
        spans = found.setdefault(person, [])
        if spans and spans[-1][1] >= start:
            spans[-1] = (spans[-1][0], max(end, spans[-1][1]))
        else:
            spans.append((start, end))
    return found


def busiest_hours(spans: Sequence[Span], width: int) -> Peak:
    """The most on-call time inside any window ``width`` (> 0) long (sorted, non-overlapping spans).

    The busiest window starts where a span starts or ends where one ends;
    those starting at a span's start are tried first, each in order, and the
    first of the most wins. Both sweeps move a cursor forward (a bisection
    from where it stands), so the cost is linear in the spans.
    """
    if not spans:
        return Peak(0, 0)
    flat = list(itertools.chain.from_iterable(spans))
    starts, ends = flat[0::2], flat[1::2]
    prefix = [0, *itertools.accumulate(map(operator.sub, ends, starts))]
    best, anchor = 0, starts[0]
    last = 0  # windows opening at a span's start: the spans starting before the window closes
    for index, start in enumerate(starts):
        close = start + width
        last = bisect.bisect_left(starts, close, last)
        over = ends[last - 1] - close
        amount = prefix[last] - prefix[index] - (over if over > 0 else 0)
        if amount > best:
            best, anchor = amount, start
    first = 0  # windows closing at a span's end: the last span starting at or before the window opens
    for index, end in enumerate(ends):
        opening = end - width
        first = bisect.bisect_right(starts, opening, first + 1) - 1
        cut = (ends[first] if ends[first] < opening else opening) - starts[first]  # min(), without a call
        amount = prefix[index + 1] - prefix[first] - (cut if cut > 0 else 0)
        if amount > best:
            best, anchor = amount, opening
    return Peak(best, anchor)


def busiest_turns(spans: Sequence[Span], width: int) -> Peak:
    """The most turns starting inside any window ``width`` long."""
    best = Peak(0, 0)
    starts = [s for s, _ in spans]
    for index, anchor in enumerate(starts):
        count = bisect.bisect_left(starts, anchor + width) - index
        if count > best.amount:
            best = Peak(count, anchor)
    return best


def shortest_rest(spans: Sequence[Span]) -> tuple[int, int] | None:
    """The shortest rest between two turns as ``(rest, end of the earlier turn)``; None with one turn."""
    rests = [(later[0] - earlier[1], earlier[1]) for earlier, later in itertools.pairwise(spans)]
    return min(rests) if rests else None


def night_time(spans: list[Span], zone: str) -> int:
    """Microseconds of ``spans`` between 22:00 and 06:00 wall time in ``zone``."""
    if not spans:
        return 0
    return total(inside(spans, window_spans(zone, NIGHTS, spans[0][0], spans[-1][1])))


def nights_on_call(spans: list[Span], zone: str) -> int:
    """How many nights (22:00-06:00 wall time in ``zone``) ``spans`` have time in."""
    if not spans:
        return 0
    nights = window_spans(zone, NIGHTS, spans[0][0], spans[-1][1])
    return len({night for night in _touched(nights, spans)})


def _touched(nights: tuple[Span, ...], spans: list[Span]) -> Iterable[Span]:
    index = 0
    for start, end in spans:
        while index < len(nights) and nights[index][1] <= start:
            index += 1
        probe = index
        while probe < len(nights) and nights[probe][0] < end:
            yield nights[probe]
            probe += 1


def local_days(spans: list[Span], zone: str) -> set[date]:
    """Every local date in ``zone`` that ``spans`` have time on.

    A local date is the time from its midnight to the next (where a midnight
    falls in a clock change's gap, from the instant after it), so the day
    last found is kept as those two instants: a span inside it needs no
    conversion, and one reaching past it walks on day by day. A span that
    starts on another day finds it in the year's table of days.
    """
    days: set[date] = set()
    day, low, high = date.min, 0, 0  # the local day last found, and its instants [low, high)
    table: DayTable | None = None  # the local year last used
    for start, end in spans:
        if not low <= start < high:
            table = _table_around(zone, start, table)
            day, low, high = _day_at(zone, start, table)
        days.add(day)
        while end > high:  # the span has time in the next local day too
            day += _ONE_DAY
            low, high = high, day_micros(zone, day + _ONE_DAY)
            days.add(day)
    return days


def _table_around(zone: str, micros: int, table: DayTable | None) -> DayTable:
    """``table`` when it holds ``micros``, else the table of the local year of ``micros``."""
    if table is not None and table.starts[0] <= micros < table.starts[-1]:
        return table
    return day_table(zone, local_date(zone, micros).year)


def _day_at(zone: str, micros: int, table: DayTable) -> tuple[date, int, int]:
    """The local date at ``micros`` (``local_date``) and the instants it starts and ends at.

    Read from ``table``; converted on the days it leaves out (a clock change that day).
    """
    index = bisect.bisect_right(table.starts, micros) - 1
    day = table.days[index] if 0 <= index < len(table.days) else None
    if day is not None:
        return day, table.starts[index], table.starts[index + 1]
    day = local_date(zone, micros)
    return day, day_micros(zone, day), day_micros(zone, day + _ONE_DAY)


def weekend_days(days: set[date]) -> int:
    """How many of ``days`` are Saturdays or Sundays."""
    return sum(1 for day in days if day.weekday() >= SATURDAY)


def holiday_days(days: set[date], person: Person | None) -> int:
    """How many of ``days`` are public holidays where ``person`` lives."""
    if person is None or not person.country:
        return 0
    return sum(1 for day in days if day in public_holidays(person.country, person.subdivision, day.year))


@lru_cache(maxsize=512)
def public_holidays(country: str, subdivision: str | None, year: int) -> frozenset[date]:
    """The public holidays of a country (and subdivision) in one year; empty when unknown.

    The ``holidays`` package's answer: read from the table written ahead of
    time where it has one (:mod:`opsrepo.oncall.holidaytables`), which saves
    importing the package (0.11 s).
    """
    tabled = tabled_holidays(country, subdivision, year)
    if tabled is not None:
        return tabled
    import holidays

    try:
        found = holidays.country_holidays(country, subdiv=subdivision, years=year)
    except NotImplementedError:
        return frozenset()
    return frozenset(found.keys())
