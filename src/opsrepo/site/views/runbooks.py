"""Runbook pages and the runbook index."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta
from functools import partial
from typing import Any
from urllib.parse import quote

from opsrepo.model import Runbook
from opsrepo.rules.alert_links import level_of, name_key, runbook_of
from opsrepo.site.format import day, duration
from opsrepo.site.state import (
    ALERTS,
    DAY,
    ESCALATION,
    HISTORY,
    ORG,
    RUNBOOK_META,
    SCHEDULE,
    SEVERITY,
    TEAM,
    Maker,
    Page,
    SiteState,
    own_file,
    own_history,
)
from opsrepo.site.urls import INDEXES, Linker, page_path
from opsrepo.site.views.common import person_ref, ref, service_ref, team_ref
from opsrepo.site.views.responders import responders

#: a runbook page reads its own file and its own history, so editing one runbook makes one page again;
#: the schedules, for who is on call for its services
READS = frozenset({ORG, TEAM, ESCALATION, SCHEDULE, DAY, ALERTS, SEVERITY})


def pages(state: SiteState) -> Iterator[Maker]:
    """One page per runbook, and the index."""
    used = _used_by(state)
    alerts = _rule_alerts(state)
    for runbook_id in sorted(state.repo.runbooks):
        runbook = state.repo.runbooks[runbook_id]
        reads = READS | {own_file(runbook.path), own_history(runbook.path)}
        yield Maker(page_path("runbook", runbook_id), reads,
                    partial(_runbook_page, state, runbook, used.get(runbook_id, []), alerts))
    yield Maker(INDEXES["runbooks"], frozenset({ORG, TEAM, RUNBOOK_META, HISTORY, DAY}),
                partial(_index_page, state))


def _runbook_page(state: SiteState, runbook: Runbook, used: list[tuple[str, str | None]],
                  alerts: dict[str, dict[str, list[str]]]) -> Page:
    page = runbook_page(state, runbook, used, review(state, runbook))
    found = dict(alerts.get(runbook.id, {}))
    linked = {name_key(name) for name in found}
    for name in runbook.alerts:  # the alerts its front matter names, also when their runbook_url is elsewhere
        if name_key(name) not in linked:
            found[name] = []
    rows = [{"name": name, "levels": levels} for name, levels in sorted(found.items())]
    return replace(page, data={**page.data, "alerts": rows})


def _rule_alerts(state: SiteState) -> dict[str, dict[str, list[str]]]:
    """Runbook id -> the rule-file alerts whose runbook_url opens it -> their levels (or labels)."""
    found: dict[str, dict[str, list[str]]] = {}
    for rule in state.repo.alert_rules:
        target = runbook_of(state.repo, rule) if rule.alert else None
        if target is None or rule.alert is None:
            continue
        levels = found.setdefault(target, {}).setdefault(rule.alert, [])
        label = rule.labels.get("severity")
        level = level_of(state.repo, label) if label else None
        shown = level.id if level is not None else label  # critical -> SEV1 where severity_labels maps it
        if shown and shown not in levels:
            levels.append(shown)
    return found


def _index_page(state: SiteState) -> Page:
    return index_page(state, {rid: review(state, runbook) for rid, runbook in state.repo.runbooks.items()})


def _used_by(state: SiteState) -> dict[str, list[tuple[str, str | None]]]:
    """Runbook id -> (service id, alert id or None) that name it."""
    used: dict[str, list[tuple[str, str | None]]] = {}
    for service in state.repo.services.values():
        for runbook_id in service.runbooks:
            used.setdefault(runbook_id, []).append((service.id, None))
        for alert in service.alerts:
            used.setdefault(alert.runbook, []).append((service.id, alert.id))
    return used


def review(state: SiteState, runbook: Runbook) -> dict[str, Any]:
    """Last change, last review and whether the runbook is stale, as of the build."""
    change = state.history.get(runbook.path)
    changed = change.when.astimezone(state.zone).date() if change is not None and change.when else None
    reviewed, source = (runbook.reviewed, "front matter") if runbook.reviewed else (changed, "last change")
    every = runbook.review_every or state.repo.org.review_every
    today = state.now.astimezone(state.zone).date()
    due = reviewed + timedelta(days=every.days) if reviewed else None
    return {
        "changed": day(changed) if changed else None,
        "changed_iso": changed.isoformat() if changed else None,
        "author": change.author if change is not None else None,
        "commit": change.commit if change is not None else None,
        "unknown_because": change.unknown_because if change is not None else "no git history was read",
        "reviewed": day(reviewed) if reviewed else None,
        "reviewed_iso": reviewed.isoformat() if reviewed else None,
        "reviewed_from": source if reviewed else None,
        "every": duration(every),
        "due": day(due) if due else None,
        "stale": bool(due and due < today),
    }


def runbook_page(state: SiteState, runbook: Runbook, used: list[tuple[str, str | None]],
                 status: dict[str, Any]) -> Page:
    """A runbook: owner, freshness, where it is used, and the rendered body."""
    here = page_path("runbook", runbook.id)
    link = Linker(here)
    org = state.repo.org
    team = runbook.team or _team_of_services(state, runbook)
    data = {
        "runbook": {
            "id": runbook.id, "title": runbook.title, "path": runbook.path, "tags": list(runbook.tags),
            "team": team_ref(state, link, team),
            "owner": person_ref(state, link, runbook.owner) if runbook.owner else None,
            "services": [service_ref(state, link, s) for s in runbook.services],
        },
        "used_by": [_use(state, link, service_id, alert_id) for service_id, alert_id in used],
        "escalation": _escalation(state, link, [*runbook.services, *(service for service, _ in used)]),
        "responders": responders(state, link, [*runbook.services, *(service for service, _ in used)]),
        "review": status,
        "edit_url": _repo_url(org.repo_url, "edit", org.branch, runbook.path),
        "history_url": _repo_url(org.repo_url, "commits", org.branch, runbook.path),
        "commit_url": f"{org.repo_url.rstrip('/')}/commit/{status['commit']}"
        if org.repo_url and status["commit"] else None,
    }
    return Page(here, "runbook.html", runbook.title, data, (runbook.path, runbook.body, runbook.body_line),
                search="Runbook")


def _escalation(state: SiteState, link: Linker, services: list[str]) -> list[dict[str, str]]:
    """The escalation policies of the runbook's services (who to call when the runbook is not enough)."""
    repo = state.repo
    policies = dict.fromkeys(repo.services[s].escalation_policy for s in services if s in repo.services)
    return [ref(link, "policy", p, repo.policies[p].name or p) for p in policies if p in repo.policies]


