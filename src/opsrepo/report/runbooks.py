"""Runbooks overdue for review: last reviewed + ``review_every`` before the period's last day."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from opsrepo.model import Repo


@dataclass(frozen=True)
class RunbookReview:
    """A runbook that is due for review, or whose last review is unknown."""

    id: str
    title: str
    team: str | None
    owner: str | None
    reviewed: date | None
    #: where ``reviewed`` comes from: "front matter", "git" or None (unknown)
    source: str | None
    due: date | None
    days_overdue: int | None

    def to_dict(self) -> dict[str, Any]:
        """JSON shape."""
        found = dict(vars(self))
        found["reviewed"] = None if self.reviewed is None else self.reviewed.isoformat()
        found["due"] = None if self.due is None else self.due.isoformat()
        return found


@dataclass(frozen=True)
class Runbooks:
    """How many runbooks there are, and the ones overdue or never reviewed."""

    total: int
    overdue: tuple[RunbookReview, ...]
    unknown: tuple[RunbookReview, ...]

    def to_dict(self) -> dict[str, Any]:
        """JSON shape."""
        return {
            "total": self.total,
            "overdue": [r.to_dict() for r in self.overdue],
            "review_date_unknown": [r.to_dict() for r in self.unknown],
        }


def runbook_reviews(repo: Repo, today: date, last_changed: Mapping[str, date] | None = None) -> Runbooks:
    """Runbooks past due on ``today``; ``last_changed`` (runbook id -> date, from git) fills gaps."""
    overdue: list[RunbookReview] = []
    unknown: list[RunbookReview] = []
    for runbook in sorted(repo.runbooks.values(), key=lambda r: r.id):
        reviewed, source = runbook.reviewed, "front matter"
        if reviewed is None and last_changed and runbook.id in last_changed:
            reviewed, source = last_changed[runbook.id], "git"
        if reviewed is None:
            unknown.append(RunbookReview(runbook.id, runbook.title, runbook.team, runbook.owner,
                                         None, None, None, None))
            continue
        due = reviewed + (runbook.review_every or repo.org.review_every)
        if due < today:
            overdue.append(RunbookReview(runbook.id, runbook.title, runbook.team, runbook.owner,
                                         reviewed, source, due, (today - due).days))
    overdue.sort(key=lambda r: (-(r.days_overdue or 0), r.id))
    return Runbooks(len(repo.runbooks), tuple(overdue), tuple(unknown))
