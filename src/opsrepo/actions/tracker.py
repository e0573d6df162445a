"""What the sync needs from an issue tracker; :mod:`opsrepo.github` implements it.

Keeping this a protocol lets the planning core run without PyGithub, and the
tests swap in any tracker they like.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol

from opsrepo.actions.labels import LabelSpec
from opsrepo.actions.model import IssueFields, Key, Milestone, ObservedIssue
from opsrepo.errors import OpsrepoError


class TrackerError(OpsrepoError):
    """The tracker could not do what was asked (after its own retries); exit code 1."""


@dataclass
class Counters:
    """Requests a tracker sent: all of them, and those that write."""

    requests: int = 0
    writes: int = 0
    waited: float = 0.0


class Tracker(Protocol):
    """A repository's issues, labels, milestones and comments."""

    repo: str

    @property
    def counters(self) -> Counters:
        """Requests sent so far."""

    def list_issues(self, label: str | None) -> list[ObservedIssue]:
        """Every issue (open and closed) carrying ``label`` (None: every issue); pull requests left out."""

    def get_issue(self, number: int) -> ObservedIssue | None:
        """One issue of this repo, or ``None`` when it is gone or lives elsewhere now."""

    def is_assignable(self, login: str) -> bool:
        """Whether issues of this repo can be assigned to ``login``."""

    def list_labels(self) -> list[str]:
        """Names of every label of the repo."""

    def create_label(self, spec: LabelSpec) -> None:
        """Create a label (already existing is fine)."""

    def list_milestones(self) -> list[Milestone]:
        """Every milestone, open and closed."""

    def create_milestone(self, title: str, due: date) -> Milestone:
        """Create a milestone due on ``due`` (or return the one that already has this title)."""

    def update_milestone(self, number: int, due: date) -> Milestone:
        """Set a milestone's due date."""

    def create_issue(self, key: Key, fields: IssueFields, milestone: int | None, label: str) -> ObservedIssue:
        """Create an item's issue exactly once, even when GitHub's answer is lost."""

    def recent(self, key: Key, label: str) -> ObservedIssue | None:
        """The lowest-numbered recent issue with ``label`` carrying ``key`` (a concurrent run made it)."""

    def close_duplicate(self, number: int, canonical: int, note: str, mark: str) -> ObservedIssue:
        """Close ``number`` as a duplicate of ``canonical``, leaving ``note`` once."""

    def update_issue(self, number: int, fields: IssueFields, milestone: int | None) -> ObservedIssue:
        """Set the given fields of an issue."""

    def has_comment(self, number: int, mark: str, since: datetime | None) -> bool:
        """Whether a comment containing ``mark`` was written on the issue (since ``since``)."""

    def comment(self, number: int, body: str, mark: str) -> None:
        """Comment once (a lost answer does not make a second comment)."""


#: called with a line of progress for the user (waits, retries); the CLI prints it on stderr
Progress = Callable[[str], None]
