"""Vendor instants in, ops-repo wall times and durations out."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from opsrepo.timeutil import format_duration, get_zone

_BACKUP_FORMAT = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}\Z")


def parse_instant(value: object) -> datetime:
    """An aware instant; ValueError when ``value`` is none.

    Accepted: ISO 8601 text (``Z``, offsets, fractions), epoch milliseconds, and
    ``yyyy-MM-dd HH:mm`` (UTC: the configuration-backup tool's date format).
    """
    if isinstance(value, bool):
        raise ValueError(f"{value!r} is not an instant")
    if isinstance(value, int | float):
        return datetime.fromtimestamp(value / 1000, UTC)
    if not isinstance(value, str):
        raise ValueError(f"{value!r} is not an instant")
    text = value.strip()
    if _BACKUP_FORMAT.match(text):
        return datetime.fromisoformat(text).replace(tzinfo=UTC)
    parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    if parsed.tzinfo is None:
        raise ValueError(f"{value!r} has no UTC offset")
    return parsed


def wall(instant: datetime, zone: ZoneInfo) -> datetime:
    """The naive wall time of ``instant`` in ``zone``."""
    return instant.astimezone(zone).replace(tzinfo=None)


def wall_text(moment: datetime) -> str:
    """``2026-01-05T09:00`` (seconds only when it has any)."""
    moment = moment.replace(microsecond=0)
    return moment.isoformat(timespec="minutes" if moment.second == 0 else "seconds")


def duration_text(delta: timedelta) -> str:
    """``1w``, ``12h``, ``1h30m`` (the schema's duration)."""
    return format_duration(delta)


def zone_or_none(name: object) -> ZoneInfo | None:
    """The IANA zone named, or the IANA zone a common Rails/ActiveSupport name stands for; else None."""
    if not isinstance(name, str) or not name:
        return None
    try:
        return get_zone(RAILS_ZONES.get(name, name))
    except ValueError:
        return None


def zone_name(name: object) -> str | None:
    """The IANA name of :func:`zone_or_none`."""
    zone = zone_or_none(name)
    return zone.key if zone is not None else None


#: PagerDuty documents schedule time zones as ActiveSupport names (its API answers IANA names today);
#: the common ones, so a schedule saved in that form still imports
RAILS_ZONES = {
    "Eastern Time (US & Canada)": "America/New_York",
    "Central Time (US & Canada)": "America/Chicago",
    "Mountain Time (US & Canada)": "America/Denver",
    "Pacific Time (US & Canada)": "America/Los_Angeles",
    "Arizona": "America/Phoenix",
    "Alaska": "America/Juneau",
    "Hawaii": "Pacific/Honolulu",
    "Atlantic Time (Canada)": "America/Halifax",
    "UTC": "UTC",
    "London": "Europe/London",
    "Dublin": "Europe/Dublin",
    "Lisbon": "Europe/Lisbon",
    "Amsterdam": "Europe/Amsterdam",
    "Berlin": "Europe/Berlin",
    "Paris": "Europe/Paris",
    "Madrid": "Europe/Madrid",
    "Rome": "Europe/Rome",
    "Stockholm": "Europe/Stockholm",
    "Vienna": "Europe/Vienna",
    "Warsaw": "Europe/Warsaw",
    "Prague": "Europe/Prague",
    "Zurich": "Europe/Zurich",
    "Athens": "Europe/Athens",
    "Helsinki": "Europe/Helsinki",
    "Moscow": "Europe/Moscow",
    "Istanbul": "Europe/Istanbul",
    "Jerusalem": "Asia/Jerusalem",
    "Dubai": "Asia/Dubai",
    "Abu Dhabi": "Asia/Dubai",
    "Mumbai": "Asia/Kolkata",
    "New Delhi": "Asia/Kolkata",
    "Kolkata": "Asia/Kolkata",
    "Singapore": "Asia/Singapore",
    "Hong Kong": "Asia/Hong_Kong",
    "Beijing": "Asia/Shanghai",
    "Tokyo": "Asia/Tokyo",
    "Seoul": "Asia/Seoul",
    "Sydney": "Australia/Sydney",
    "Melbourne": "Australia/Melbourne",
    "Brisbane": "Australia/Brisbane",
    "Perth": "Australia/Perth",
    "Auckland": "Pacific/Auckland",
    "Sao Paulo": "America/Sao_Paulo",
    "Buenos Aires": "America/Argentina/Buenos_Aires",
    "Mexico City": "America/Mexico_City",
    "Bogota": "America/Bogota",
    "Lima": "America/Lima",
}
