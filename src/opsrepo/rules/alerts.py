"""Prometheus alert rules tied to the repo: levels, runbooks, names (OPS7xx).

An alert that pages at 3 am must say how bad it is in the matrix's words and
open a runbook of this repo; the alerts runbooks and services name must exist.
How an alert's labels are read is in :mod:`opsrepo.rules.alert_links`.
"""

from __future__ import annotations

from collections.abc import Iterator

from opsrepo.errors import Diagnostic, Location
from opsrepo.load.alertfiles import is_rule_file
from opsrepo.model import AlertRule, Repo
from opsrepo.rules import Context, rule, suggest, suggest_severity, unloaded
from opsrepo.rules.alert_links import (
    TEMPLATE,
    alerts_by_key,
    level_of,
    name_key,
    pages,
    resolve_runbook_url,
    runbook_url_for,
    severity_label,
    written_like,
)


def closest(word: str, choices: list[str]) -> str | None:
    """The choice nearest ``word``, if one is near."""
    import difflib  # only for failures, off the start path

    found = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    return found[0] if found else None


def _alerts(repo: Repo) -> Iterator[AlertRule]:
    return (r for r in repo.alert_rules if r.alert is not None and r.record is None)


def _matrix_known(repo: Repo) -> bool:
    return bool(repo.severities) and not repo.is_broken("severity", "*")


@rule("OPS701", "rule-kind")
def rules_are_alerts_or_records(ctx: Context) -> Iterator[Diagnostic]:
    """A rule of a rule file is either an alerting rule (``alert``) or a recording rule (``record``)."""
    for found in ctx.repo.alert_rules:
        if found.alert is not None and found.record is not None:
            yield found.src.at("record", key=True).error(
                "OPS701", f"the rule '{found.alert}' has both alert and record",
                "keep alert for an alerting rule, or record for a recording rule")
        elif found.alert is None and found.record is None:
            yield found.src.at().error(
                "OPS701", f"a rule of group '{found.group}' has neither alert nor record",
                "name it with alert: (an alerting rule) or record: (a recording rule)")


@rule("OPS702", "alert-severity")
def alerts_have_a_level(ctx: Context) -> Iterator[Diagnostic]:
    """An alert's ``severity`` label is a level of the matrix, or alerts.severity_labels maps it to one."""
    repo = ctx.repo
    if not _matrix_known(repo):
        return
    known = [level.id for level in repo.severities]
    for alert in _alerts(repo):
        value = severity_label(alert)
        if value is None:
            where = alert.src.at("labels", key=True) if alert.labels else alert.src.at("alert")
            yield where.error(
                "OPS702", f"alert '{alert.alert}' has no severity label, so opsrepo cannot tell if it pages",
                f"add labels: {{severity: {known[-1]}}} with a level of the matrix ({', '.join(known)})")
        elif TEMPLATE not in value and level_of(repo, value) is None:
            hint = suggest_severity(value, [*known, *repo.org.severity_labels])
            if not hint.startswith("did you mean"):
                hint = (f"use a level of the matrix ({', '.join(known)}), or map '{value}' to one under "
                        "alerts.severity_labels in opsrepo.yaml")
            yield alert.src.at("labels", "severity").error(
                "OPS702", f"alert '{alert.alert}' has severity '{value}', which is not a level of the "
                "severity matrix", hint)
    for label, level in repo.org.severity_labels.items():
        if repo.severity(level) is None:
            yield repo.org.src.at("alerts", "severity_labels", label).error(
                "OPS702", f"alerts.severity_labels maps '{label}' to '{level}', which is not a level of the "
                "severity matrix", suggest_severity(level, known))


@rule("OPS703", "alert-runbook")
def paging_alerts_open_a_runbook(ctx: Context) -> Iterator[Diagnostic]:
    """A paging alert has a ``runbook_url`` opening a runbook of this repo; one into the repo resolves."""
    repo = ctx.repo
    matrix = _matrix_known(repo)
    suggested = _runbooks_named(repo)
    for alert in _alerts(repo):
        paging = matrix and pages(repo, alert) is True
        value = alert.annotations.get("runbook_url")
        if value is None:
            if paging:
                runbook = suggested.get(name_key(alert.alert or ""), "<runbook id>")
                where = alert.src.at("annotations", key=True) if alert.annotations else alert.src.at("alert")
                yield where.error(
                    "OPS703", f"alert '{alert.alert}' pages ({severity_label(alert)}) but has no "
                    "runbook_url",
                    f"add annotations: {{runbook_url: {runbook_url_for(repo, runbook)}}}")
            continue
        yield from _check_link(repo, alert, value, paging=paging)


