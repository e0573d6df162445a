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
from datetime import date, datetime, timedelta
from functools import cache, partial
from typing import Any
from zoneinfo import ZoneInfo

from opsrepo.model import Schedule
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
    cells = _Cells(state, link, schedule.id, zone)
    months = []
    for _ in range(MONTHS):
        months.append(_month(cells, schedule.timezone, year, month, today))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return {"cells": cells.cells, "months": months}


def _month(cells: _Cells, zone: str, year: int, month: int, today: date) -> dict[str, Any]:
    days = [day for week in calendar.Calendar(firstweekday=0).monthdatescalendar(year, month) for day in week]
    # the instant each day starts, and the day after the last
    starts = [day_micros(zone, day) for day in [*days, days[-1] + _ONE_DAY]]
    shown = [{"day": day.day, "outside": day.month != month, "today": day == today,
              "cell": cells.of(starts[n], starts[n + 1])} for n, day in enumerate(days)]
    return {"title": f"{calendar.month_name[month]} {year}",
            "weeks": [shown[n : n + 7] for n in range(0, len(shown), 7)]}


class _Cells:
    """The distinct days' entries of one page, in the order the days first show them.

    The shifts are sorted and do not overlap, so their ends are sorted too.
    """

    def __init__(self, state: SiteState, link: Linker, schedule_id: str, zone: ZoneInfo) -> None:
        self.shifts = state.shifts(schedule_id)
        self.starts, self.ends = state.bounds(schedule_id)
        self.cells: list[list[dict[str, Any]]] = []
        self.known: dict[tuple[_Entry, ...], int] = {}
        #: one link per person, shared by their entries; the local ``HH:MM`` of an instant
        self.person = cache(partial(person_ref, state, link))
        self.clock = cache(partial(_hhmm, zone))

    def of(self, start: int, end: int) -> int:
        """The index in :attr:`cells` of the entries of the day from ``start`` to ``end``."""
        starts, ends, count = self.starts, self.ends, len(self.shifts)
        entries = []
        at = bisect.bisect_right(ends, start)  # the first shift that ends after the day starts
        while at < count and starts[at] < end:
            first, last = starts[at], ends[at]
            entries.append((self.shifts[at].person, self.clock(first) if first > start else "",
                            self.clock(last) if last < end else "", self.shifts[at].kind == "override"))
            at += 1
        key = tuple(entries)
        found = self.known.get(key)
        if found is None:
            found = self.known[key] = len(self.cells)
            self.cells.append([{"person": self.person(who), "from": since, "to": until, "override": override}
                               for who, since, until, override in key])
        return found


def _hhmm(zone: ZoneInfo, micros: int) -> str:
    """The local ``HH:MM`` at an instant."""
    local = datetime.fromtimestamp(micros // SECOND, zone)  # what astimezone gives, faster
    return f"{local.hour:02}:{local.minute:02}"
