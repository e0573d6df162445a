"""Month grids: who is on call on each day of a month, as plain data (for the calendar's HTML month pages)."""

from __future__ import annotations

import bisect
import calendar as stdlib_calendar
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from typing import Any

from opsrepo.oncall import Shift
from opsrepo.timeutil import get_zone, resolve_wall_time

_ONE_DAY = timedelta(days=1)


def month_grid(shifts: Sequence[Shift], year: int, month: int, zone: str) -> dict[str, Any]:
    """The month as weeks (Monday first) of days, each with the shifts that touch it in ``zone``.

    Returns ``{"year", "month", "title", "zone", "weeks": [[day, ...7], ...]}``
    where a day is ``{"date": "2026-11-23", "day": 23, "in_month": bool,
    "weekend": bool, "entries": [entry, ...]}`` and an entry is ``{"person",
    "from": "09:00", "to": "24:00", "kind", "source", "covering_for",
    "continued": bool (began before this day), "continues": bool (goes on
    after it)}``. Times are wall times in ``zone``; ``to`` is ``24:00`` at
    the next midnight. Plain values only: templates and JSON take it as is.
    """
    tz = get_zone(zone)
    ordered = sorted(shifts, key=lambda s: s.start)
    ends = [shift.end for shift in ordered]  # non-overlapping shifts: ends are sorted too
    days = stdlib_calendar.Calendar(firstweekday=0).monthdatescalendar(year, month)
    # each midnight resolved once: a day closes where the next one opens
    midnights = [resolve_wall_time(datetime.combine(day, time()), tz) for week in days for day in week]
    midnights.append(resolve_wall_time(datetime.combine(days[-1][-1] + _ONE_DAY, time()), tz))
    weeks, index = [], 0
    for week in days:
        row = []
        for day in week:
            row.append(_day(day, month, ordered, ends, midnights[index], midnights[index + 1], tz))
            index += 1
        weeks.append(row)
    return {"year": year, "month": month, "title": f"{stdlib_calendar.month_name[month]} {year}",
            "zone": zone, "weeks": weeks}


def _day(day: date, month: int, shifts: Sequence[Shift], ends: list[datetime], opens: datetime,
         closes: datetime, tz: Any) -> dict[str, Any]:
    entries = []
    for index in range(bisect.bisect_right(ends, opens), len(shifts)):
        if shifts[index].start >= closes:
            break
        entries.append(_entry(shifts[index], opens, closes, tz))
    return {"date": day.isoformat(), "day": day.day, "in_month": day.month == month,
            "weekend": day.weekday() >= 5, "entries": entries}


def _entry(shift: Shift, opens: datetime, closes: datetime, tz: Any) -> dict[str, Any]:
    start, end = max(shift.start, opens), min(shift.end, closes)
    return {
        "person": shift.person,
        "from": _clock(start, tz),
        "to": "24:00" if end >= closes else _clock(end, tz),  # not ==: a midnight in an overlap (PEP 495)
        "kind": shift.kind,
        "source": shift.source,
        "covering_for": shift.covering_for,
        "continued": shift.start < opens,
        "continues": shift.end > closes,
    }


@lru_cache(maxsize=1 << 16)  # schedules of one zone share their handoff instants
def _clock(instant: datetime, tz: Any) -> str:
    """``09:00``: the instant's wall clock in ``tz``."""
    return instant.astimezone(tz).isoformat()[11:16]


def months_between(start: datetime, end: datetime, zone: str) -> list[tuple[int, int]]:
    """Every ``(year, month)`` that ``[start, end)`` touches in ``zone``."""
    tz = get_zone(zone)
    first, last = start.astimezone(tz).date(), (end - timedelta(microseconds=1)).astimezone(tz).date()
    found, year, month = [], first.year, first.month
    while (year, month) <= (last.year, last.month):
        found.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return found
