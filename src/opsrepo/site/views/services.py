"""Service pages (owner, escalation, alerts, runbooks, incidents), team pages, and their indexes."""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial
from typing import Any

from opsrepo.model import Service, Team
from opsrepo.site.format import day
from opsrepo.site.state import (
    DAY,
    ESCALATION,
    FEEDS,
    ORG,
    POSTMORTEM_META,
    RUNBOOK_META,
    SCHEDULE,
    SEVERITY,
    TEAM,
    Maker,
    Page,
    SiteState,
)
from opsrepo.site.urls import INDEXES, Linker, page_path
from opsrepo.site.views.common import alert_anchor, person_ref, ref, runbook_ref, severity_ref, team_ref
from opsrepo.site.views.oncall import feed_links
from opsrepo.site.views.policies import timeline, timeline_data


def pages(state: SiteState) -> Iterator[Maker]:
    """Services and teams."""
    incidents = _incidents(state)
    for service_id in sorted(state.repo.services):
        service = state.repo.services[service_id]
        yield Maker(page_path("service", service_id), SERVICE_READS,
                    partial(service_page, state, service, incidents.get(service_id, [])))
    yield Maker(INDEXES["services"], frozenset({ORG, TEAM}), partial(services_index, state))
    for team_id in sorted(state.repo.teams):
        yield Maker(page_path("team", team_id), frozenset({ORG, TEAM, SCHEDULE, RUNBOOK_META, FEEDS}),
                    partial(team_page, state, state.repo.teams[team_id]))
    yield Maker(INDEXES["teams"], frozenset({ORG, TEAM}), partial(teams_index, state))


SERVICE_READS = frozenset({ORG, TEAM, ESCALATION, SEVERITY, RUNBOOK_META, POSTMORTEM_META, SCHEDULE, DAY})


def _incidents(state: SiteState) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    by_start = sorted(state.repo.postmortems.values(), key=lambda p: p.timeline.started, reverse=True)
    for postmortem in by_start:
        for service in postmortem.services:
            found.setdefault(service, []).append(postmortem.id)
    return found


def service_page(state: SiteState, service: Service, incidents: list[str]) -> Page:
    """What an on-call engineer needs about one service."""
    here = page_path("service", service.id)
    link = Linker(here)
    policy = state.repo.policies.get(service.escalation_policy)
    data = {
        "service": {
            "id": service.id, "title": service.title, "description": service.description,
            "tier": service.tier, "team": team_ref(state, link, service.team),
        },
        "policy": ref(link, "policy", policy.id, policy.name or policy.id) if policy else None,
        "policy_id": service.escalation_policy,
        "overrides": [
            {"severity": severity_ref(state, link, level), "policy": ref(link, "policy", pid)}
            for level, pid in sorted(service.severity_policies.items())
        ],
        "timeline": timeline(state, link, policy) if policy else [],
        "timeline_skip": policy.skips if policy else False,
        "oncall": timeline_data(state, link, policy) if policy else None,
        "alerts": [
            {"id": a.id, "anchor": alert_anchor(a.id), "summary": a.summary,
             "severity": severity_ref(state, link, a.severity),
             "runbook": runbook_ref(state, link, a.runbook)}
            for a in service.alerts
        ],
        "runbooks": [runbook_ref(state, link, r) for r in _runbooks_of(state, service)],
        "incidents": [_incident(state, link, pid) for pid in incidents[:10]],
        "more_incidents": max(len(incidents) - 10, 0),
    }
    return Page(here, "service.html", service.title, data, search="Service")


def _runbooks_of(state: SiteState, service: Service) -> list[str]:
    named = list(service.runbooks)
    listed = set(named)
    return named + [r for r in state.runbooks_naming.get(service.id, []) if r not in listed]


def _incident(state: SiteState, link: Linker, postmortem_id: str) -> dict[str, Any]:
    postmortem = state.repo.postmortems[postmortem_id]
    return {
        **ref(link, "postmortem", postmortem_id, postmortem.title),
        "date": day(postmortem.timeline.started.astimezone(state.zone).date()),
        "severity": severity_ref(state, link, postmortem.severity), "status": postmortem.status,
    }


def services_index(state: SiteState) -> Page:
    """Every service with its team, tier and escalation policy."""
    here = INDEXES["services"]
    link = Linker(here)
    rows = [
        {**ref(link, "service", s.id, s.title), "id": s.id, "tier": s.tier,
         "team": team_ref(state, link, s.team), "policy": ref(link, "policy", s.escalation_policy),
         "alerts": len(s.alerts)}
        for s in sorted(state.repo.services.values(), key=lambda s: (s.tier or 9, s.id))
    ]
    return Page(here, "services.html", "Services", {"rows": rows})


def team_page(state: SiteState, team: Team) -> Page:
    """A team: its people, services, schedules and runbooks."""
    here = page_path("team", team.id)
    link = Linker(here)
    members = list(team.members or team.people)
    data = {
        "team": {"id": team.id, "name": team.name, "description": team.description, "chat": team.chat},
        "people": [person_ref(state, link, p) for p in members],
        "services": [ref(link, "service", s, state.repo.services[s].title)
                     for s in team.services if s in state.repo.services],
        "schedules": [ref(link, "schedule", s, state.repo.schedules[s].name)
                      for s in state.team_schedules.get(team.id, [])],
        "runbooks": [runbook_ref(state, link, r) for r in state.team_runbooks.get(team.id, [])],
        "feed": feed_links(state, link, "teams", team.id),
    }
    return Page(here, "team.html", team.name, data, search="Team")


def _id(record: Any) -> str:
    return str(record.id)


def teams_index(state: SiteState) -> Page:
    """Every team."""
    here = INDEXES["teams"]
    link = Linker(here)
    rows = [{**ref(link, "team", t.id, t.name), "chat": t.chat, "services": len(t.services),
             "people": len(t.members or t.people)} for t in sorted(state.repo.teams.values(), key=_id)]
    return Page(here, "teams.html", "Teams", {"rows": rows})
