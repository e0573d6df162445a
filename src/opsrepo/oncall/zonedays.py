"""Counting the nights, weekend days and holidays that turns touch, from one table per zone and range.

The same definitions as :mod:`opsrepo.oncall.accounting` (and the same
answers: property-tested), made for counting many people's turns within one
range, the validation horizon: the zone's local days and nights over the
range are found once (:func:`zone_days`), so a turn costs two bisections
instead of a conversion per local day, and the weekend days and a country's
holidays among the days touched are read from running totals.
"""

from __future__ import annotations

import bisect
import itertools
import math
from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from functools import lru_cache

from opsrepo.oncall.accounting import NIGHTS, SATURDAY, public_holidays
from opsrepo.oncall.clock import DAY, SECOND, day_micros, even_day, local_date
from opsrepo.oncall.intervals import Span
from opsrepo.oncall.rotation import window_spans
from opsrepo.oncall.zoneclock import ZoneClock, day_wall, zone_clock

_ONE_DAY = timedelta(days=1)
#: local days a turn touches, as ``[first, last)`` indexes into :attr:`ZoneDays.starts`, merged
DayRanges = list[tuple[int, int]]
#: holidays are counted in the same running total as weekend days, this many times over (a total of
#: weekend days stays below it: it would take a range of 2,000 years)
_HOLIDAY = 1 << 20
#: the finest grid of instants the one-pass counts read their stretches from (zones' offsets are whole
#: quarter hours, and a day starts or a night opens on one of them); a finer one is bisected instead
_FINEST = 60 * SECOND


