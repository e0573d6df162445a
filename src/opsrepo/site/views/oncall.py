"""The home page (who is on call now and next) and the schedule pages.

Who is on call changes while a static site sits on a server, so these pages
carry the upcoming shifts as data and ``static/oncall.js`` picks "now" in the
browser; the HTML itself says who was on call when the site was built.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import datetime, timedelta
from functools import cache, partial
from typing import Any

from opsrepo.calendar.html import person_hue
from opsrepo.model import Schedule
from opsrepo.oncall import Shift
from opsrepo.oncall.clock import SECOND, from_micros, to_micros
from opsrepo.oncall.coverage import coverage_gaps, describe_coverage, describe_window
from opsrepo.oncall.status import COVERAGE_REPEATS
from opsrepo.site.format import duration, iso, short, when
from opsrepo.site.shiftrule import coverage_spans, join_shifts, join_spans, resumes
from opsrepo.site.state import (
    CLOCK,
    DAY,
    FEEDS,
    HOME_AHEAD,
    MODEL,
    ORG,
    POSTMORTEM,
    RUNBOOK,
    SCHEDULE,
    TEAM,
    Maker,
    Page,
    SiteState,
)
from opsrepo.site.urls import INDEXES, Linker, page_path
from opsrepo.site.views.calendar import month_grids
from opsrepo.site.views.common import person_ref, ref, runbook_ref, service_ref, severity_ref, team_ref
from opsrepo.timeutil import get_zone

UPCOMING = timedelta(days=14)
_TICK = timedelta(microseconds=1)
_WALL = "%a %d %b %Y %H:%M"


def pages(state: SiteState) -> Iterator[Maker]:
    """Home, the schedule index and one page per schedule."""
    # (runbooks and post-mortems by their front matter: the page names runbooks, never shows one)
    yield Maker(INDEXES["home"], MODEL - {RUNBOOK, POSTMORTEM} | {CLOCK}, partial(home_page, state))
    for schedule_id in sorted(state.repo.schedules):
        yield Maker(page_path("schedule", schedule_id), frozenset({ORG, TEAM, SCHEDULE, DAY, FEEDS}),
                    partial(schedule_page, state, state.repo.schedules[schedule_id]))
    yield Maker(INDEXES["schedules"], frozenset({ORG, TEAM, SCHEDULE}), partial(schedules_index, state))


def now_and_next(state: SiteState, link: Linker, schedule: Schedule) -> dict[str, Any]:
    """Who is on call at build time, until when, and who is next (the home page without JavaScript)."""
    zone = get_zone(schedule.timezone)
    current = state.on_call(schedule.id, state.now)
    upcoming = state.next_shift(schedule.id, state.now)
    if current is not None:  # one shift until the person changes, as ``opsrepo oncall`` says
        current = state.held(schedule.id, current, state.now + HOME_AHEAD)
        if upcoming is not None and upcoming.start < current.end:
            upcoming = state.next_shift(schedule.id, current.end - _TICK)
    return {
        "now": _shift_view(state, link, current, zone) if current else None,
        "next": _shift_view(state, link, upcoming, zone) if upcoming else None,
        "off": off_hours(schedule, state.now) if current is None else None,
    }


def off_hours(schedule: Schedule, at: datetime) -> str | None:
    """``off hours, coverage resumes Mon 09:00 CET`` outside declared coverage (None inside it)."""
    if schedule.coverage is None:
        return "off hours (no coverage declared)"
    back = resumes(schedule, at)
    if back is None:
        return None
    local = back.astimezone(get_zone(schedule.timezone))
    return f"off hours, coverage resumes {local:%a %H:%M} {local.tzname()}"


def _shift_view(state: SiteState, link: Linker, shift: Shift, zone: Any) -> dict[str, Any]:
    return _shift_views(state, link, [shift], zone)[0]


def _shift_views(state: SiteState, link: Linker, shifts: list[Shift], zone: Any) -> list[dict[str, Any]]:
    """Who, from when to when, and why, of each shift.

    Each person's link and each instant's text are made once: one shift's end
    is the next one's start, and a rotation has few people.
    """
    person = cache(partial(person_ref, state, link))
    instant = cache(lambda moment: (short(moment, zone), iso(moment)))
    views = []
    for shift in shifts:
        (start, start_iso), (end, end_iso) = instant(shift.start), instant(shift.end)
        views.append({
            "person": person(shift.person), "hue": person_hue(shift.person), "start": start, "end": end,
            "start_iso": start_iso,
            "end_iso": end_iso, "kind": shift.kind, "source": shift.source,
            "covering_for": state.person_name(shift.covering_for) if shift.covering_for else None,
        })
    return views


def browser_data(state: SiteState, link: Linker, schedule_ids: Iterable[str],
                 ahead: timedelta) -> dict[str, Any]:
    """Shifts from the day before the build to ``ahead`` after it, compact, for ``oncall.js``.

    The span is cut at UTC midnights, so the data (and the page) only change
    when a shift does or a day passes, not at every build.
    """
    start, end = state.today - timedelta(days=1), state.today + ahead + timedelta(days=1)
    people: dict[str, list[str]] = {}
    rows = []
    for schedule_id in schedule_ids:
        spans = join_spans(state.spans(schedule_id, start, end))
        for _, _, person in spans:
            if person not in people:
                target = person_ref(state, link, person)
                people[person] = [target["text"], target["href"]]
        compact = [[begin // SECOND, until // SECOND, person] for begin, until, person in spans]
        schedule = state.repo.schedules[schedule_id]
        rows.append({"id": schedule_id, "zone": schedule.timezone, "shifts": compact,
                     "coverage": _coverage(schedule, start, end)})
    return {"until": int(end.timestamp()), "people": people, "schedules": rows}


def _coverage(schedule: Schedule, start: datetime, end: datetime) -> str | list[list[int]]:
    """``"24x7"``, ``"none"``, or the declared coverage windows in seconds (a gap only counts inside)."""
    if schedule.coverage is None:
        return "none"
    ahead = timedelta(microseconds=COVERAGE_REPEATS)  # long enough to reach where coverage resumes
    spans = coverage_spans(schedule, start, end - timedelta(days=1) + ahead)
    return "24x7" if spans is None else [[low // SECOND, high // SECOND] for low, high in spans]


def home_page(state: SiteState) -> Page:
    """One bookmark at 3 am: on call now and next, alert -> runbook, severities."""
    here = INDEXES["home"]
    link = Linker(here)
    schedules = sorted(state.repo.schedules.values(), key=lambda s: (s.name.lower(), s.id))
    state.read_all()
    rows = [{**ref(link, "schedule", s.id, s.name), "id": s.id, "zone": s.timezone,
             "team": team_ref(state, link, s.team), **now_and_next(state, link, s)} for s in schedules]
    alerts = [
        {"id": a.id, "summary": a.summary, "service": service_ref(state, link, a.service),
         "runbook": runbook_ref(state, link, a.runbook), "severity": severity_ref(state, link, a.severity),
         "policy": ref(link, "policy", state.repo.services[a.service].escalation_policy)}
        for a in sorted(state.repo.alerts.values(), key=lambda a: a.id)
    ]
    levels = [{**(severity_ref(state, link, lv.id) or {}), "pages": lv.pages,
               "acknowledge": duration(lv.acknowledge_within)} for lv in state.repo.severities]
    data = {
        "built": when(state.now, state.zone), "built_iso": iso(state.now), "schedules": rows,
        "alerts": alerts, "severities": levels, "org": state.repo.org.name,
        "oncall": browser_data(state, link, [s.id for s in schedules], HOME_AHEAD),
        "zones": sorted({state.repo.org.timezone, *(s.timezone for s in schedules)}),
    }
    return Page(here, "home.html", "On call now", data)


def schedule_page(state: SiteState, schedule: Schedule) -> Page:
    """A schedule: live now and next, handoffs, two month calendars, layers, overrides, gaps, feeds."""
    # 6 ms: a rebuild that keeps the schedules' pages (one runbook edited) does not import it
    from opsrepo.site.views.timeline import AGENDA_AFTER, agenda, timeline_data

    here = page_path("schedule", schedule.id)
    link = Linker(here)
    zone = get_zone(schedule.timezone)
    soon = join_shifts(state.between(schedule.id, state.today, state.today + UPCOMING))
    data = {
        "schedule": {
            "id": schedule.id, "name": schedule.name, "description": schedule.description,
            "team": team_ref(state, link, schedule.team), "zone": schedule.timezone,
            "coverage": describe_coverage(schedule), "time_off": schedule.time_off,
            "derive": {**ref(link, "schedule", schedule.derive.source), "offset": schedule.derive.offset}
            if schedule.derive else None,
        },
        "upcoming": _shift_views(state, link, soon, zone) if len(soon) <= AGENDA_AFTER else [],
        "agenda": agenda(state, link, soon, zone, state.today, 14) if len(soon) > AGENDA_AFTER else [],
        "timeline": timeline_data(state, link, schedule),
        "month_view": month_view(state, link, schedule.id),
        "calendar": month_grids(state, link, schedule),
        "layers": [_layer(state, link, layer) for layer in schedule.layers],
        "overrides": [_override(state, link, o) for o in schedule.overrides
                      if o.end >= state.today.astimezone(zone).replace(tzinfo=None)],
        "gaps": _gaps(state, schedule, zone),
        "feed": feed_links(state, link, "schedules", schedule.id),
        "oncall": browser_data(state, link, [schedule.id], UPCOMING),
        "zones": sorted({schedule.timezone, state.repo.org.timezone}),
    }
    return Page(here, "schedule.html", schedule.name, data, search="Schedule")


def _layer(state: SiteState, link: Linker, layer: Any) -> dict[str, Any]:
    return {
        "name": layer.name, "members": [person_ref(state, link, p) for p in layer.members],
        "length": duration(layer.length), "start": layer.start.strftime("%Y-%m-%d %H:%M"),
        "end": layer.end.strftime("%Y-%m-%d %H:%M") if layer.end else None, "zone": layer.timezone,
        "restrictions": [describe_window(w) for w in layer.restrictions],
    }


def _override(state: SiteState, link: Linker, override: Any) -> dict[str, Any]:
    return {"person": person_ref(state, link, override.person), "reason": override.reason,
            "start": override.start.strftime(_WALL), "end": override.end.strftime(_WALL)}


def _gaps(state: SiteState, schedule: Schedule, zone: Any) -> list[dict[str, str]]:
    start, end = to_micros(state.today), to_micros(state.window[1])
    spans = list(zip(*state.bounds(schedule.id), strict=True))
    return [{"start": when(from_micros(low), zone), "end": when(from_micros(high), zone),
             "length": duration(from_micros(high) - from_micros(low))}
            for low, high in coverage_gaps(schedule, spans, start, end)[:20]]


def feed_links(state: SiteState, link: Linker, kind: str, object_id: str) -> dict[str, str | None] | None:
    """Links to an ICS feed the site carries: a download, and webcal:// when the site's URL is known."""
    if (kind, object_id) not in state.feeds:
        return None
    path = f"calendars/{kind}/{object_id}.ics"
    base = state.repo.org.site_base_url
    webcal = f"webcal://{base.split('://', 1)[-1].rstrip('/')}/{path}" if base else None
    return {"href": link.path(path), "webcal": webcal}


def month_view(state: SiteState, link: Linker, schedule_id: str) -> str | None:
    """The colour month view ``opsrepo build`` writes beside the site (this month's), when it has a feed."""
    if ("schedules", schedule_id) not in state.feeds:
        return None
    local = state.now.astimezone(state.zone)  # the calendars' months are the org's
    return link.path(f"calendars/schedules/{schedule_id}/{local.year:04d}-{local.month:02d}.html")


def schedules_index(state: SiteState) -> Page:
    """Every schedule with its team, zone and coverage."""
    here = INDEXES["schedules"]
    link = Linker(here)
    rows = [{**ref(link, "schedule", s.id, s.name), "id": s.id, "team": team_ref(state, link, s.team),
             "zone": s.timezone, "coverage": describe_coverage(s)}
            for s in sorted(state.repo.schedules.values(), key=lambda s: s.id)]
    return Page(here, "schedules.html", "Schedules", {"rows": rows})
