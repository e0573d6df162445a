"""Small shared pieces of page data: links to objects, people, teams."""

from __future__ import annotations

from typing import Any

from opsrepo.site.state import SiteState
from opsrepo.site.urls import Linker, fragment_id


def ref(link: Linker, kind: str, object_id: str, text: str | None = None) -> dict[str, str]:
    """``{"href", "text"}`` of a link to an object's page."""
    return {"href": link.to(kind, object_id), "text": text or object_id}


def person_ref(state: SiteState, link: Linker, person_id: str) -> dict[str, str]:
    """A link to a person's page, named by their name."""
    if person_id not in state.repo.people:
        return {"href": "", "text": person_id}
    return ref(link, "person", person_id, state.person_name(person_id))


def team_ref(state: SiteState, link: Linker, team_id: str | None) -> dict[str, str] | None:
    """A link to a team's page, named by its name."""
    if team_id is None:
        return None
    team = state.repo.teams.get(team_id)
    return ref(link, "team", team_id, team.name) if team else {"href": "", "text": team_id}


def service_ref(state: SiteState, link: Linker, service_id: str) -> dict[str, str]:
    """A link to a service's page, named by its title."""
    service = state.repo.services.get(service_id)
    return ref(link, "service", service_id, service.title) if service else {"href": "", "text": service_id}


def runbook_ref(state: SiteState, link: Linker, runbook_id: str) -> dict[str, str]:
    """A link to a runbook, named by its title."""
    runbook = state.repo.runbooks.get(runbook_id)
    return ref(link, "runbook", runbook_id, runbook.title) if runbook else {"href": "", "text": runbook_id}


def target_ref(state: SiteState, link: Linker, kind: str, target_id: str) -> dict[str, str]:
    """A link for an escalation target ``schedule:``, ``person:`` or ``team:``."""
    if kind == "person":
        return person_ref(state, link, target_id)
    if kind == "team":
        return team_ref(state, link, target_id) or {"href": "", "text": target_id}
    schedule = state.repo.schedules.get(target_id)
    return ref(link, "schedule", target_id, schedule.name) if schedule else {"href": "", "text": target_id}


def severity_ref(state: SiteState, link: Linker, level_id: str | None) -> dict[str, str] | None:
    """A link to a severity level's column of the matrix."""
    if level_id is None:
        return None
    level = state.repo.severity(level_id)
    if level is None:
        return {"href": "", "text": level_id}
    return {"href": link.to("severity", level_id), "text": level_id, "name": level.name}


def alert_anchor(alert_id: str) -> str:
    """The id of an alert's row on its service's page."""
    return fragment_id("alert", alert_id)


def nav(link: Linker) -> dict[str, Any]:
    """Links every page's header carries."""
    names = ("home", "services", "runbooks", "schedules", "people", "teams", "policies", "severity",
             "postmortems", "reliability", "pay", "rules", "search")
    return {name: link.index(name) for name in names}