class ZoneDays:
    """The local days and nights of ``zone`` around ``[start, end)``."""

    def __init__(self, zone: str, start: int, end: int) -> None:
        self.zone = zone
        #: the range itself: the night it starts or ends in is cut there
        self.low, self.high = start, end
        first, last = local_date(zone, start) - _ONE_DAY, local_date(zone, max(start, end - 1)) + _ONE_DAY
        self.first = first
        self.dates = [first + timedelta(days=k) for k in range((last - first).days + 1)]
        clock = zone_clock(zone, start, end)
        #: the instant each local day starts (the last entry: the day after ``last``)
        self.starts = [_day_start(clock, day) for day in (*self.dates, last + _ONE_DAY)]
        #: False where an instant of the day may have another date (a clock change that day)
        self.even = [_even(clock, day, low, high)
                     for day, low, high in zip(self.dates, self.starts, self.starts[1:], strict=False)]
        self._weekends = _running_total(day.weekday() >= SATURDAY for day in self.dates)
        #: every day's instants have its date (no clock change near any): a day is one bisection
        self.all_even = all(self.even)
        self._holidays: dict[tuple[str, str | None], list[int]] = {}
        nights = window_spans(zone, NIGHTS, start, end)
        self.night_opens = [low for low, _ in nights]
        self.night_closes = [high for _, high in nights]
        self._stretches: tuple[list[int], list[tuple[int, int]], list[tuple[int, int]]] | None = None
        self._grid: _Grid | None = None  # None: not looked for yet, or the edges lie on no grid
        self._grid_sought = False
        self._totals: dict[tuple[str, str | None] | None, list[int]] = {}

    def nights(self, spans: Sequence[Span]) -> int:
        """How many nights (22:00-06:00) ``spans`` have time in (sorted spans within the range)."""
        opens, closes = self.night_opens, self.night_closes
        count = counted = 0  # nights below ``counted`` are counted
        for start, end in spans:
            first = bisect.bisect_right(closes, start, counted)
            last = bisect.bisect_left(opens, end, first)
            if last > first:
                count += last - first
                counted = last
        return count

    def days(self, spans: Sequence[Span]) -> DayRanges:
        """The local days ``spans`` have time on (sorted spans within the range).

        :func:`~opsrepo.oncall.accounting.local_days` step by step, on indexes:
        the day a span starts on is found by bisection, or converted on a day
        with a clock change; the days it runs into follow.
        """
        starts, even, size = self.starts, self.even, len(self.even)
        found: DayRanges = []
        day, low, high = -1, 0, 0  # the day last found and its instants [low, high)
        for start, end in spans:
            if not low <= start < high:
                index = bisect.bisect_right(starts, start) - 1
                day = index if 0 <= index < size and even[index] else self._converted(start)
            last = max(day, bisect.bisect_left(starts, end, day + 1) - 1)
            if found and found[-1][1] >= day:
                found[-1] = (found[-1][0], max(found[-1][1], last + 1))
            else:
                found.append((day, last + 1))
            day, low, high = last, starts[last], starts[last + 1]
        return found

    def counted(self, spans: Sequence[Span]) -> tuple[int, DayRanges, int]:
        """:meth:`nights`, :meth:`days` and :meth:`weekend_days` of ``spans`` in one pass over them.

        Where no day of the table has a clock change, the day an instant falls
        on is a bisection (no conversion). Between two consecutive instants
        where a day starts or a night opens or closes, every instant has the
        same day and the same nights before and after it: so each span's
        start and end are bisected once, into those stretches
        (:attr:`_stretches`), and the rest is read off.
        """
        starts = self.starts
        if not spans or not self.all_even or spans[0][0] < starts[0] or spans[-1][1] > starts[-1]:
            days = self.days(spans)
            return self.nights(spans), days, self.weekend_days(days)
        edges, heads, tails = self._stretches or self._stretch()
        weekends = self._weekends
        right, left = bisect.bisect_right, bisect.bisect_left
        nights = counted = weekend = 0  # nights below ``counted`` are counted
        found: DayRanges = []
        first = after = -1  # the days of the range last found: [first, after)
        edge = 0  # 1 + the stretch the last span ended in (the next starts there or later)
        for start, end in spans:
            # 1 + the stretches the span starts and ends in: what the tables are indexed by
            at = right(edges, start, edge)
            edge = left(edges, end, at)
            (low, day), (high, last) = heads[at], tails[edge]
            if counted > low:  # max(), without a call a span
                low = counted
            if high > low:
                nights += high - low
                counted = high
            if after >= day:  # the same range of days goes on
                if last > after:
                    weekend += weekends[last] - weekends[after]
                    after = last
                    found[-1] = (first, after)
            else:
                weekend += weekends[last] - weekends[day]
                first, after = day, last
                found.append((first, after))
        return nights, found, weekend

    def measured(self, spans: Sequence[Span], country: str | None,
                 subdivision: str | None) -> tuple[int, int, int]:
        """Nights, weekend days and holidays (0 without a country) of ``spans``, in one pass.

        What :meth:`counted` and :meth:`holidays` give, without ranges of days.

        Where a day starts or a night opens or closes only on a grid of
        instants (:attr:`_grid`: every zone's offset is whole quarter hours),
        the stretch an instant is in is read off the grid by one division
        instead of a bisection; the weekend days and holidays of the days
        touched come from one running total (holidays counted ``_HOLIDAY``
        times over). An empty span on a slot's edge (turns have none) sends
        them the way of :meth:`counted`, which answers it as the bisections do.
        """
        if not self._grid_sought:
            self._grid, self._grid_sought = self._make_grid(), True
        grid = self._grid
        high = self.high  # an empty span at the range's end (turns have none) is not on the grid
        if grid is None or not spans or not self.all_even or spans[0][0] < self.low \
                or spans[-1][1] > high or spans[-1][0] >= high:
            return self._measured(spans, country, subdivision)
        base, step, heads, above, tails = grid
        totals = self._totals.get((country, subdivision) if country else None) \
            or self._total(country, subdivision)
        nights = counted = both = 0  # nights below ``counted`` are counted
        after = -1  # the days below ``after`` are counted
        for start, end in spans:
            head, tail = (start - base) // step, (end - above) // step  # a slot's floor, a slot's ceiling
            if tail <= head:  # only for an empty span (whose day is its start's): not on the grid
                return self._measured(spans, country, subdivision)
            (low, day), (high, last) = heads[head], tails[tail]
            if counted > low:  # max(), without a call a span
                low = counted
            if high > low:
                nights += high - low
                counted = high
            if after > day:
                day = after
            if last > day:
                both += totals[last] - totals[day]
                after = last
        holidays, weekends = divmod(both, _HOLIDAY)
        return nights, weekends, holidays

    def _measured(self, spans: Sequence[Span], country: str | None,
                  subdivision: str | None) -> tuple[int, int, int]:
        nights, days, weekends = self.counted(spans)
        return nights, weekends, self.holidays(days, country, subdivision) if country else 0

    def _total(self, country: str | None, subdivision: str | None) -> list[int]:
        """The running total of weekend days, and of holidays ``_HOLIDAY`` times over with a country."""
        if not country:
            self._totals[None] = self._weekends
            return self._weekends
        holidays = self._holiday_total(country, subdivision)
        found = self._totals[country, subdivision] = [
            weekends + _HOLIDAY * days for weekends, days in zip(self._weekends, holidays, strict=True)]
        return found

    def _make_grid(self) -> _Grid | None:
        """The stretches' tables by grid slot: :meth:`counted`'s bisections as one division each.

        ``step`` is the largest that every edge (where a day starts or a night
        opens or closes) lies on from the first: no edge falls strictly inside a
        slot ``[base + k step, base + (k + 1) step)``, so the edges at or before
        an instant are those at or before its slot's start (a head, by the
        floor of its slot), and the edges before an instant those before the
        ceiling of its slot (a tail: ``above`` is ``base - step + 1``). None
        where the edges lie on no grid of at least a minute.

        A night the range starts or ends in is cut at the range's start or
        end, which may lie off the grid (validating from now): that edge is
        put at its slot's floor (the start) or ceiling (the end), which
        answers alike for every instant of the range (spans within it only).
        """
        edges, heads, tails = self._stretches or self._stretch()
        base, low, high = edges[0], self.low, self.high
        step = math.gcd(*(edge - base for edge in edges if edge != low and edge != high))
        if step < _FINEST:
            return None
        slots = [(edge - base) // step if edge != high else -((base - edge) // step) for edge in edges]
        head_grid: list[tuple[int, int]] = []
        tail_grid = [tails[0]]
        for index, (slot, following) in enumerate(itertools.pairwise(slots), start=1):
            head_grid += [heads[index]] * (following - slot)
            tail_grid += [tails[index]] * (following - slot)
        head_grid.append(heads[len(edges)])
        return base, step, head_grid, base - step + 1, tail_grid

    def _stretch(self) -> tuple[list[int], list[tuple[int, int]], list[tuple[int, int]]]:
        """The instants where a day starts or a night opens or closes, and of the stretch from each.

        For each: the nights closed by its start and its day (a *head*), the
        nights opened by its end and the days started by its end (a *tail*):
        what :meth:`nights` and :meth:`days` bisect for an instant in it. Both
        tables are indexed by one more than the stretch (what bisecting the
        instants for one in it gives); their first entries are never read.
        """
        starts, opens, closes = self.starts, self.night_opens, self.night_closes
        edges = sorted({*starts, *opens, *closes})
        after = [bisect.bisect_right(starts, edge) for edge in edges]  # the days started by each edge
        pairs = list(zip(edges, after, strict=True))
        heads = [(0, 0), *((bisect.bisect_right(closes, edge), days - 1) for edge, days in pairs)]
        tails = [(0, 0), *((bisect.bisect_right(opens, edge), days) for edge, days in pairs)]
        self._stretches = (edges, heads, tails)
        return self._stretches

    def _converted(self, micros: int) -> int:
        return (local_date(self.zone, micros) - self.first).days

    def weekend_days(self, days: DayRanges) -> int:
        """How many of the days are Saturdays or Sundays."""
        total = self._weekends
        return sum(total[high] - total[low] for low, high in days)

    def holidays(self, days: DayRanges, country: str, subdivision: str | None) -> int:
        """How many of the days are public holidays of ``country`` (and ``subdivision``)."""
        total = self._holiday_total(country, subdivision)
        return sum(total[high] - total[low] for low, high in days)

    def _holiday_total(self, country: str, subdivision: str | None) -> list[int]:
        key = (country, subdivision)
        total = self._holidays.get(key)
        if total is None:
            total = self._holidays[key] = _running_total(
                day in public_holidays(country, subdivision, day.year) for day in self.dates)
        return total


#: base, step, heads by slot, ``base - step + 1``, tails by slot (see :meth:`ZoneDays._make_grid`)
_Grid = tuple[int, int, list[tuple[int, int]], int, list[tuple[int, int]]]


def _day_start(clock: ZoneClock, day: date) -> int:
    """:func:`~opsrepo.oncall.clock.day_micros`, by the zone clock where it covers the day."""
    wall = day_wall(day)
    return clock.instant(wall) if clock.covers(wall) else day_micros(clock.zone, day)


def _even(clock: ZoneClock, day: date, low: int, high: int) -> bool:
    """What :func:`~opsrepo.oncall.clock.day_table` says of ``day``: a day the clock does not change in is."""
    wall = day_wall(day)
    if low < high and clock.covers(wall) and clock.covers(wall + DAY) \
            and not clock.changes_within(low - DAY, high + DAY):
        return True
    return even_day(clock.zone, day, low, high)


def _running_total(flags: Iterable[bool]) -> list[int]:
    return [0, *itertools.accumulate(int(flag) for flag in flags)]


@lru_cache(maxsize=256)
def zone_days(zone: str, start: int, end: int) -> ZoneDays:
    """The table of ``zone`` around ``[start, end)`` (kept: one per zone and validation horizon)."""
    return ZoneDays(zone, start, end)
