"""Escalation policy pages, their index, and the severity matrix."""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial
from typing import Any

from opsrepo.escalation import schedule, team_people
from opsrepo.model import EscalationPolicy, SeverityLevel, Target
from opsrepo.site.format import duration
from opsrepo.site.state import DAY, ESCALATION, ORG, SCHEDULE, SEVERITY, TEAM, Maker, Page, SiteState
from opsrepo.site.urls import INDEXES, Linker, fragment_id, page_path
from opsrepo.site.views.common import person_ref, ref, target_ref


def pages(state: SiteState) -> Iterator[Maker]:
    """Policies, their index and the severity matrix."""
    for policy_id in sorted(state.repo.policies):
        yield Maker(page_path("policy", policy_id), frozenset({ORG, TEAM, ESCALATION, SCHEDULE, DAY}),
                    partial(policy_page, state, state.repo.policies[policy_id]))
    yield Maker(INDEXES["policies"], frozenset({ORG, TEAM, ESCALATION, SCHEDULE}),
                partial(policies_index, state))
    yield Maker(INDEXES["severity"], frozenset({ORG, SEVERITY}), partial(severity_page, state))


def timeline(state: SiteState, link: Linker, policy: EscalationPolicy) -> list[dict[str, Any]]:
    """Every notification of the chain, with its offset from the page.

    Who a schedule target reaches is filled in by ``oncall.js`` for the moment
    the page is read (at that offset), from the shifts the page carries.
    """
    return [
        {
            "level": level.index + 1, "cycle": cycle + 1,
            "offset": "at once" if not offset else f"+{duration(offset)}",
            "minutes": int(offset.total_seconds() // 60), "wait": duration(level.escalate_after),
            "wait_seconds": int(level.escalate_after.total_seconds()),
            "always": _always_reaches(state, level.targets),
            "targets": [_target(state, link, target) for target in level.targets],
        }
        for cycle, offset, level in schedule(policy)
    ]


def _always_reaches(state: SiteState, targets: tuple[Target, ...]) -> bool:
    """A person or a team with members among the targets: the level reaches someone whoever is on call."""
    return any((t.kind == "person" and t.id in state.repo.people)
               or (t.kind == "team" and bool(team_people(state.repo, t.id))) for t in targets)


def _target(state: SiteState, link: Linker, target: Target) -> dict[str, Any]:
    people = [] if target.kind == "schedule" else (
        [target.id] if target.kind == "person" else list(team_people(state.repo, target.id)))
    return {**target_ref(state, link, target.kind, target.id), "kind": target.kind, "id": target.id,
            "people": [person_ref(state, link, p) for p in people if p in state.repo.people]}


def timeline_data(state: SiteState, link: Linker, policy: EscalationPolicy) -> dict[str, Any]:
    """The shifts of the policy's schedules, for ``oncall.js``."""
    from opsrepo.site.views.oncall import UPCOMING, browser_data

    ids = sorted({t.id for level in policy.levels for t in level.targets
                  if t.kind == "schedule" and t.id in state.repo.schedules})
    return browser_data(state, link, ids, UPCOMING)


def policy_page(state: SiteState, policy: EscalationPolicy) -> Page:
    """A policy's levels and the services that use it."""
    here = page_path("policy", policy.id)
    link = Linker(here)
    users = [state.repo.services[s] for s in state.policy_users.get(policy.id, [])]
    data = {
        "policy": {"id": policy.id, "name": policy.name or policy.id, "description": policy.description,
                   "repeat": policy.repeat, "skip": policy.skips},
        "timeline_skip": policy.skips,
        "levels": [
            {"number": level.index + 1, "name": level.name, "wait": duration(level.escalate_after),
             "targets": [{**target_ref(state, link, t.kind, t.id), "kind": t.kind} for t in level.targets]}
            for level in policy.levels
        ],
        "timeline": timeline(state, link, policy),
        "oncall": timeline_data(state, link, policy),
        "services": [
            {**ref(link, "service", s.id, s.title),
             "severities": sorted(k for k, v in s.severity_policies.items() if v == policy.id),
             "default": s.escalation_policy == policy.id}
            for s in users
        ],
    }
    return Page(here, "policy.html", policy.name or policy.id, data, search="Escalation policy")


def policies_index(state: SiteState) -> Page:
    """Every escalation policy."""
    here = INDEXES["policies"]
    link = Linker(here)
    rows = [
        {**ref(link, "policy", p.id, p.name or p.id), "id": p.id, "levels": len(p.levels), "repeat": p.repeat,
         "first": [target_ref(state, link, t.kind, t.id) for t in p.levels[0].targets] if p.levels else []}
        for p in sorted(state.repo.policies.values(), key=lambda p: p.id)
    ]
    return Page(here, "policies.html", "Escalation policies", {"rows": rows})


def _level(level: SeverityLevel) -> dict[str, Any]:
    rule = level.postmortem
    return {
        "id": level.id, "anchor": fragment_id("severity", level.id), "name": level.name,
        "description": level.description, "impact": level.impact, "examples": list(level.examples),
        "pages": level.pages, "channels": list(level.channels),
        "acknowledge": duration(level.acknowledge_within), "resolve": duration(level.resolve_within),
        "updates": duration(level.update_every) if level.update_every else None,
        "roles": list(level.roles),
        "monitor": duration(level.monitor_after_fix) if level.monitor_after_fix else None,
        "postmortem": ("required" + (f" within {duration(rule.within)}" if rule.within else ""))
        if rule.required else "not required",
    }


def severity_page(state: SiteState) -> Page:
    """The severity matrix: one column per level, most urgent first."""
    levels = [_level(level) for level in state.repo.severities]
    return Page(INDEXES["severity"], "severity.html", "Severity matrix", {"levels": levels},
                search="Severity")
