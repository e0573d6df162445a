"""How heavy a stretch of on-call is for one person: hours, night hours, weekend days, holidays.

Nights are the hours between 22:00 and 06:00 on the person's wall clock;
a weekend day or a public holiday counts when the person is on call at any
moment of that local date (holidays from the ``holidays`` package, by the
person's ``country`` and ``subdivision``; none without a country).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from opsrepo.model import Person
from opsrepo.timeutil import get_zone, resolve_wall_time

NIGHT_START = time(22, 0)
NIGHT_END = time(6, 0)
SATURDAY = 5


@dataclass
class Tally:
    """Load accumulated for one person (mutable while counting)."""

    seconds: float = 0.0
    turns: int = 0
    night_seconds: float = 0.0
    weekend_days: set[date] = field(default_factory=set)
    holiday_days: set[date] = field(default_factory=set)

    def add(self, person: Person, start: datetime, end: datetime) -> None:
        """Count on-call time ``[start, end)`` of ``person`` (not a turn: see ``turns``)."""
        zone = get_zone(person.timezone)
        self.seconds += (end.astimezone(UTC) - start.astimezone(UTC)).total_seconds()
        self.night_seconds += night_seconds(start, end, zone)
        days = local_dates(start, end, zone)
        self.weekend_days.update(d for d in days if d.weekday() >= SATURDAY)
        self.holiday_days.update(d for d in days if is_holiday(person, d))


def night_seconds(start: datetime, end: datetime, zone: ZoneInfo) -> float:
    """Seconds of ``[start, end)`` between 22:00 and 06:00 wall time in ``zone``."""
    # in UTC: Python subtracts datetimes sharing one tzinfo as wall times, which is wrong across DST
    start, end = start.astimezone(UTC), end.astimezone(UTC)
    total = 0.0
    day = start.astimezone(zone).date() - timedelta(days=1)
    last = end.astimezone(zone).date()
    while day <= last:
        night_from = _instant(datetime.combine(day, NIGHT_START), zone)
        night_to = _instant(datetime.combine(day + timedelta(days=1), NIGHT_END), zone)
        overlap = (min(end, night_to) - max(start, night_from)).total_seconds()
        total += max(overlap, 0.0)
        day += timedelta(days=1)
    return total


def _instant(wall: datetime, zone: ZoneInfo) -> datetime:
    return resolve_wall_time(wall, zone).astimezone(UTC)


def local_dates(start: datetime, end: datetime, zone: ZoneInfo) -> list[date]:
    """The local dates ``[start, end)`` touches in ``zone`` (an empty span touches none)."""
    if end <= start:
        return []
    first = start.astimezone(zone).date()
    last = (end - timedelta(microseconds=1)).astimezone(zone).date()
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def is_holiday(person: Person, day: date) -> bool:
    """True when ``day`` is a public holiday where ``person`` lives."""
    if not person.country:
        return False
    return day in _holidays(person.country, person.subdivision, day.year)


@lru_cache(maxsize=256)
def _holidays(country: str, subdivision: str | None, year: int) -> Any:
    import holidays

    try:
        return holidays.country_holidays(country, subdiv=subdivision, years=year)
    except NotImplementedError:  # a country the package does not know: no holidays, not a crash
        return frozenset()


def merged(spans: Iterable[tuple[datetime, datetime]]) -> list[tuple[datetime, datetime]]:
    """Spans sorted, with touching or overlapping ones joined (one turn, even if split in pieces)."""
    found: list[tuple[datetime, datetime]] = []
    for start, end in sorted(spans):
        if found and start <= found[-1][1]:
            found[-1] = (found[-1][0], max(found[-1][1], end))
        else:
            found.append((start, end))
    return found
