"""Escalation policy pages, their index, and the severity matrix."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from opsrepo.escalation import run_policy
from opsrepo.model import EscalationPolicy, SeverityLevel
from opsrepo.site.format import duration
from opsrepo.site.state import Page, SiteState
from opsrepo.site.urls import INDEXES, Linker, fragment_id, page_path
from opsrepo.site.views.common import person_ref, ref, target_ref


def pages(state: SiteState) -> Iterator[Page]:
    """Policies, their index and the severity matrix."""
    for policy_id in sorted(state.repo.policies):
        yield policy_page(state, state.repo.policies[policy_id])
    yield policies_index(state)
    yield severity_page(state)


def timeline(state: SiteState, link: Linker, policy: EscalationPolicy) -> list[dict[str, Any]]:
    """Every notification of the chain if triggered at build time, with who it reaches."""
    notifications = run_policy(state.repo, policy, state.now, state.resolve)
    return [
        {
            "level": n.level, "cycle": n.cycle + 1,
            "offset": "at once" if not n.offset else f"+{duration(n.offset)}",
            "minutes": int(n.offset.total_seconds() // 60), "wait": duration(n.escalate_after),
            "targets": [
                {**target_ref(state, link, r.target.kind, r.target.id), "kind": r.target.kind,
                 "people": [person_ref(state, link, p) for p in r.people], "problem": r.problem}
                for r in n.reached
            ],
        }
        for n in notifications
    ]


def policy_page(state: SiteState, policy: EscalationPolicy) -> Page:
    """A policy's levels and the services that use it."""
    here = page_path("policy", policy.id)
    link = Linker(here)
    users = sorted(
        (s for s in state.repo.services.values()
         if s.escalation_policy == policy.id or policy.id in s.severity_policies.values()),
        key=lambda s: s.id,
    )
    data = {
        "policy": {"id": policy.id, "name": policy.name or policy.id, "description": policy.description,
                   "repeat": policy.repeat},
        "levels": [
            {"number": level.index + 1, "name": level.name, "wait": duration(level.escalate_after),
             "targets": [{**target_ref(state, link, t.kind, t.id), "kind": t.kind} for t in level.targets]}
            for level in policy.levels
        ],
        "timeline": timeline(state, link, policy),
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
