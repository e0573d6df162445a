"""Instants as integer microseconds since the epoch, and wall times resolved in a zone.

The engine works on integers: comparing and subtracting them is far cheaper
than aware datetimes, and exact (no float rounding). Wall-time resolution
follows the SPEC (section 2) through :func:`opsrepo.timeutil.resolve_wall_time`
and is cached, because thousands of schedules share the same handoff times.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from functools import lru_cache

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
