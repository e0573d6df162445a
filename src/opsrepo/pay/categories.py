"""On-call time split into pay categories on the person's own clock.

Every instant falls in exactly one category, decided by the person's local
date and time of day: a public holiday of their country (and subdivision)
is ``holiday`` all day; otherwise a Saturday or Sunday is ``weekend`` all
day; otherwise time inside the night window (default 22:00-06:00) is
``weekday_night``, and the rest is ``weekday``. So the categories of a stretch
of time always add up to its length. A Friday night's hours after midnight
are Saturday's: weekend.

A :class:`Timeline` holds the category of every instant of a range as
boundaries with running totals, made once for everyone of one place, so the
time of each category in a span is two binary searches.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence
from datetime import date, time, timedelta
from functools import lru_cache

from opsrepo.model import ALL_DAYS, Person, Window
from opsrepo.oncall.accounting import public_holidays
from opsrepo.oncall.clock import day_micros, local_date
from opsrepo.oncall.intervals import Span, union
from opsrepo.oncall.rotation import window_spans

WEEKDAY, NIGHT, WEEKEND, HOLIDAY = "weekday", "weekday_night", "weekend", "holiday"
#: in the order of precedence: an instant takes the first category whose instants hold it
CATEGORIES = (WEEKDAY, NIGHT, WEEKEND, HOLIDAY)
_WEEKEND = (Window(frozenset({5, 6}), time(0), time(0)),)
_ONE_DAY = timedelta(days=1)


class Timeline:
    """The category of every instant of ``[low, high)``: ``labels[i]`` holds from ``bounds[i]``."""

    def __init__(self, low: int, high: int, holidays: Sequence[Span], weekends: Sequence[Span],
                 nights: Sequence[Span]) -> None:
        marked = ((holidays, 3), (weekends, 2), (nights, 1))
        points = sorted({low, high, *(edge for spans, _ in marked for span in spans for edge in span)})
        self.bounds = [p for p in points if low <= p <= high]
        self.labels = [_label(start, marked) for start in self.bounds[:-1]]
        #: running[i][c]: time of category c before bounds[i]
        self.running: list[tuple[int, int, int, int]] = [(0, 0, 0, 0)]
        for index, label in enumerate(self.labels):
            width = self.bounds[index + 1] - self.bounds[index]
            totals = list(self.running[-1])
            totals[label] += width
            self.running.append((totals[0], totals[1], totals[2], totals[3]))

    def _before(self, instant: int) -> tuple[int, int, int, int]:
        """Time of each category from the range's start to ``instant``."""
        index = min(max(bisect.bisect_right(self.bounds, instant) - 1, 0), len(self.labels) - 1)
        totals = list(self.running[index])
        totals[self.labels[index]] += min(instant, self.bounds[index + 1]) - self.bounds[index]
        return totals[0], totals[1], totals[2], totals[3]

    def time(self, spans: Iterable[Span], low: int, high: int) -> dict[str, int]:
        """Microseconds of each category of ``spans`` inside ``[low, high)``."""
        totals = [0, 0, 0, 0]
        for start, end in spans:
            start, end = max(start, low), min(end, high)
            if start < end:
                after, before = self._before(end), self._before(start)
                for index in range(4):
                    totals[index] += after[index] - before[index]
        return dict(zip(CATEGORIES, totals, strict=True))

    def categories(self, start: int, end: int) -> set[str]:
        """The categories with time in ``[start, end)``."""
        index = max(bisect.bisect_right(self.bounds, start) - 1, 0)
        found: set[str] = set()
        while index < len(self.labels) and self.bounds[index] < end:
            found.add(CATEGORIES[self.labels[index]])
            index += 1
        return found


def _label(start: int, marked: Iterable[tuple[Sequence[Span], int]]) -> int:
    for spans, label in marked:
        index = bisect.bisect_right(spans, (start, 1 << 62)) - 1
        if index >= 0 and spans[index][0] <= start < spans[index][1]:
            return label
    return 0


def timeline_of(person: Person, night: Window, low: int, high: int) -> Timeline:
    """The categories of ``person``'s instants over ``[low, high)`` (shared by people of one place)."""
    return _timeline(person.timezone, person.country, person.subdivision, night, low, high)


@lru_cache(maxsize=256)
def _timeline(zone: str, country: str | None, subdivision: str | None, night: Window, low: int,
              high: int) -> Timeline:
    nights = window_spans(zone, (Window(ALL_DAYS, night.start, night.end),), low, high)
    weekends = window_spans(zone, _WEEKEND, low, high)
    return Timeline(low, high, holiday_spans(zone, country, subdivision, low, high), weekends, nights)


def holiday_spans(zone: str, country: str | None, subdivision: str | None, low: int,
                  high: int) -> tuple[Span, ...]:
    """The local days in ``zone`` that are public holidays, as instants within ``[low, high)``."""
    if not country or low >= high:
        return ()
    first, last = local_date(zone, low), local_date(zone, high - 1)
    days: list[date] = []
    for year in range(first.year, last.year + 1):
        days += [day for day in public_holidays(country, subdivision, year) if first <= day <= last]
    spans = union((day_micros(zone, day), day_micros(zone, day + _ONE_DAY)) for day in days)
    return tuple((max(start, low), min(end, high)) for start, end in spans if start < high and end > low)
