"""Durations, times of day, local date-times and instants as the SPEC writes them."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from typing import TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from opsrepo.errors import UsageError

_DURATION = re.compile(r"^(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?\Z")
_UNITS = ("w", "d", "h", "m", "s")
_TIME_OF_DAY = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)\Z|^24:00\Z")
_LOCAL_DT = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?\Z")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}\Z")

D = TypeVar("D", date, datetime)

DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def parse_duration(text: str) -> timedelta:
    """``"1h30m"`` -> ``timedelta(hours=1, minutes=30)``; raises ValueError."""
    match = _DURATION.match(text)
    if not text or match is None:
        raise ValueError(f"{text!r} is not a duration; write e.g. 90s, 15m, 12h, 1d, 1w or 1h30m")
    if len(text) > 40:  # no sensible duration is this long; int() of thousands of digits is refused anyway
        raise ValueError(f"{text[:40]!r}... is out of range; durations are at most about 600 years")
    weeks, days, hours, minutes, seconds = (int(g) if g else 0 for g in match.groups())
    try:
        return timedelta(weeks=weeks, days=days, hours=hours, minutes=minutes, seconds=seconds)
    except OverflowError:
        raise ValueError(f"{text!r} is out of range; durations are at most about 600 years") from None


def format_duration(delta: timedelta) -> str:
    """The inverse of :func:`parse_duration`, largest units first (``1h30m``)."""
    total = int(delta.total_seconds())
    if total == 0:
        return "0s"
    sign = "-" if total < 0 else ""
    total = abs(total)
    parts = []
    for unit, size in zip(_UNITS, (604800, 86400, 3600, 60, 1), strict=True):
        count, total = divmod(total, size)
        if count:
            parts.append(f"{count}{unit}")
    return sign + "".join(parts)


def parse_time_of_day(text: str) -> time:
    """``"09:00"`` -> ``time(9, 0)``; ``"24:00"`` is midnight at the end of the day."""
    if _TIME_OF_DAY.match(text) is None:
        raise ValueError(f"{text!r} is not a time of day; write HH:MM, e.g. \"09:00\"")
    if text == "24:00":
        return time(0, 0)
    return time(int(text[:2]), int(text[3:]))


def parse_local_datetime(text: str) -> datetime:
    """``"2026-01-05T09:00"`` -> a naive datetime (a wall time in some zone)."""
    if _LOCAL_DT.match(text) is None:
        raise ValueError(f"{text!r} is not a local date-time; write e.g. \"2026-01-05T09:00\"")
    return datetime.fromisoformat(text)


def parse_date(text: str) -> date:
    """``"2026-12-24"`` -> a date; a date out of :data:`YEARS` is a :class:`UsageError`."""
    if _DATE.match(text) is None:
        raise ValueError(f"{text!r} is not a date; write YYYY-MM-DD")
    return _in_range(date.fromisoformat(text), text)


#: the years opsrepo reads, in files (the schemas' date patterns) and on the command line: any of them
#: plus or minus a horizon, a turn or a chain is still a date Python can write
YEARS = (1900, 2999)


def _in_range(value: D, text: str) -> D:
    if not YEARS[0] <= value.year <= YEARS[1]:
        raise UsageError(f"{text} is out of range: opsrepo reads years {YEARS[0]} to {YEARS[1]}",
                         "write a date or instant within them")
    return value


def parse_instant(text: str) -> datetime:
    """An ISO 8601 instant with offset or ``Z``; raises ValueError when naive."""
    value = datetime.fromisoformat(text)
    if value.tzinfo is None:
        raise ValueError(f"{text!r} has no UTC offset; write e.g. 2026-03-14T10:02:00Z")
    return value


def parse_cli_instant(text: str, zone: ZoneInfo) -> datetime:
    """An instant from the command line: naive means ``zone``'s wall time; out of range: UsageError."""
    value = _in_range(datetime.fromisoformat(text), text)
    if value.tzinfo is None:
        return resolve_wall_time(value, zone)
    return value


