"""Prometheus alerts added, removed or changed between two revisions.

An alert is its name: the rules of one name (several thresholds, each with
its own ``severity``) are compared together, in file order. What a reviewer
needs to see is what pages and where it sends the on-call: the severity
(and whether it pages), the runbook, the expression, ``for`` and the other
labels. Moving an alert to another file changes none of them.
"""

from __future__ import annotations

from collections.abc import Iterator

from opsrepo import model as m
from opsrepo.diff.model import AlertChange, FieldChange
from opsrepo.rules.alert_links import pages, resolve_runbook_url, severity_label


def alert_changes(before: m.Repo, after: m.Repo) -> tuple[AlertChange, ...]:
    """Every alert whose rules differ, by name."""
    old, new = _alerts(before), _alerts(after)
    found: list[AlertChange] = []
    for name in sorted(set(old) | set(new), key=lambda n: (n.lower(), n)):
        was, now = old.get(name), new.get(name)
        if was is None and now is not None:
            found.append(_change(after, name, "added", now, ()))
        elif now is None and was is not None:
            found.append(_change(before, name, "removed", was, ()))
        elif was is not None and now is not None:
            fields = tuple(_changed(before, after, was, now))
            if fields:
                found.append(_change(after, name, "changed", now, fields))
    return tuple(found)


def _alerts(repo: m.Repo) -> dict[str, list[m.AlertRule]]:
    found: dict[str, list[m.AlertRule]] = {}
    for rule in repo.alert_rules:
        if rule.alert is not None and rule.record is None:
            found.setdefault(rule.alert, []).append(rule)
    return found


def _change(repo: m.Repo, name: str, status: str, rules: list[m.AlertRule],
            fields: tuple[FieldChange, ...]) -> AlertChange:
    return AlertChange(name, status, _severity(repo, rules), _runbook(repo, rules),
                       any(pages(repo, rule) for rule in rules), fields)


def _severity(repo: m.Repo, rules: list[m.AlertRule]) -> str:
    """``SEV1 (pages), SEV3``: each rule's severity label, marked when it pages."""
    shown = []
    for rule in rules:
        label = severity_label(rule) or "no severity"
        shown.append(f"{label} (pages)" if pages(repo, rule) else label)
    return ", ".join(dict.fromkeys(shown))


def _runbook(repo: m.Repo, rules: list[m.AlertRule]) -> str:
    """The runbook each rule opens: its id when it is one of the repo's, else its ``runbook_url``."""
    shown = []
    for rule in rules:
        value = rule.annotations.get("runbook_url")
        if value is None:
            shown.append("none")
            continue
        target = resolve_runbook_url(repo, value).runbook
        shown.append(target if target is not None and target in repo.runbooks else value.strip())
    return ", ".join(dict.fromkeys(shown))


def _labels(rules: list[m.AlertRule]) -> str:
    shown = [", ".join(f"{k}={v}" for k, v in sorted(rule.labels.items()) if k != "severity") or "-"
             for rule in rules]
    return "; ".join(dict.fromkeys(shown))


def _joined(rules: list[m.AlertRule], read: str) -> str:
    values = []
    for rule in rules:
        value = {"expr": rule.expr, "for": rule.for_, "summary": rule.annotations.get("summary")}[read]
        values.append(" ".join(value.split()) if value else "-")
    return "; ".join(dict.fromkeys(values))


def _changed(before: m.Repo, after: m.Repo, was: list[m.AlertRule],
             now: list[m.AlertRule]) -> Iterator[FieldChange]:
    pairs = (
        ("severity", _severity(before, was), _severity(after, now)),
        ("runbook", _runbook(before, was), _runbook(after, now)),
        ("expr", _joined(was, "expr"), _joined(now, "expr")),
        ("for", _joined(was, "for"), _joined(now, "for")),
        ("labels", _labels(was), _labels(now)),
        ("summary", _joined(was, "summary"), _joined(now, "summary")),
    )
    for name, old, new in pairs:
        if old != new:
            yield FieldChange(name, old, new)
