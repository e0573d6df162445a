"""Run a plan against a tracker: labels and milestones first, then one issue at a time.

Every write is safe to repeat, so a run stopped anywhere is completed by the
next: issues are found again by their marker, labels and milestones by name,
and the removal note is looked for before it is written.

Two runs at once (a scheduled sync and one by hand) both plan to create the
same issues. Right before each create the newest issues are looked through
for one a concurrent run just made (check, then create), and after a run
that created issues the sync's issues are listed again: where an item has
two, every run keeps the lowest number and closes the other as a duplicate,
so racing twins agree without a lock.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from opsrepo.actions import labels
from opsrepo.actions.body import DUPLICATE_MARK, REMOVED_MARK
from opsrepo.actions.model import Key, Milestone, ObservedIssue, Step
from opsrepo.actions.plan import Plan, diff, duplicate_steps, group_by_key
from opsrepo.actions.tracker import Tracker, TrackerError

RESUME_HINT = "run 'opsrepo actions sync' again: it resumes where this run stopped, without duplicates"


@dataclass
class Outcome:
    """What a run did (or, dry, would do)."""

    labels_created: list[str] = field(default_factory=list)
    milestones_created: list[str] = field(default_factory=list)
    milestones_fixed: list[str] = field(default_factory=list)
    #: issues as they stand after the run, by item
    issues: dict[Key, ObservedIssue] = field(default_factory=dict)
    #: steps with writes that completed
    done: int = 0
    #: issues a concurrent run had made (found right before a create), and twins closed afterwards
    adopted: list[int] = field(default_factory=list)
    duplicates_closed: list[int] = field(default_factory=list)


class SyncIncomplete(TrackerError):
    """The run stopped part-way; the next run completes it."""


@dataclass
class Executor:
    """Applies one plan; ``dry_run`` reads what it must and writes nothing."""

    plan: Plan
    tracker: Tracker
    observed: list[ObservedIssue]
    dry_run: bool = False
    on_step: Callable[[Step], None] = lambda step: None
    outcome: Outcome = field(default_factory=Outcome)

    def run(self) -> Outcome:
        """Labels, milestones, then every step in plan order."""
        try:
            self.ensure_labels()
            numbers = self.ensure_milestones()
            for step in self.plan.steps:
                self.apply(step, numbers)
            if not self.dry_run and self.plan.count("create"):
                self.close_twins()
        except TrackerError as exc:
            total = sum(1 for step in self.plan.steps if step.writes)
            hint = f"{exc.hint}; then {RESUME_HINT}" if exc.hint else RESUME_HINT
            stopped = f"stopped after {self.outcome.done} of {total} issue changes"
            raise SyncIncomplete(f"{exc.message} ({stopped})", hint) from None
        return self.outcome

    def ensure_labels(self) -> None:
        """Create the labels the writes need that the repo lacks, with their colours."""
        used = self.plan.labels_used()
        seen = labels.folded(name for issue in self.observed for name in issue.labels)
        missing = [spec for name, spec in sorted(used.items()) if name not in seen]
        if not missing:
            return
        existing = labels.folded(self.tracker.list_labels())
        for spec in missing:
            if spec.name.casefold() not in existing:
                if not self.dry_run:
                    self.tracker.create_label(spec)
                self.outcome.labels_created.append(spec.name)

    def ensure_milestones(self) -> dict[str, int]:
        """Milestone numbers by title for every milestone a write sets; creates and fixes as needed."""
        used = self.plan.milestones_used()
        known: dict[str, Milestone] = {i.milestone.title: i.milestone for i in self.observed if i.milestone}
        fixes = {m.number: (m, due) for m, due in self.plan.milestone_fixes}
        if any(title not in known for title in used):
            listed = {m.title: m for m in self.tracker.list_milestones()}
            known.update(listed)
            fixes.update((m.number, (m, used[title])) for title, m in listed.items()
                         if title in used and m.due_on != used[title])
        for milestone, due in (fixes[number] for number in sorted(fixes)):
            if not self.dry_run:
                self.tracker.update_milestone(milestone.number, due)
            self.outcome.milestones_fixed.append(milestone.title)
        numbers = {title: m.number for title, m in known.items()}
        for title, due in sorted(used.items()):
            if title not in numbers:
                self.outcome.milestones_created.append(title)
                numbers[title] = 0 if self.dry_run else self.tracker.create_milestone(title, due).number
        return numbers

    def apply(self, step: Step, numbers: dict[str, int]) -> None:
        """One step; records the issue as it now stands."""
        if step.issue is not None:
            self.outcome.issues[step.key] = step.issue
        if not step.writes or self.dry_run:
            return
        milestone = numbers.get(step.fields.milestone) if step.fields.milestone else None
        if step.action == "create":
            self.outcome.issues[step.key] = self.create(step, numbers)
        elif step.action == "duplicate":
            self.close(step)
        elif step.action == "update" and step.issue is not None:
            number = step.issue.number
            self.outcome.issues[step.key] = self.tracker.update_issue(number, step.fields, milestone)
        elif step.action == "removed" and step.issue is not None:
            self.note_removal(step.issue.number, step)
        self.outcome.done += 1
        self.on_step(step)

    def create(self, step: Step, numbers: dict[str, int]) -> ObservedIssue:
        """Create the item's issue, unless a run going on at the same time just did: bring that in step."""
        twin = self.tracker.recent(step.key, self.plan.label)
        if twin is None:
            milestone = numbers.get(step.fields.milestone) if step.fields.milestone else None
            return self.tracker.create_issue(step.key, step.fields, milestone, self.plan.label)
        self.outcome.adopted.append(twin.number)
        if step.desired is None or twin.state != "open":
            return twin
        fields = diff(twin, step.desired, self.plan.label)
        if not fields.changed():
            return twin
        milestone = numbers.get(fields.milestone) if fields.milestone else None
        return self.tracker.update_issue(twin.number, fields, milestone)

    def close_twins(self) -> None:
        """After creating: where a concurrent run made a second issue of an item, close the higher number."""
        created = {step.key for step in self.plan.steps if step.action == "create"}
        by_key = group_by_key(self.tracker.list_issues(self.plan.label))
        for key in sorted(created & set(by_key)):
            issues = by_key[key]
            self.outcome.issues[key] = issues[0]
            for step in duplicate_steps(key, issues):
                self.close(step)

    def close(self, step: Step) -> None:
        """Close a second issue of an item as a duplicate of the first."""
        if step.issue is None or step.canonical is None:
            return
        self.tracker.close_duplicate(step.issue.number, step.canonical, step.comment or "", DUPLICATE_MARK)
        self.outcome.duplicates_closed.append(step.issue.number)

    def note_removal(self, number: int, step: Step) -> None:
        """Comment once, then label: a run stopped in between does not comment twice."""
        if step.comment and not self.tracker.has_comment(number, REMOVED_MARK, None):
            self.tracker.comment(number, step.comment, REMOVED_MARK)
        self.outcome.issues[step.key] = self.tracker.update_issue(number, step.fields, None)
