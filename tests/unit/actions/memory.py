"""An in-memory tracker: the Tracker protocol without HTTP, recording every call."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

from opsrepo.actions.labels import LabelSpec
from opsrepo.actions.model import IssueFields, Key, Milestone, ObservedIssue
from opsrepo.actions.tracker import Counters, TrackerError


class MemoryTracker:
    repo = "kestrel-eng/ops"

    def __init__(self, issues: list[ObservedIssue] | None = None, labels: list[str] | None = None,
                 milestones: list[Milestone] | None = None, assignable: set[str] | None = None) -> None:
        self.issues = {i.number: i for i in issues or []}
        self.labels = list(labels or [])
        self.milestones = {m.number: m for m in milestones or []}
        self.assignable = assignable or set()
        self.calls: list[tuple[object, ...]] = []
        self.comments: dict[int, list[str]] = {}
        self.fail_on: str | None = None
        self._counters = Counters()

    @property
    def counters(self) -> Counters:
        return self._counters

    def _call(self, *call: object) -> None:
        if self.fail_on == call[0]:
            raise TrackerError(f"{call[0]} failed", "try later")
        self.calls.append(call)

    def list_issues(self, label: str | None) -> list[ObservedIssue]:
        self._call("list_issues", label)
        return [i for i in self.issues.values() if label is None or label in i.labels]

    def recent(self, key: Key, label: str) -> ObservedIssue | None:
        self._call("recent", key)
        mine = [i for i in self.issues.values() if i.key == key and label in i.labels]
        return min(mine, key=lambda i: i.number) if mine else None

    def close_duplicate(self, number: int, canonical: int, note: str, mark: str) -> ObservedIssue:
        self._call("close_duplicate", number, canonical)
        self.comments.setdefault(number, []).append(note)
        self.issues[number] = replace(self.issues[number], state="closed")
        return self.issues[number]

    def get_issue(self, number: int) -> ObservedIssue | None:
        self._call("get_issue", number)
        return self.issues.get(number)

    def is_assignable(self, login: str) -> bool:
        self._call("is_assignable", login)
        return login in self.assignable

    def list_labels(self) -> list[str]:
        self._call("list_labels")
        return list(self.labels)

    def create_label(self, spec: LabelSpec) -> None:
        self._call("create_label", spec.name, spec.color)
        self.labels.append(spec.name)

    def list_milestones(self) -> list[Milestone]:
        self._call("list_milestones")
        return list(self.milestones.values())

    def create_milestone(self, title: str, due: date) -> Milestone:
        self._call("create_milestone", title, due)
        made = Milestone(len(self.milestones) + 1, title, due)
        self.milestones[made.number] = made
        return made

    def update_milestone(self, number: int, due: date) -> Milestone:
        self._call("update_milestone", number, due)
        self.milestones[number] = replace(self.milestones[number], due_on=due)
        return self.milestones[number]

    def create_issue(self, key: Key, fields: IssueFields, milestone: int | None, label: str) -> ObservedIssue:
        self._call("create_issue", key, milestone)
        number = max(self.issues, default=0) + 1
        made = ObservedIssue(number, f"https://github.example/issues/{number}", fields.title or "",
                             fields.body or "", "open", fields.labels or (), fields.assignees or (),
                             self.milestones.get(milestone or 0), None, key)
        self.issues[number] = made
        return made

    def update_issue(self, number: int, fields: IssueFields, milestone: int | None) -> ObservedIssue:
        self._call("update_issue", number, fields.changed(), milestone)
        issue = self.issues[number]
        for name in fields.changed():
            if name != "milestone":
                issue = replace(issue, **{name: getattr(fields, name)})
        if fields.milestone is not None:
            issue = replace(issue, milestone=self.milestones.get(milestone or 0))
        self.issues[number] = issue
        return issue

    def has_comment(self, number: int, mark: str, since: datetime | None) -> bool:
        self._call("has_comment", number, mark)
        return any(mark in body for body in self.comments.get(number, []))

    def comment(self, number: int, body: str, mark: str) -> None:
        self._call("comment", number, mark)
        self.comments.setdefault(number, []).append(body)
