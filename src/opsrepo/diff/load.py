"""A person's on-call load over some segments: hours, night hours, weekend days, holidays.

Nights are 22:00-06:00 and days are calendar days, both in the person's own
timezone (docs/format.md, ``oncall.fairness``); a weekend day or public
holiday counts once when any on-call time touches it. Holidays come from the
``holidays`` package by the person's country and subdivision.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from typing import Any

from opsrepo import model as m
from opsrepo.diff.model import Load
from opsrepo.diff.timeline import Segment
from opsrepo.timeutil import get_zone, resolve_wall_time

NIGHT_START = time(22, 0)
NIGHT_END = time(6, 0)
_HOUR = 3600.0


def person_load(segments: Iterable[Segment], person: m.Person | None, fallback_zone: str) -> Load:
    """The load ``segments`` put on ``person`` (an unknown person: ``fallback_zone``, no holidays)."""
    zone_name = person.timezone if person is not None else fallback_zone
    zone = get_zone(zone_name)
    hours = nights = 0.0
    days: set[date] = set()
    for segment in segments:
        segment = Segment(segment.start.astimezone(UTC), segment.end.astimezone(UTC), segment.person)
        hours += (segment.end - segment.start).total_seconds() / _HOUR
        nights += _night_seconds(segment, zone_name) / _HOUR
        days.update(_local_days(segment, zone))
    weekend = sum(1 for day in days if day.weekday() >= 5)
    holidays = _holiday_count(days, person) if person is not None else 0
    return Load(round(hours, 2), round(nights, 2), weekend, holidays)


def _local_days(segment: Segment, zone: Any) -> Iterator[date]:
    """Every local calendar day ``segment`` has time on."""
    first = segment.start.astimezone(zone).date()
    last = (segment.end - timedelta(microseconds=1)).astimezone(zone).date()
    day = first
    while day <= last:
        yield day
        day += timedelta(days=1)


def _night_seconds(segment: Segment, zone_name: str) -> float:
    zone = get_zone(zone_name)
    first = segment.start.astimezone(zone).date() - timedelta(days=1)
    last = segment.end.astimezone(zone).date()
    total = 0.0
    day = first
    while day <= last:
        begin, finish = _night(day, zone_name)
        overlap = (min(finish, segment.end) - max(begin, segment.start)).total_seconds()
        total += max(overlap, 0.0)
        day += timedelta(days=1)
    return total


@lru_cache(maxsize=65536)
def _night(day: date, zone_name: str) -> tuple[datetime, datetime]:
    """The night starting on ``day``'s evening, as instants."""
    zone = get_zone(zone_name)
    begin = resolve_wall_time(datetime.combine(day, NIGHT_START), zone)
    finish = resolve_wall_time(datetime.combine(day + timedelta(days=1), NIGHT_END), zone)
    return begin.astimezone(UTC), finish.astimezone(UTC)


def _holiday_count(days: set[date], person: m.Person) -> int:
    if not person.country or not days:
        return 0
    return sum(1 for day in days if day in _holidays(person.country, person.subdivision, day.year))


@lru_cache(maxsize=1024)
def _holidays(country: str, subdivision: str | None, year: int) -> frozenset[date]:
    """Public holidays of one country (and subdivision) in one year; unknown ones have none."""
    import holidays

    try:
        found = holidays.country_holidays(country, subdiv=subdivision, years=year)
    except (NotImplementedError, KeyError, ValueError):
        return frozenset()
    return frozenset(found.keys())