def _check_link(repo: Repo, alert: AlertRule, value: str, *, paging: bool) -> Iterator[Diagnostic]:
    link = resolve_runbook_url(repo, value)
    where = alert.src.at("annotations", "runbook_url")
    if link.problem is not None:
        if paging or link.ours:
            yield where.error("OPS703", f"runbook_url '{value}' of alert '{alert.alert}' {link.problem}",
                              link.hint)
        return
    target = link.runbook or ""
    if target in repo.runbooks:
        return
    cause = repo.broken_cause("runbook", target)
    if cause is not None:
        yield unloaded(where, "OPS703", "runbook", target, cause)
    elif not repo.is_broken("runbook", target):
        close = closest(target, list(repo.runbooks))
        yield where.error(
            "OPS703", f"runbook_url '{value}' of alert '{alert.alert}' names runbook '{target}', which "
            f"does not exist (no runbooks/{target}.md)",
            f"did you mean '{written_like(repo, value, close)}'?" if close else
            "write the id of a runbook under runbooks/, or its page on the site")


def _runbooks_named(repo: Repo) -> dict[str, str]:
    """Alert name key -> the runbook a team file's alert or a runbook's ``alerts:`` gives it."""
    found = {name_key(name): runbook.id for runbook in repo.runbooks.values() for name in runbook.alerts}
    found |= {name_key(alert.id): alert.runbook for alert in repo.alerts.values()}
    return found


@rule("OPS704", "duplicate-alert")
def alerts_are_defined_once(ctx: Context) -> Iterator[Diagnostic]:
    """An alert name is not defined twice with the same labels (Alertmanager could not tell them apart)."""
    first: dict[tuple[str, frozenset[tuple[str, str]]], AlertRule] = {}
    for alert in _alerts(ctx.repo):
        key = (alert.alert or "", frozenset(alert.labels.items()))
        earlier = first.setdefault(key, alert)
        if earlier is alert:
            continue
        at = earlier.src.at("alert")
        yield alert.src.at("alert").error(
            "OPS704", f"alert '{alert.alert}' is defined twice with the same labels (first in {at.file} on "
            f"line {at.line}): their alerts are one alert to Alertmanager",
            "remove one, rename it, or tell them apart by a label (two thresholds of one alert differ in "
            "severity)")


@rule("OPS705", "unknown-alert")
def named_alerts_exist(ctx: Context) -> Iterator[Diagnostic]:
    """The alerts a runbook's ``alerts:`` and a service's ``alerts:`` name are defined in the rule files."""
    repo = ctx.repo
    if not repo.rule_files:
        return  # a repo without rule files keeps its alerts in the team files only
    known = alerts_by_key(repo.alert_rules)
    names = sorted({rule.alert for rules in known.values() for rule in rules if rule.alert})
    for runbook in repo.runbooks.values():
        for index, name in enumerate(runbook.alerts):
            if name_key(name) not in known:
                yield from _unknown(repo, runbook.src.at("alerts", index), name, names, "the runbook")
    for alert in repo.alerts.values():
        if name_key(alert.id) not in known:
            yield from _unknown(repo, alert.src.at("id"), alert.id, names, f"service {alert.service}")


def _unknown(repo: Repo, where: Location, name: str, names: list[str], owner: str) -> Iterator[Diagnostic]:
    if ("rule-alert", name) in repo.broken:
        return  # defined by a rule left out of its file for a problem of its own
    cause = repo.broken_cause("rule-alert", "*")
    if cause is not None:
        yield unloaded(where, "OPS705", "alert", name, cause)
        return
    if repo.is_broken("rule-alert", "*"):
        return
    by_key = {name_key(known): known for known in names}
    close = closest(name_key(name), list(by_key))
    files = ", ".join(repo.rule_files[:3]) + (", ..." if len(repo.rule_files) > 3 else "")
    yield where.error(
        "OPS705", f"{owner} names alert '{name}', which no rule file defines ({files})",
        f"did you mean '{by_key[close]}'?" if close else suggest(name, names, "alert in a rule file") +
        " (names are compared ignoring case, '-' and '_')")


@rule("OPS706", "alert-paths")
def alert_paths_match(ctx: Context) -> Iterator[Diagnostic]:
    """Each pattern of ``alerts.paths`` in opsrepo.yaml matches a rule file."""
    org = ctx.repo.org
    if not org.alert_paths_set:
        return
    for index, pattern in enumerate(org.alert_paths):
        if not any(is_rule_file(file, [pattern]) for file in ctx.repo.rule_files):
            yield org.src.at("alerts", "paths", index).warning(
                "OPS706", f"alerts.paths pattern '{pattern}' matches no rule file",
                "fix the pattern (relative to the repo root, ** for any folders), or remove it")