def _team_of_services(state: SiteState, runbook: Runbook) -> str | None:
    teams = {state.repo.services[s].team for s in runbook.services if s in state.repo.services}
    return teams.pop() if len(teams) == 1 else None


def _use(state: SiteState, link: Linker, service_id: str, alert_id: str | None) -> dict[str, Any]:
    alert = state.repo.alerts.get(alert_id) if alert_id else None
    return {
        "service": service_ref(state, link, service_id),
        "alert": {"id": alert.id, "summary": alert.summary, "severity": alert.severity,
                  "href": link.to("service", service_id, f"alert-{alert.id}")} if alert else None,
    }


def _repo_url(repo_url: str | None, action: str, branch: str, path: str) -> str | None:
    if not repo_url:
        return None
    return f"{repo_url.rstrip('/')}/{action}/{quote(branch, safe='')}/{quote(path)}"


def index_page(state: SiteState, reviews: dict[str, dict[str, Any]]) -> Page:
    """Every runbook by folder, with its team and freshness."""
    here = INDEXES["runbooks"]
    link = Linker(here)
    rows = []
    for runbook_id in sorted(state.repo.runbooks):
        runbook = state.repo.runbooks[runbook_id]
        status = reviews[runbook_id]
        rows.append({
            **ref(link, "runbook", runbook_id, runbook.title), "id": runbook_id,
            "folder": runbook_id.rpartition("/")[0],
            "team": team_ref(state, link, runbook.team or _team_of_services(state, runbook)),
            "services": [service_ref(state, link, s) for s in runbook.services],
            "reviewed": status["reviewed"], "stale": status["stale"],
        })
    stale = sum(1 for row in rows if row["stale"])
    return Page(here, "runbooks.html", "Runbooks", {"rows": rows, "stale": stale})
