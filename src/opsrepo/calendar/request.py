"""The range ``opsrepo calendar`` renders, from its --from and --to."""

from __future__ import annotations

import calendar
from datetime import datetime

from opsrepo.calendar import default_range
from opsrepo.errors import UsageError
from opsrepo.model import Repo
from opsrepo.timeutil import get_zone, parse_cli_instant, resolve_wall_time


def calendar_range(repo: Repo, now: datetime, start: str | None,
                   end: str | None) -> tuple[datetime, datetime]:
    """``[start, end)``: dates and naive times in the organisation's zone; ``calendar.months`` by default."""
    zone = repo.org.timezone
    months = repo.org.calendar_months
    low = _parse(start, "--from", zone) if start else default_range(now, zone, months)[0]
    high = _parse(end, "--to", zone) if end else add_months(low, months, zone)
    if high <= low:
        raise UsageError(f"--to ({high.isoformat()}) must be after --from ({low.isoformat()})")
    return low, high


def add_months(instant: datetime, months: int, zone: str) -> datetime:
    """The same wall time ``months`` calendar months later in ``zone`` (the day clamped to the month)."""
    tz = get_zone(zone)
    local = instant.astimezone(tz).replace(tzinfo=None)
    year, month = local.year + (local.month - 1 + months) // 12, (local.month - 1 + months) % 12 + 1
    day = min(local.day, calendar.monthrange(year, month)[1])
    return resolve_wall_time(local.replace(year=year, month=month, day=day), tz)


def _parse(text: str, option: str, zone: str) -> datetime:
    try:
        return parse_cli_instant(text, get_zone(zone))
    except ValueError:
        raise UsageError(f"{option} {text!r} is not a date or an ISO 8601 instant",
                         f"write e.g. 2026-12-01, 2026-12-01T09:00 ({zone} time) "
                         "or 2026-12-01T09:00+01:00") from None
