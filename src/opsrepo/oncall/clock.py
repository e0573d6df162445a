"""Instants as integer microseconds since the epoch, and wall times resolved in a zone.

The engine works on integers: comparing and subtracting them is far cheaper
than aware datetimes, and exact (no float rounding). Wall-time resolution
follows the SPEC (section 2) through :func:`opsrepo.timeutil.resolve_wall_time`
and is cached, because thousands of schedules share the same handoff times.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from typing import NamedTuple

from opsrepo.timeutil import get_zone, resolve_wall_time

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
MICRO = timedelta(microseconds=1)
SECOND = 1_000_000
HOUR = 3600 * SECOND
DAY = 24 * HOUR
#: the wall times a schedule can name (naive datetime's own range, kept away from its edges)
WALL_MIN = datetime(1, 1, 8)
WALL_MAX = datetime(9999, 12, 24)


def to_micros(instant: datetime) -> int:
    """An aware instant as microseconds since the epoch."""
    return (instant - EPOCH) // MICRO


def from_micros(micros: int) -> datetime:
    """Microseconds since the epoch as an aware UTC instant."""
    return EPOCH + timedelta(microseconds=micros)


@lru_cache(maxsize=1 << 16)
def wall_micros(zone: str, wall: datetime) -> int:
    """The instant of the wall time ``wall`` in ``zone`` (gap: after it; overlap: first)."""
    return to_micros(resolve_wall_time(wall, get_zone(zone)))


def wall_at(zone: str, micros: int) -> datetime:
    """The naive wall time in ``zone`` at an instant."""
    return from_micros(micros).astimezone(get_zone(zone)).replace(tzinfo=None)


def local_date(zone: str, micros: int) -> date:
    """The calendar date in ``zone`` at an instant."""
    return wall_at(zone, micros).date()


def clamp_wall(wall: datetime) -> datetime:
    """``wall`` kept inside the range naive datetimes can do arithmetic in."""
    return min(max(wall, WALL_MIN), WALL_MAX)


def day_micros(zone: str, day: date) -> int:
    """The instant a local calendar day starts in ``zone``."""
    return wall_micros(zone, datetime(day.year, day.month, day.day))


class DayTable(NamedTuple):
    """The local days of one year in a zone: an instant's day is found by bisection, not conversion."""

    #: :func:`day_micros` of every day of the year, then of the next year's first day
    starts: tuple[int, ...]
    #: each day, or None where an instant of ``[starts[i], starts[i + 1])`` may have another date
    days: tuple[date | None, ...]


@lru_cache(maxsize=256)
def day_table(zone: str, year: int) -> DayTable:
    """The local days of ``year`` in ``zone``.

    A day is kept where its first and last instant have its date and the
    clock runs evenly between them: no clock change inside it (zones change
    their offset at most once in any two days), so every instant in it has
    its date. Other days (a clock change that day, a midnight in a gap or
    repeated) are None: callers convert those instants.
    """
    first = date(year, 1, 1)
    dates = [first + timedelta(days=n) for n in range((date(year + 1, 1, 1) - first).days + 1)]
    starts = tuple(day_micros(zone, day) for day in dates)
    return DayTable(starts, tuple(day if even_day(zone, day, starts[n], starts[n + 1]) else None
                                  for n, day in enumerate(dates[:-1])))


def even_day(zone: str, day: date, start: int, end: int) -> bool:
    """True when ``[start, end)`` is not empty and the wall clock runs evenly through ``day`` over it."""
    if end <= start:
        return False
    first, last = wall_at(zone, start), wall_at(zone, end - 1)
    return first.date() == day == last.date() and last - first == timedelta(microseconds=end - 1 - start)
