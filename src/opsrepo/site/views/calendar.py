"""Month calendars of a schedule: who is on call on each day, in the schedule's timezone.

Most days of a rotation look alike ("Ana" all day, or "Ana → 09:00, 09:00
Ben" on a handoff day), so the page data holds each distinct day's entries
once, in ``cells``, and each day of the month tables names its cell by index:
the template draws a cell once however many days show it. Instants are
integer microseconds (:mod:`opsrepo.oncall.clock`), so no datetime is made
per day.
"""

from __future__ import annotations

import bisect
import calendar
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from opsrepo.model import Schedule
from opsrepo.oncall import Shift
from opsrepo.oncall.clock import SECOND, day_micros
from opsrepo.site.state import SiteState
from opsrepo.site.urls import Linker
from opsrepo.site.views.common import person_ref
from opsrepo.timeutil import get_zone

#: months shown on a schedule page: this one and the next
MONTHS = 2
_ONE_DAY = timedelta(days=1)

#: a day's entry as compared between days: person, from, to (local ``HH:MM`` or ""), an override
_Entry = tuple[str, str, str, bool]


def month_grids(state: SiteState, link: Linker, schedule: Schedule) -> dict[str, Any]:
    """The current month and the next as weeks (Monday first) of days, and the days' distinct entries.

    ``{"cells": [[entry, ...], ...], "months": [{"title", "weeks": [[day, ...], ...]}, ...]}``
    where a day is ``{"day", "outside", "today", "cell"}`` (``cell``: its entries' index in ``cells``).
    """
    zone = get_zone(schedule.timezone)
    today = state.now.astimezone(zone).date()
    year, month = today.year, today.month
    cells = _Cells(state, link, state.shifts(schedule.id), *state.bounds(schedule.id))
    months = []
    for _ in range(MONTHS):
        weeks = calendar.Calendar(firstweekday=0).monthdatescalendar(year, month)
        # the instant each day starts, and the day after the last
        starts = [day_micros(schedule.timezone, day) for week in weeks for day in week]
        starts.append(day_micros(schedule.timezone, weeks[-1][-1] + _ONE_DAY))
        rows, at = [], 0
        for week in weeks:
            row = []
            for day in week:
                row.append({"day": day.day, "outside": day.month != month, "today": day == today,
                            "cell": cells.of(starts[at], starts[at + 1], zone)})
                at += 1
            rows.append(row)
        months.append({"title": f"{calendar.month_name[month]} {year}", "weeks": rows})
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return {"cells": cells.cells, "months": months}


class _Cells:
    """The distinct days' entries of one page, in the order the days first show them.

    The shifts are sorted and do not overlap, so their ends are sorted too.
    """

    def __init__(self, state: SiteState, link: Linker, shifts: list[Shift], starts: list[int],
                 ends: list[int]) -> None:
        self.state, self.link = state, link
        self.shifts, self.starts, self.ends = shifts, starts, ends
        self.cells: list[list[dict[str, Any]]] = []
        self.known: dict[tuple[_Entry, ...], int] = {}
        self.refs: dict[str, dict[str, str]] = {}  # one link per person, shared by their entries
        self.clock: dict[int, str] = {}  # local HH:MM of an instant

    def of(self, start: int, end: int, zone: ZoneInfo) -> int:
        """The index in :attr:`cells` of the entries of the day from ``start`` to ``end``."""
        starts, ends, clock, count = self.starts, self.ends, self.clock, len(self.shifts)
        entries = []
        at = bisect.bisect_right(ends, start)  # the first shift that ends after the day starts
        while at < count and starts[at] < end:
            shift, first, last = self.shifts[at], starts[at], ends[at]
            since = (clock.get(first) or _hhmm(clock, first, zone)) if first > start else ""
            until = (clock.get(last) or _hhmm(clock, last, zone)) if last < end else ""
            entries.append((shift.person, since, until, shift.kind == "override"))
            at += 1
        key = tuple(entries)
        found = self.known.get(key)
        if found is None:
            found = self.known[key] = len(self.cells)
            self.cells.append([self._entry(*entry) for entry in key])
        return found

    def _entry(self, person: str, start: str, end: str, override: bool) -> dict[str, Any]:
        target = self.refs.get(person)
        if target is None:
            target = self.refs[person] = person_ref(self.state, self.link, person)
        return {"person": target, "from": start, "to": end, "override": override}


def _hhmm(clock: dict[int, str], micros: int, zone: ZoneInfo) -> str:
    """The local ``HH:MM`` at an instant, kept in ``clock``."""
    local = datetime.fromtimestamp(micros // SECOND, zone)  # what astimezone gives, faster
    text = clock[micros] = f"{local.hour:02}:{local.minute:02}"
    return text