def format_instant(instant: datetime, zone: ZoneInfo | str) -> str:
    """ISO 8601 in ``zone`` (a zone or its name) with its offset, to the minute (seconds when it has any)."""
    return format_wall(instant.astimezone(get_zone(zone) if isinstance(zone, str) else zone))


def format_wall(moment: datetime) -> str:
    """ISO 8601 as written (a naive wall time stays naive), to the minute (seconds when it has any)."""
    whole_minute = moment.second == 0 and moment.microsecond == 0
    return moment.isoformat(timespec="minutes" if whole_minute else "seconds")


#: names that load on some machines only, or mean the machine's own setting: a repo never depends on them
MACHINE_ZONES = frozenset({"localtime", "posixrules", "factory"})
MACHINE_ZONE_FOLDERS = ("posix/", "right/")


@lru_cache(maxsize=1024)
def get_zone(name: str) -> ZoneInfo:
    """The IANA zone ``name``; raises ValueError for unknown names and machine-dependent ones.

    ``localtime`` is whatever zone the machine runs in, ``posixrules`` and
    ``Factory`` exist in some installations of the tz database only, and
    ``posix/``/``right/`` are copies (``right/`` counts leap seconds): a
    schedule in one of them would change with the machine that reads it.
    """
    if name.casefold() in MACHINE_ZONES or name.startswith(MACHINE_ZONE_FOLDERS):
        raise ValueError(f"{name!r} depends on the machine; name an IANA zone such as Europe/Berlin")
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, TypeError, OSError) as exc:  # OSError: a name too long
        raise ValueError(f"{name!r} is not an IANA timezone") from exc


def closest_zone(name: str) -> str | None:
    """The IANA zone name closest to a misspelt one (``Asia/Tokio`` -> ``Asia/Tokyo``), or None."""
    import difflib
    from zoneinfo import available_timezones

    zones = sorted(zone for zone in available_timezones()
                   if zone.casefold() not in MACHINE_ZONES and not zone.startswith(MACHINE_ZONE_FOLDERS))
    by_case = {zone.lower(): zone for zone in zones}
    if name.lower() in by_case:
        return by_case[name.lower()]
    region = name.rpartition("/")[0]
    same_region = [zone for zone in zones if zone.lower().startswith(region.lower() + "/")] if region else []
    for pool in (same_region, zones):
        close = difflib.get_close_matches(name, pool, n=1, cutoff=0.6)
        if close:
            return close[0]
    return None


def resolve_wall_time(wall: datetime, zone: ZoneInfo) -> datetime:
    """The instant of a wall time in ``zone`` (SPEC section 2).

    In a fall-back overlap the first occurrence wins; in a spring-forward gap
    the first valid instant after it (the instant the clocks jump at).
    """
    first = wall.replace(tzinfo=zone, fold=0)
    roundtrip = first.astimezone(ZoneInfo("UTC")).astimezone(zone).replace(tzinfo=None)
    if roundtrip == wall.replace(tzinfo=None):
        return first
    # In a gap: fold=1 maps the wall time with the pre-transition offset, which
    # lands after the transition; the transition itself is the first valid instant.
    after = wall.replace(tzinfo=zone, fold=1).astimezone(ZoneInfo("UTC"))
    before = wall.replace(tzinfo=zone, fold=0).astimezone(ZoneInfo("UTC"))
    low, high = min(before, after), max(before, after)
    return _first_instant_with_wall_after(low, high, wall, zone)


def _first_instant_with_wall_after(
    low: datetime, high: datetime, wall: datetime, zone: ZoneInfo
) -> datetime:
    """Binary search (to the second) for the transition instant inside a gap."""
    naive = wall.replace(tzinfo=None)
    while (high - low) > timedelta(seconds=1):
        mid = low + (high - low) / 2
        if mid.astimezone(zone).replace(tzinfo=None) >= naive:
            high = mid
        else:
            low = mid
    return high.replace(microsecond=0).astimezone(zone)
