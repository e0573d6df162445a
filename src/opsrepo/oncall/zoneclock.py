"""Wall times of one zone as instants by integer arithmetic, over a few years.

:func:`~opsrepo.oncall.clock.wall_micros` resolves a wall time with several
datetime conversions (SPEC section 2: in a gap, the instant the clocks jump
at; in an overlap, the first occurrence). A zone changes its offset a few
times a year, so over a range of years its changes are found once
(:func:`zone_clock`) and a wall time is then one bisection and a subtraction:
turn boundaries, restriction windows and local days of a whole org cost
integer arithmetic. Walls are *naive microseconds*: microseconds from
1970-01-01T00:00 on the wall clock. The answers equal ``wall_micros``
(property-tested, DST-heavy and odd zones included).
"""

from __future__ import annotations

import bisect
from collections.abc import Iterator
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from opsrepo.oncall.clock import DAY, HOUR, MICRO, SECOND, from_micros, to_micros, wall_micros
from opsrepo.timeutil import get_zone

NAIVE_EPOCH = datetime(1970, 1, 1)
#: how often the offset is looked at while searching for changes (zones change it at most once in 6 hours)
_PROBE = 6 * HOUR


def naive_micros(wall: datetime) -> int:
    """A naive wall time as microseconds from 1970-01-01T00:00."""
    return (wall - NAIVE_EPOCH) // MICRO


def day_wall(day: date) -> int:
    """The wall time ``day`` 00:00 as naive microseconds."""
    return (day.toordinal() - 719163) * DAY  # 719163: date(1970, 1, 1).toordinal()


class ZoneClock:
    """The offset changes of ``zone`` between the instants ``low`` and ``high``."""

    def __init__(self, zone: str, low: int, high: int) -> None:
        self.zone, self.low, self.high = zone, low, high
        tz = get_zone(zone)
        #: instants of the changes, and the offset before each (the last entry: after the last change)
        self.changes: list[int] = []
        self.offsets = [_offset(tz, low)]
        cursor = low
        while cursor < high:
            probe = cursor + _PROBE
            if high < probe:  # min(), without a call
                probe = high
            if _offset(tz, probe) == self.offsets[-1]:
                cursor = probe
                continue
            cursor = _change(tz, cursor, probe, self.offsets[-1])
            self.changes.append(cursor)
            self.offsets.append(_offset(tz, cursor))
        #: a wall below ``bounds[i]`` (and at or above the one before) reads with ``offsets[i]``
        self.bounds = [at + max(before, after) for at, before, after
                       in zip(self.changes, self.offsets, self.offsets[1:], strict=False)]
        #: where each change skips wall times (a gap), the first skipped wall; None for a repeat
        self.gaps = [at + before if after > before else None for at, before, after
                     in zip(self.changes, self.offsets, self.offsets[1:], strict=False)]
        # walls whose instants lie inside the searched range whatever the offset (offsets stay within a day)
        self.wall_low, self.wall_high = low + DAY, high - DAY
        self.sound = all(a < b for a, b in zip(self.bounds, self.bounds[1:], strict=False))

    def covers(self, wall: int) -> bool:
        """True when :meth:`instant` knows ``wall``."""
        return self.sound and self.wall_low <= wall < self.wall_high

    def instant(self, wall: int) -> int:
        """The instant of a wall time in this zone (gap: the change; overlap: first); see :meth:`covers`."""
        index = bisect.bisect_right(self.bounds, wall)
        if index < len(self.gaps):
            gap = self.gaps[index]
            if gap is not None and wall >= gap:
                return self.changes[index]
        return wall - self.offsets[index]

    def changes_within(self, low: int, high: int) -> bool:
        """True when the offset changes at an instant strictly between ``low`` and ``high``."""
        index = bisect.bisect_right(self.changes, low)
        return index < len(self.changes) and self.changes[index] < high

    def progression(self, origin: int, step: int, first: int,
                    before: int) -> Iterator[tuple[int, int | None]]:
        """``(k, instant)`` of the walls ``origin + k * step`` from ``k = first`` while below ``before``.

        The instant is None where the clock does not cover the wall (the caller converts it). The
        offset change is followed along the walls instead of found again for each.
        """
        bounds, gaps, changes, offsets = self.bounds, self.gaps, self.changes, self.offsets
        count, low, high = len(bounds), self.wall_low, self.wall_high
        sound = self.sound
        index, k = 0, first
        wall = origin + k * step
        while wall < before:
            if sound and low <= wall < high:
                while index < count and bounds[index] <= wall:
                    index += 1
                gap = gaps[index] if index < count else None
                yield k, (changes[index] if gap is not None and wall >= gap else wall - offsets[index])
            else:
                yield k, None
            k += 1
            wall += step


def _offset(zone: ZoneInfo, micros: int) -> int:
    found = from_micros(micros).astimezone(zone).utcoffset()
    assert found is not None
    return found // MICRO


def _change(zone: ZoneInfo, low: int, high: int, before: int) -> int:
    """The first whole second in ``(low, high]`` with another offset than ``before`` (zones change on one)."""
    low, high = low // SECOND, -(-high // SECOND)
    while high - low > 1:
        middle = (low + high) // 2
        if _offset(zone, middle * SECOND) == before:
            low = middle
        else:
            high = middle
    return high * SECOND


_CLOCKS: dict[str, ZoneClock] = {}
#: how far a clock reaches past the range it is made for (walls within a day of it stay covered)
_MARGIN = 4 * DAY


def zone_clock(zone: str, start: int, end: int) -> ZoneClock:
    """A clock of ``zone`` for instants in ``[start, end)``.

    One per zone. The first is searched over the range asked for (a few days
    more): validation asks for its horizon only, and the search costs a probe
    every 6 hours it spans. A range reaching past what the clock knows
    searches again over whole years covering both, so callers that walk on
    range by range search again only once a year.
    """
    low, high = start - _MARGIN, (end if end > start else start) + _MARGIN  # max(), without a call
    clock = _CLOCKS.get(zone)
    if clock is not None and clock.low <= low and high <= clock.high:
        return clock
    if clock is not None:
        low = _year_start(from_micros(min(low, clock.low)).year)
        high = _year_start(from_micros(max(high, clock.high)).year + 1)
    clock = _CLOCKS[zone] = ZoneClock(zone, low, high)
    return clock


def known_instant(zone: str, wall: datetime) -> int:
    """``wall_micros(zone, wall)``, by the zone's clock where one was made already and covers the wall.

    No clock is made for it: a zone nothing else needs a clock for (a schedule's own zone, which
    only its overrides are written in) resolves its few walls one by one. Each answer is kept:
    schedules of one form repeat their overrides' walls, which a lookup finds again cheaper than
    the clock reads them.
    """
    key = (zone, wall)
    found = _KNOWN.get(key)
    if found is None:
        clock = _CLOCKS.get(zone)
        naive = (wall - NAIVE_EPOCH) // MICRO
        if clock is not None and clock.sound and clock.wall_low <= naive < clock.wall_high:
            found = clock.instant(naive)
        else:
            found = wall_micros(zone, wall)
        _KNOWN[key] = found
        if len(_KNOWN) > 1 << 16:
            del _KNOWN[next(iter(_KNOWN))]
    return found


#: the answers of :func:`known_instant`, by zone and wall
_KNOWN: dict[tuple[str, datetime], int] = {}


def _year_start(year: int) -> int:
    return to_micros(datetime(max(1, min(year, 9999)), 1, 1, tzinfo=UTC))
