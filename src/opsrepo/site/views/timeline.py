"""A schedule page's timeline drawn as SVG bars (week and two-week zoom), and its short agenda.

Bars are placed by percentages of the timeline's span (SVG attributes, so
the site's Content-Security-Policy, which allows no ``style`` attribute,
holds); each person's colour is a ``hue-N`` class from their id
(:func:`opsrepo.calendar.html.person_hue`, as in the month views) and their
name is written in the bar. ``static/timeline.js`` adds the zoom buttons and
the "now" line; without it both zooms are shown, one under the other.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from opsrepo.calendar.html import person_hue
from opsrepo.model import Schedule
from opsrepo.oncall import Shift
from opsrepo.oncall.clock import day_micros, from_micros
from opsrepo.site.format import short
from opsrepo.site.state import SiteState
from opsrepo.site.timeline import GAP, OFF, OVERRIDE, Bar, Timeline, build_timeline
from opsrepo.site.urls import Linker
from opsrepo.site.views.common import person_ref
from opsrepo.timeutil import get_zone

#: the zooms: name, label, days
ZOOMS = (("week", "1 week", 7), ("fortnight", "2 weeks", 14))
#: height of a row of bars, and of the day axis above them (px)
ROW, AXIS = 30, 22
#: a "next two weeks" with more shifts than this is listed a day per row
AGENDA_AFTER = 16


def timeline_data(state: SiteState, link: Linker, schedule: Schedule) -> dict[str, Any]:
    """Both zooms of the schedule's timeline from the start of the build's day in its zone."""
    zone = get_zone(schedule.timezone)
    today = state.now.astimezone(zone).date()
    start = from_micros(day_micros(schedule.timezone, today))
    days = max(size for _, _, size in ZOOMS)
    end = from_micros(day_micros(schedule.timezone, today + timedelta(days=days)))
    model = build_timeline(state.repo, schedule.id, start, end, state.between(schedule.id, start, end))
    views = []
    for name, label, size in ZOOMS:
        stop = from_micros(day_micros(schedule.timezone, today + timedelta(days=size)))
        views.append({"name": name, "label": label, **_view(state, link, model.clipped(stop), zone)})
    return {"start": int(start.timestamp()), "zone": schedule.timezone, "views": views}


def _view(state: SiteState, link: Linker, model: Timeline, zone: ZoneInfo) -> dict[str, Any]:
    span = (model.end - model.start).total_seconds()

    def at(instant: datetime) -> float:
        return round(100 * (instant - model.start).total_seconds() / span, 3)

    rows = [{"kind": row.kind, "name": row.name, "y": AXIS + n * ROW,
             "bars": [_bar(state, link, bar, at, zone) for bar in row.bars]}
            for n, row in enumerate(model.rows)]
    days, day = [], model.start.astimezone(zone).date()
    while (moment := from_micros(day_micros(str(zone), day))) < model.end:
        days.append({"x": at(moment), "label": f"{day:%a} {day.day}", "short": str(day.day),
                     "weekend": day.weekday() >= 5})
        day += timedelta(days=1)
    return {"start": int(model.start.timestamp()), "end": int(model.end.timestamp()), "rows": rows,
            "days": days, "height": AXIS + len(rows) * ROW, "row": ROW, "axis": AXIS}


def _bar(state: SiteState, link: Linker, bar: Bar, at: Any, zone: ZoneInfo) -> dict[str, Any]:
    x, end = at(bar.start), at(bar.end)
    if bar.person is None:
        label = "off hours" if bar.kind == OFF else "gap: nobody on call"
        person, hue = None, None
    else:
        person = person_ref(state, link, bar.person)
        label, hue = person["text"], person_hue(bar.person)
    why = _why(bar)
    return {"x": x, "width": round(end - x, 3), "label": label, "kind": bar.kind, "hue": hue,
            "person": person,
            "title": f"{label}: {short(bar.start, zone)} to {short(bar.end, zone)}{why}"}


def _why(bar: Bar) -> str:
    if bar.kind == OVERRIDE:
        return " (override)" if bar.source in ("", "override") else f" (override: {bar.source})"
    if bar.kind in (GAP, OFF) or not bar.source:
        return ""
    return f" ({bar.source})"


def agenda(state: SiteState, link: Linker, shifts: Sequence[Shift], zone: ZoneInfo, start: datetime,
           days: int) -> list[dict[str, Any]]:
    """A day per row: who holds the day's start and each handoff in it (local ``HH:MM``)."""
    rows = []
    day = start.astimezone(zone).date()
    for _ in range(days):
        opens = from_micros(day_micros(str(zone), day))
        closes = from_micros(day_micros(str(zone), day + timedelta(days=1)))
        entries = [{"time": "" if s.start <= opens else f"{s.start.astimezone(zone):%H:%M}",
                    "person": person_ref(state, link, s.person), "hue": person_hue(s.person)}
                   for s in shifts if s.start < closes and s.end > opens]
        rows.append({"day": f"{day:%a} {day.day} {day:%b}", "iso": day.isoformat(), "entries": entries})
        day += timedelta(days=1)
    return rows
