"""How the site writes instants, dates and durations (plain text; templates escape it)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo


def iso(instant: datetime) -> str:
    """``2026-11-23T09:00:00Z``: for ``<time datetime>`` and the browser's data."""
    utc = instant.astimezone(UTC)
    return f"{_iso_date(utc.date())}T{utc.hour:02}:{utc.minute:02}:{utc.second:02}Z"


def when(instant: datetime, zone: ZoneInfo) -> str:
    """``Mon 23 Nov 2026, 09:00 CET`` in ``zone``."""
    local = instant.astimezone(zone)
    return f"{day(local.date())}, {local.hour:02}:{local.minute:02} {local.tzname()}"


def short(instant: datetime, zone: ZoneInfo) -> str:
    """``Mon 23 Nov, 09:00 CET`` in ``zone``."""
    local = instant.astimezone(zone)
    return f"{_short_day(local.date())}, {local.hour:02}:{local.minute:02} {local.tzname()}"


# The date parts of the texts above, made once per date: strftime is most of their cost,
# and a page writes the same few dates many times.
@lru_cache(maxsize=4096)
def _iso_date(value: date) -> str:
    return value.strftime("%Y-%m-%d")


@lru_cache(maxsize=4096)
def _short_day(value: date) -> str:
    return f"{value:%a} {value.day} {value:%b}"


@lru_cache(maxsize=4096)
def day(value: date) -> str:
    """``Mon 23 Nov 2026`` (remembered: the runbook index writes three for each of thousands of runbooks)."""
    return f"{value:%a} {value.day} {value:%b %Y}"


def duration(value: timedelta) -> str:
    """``5 min``, ``1 h 30 min``, ``2 days 4 h``, ``1 week``: for people, not parsers."""
    minutes = int(value.total_seconds() // 60)
    if minutes < 0:
        return "-" + duration(-value)
    if minutes and minutes % 1440 == 0 and (minutes // 1440) % 7:
        days = minutes // 1440
        return f"{days} day{'s' if days != 1 else ''}"
    parts: list[str] = []
    units = ((7 * 1440, "week", "weeks"), (1440, "day", "days"), (60, "h", "h"), (1, "min", "min"))
    for size, one, many in units:
        count, minutes = divmod(minutes, size)
        if count:
            parts.append(f"{count} {one if count == 1 else many}")
    if not parts:
        seconds = int(value.total_seconds())
        return f"{seconds} s" if seconds else "0 min"
    return " ".join(parts[:2])
