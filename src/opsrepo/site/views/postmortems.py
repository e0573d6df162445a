"""Post-mortem pages (timeline, impact, cause, action items) and the filterable index."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from functools import partial
from typing import Any

from opsrepo.model import Postmortem
from opsrepo.site.format import day, duration, iso, when
from opsrepo.site.state import (
    ORG,
    POSTMORTEM,
    POSTMORTEM_META,
    SEVERITY,
    STATUS,
    TEAM,
    Maker,
    Page,
    SiteState,
)
from opsrepo.site.urls import INDEXES, Linker, page_path
from opsrepo.site.views.common import person_ref, ref, service_ref, severity_ref

MILESTONES = {"started": "Started", "detected": "Detected", "acknowledged": "Acknowledged",
              "mitigated": "Mitigated", "resolved": "Resolved"}


READS = frozenset({ORG, TEAM, SEVERITY, POSTMORTEM, STATUS})


def pages(state: SiteState) -> Iterator[Maker]:
    """One page per post-mortem, and the index."""
    for postmortem_id in sorted(state.repo.postmortems):
        yield Maker(page_path("postmortem", postmortem_id), READS,
                    partial(postmortem_page, state, state.repo.postmortems[postmortem_id]))
    yield Maker(INDEXES["postmortems"], frozenset({ORG, TEAM, SEVERITY, POSTMORTEM_META}),
                partial(index_page, state))


def _timeline(state: SiteState, postmortem: Postmortem) -> list[dict[str, Any]]:
    line = postmortem.timeline
    entries: list[tuple[datetime, int, str, bool]] = []
    for order, (name, label) in enumerate(MILESTONES.items()):
        instant = getattr(line, name)
        if instant is not None:
            entries.append((instant, order, label, True))
    entries += [(event.at, 9, event.text, False) for event in line.events]
    return [
        {"at": when(at, state.zone), "iso": iso(at), "text": text, "milestone": milestone,
         "since_start": duration(at - line.started) if at >= line.started else ""}
        for at, _, text, milestone in sorted(entries, key=lambda e: (e[0], e[1]))
    ]


def _durations(postmortem: Postmortem) -> list[dict[str, str]]:
    line = postmortem.timeline
    pairs = (("Time to detect", line.detected), ("Time to acknowledge", line.acknowledged),
             ("Time to mitigate", line.mitigated), ("Time to resolve", line.resolved))
    return [{"label": label, "value": duration(at - line.started)} for label, at in pairs if at is not None]


def _repeats(state: SiteState, link: Linker, postmortem: Postmortem) -> list[dict[str, str]]:
    if not postmortem.root_cause_category:
        return []
    cause = state.postmortems_by_cause.get(postmortem.root_cause_category, [])
    same = [state.repo.postmortems[p] for p in cause if p != postmortem.id]
    return [ref(link, "postmortem", p.id, p.title) for p in sorted(same, key=lambda p: p.timeline.started)]


def postmortem_page(state: SiteState, postmortem: Postmortem) -> Page:
    """A post-mortem with its structured fields and its prose."""
    here = page_path("postmortem", postmortem.id)
    link = Linker(here)
    items = [
        {"id": item.id, "title": item.title, "owner": person_ref(state, link, item.owner),
         "due": day(item.due), "due_iso": item.due.isoformat(), "priority": item.priority, "kind": item.kind,
         "issue": dict(state.issues.get((postmortem.id, item.id), {})) or None}
        for item in postmortem.action_items
    ]
    data = {
        "pm": {
            "id": postmortem.id, "title": postmortem.title, "status": postmortem.status,
            "severity": severity_ref(state, link, postmortem.severity),
            "services": [service_ref(state, link, s) for s in postmortem.services],
            "lead": person_ref(state, link, postmortem.lead) if postmortem.lead else None,
            "authors": [person_ref(state, link, a) for a in postmortem.authors],
            "published": day(postmortem.published) if postmortem.published else None,
            "impact": postmortem.impact, "customers": postmortem.customers_affected,
            "category": postmortem.root_cause_category, "cause": postmortem.root_cause_summary,
        },
        "timeline": _timeline(state, postmortem), "durations": _durations(postmortem),
        "related": [ref(link, "postmortem", r, state.repo.postmortems[r].title) if r in state.repo.postmortems
                    else {"href": "", "text": r} for r in postmortem.related],
        "repeats": _repeats(state, link, postmortem),
        "items": items,
    }
    return Page(here, "postmortem.html", postmortem.title, data,
                (postmortem.path, postmortem.body, postmortem.body_line), search="Post-mortem")


def index_page(state: SiteState) -> Page:
    """Every post-mortem, newest first, filterable by service, severity and category."""
    here = INDEXES["postmortems"]
    link = Linker(here)
    ordered = sorted(state.repo.postmortems.values(), key=lambda p: p.timeline.started, reverse=True)
    rows = [
        {**ref(link, "postmortem", p.id, p.title), "id": p.id,
         "date": day(p.timeline.started.astimezone(state.zone).date()),
         "severity": severity_ref(state, link, p.severity), "status": p.status,
         "services": [service_ref(state, link, s) for s in p.services], "service_ids": " ".join(p.services),
         "category": p.root_cause_category or "", "items": len(p.action_items)}
        for p in ordered
    ]
    filters = {
        "services": sorted({s for p in ordered for s in p.services}),
        "severities": [lv.id for lv in state.repo.severities if any(p.severity == lv.id for p in ordered)],
        "categories": sorted({p.root_cause_category for p in ordered if p.root_cause_category}),
    }
    return Page(here, "postmortems.html", "Post-mortems", {"rows": rows, "filters": filters})
