"""Prometheus alerts agree with the services they are for (OPS707-OPS709).

A rule-file alert is for a service when its ``service`` label names it, or,
without that label, when one service's team file declares an alert of that
name (names compared as :func:`opsrepo.rules.alert_links.name_key` does).
What the team file says of that alert (its level, its runbook) is what the
site shows; what the rule file says is what pages at 3 am. These rules find
where the two disagree:

- OPS707: the ``service`` label names no service of the repo, or the ``team``
  label a team that does not own it (Alertmanager routes pages by them).
- OPS708: the team file gives the alert a level no rule of that name for the
  service carries (several thresholds of one alert may carry several levels:
  one of them must be the declared one). An error when one of the two pages
  and the other does not; a warning when they only differ in level.
- OPS709: the runbook the alert's ``runbook_url`` opens is not the one the
  team file names for it, or is a runbook whose ``services:`` leave that
  service out (while the service does not list it either).

Templated labels and annotations (``{{ $labels.x }}``) are decided when the
alert fires: they are not compared.
"""

from __future__ import annotations

from collections.abc import Iterator

from opsrepo.errors import Diagnostic
from opsrepo.model import Alert, AlertRule, Repo, Service
from opsrepo.rules import Context, rule, suggest, unloaded
from opsrepo.rules.alert_links import (
    TEMPLATE,
    level_of,
    name_key,
    resolve_runbook_url,
    severity_label,
    written_like,
)


def _alerts(repo: Repo) -> Iterator[AlertRule]:
    return (r for r in repo.alert_rules if r.alert is not None and r.record is None)


def _label(rule: AlertRule, name: str) -> str | None:
    value = rule.labels.get(name)
    return None if value is None or TEMPLATE in value else value


def _declared(repo: Repo) -> dict[str, list[Alert]]:
    """Team-file alerts by name key."""
    found: dict[str, list[Alert]] = {}
    for alert in repo.alerts.values():
        found.setdefault(name_key(alert.id), []).append(alert)
    return found


def _service_of(repo: Repo, rule: AlertRule, declared: dict[str, list[Alert]]) -> Service | None:
    """The service the alert is for: its ``service`` label, else the one service declaring its name."""
    label = _label(rule, "service")
    if label is not None:
        return repo.services.get(label)
    if "service" in rule.labels:
        return None  # templated: decided when it fires
    owners = {alert.service for alert in declared.get(name_key(rule.alert or ""), [])}
    return repo.services.get(owners.pop()) if len(owners) == 1 else None


def _declaration(rule: AlertRule, service: Service) -> Alert | None:
    """The alert of that name the service's team file declares."""
    key = name_key(rule.alert or "")
    return next((alert for alert in service.alerts if name_key(alert.id) == key), None)


@rule("OPS707", "alert-service")
def alert_services_exist(ctx: Context) -> Iterator[Diagnostic]:
    """An alert's ``service`` label names a service of the repo, and its ``team`` label the team owning it."""
    repo = ctx.repo
    for found in _alerts(repo):
        label = _label(found, "service")
        if label is None:
            continue
        service = repo.services.get(label)
        if service is None:
            cause = repo.broken_cause("service", label)
            where = found.src.at("labels", "service")
            if cause is not None:
                yield unloaded(where, "OPS707", "service", label, cause)
            elif not repo.is_broken("service", label):
                yield where.warning(
                    "OPS707", f"alert '{found.alert}' is labelled service '{label}', which no team file "
                    "defines", suggest(label, repo.services, "service in a team file") +
                    " (Alertmanager routes the alert by this label)")
            continue
        team = _label(found, "team")
        if team is not None and team != service.team:
            yield found.src.at("labels", "team").warning(
                "OPS707", f"alert '{found.alert}' is labelled team '{team}', but service '{label}' belongs "
                f"to team '{service.team}'",
                f"write team: {service.team}, or label the alert with the service it is for")


@rule("OPS708", "alert-level-mismatch")
def alert_levels_match(ctx: Context) -> Iterator[Diagnostic]:
    """The level a team file gives a service's alert is the ``severity`` of a rule of that name for it."""
    repo = ctx.repo
    if not repo.severities or repo.is_broken("severity", "*"):
        return
    declared = _declared(repo)
    rules: dict[tuple[str, str], list[AlertRule]] = {}
    for found in _alerts(repo):
        service = _service_of(repo, found, declared)
        if service is not None and _declaration(found, service) is not None:
            rules.setdefault((service.id, name_key(found.alert or "")), []).append(found)
    for alert in repo.alerts.values():
        matching = rules.get((alert.service, name_key(alert.id)), [])
        wanted = repo.severity(alert.severity) if alert.severity else None
        if wanted is None or not matching:
            continue
        values = [severity_label(r) for r in matching]
        if any(v is None or TEMPLATE in v for v in values):
            continue  # a level decided when it fires, or none (OPS702 says so)
        levels = [level_of(repo, v) for v in values if v is not None]
        if any(level is None for level in levels) or any(level.id == wanted.id for level in levels if level):
            continue  # an unknown label is OPS702's
        first = matching[0]
        written = ", ".join(dict.fromkeys(v for v in values if v is not None))
        paging = {level.pages for level in levels if level is not None}
        where = first.src.at("labels", "severity")
        message = (f"alert '{first.alert}' of service {alert.service} has severity {written} in "
                   f"{first.src.file}, but {alert.src.file} declares it {wanted.id}")
        hint = (f"make them agree: severity: {wanted.id} in the rule, or severity: "
                f"{levels[0].id if levels[0] else written} in the team file")
        if paging != {wanted.pages}:
            pages_now = "pages" if True in paging else "does not page"
            wanted_pages = "pages" if wanted.pages else "does not page"
            yield where.error("OPS708", f"{message} ({wanted.id} {wanted_pages}, the rule {pages_now})", hint)
        else:
            yield where.warning("OPS708", message, hint)


@rule("OPS709", "alert-runbook-mismatch")
def alert_runbooks_match(ctx: Context) -> Iterator[Diagnostic]:
    """The runbook an alert's ``runbook_url`` opens is the one its service names for it, and is for it."""
    repo = ctx.repo
    declared = _declared(repo)
    for found in _alerts(repo):
        value = found.annotations.get("runbook_url")
        if value is None:
            continue
        target = resolve_runbook_url(repo, value).runbook
        runbook = repo.runbooks.get(target or "")
        service = _service_of(repo, found, declared)
        if runbook is None or service is None:
            continue  # OPS703 and OPS707 say why
        where = found.src.at("annotations", "runbook_url")
        declaration = _declaration(found, service)
        named = declaration.runbook if declaration is not None else runbook.id
        if named != runbook.id and named in repo.runbooks:
            yield where.warning(
                "OPS709", f"alert '{found.alert}' opens runbook '{runbook.id}', but {service.src.file} "
                f"gives it runbook '{named}' (the site shows that one)",
                f"make them agree: runbook_url: {written_like(repo, value, named)}, "
                f"or runbook: {runbook.id} in the team file")
            continue
        listed = declaration is not None or runbook.id in service.runbooks
        if runbook.services and service.id not in runbook.services and not listed:
            yield where.warning(
                "OPS709", f"alert '{found.alert}' of service {service.id} opens runbook '{runbook.id}', "
                f"which is for {', '.join(runbook.services)}",
                f"add {service.id} to the runbook's services, "
                f"or point runbook_url at a runbook for {service.id}")
