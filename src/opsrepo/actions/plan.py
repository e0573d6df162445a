"""Diff what the repo wants against what GitHub has: the sync's plan.

The sync owns an open issue's title, body, assignee, milestone and its
managed labels (see :mod:`opsrepo.actions.labels`); other labels are kept.
A closed issue is left exactly as a person left it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date

from opsrepo.actions import labels
from opsrepo.actions.body import duplicate_comment, removal_comment
from opsrepo.actions.desired import desired_issue
from opsrepo.actions.labels import LabelSpec
from opsrepo.actions.model import (
    DesiredIssue,
    IssueFields,
    ItemSpec,
    Key,
    Milestone,
    Notice,
    ObservedIssue,
    Step,
)


@dataclass(frozen=True)
class Plan:
    """Every step of a sync, in the order it runs."""

    repo: str
    label: str
    steps: tuple[Step, ...]
    notices: tuple[Notice, ...]
    #: milestones the sync uses whose ``due_on`` a person changed: (milestone, the date it must have)
    milestone_fixes: tuple[tuple[Milestone, date], ...] = ()

    def count(self, action: str) -> int:
        """How many steps have ``action``."""
        return sum(1 for step in self.steps if step.action == action)

    def labels_used(self) -> dict[str, LabelSpec]:
        """Labels that steps with writes put on issues, by folded name."""
        used: dict[str, LabelSpec] = {}
        for step in self.steps:
            if step.action in ("create", "update") and step.desired is not None:
                used.update((spec.name.casefold(), spec) for spec in step.desired.labels)
            elif step.action == "removed":
                used[labels.REMOVED] = labels.removed()
        return used

    def milestones_used(self) -> dict[str, date]:
        """Milestone title -> due date for every step that sets a milestone."""
        return {step.desired.milestone: step.desired.due for step in self.steps
                if step.desired is not None and step.fields.milestone is not None}


def group_by_key(observed: Iterable[ObservedIssue]) -> dict[Key, list[ObservedIssue]]:
    """Issues that carry a marker, by key, lowest issue number first."""
    found: dict[Key, list[ObservedIssue]] = defaultdict(list)
    for issue in sorted(observed, key=lambda i: i.number):
        if issue.key is not None:
            found[issue.key].append(issue)
    return dict(found)


def logins_to_check(specs: Iterable[ItemSpec], by_key: Mapping[Key, list[ObservedIssue]]) -> set[str]:
    """Owner logins GitHub must be asked about: those not already assigned on an open issue."""
    needed: set[str] = set()
    for spec in specs:
        login = spec.owner.login
        if not login or spec.owner.name is None:
            continue
        issues = by_key.get(spec.key)
        if not issues or (issues[0].state == "open" and login.casefold() not in _folded(issues[0].assignees)):
            needed.add(login)
    return needed


def make_plan(specs: list[ItemSpec], observed: Iterable[ObservedIssue], assignable: Mapping[str, bool],
              context: PlanContext) -> Plan:
    """The steps that bring GitHub in line with ``specs``."""
    by_key = group_by_key(observed)
    steps: list[Step] = []
    notices: list[Notice] = list(context.notices)
    for spec in specs:
        issues = by_key.pop(spec.key, [])
        login = spec.owner.login
        desired = desired_issue(spec, context.label, assignable.get(login) if login else None, context.repo)
        if desired.unassigned_because and (not issues or issues[0].state == "open"):
            notices.append(Notice(spec.key, f"not assigned: {desired.unassigned_because}"))
        steps.append(_item_step(desired, issues[0] if issues else None, context.label))
        steps.extend(duplicate_steps(spec.key, issues))
    for key, issues in sorted(by_key.items()):
        steps.append(_orphan_step(key, issues[0], context))
        steps.extend(duplicate_steps(key, issues))
    return Plan(context.repo, context.label, tuple(steps), tuple(notices),
                _milestone_fixes(steps))


@dataclass(frozen=True)
class PlanContext:
    """What the plan needs besides items and issues."""

    repo: str
    label: str
    #: post-mortem ids whose files failed to load: their issues are left alone
    broken: frozenset[str] = frozenset()
    notices: tuple[Notice, ...] = ()
    #: post-mortem id -> (file, its web URL or None), for the note on a removed item's issue
    sources: Mapping[str, tuple[str, str | None]] = field(default_factory=dict)


def _item_step(desired: DesiredIssue, issue: ObservedIssue | None, sync: str) -> Step:
    if issue is None:
        return Step("create", desired.key, desired, fields=_create_fields(desired))
    if issue.state != "open":
        return Step("closed", desired.key, desired, issue)
    fields = diff(issue, desired, sync)
    return Step("update" if fields.changed() else "unchanged", desired.key, desired, issue, fields)


def _create_fields(desired: DesiredIssue) -> IssueFields:
    return IssueFields(desired.title, desired.body, desired.label_names,
                       (desired.assignee,) if desired.assignee else (), desired.milestone)


def diff(issue: ObservedIssue, desired: DesiredIssue, sync: str) -> IssueFields:
    """The fields of ``issue`` that differ from ``desired`` (the others are ``None``)."""
    kept = [name for name in issue.labels if not labels.is_managed(name, sync)]
    managed = labels.folded(name for name in issue.labels if labels.is_managed(name, sync))
    wanted = (desired.assignee,) if desired.assignee else ()
    return IssueFields(
        title=desired.title if issue.title != desired.title else None,
        body=desired.body if _normal(issue.body) != _normal(desired.body) else None,
        labels=(*kept, *desired.label_names) if managed != labels.folded(desired.label_names) else None,
        assignees=wanted if _folded(issue.assignees) != _folded(wanted) else None,
        milestone=desired.milestone if issue.milestone is None or issue.milestone.title != desired.milestone
        else None,
    )


def _orphan_step(key: Key, issue: ObservedIssue, context: PlanContext) -> Step:
    """An issue whose item is no longer in the repo."""
    if key[0] in context.broken:
        return Step("attention", key, issue=issue,
                    note=f"post-mortem {key[0]} failed to load: its issue is left alone until it loads")
    if issue.state != "open":
        return Step("closed", key, issue=issue, note="no longer in its post-mortem")
    if labels.REMOVED in labels.folded(issue.labels):
        return Step("unchanged", key, issue=issue, note="no longer in its post-mortem (already labelled)")
    path, source = context.sources.get(key[0], (None, None))
    return Step("removed", key, issue=issue, comment=removal_comment(key, path, source),
                fields=IssueFields(labels=(*issue.labels, labels.REMOVED)))


def duplicate_steps(key: Key, issues: list[ObservedIssue]) -> list[Step]:
    """Close every open issue of ``key`` but the lowest-numbered one (``issues`` sorted by number).

    Two runs that both found no issue both create one; each, and every later
    run, keeps the lowest number and closes the others, so they agree.
    """
    if len(issues) < 2:
        return []
    kept = issues[0].number
    return [Step("duplicate", key, issue=extra, comment=duplicate_comment(key, kept), canonical=kept)
            for extra in issues[1:] if extra.state == "open"]


def _milestone_fixes(steps: list[Step]) -> tuple[tuple[Milestone, date], ...]:
    fixes: dict[int, tuple[Milestone, date]] = {}
    for step in steps:
        milestone = step.issue.milestone if step.issue is not None else None
        if (step.action in ("update", "unchanged") and step.desired is not None and milestone is not None
                and milestone.title == step.desired.milestone and milestone.due_on != step.desired.due):
            fixes[milestone.number] = (milestone, step.desired.due)
    return tuple(fixes[number] for number in sorted(fixes))


def _folded(names: Iterable[str]) -> frozenset[str]:
    return frozenset(name.casefold() for name in names)


def _normal(body: str) -> str:
    """GitHub's web editor saves CRLF; trailing blank space carries no meaning."""
    return body.replace("\r\n", "\n").rstrip()
