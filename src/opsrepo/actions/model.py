"""Records of the action-item sync: what the repo wants, what GitHub has, and the plan between."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from opsrepo.actions.labels import LabelSpec

#: (post-mortem id, item id)
Key = tuple[str, str]


def milestone_title(due: date) -> str:
    """The title of the milestone of every item due on ``due``."""
    return f"Due {due.isoformat()}"


@dataclass(frozen=True)
class Owner:
    """An action item's owner as the repo names them."""

    person: str
    #: display name; ``None`` when the person id is not in the repo
    name: str | None
    login: str | None
    file: str | None = None


@dataclass(frozen=True)
class ItemSpec:
    """Everything the repo says about one action item, ready to render."""

    key: Key
    title: str
    owner: Owner
    due: date
    priority: str
    kind: str
    pm_title: str
    pm_path: str
    severity: str
    severity_name: str | None
    severity_rank: int | None
    services: tuple[tuple[str, str], ...]
    started: datetime
    site_url: str | None
    source_url: str | None


@dataclass(frozen=True)
class DesiredIssue:
    """The issue one action item should have."""

    key: Key
    title: str
    body: str
    labels: tuple[LabelSpec, ...]
    assignee: str | None
    milestone: str
    due: date
    #: why the item has no assignee (a warning), or None
    unassigned_because: str | None = None

    @property
    def label_names(self) -> tuple[str, ...]:
        """The managed label names, in order."""
        return tuple(spec.name for spec in self.labels)


@dataclass(frozen=True)
class Milestone:
    """A GitHub milestone; ``due_on`` compared by date only (GitHub moves the hour)."""

    number: int
    title: str
    due_on: date | None
    state: str = "open"


@dataclass(frozen=True)
class ObservedIssue:
    """An issue as GitHub returned it."""

    number: int
    url: str
    title: str
    body: str
    state: str
    labels: tuple[str, ...]
    assignees: tuple[str, ...]
    milestone: Milestone | None
    closed_at: datetime | None
    #: from the hidden marker; None when the body carries none
    key: Key | None
    created_at: datetime | None = None
    #: the API URL of the repository the issue lives in (a moved issue lives elsewhere)
    repository_url: str = ""


@dataclass(frozen=True)
class IssueFields:
    """The fields a create or an update sends; ``None`` means "leave as is"."""

    title: str | None = None
    body: str | None = None
    labels: tuple[str, ...] | None = None
    assignees: tuple[str, ...] | None = None
    milestone: str | None = None

    def changed(self) -> tuple[str, ...]:
        """Names of the fields this update sets."""
        return tuple(name for name in ("title", "body", "labels", "assignees", "milestone")
                     if getattr(self, name) is not None)


@dataclass(frozen=True)
class Notice:
    """Something the user should fix in the repo or on GitHub; the run still succeeds."""

    key: Key | None
    message: str
    issue: int | None = None


@dataclass(frozen=True)
class Step:
    """One entry of the plan.

    ``action`` is ``create``, ``update``, ``unchanged``, ``closed`` (a person
    closed it: left alone), ``removed`` (the item left its post-mortem: label
    and comment once), ``duplicate`` (a second issue of the item: closed as a
    duplicate of the lowest-numbered one, ``canonical``) or ``attention``
    (nothing is written; ``note`` says why).
    """

    action: str
    key: Key
    desired: DesiredIssue | None = None
    issue: ObservedIssue | None = None
    fields: IssueFields = field(default_factory=IssueFields)
    note: str | None = None
    #: for ``removed`` and ``duplicate``: the note to leave once on the issue
    comment: str | None = None
    #: for ``duplicate``: the number of the issue that is kept
    canonical: int | None = None

    @property
    def writes(self) -> bool:
        """True when executing this step sends at least one write."""
        return self.action in ("create", "update", "removed", "duplicate")
