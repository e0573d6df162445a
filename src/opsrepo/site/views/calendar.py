"""Month calendars of a schedule: who is on call on each day, in the schedule's timezone."""

from __future__ import annotations

import calendar
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Any

from opsrepo.model import Schedule
from opsrepo.oncall import Shift
from opsrepo.site.state import SiteState
from opsrepo.site.urls import Linker
from opsrepo.site.views.common import person_ref
from opsrepo.timeutil import get_zone, resolve_wall_time

#: months shown on a schedule page: this one and the next
MONTHS = 2


def month_grids(state: SiteState, link: Linker, schedule: Schedule,
                shifts: list[Shift]) -> list[dict[str, Any]]:
    """The current month and the next as weeks (Monday first) of days with their on-call entries."""
    zone = get_zone(schedule.timezone)
    today = state.now.astimezone(zone).date()
    grids = []
    year, month = today.year, today.month
    for _ in range(MONTHS):
        grids.append(_month(state, link, schedule, shifts, year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return grids


def _month(state: SiteState, link: Linker, schedule: Schedule, shifts: list[Shift],
           year: int, month: int) -> dict[str, Any]:
    today = state.now.astimezone(get_zone(schedule.timezone)).date()
    weeks = calendar.Calendar(firstweekday=0).monthdatescalendar(year, month)
    first = _midnight(schedule.timezone, weeks[0][0])
    index = next((i for i, s in enumerate(shifts) if s.end > first), len(shifts))
    refs: dict[str, dict[str, str]] = {}  # one link per person on the page, shared by their entries
    rows = []
    for week in weeks:
        row = []
        for day in week:
            start = _midnight(schedule.timezone, day)
            end = _midnight(schedule.timezone, day + timedelta(days=1))
            while index < len(shifts) and shifts[index].end <= start:
                index += 1
            entries = [_entry(state, link, refs, shift, start, end, schedule.timezone)
                       for shift in _overlapping(shifts, index, end)]
            row.append({"date": day.isoformat(), "day": day.day, "outside": day.month != month,
                        "today": day == today, "entries": entries})
        rows.append(row)
    return {"title": f"{calendar.month_name[month]} {year}", "weeks": rows}


def _overlapping(shifts: list[Shift], index: int, end: datetime) -> list[Shift]:
    found = []
    while index < len(shifts) and shifts[index].start < end:
        found.append(shifts[index])
        index += 1
    return found


@lru_cache(maxsize=4096)
def _midnight(zone: str, day: date) -> datetime:
    """The instant a local day starts (a DST gap at midnight: the first instant after)."""
    return resolve_wall_time(datetime.combine(day, datetime.min.time()), get_zone(zone))


def _entry(state: SiteState, link: Linker, refs: dict[str, dict[str, str]], shift: Shift, start: datetime,
           end: datetime, zone_name: str) -> dict[str, Any]:
    zone = get_zone(zone_name)
    person = refs.get(shift.person)
    if person is None:
        person = refs[shift.person] = person_ref(state, link, shift.person)
    return {
        "person": person,
        "from": shift.start.astimezone(zone).strftime("%H:%M") if shift.start > start else "",
        "to": shift.end.astimezone(zone).strftime("%H:%M") if shift.end < end else "",
        "kind": shift.kind,
    }
