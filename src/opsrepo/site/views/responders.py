"""Who a paged responder reaches from a runbook: its services' on-call now and their escalation chains.

The page carries the shifts (``static/oncall.js`` picks "now" in the browser,
as on the home page); without JavaScript it says who holds each schedule on
the build's day, so the page depends on the day, not on the minute.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from opsrepo.site.format import iso, short
from opsrepo.site.shiftrule import join_shifts
from opsrepo.site.state import SiteState
from opsrepo.site.urls import Linker
from opsrepo.site.views.common import person_ref, ref, service_ref
from opsrepo.site.views.oncall import UPCOMING, browser_data
from opsrepo.site.views.policies import timeline
from opsrepo.timeutil import get_zone

_DAY = timedelta(days=1)


def responders(state: SiteState, link: Linker, service_ids: Iterable[str]) -> dict[str, Any]:
    """The services' escalation chains and the schedules they page, first level first.

    Made once per set of services and page folder (the links are relative): a team's many runbooks
    name the same few services (the data is only read).
    """
    services = tuple(s for s in dict.fromkeys(service_ids) if s in state.repo.services)
    memo: dict[tuple[str, tuple[str, ...]], dict[str, Any]] = vars(state).setdefault("_responders", {})
    key = (link.folder, services)
    if key not in memo:
        memo[key] = _responders(state, link, services)
    return memo[key]


def _responders(state: SiteState, link: Linker, services: tuple[str, ...]) -> dict[str, Any]:
    repo = state.repo
    users: dict[str, list[str]] = {}
    for service_id in services:
        users.setdefault(repo.services[service_id].escalation_policy, []).append(service_id)
    chains, schedule_ids = [], []
    for policy_id, served in users.items():
        policy = repo.policies.get(policy_id)
        if policy is None:
            continue
        chains.append({"policy": ref(link, "policy", policy.id, policy.name or policy.id),
                       "services": [service_ref(state, link, s) for s in served],
                       # the first run of the chain: a repeat is the same levels again, said in a sentence
                       "timeline": [step for step in timeline(state, link, policy) if step["cycle"] == 1],
                       "repeat": policy.repeat, "skip": policy.skips})
        schedule_ids += [t.id for level in policy.levels for t in level.targets
                         if t.kind == "schedule" and t.id in repo.schedules]
    schedule_ids = list(dict.fromkeys(schedule_ids))
    rows = [{**ref(link, "schedule", sid, repo.schedules[sid].name), "id": sid,
             "zone": repo.schedules[sid].timezone, "today": _today(state, link, sid)} for sid in schedule_ids]
    return {"chains": chains, "schedules": rows,
            "oncall": browser_data(state, link, schedule_ids, UPCOMING) if schedule_ids else None,
            "zones": sorted({repo.org.timezone, *(row["zone"] for row in rows)})}


def _today(state: SiteState, link: Linker, schedule_id: str) -> list[dict[str, Any]]:
    """Who holds the schedule on the build's day (UTC), each until when (in the schedule's zone)."""
    zone = get_zone(state.repo.schedules[schedule_id].timezone)
    shifts = join_shifts(state.between(schedule_id, state.today, state.today + _DAY))
    return [{"person": person_ref(state, link, s.person), "until": short(s.end, zone),
             "until_iso": iso(s.end)}
            for s in shifts]
