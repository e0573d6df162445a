"""Action items: completion, overdue items with owners, time to close, per team.

States come from the ``opsrepo actions`` status file (read at the edge and
passed in). Without it, or for an item it does not list, the state is
``unknown``: the report never guesses that an item is done.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from opsrepo.model import ActionItem, Postmortem, Repo
from opsrepo.report.period import Period
from opsrepo.report.stats import median_days

UNKNOWN_TEAM = "(unknown)"


@dataclass(frozen=True)
class ItemStatus:
    """What GitHub says about one action item's issue."""

    state: str
    closed_at: datetime | None = None
    issue: int | None = None
    url: str | None = None
    assignee: str | None = None


@dataclass(frozen=True)
class StatusSnapshot:
    """The status file: when it was written and each item's status by (post-mortem, item)."""

    generated_at: datetime | None
    items: Mapping[tuple[str, str], ItemStatus]


@dataclass(frozen=True)
class ItemRow:
    """One action item as of the end of the period."""

    postmortem: str
    id: str
    title: str
    owner: str
    #: the owner's name (their id when they are not in the repo)
    owner_name: str
    team: str
    due: date
    priority: str
    state: str
    closed_at: datetime | None
    #: the local date it was closed, in the organisation's zone
    closed_on: date | None
    url: str | None
    days_to_close: float | None
    days_overdue: int

    def to_dict(self) -> dict[str, Any]:
        """JSON shape."""
        found = dict(vars(self))
        found["due"] = self.due.isoformat()
        found["closed_at"] = None if self.closed_at is None else self.closed_at.isoformat()
        found["closed_on"] = None if self.closed_on is None else self.closed_on.isoformat()
        return found


@dataclass(frozen=True)
class ItemSummary:
    """Counts for one team (or ``all``)."""

    key: str
    total: int
    closed: int
    open: int
    unknown: int
    #: open and past due / state unknown and past due
    overdue: int
    past_due_unknown: int
    closed_on_time: int
    median_days_to_close: float | None

    @property
    def completion(self) -> float | None:
        """Closed over items whose state is known; ``None`` when none is known."""
        known = self.closed + self.open
        return self.closed / known if known else None

    def to_dict(self) -> dict[str, Any]:
        """JSON shape."""
        found: dict[str, Any] = dict(vars(self))
        found["completion"] = None if self.completion is None else round(self.completion, 4)
        return found


@dataclass(frozen=True)
class Actions:
    """The period's action items, every overdue one, and the monthly burn-down."""

    #: whether any action-item status was given, and when it was written (if it says)
    has_status: bool
    status_generated_at: datetime | None
    overall: ItemSummary
    by_team: tuple[ItemSummary, ...]
    #: open and past due, then past due with an unknown state, from every post-mortem
    overdue: tuple[ItemRow, ...]
    past_due_unknown: tuple[ItemRow, ...]
    #: month -> (open, closed, unknown) at the month's end, items of the period's post-mortems
    burndown: Mapping[str, tuple[int, int, int]]

    def to_dict(self) -> dict[str, Any]:
        """JSON shape."""
        generated = None if self.status_generated_at is None else self.status_generated_at.isoformat()
        return {
            "status_file": {"generated_at": generated} if self.has_status else None,
            "overall": self.overall.to_dict(),
            "by_team": [s.to_dict() for s in self.by_team],
            "overdue": [row.to_dict() for row in self.overdue],
            "past_due_unknown": [row.to_dict() for row in self.past_due_unknown],
            "burndown": {m: {"open": o, "closed": c, "unknown": u} for m, (o, c, u) in self.burndown.items()},
        }


def actions(repo: Repo, incidents: Sequence[Postmortem], period: Period,
            status: StatusSnapshot | None) -> Actions:
    """Action items of the period's post-mortems; overdue ones from every post-mortem up to its end."""
    rows = [_row(repo, pm, item, period, status) for pm in incidents for item in pm.action_items]
    earlier = [pm for pm in repo.postmortems.values() if pm.timeline.started < period.until]
    every = [_row(repo, pm, item, period, status) for pm in earlier for item in pm.action_items]
    late = sorted((r for r in every if r.days_overdue > 0),
                  key=lambda r: (-r.days_overdue, r.postmortem, r.id))
    teams = sorted({r.team for r in rows})
    return Actions(
        has_status=status is not None,
        status_generated_at=None if status is None else status.generated_at,
        overall=summarize_items("all", rows),
        by_team=tuple(summarize_items(team, [r for r in rows if r.team == team]) for team in teams),
        overdue=tuple(r for r in late if r.state == "open"),
        past_due_unknown=tuple(r for r in late if r.state == "unknown"),
        burndown=_burndown(incidents, period, status),
    )


def state_at(status: StatusSnapshot | None, pm_id: str, item_id: str, instant: datetime) -> str:
    """``open``, ``closed`` or ``unknown`` at ``instant`` (an item closed later was open then)."""
    found = None if status is None else status.items.get((pm_id, item_id))
    if found is None:
        return "unknown"
    if found.state == "closed" and (found.closed_at is None or found.closed_at < instant):
        return "closed"
    return "open"


def summarize_items(key: str, rows: Iterable[ItemRow]) -> ItemSummary:
    """Counts and median time to close of ``rows``."""
    rows = list(rows)
    states = [r.state for r in rows]
    closed = [r for r in rows if r.state == "closed"]
    return ItemSummary(
        key=key, total=len(rows), closed=len(closed), open=states.count("open"),
        unknown=states.count("unknown"),
        overdue=sum(1 for r in rows if r.days_overdue > 0 and r.state == "open"),
        past_due_unknown=sum(1 for r in rows if r.days_overdue > 0 and r.state == "unknown"),
        closed_on_time=sum(1 for r in closed if r.closed_on is not None and r.closed_on <= r.due),
        median_days_to_close=_rounded(median_days(r.days_to_close for r in closed
                                                  if r.days_to_close is not None)),
    )


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def _row(repo: Repo, pm: Postmortem, item: ActionItem, period: Period,
         status: StatusSnapshot | None) -> ItemRow:
    state = state_at(status, pm.id, item.id, period.until)
    found = None if status is None else status.items.get((pm.id, item.id))
    closed_at = found.closed_at if found is not None and state == "closed" else None
    owner = repo.people.get(item.owner)
    today = period.last_day
    return ItemRow(
        postmortem=pm.id, id=item.id, title=item.title, owner=item.owner,
        owner_name=owner.name if owner is not None else item.owner,
        team=owner.team if owner is not None else UNKNOWN_TEAM, due=item.due, priority=item.priority,
        state=state, closed_at=closed_at,
        closed_on=None if closed_at is None else period.local_date(closed_at),
        url=None if found is None else found.url,
        days_to_close=None if closed_at is None else _days(closed_at - pm.timeline.resolved),
        days_overdue=(today - item.due).days if state != "closed" and item.due < today else 0,
    )


def _days(delta: timedelta) -> float:
    return round(max(delta.total_seconds(), 0.0) / 86400, 2)


def _burndown(incidents: Sequence[Postmortem], period: Period,
              status: StatusSnapshot | None) -> dict[str, tuple[int, int, int]]:
    found: dict[str, tuple[int, int, int]] = {}
    for month in period.months():
        states = [
            state_at(status, pm.id, item.id, month.end)
            for pm in incidents if pm.timeline.resolved < month.end for item in pm.action_items
        ]
        found[month.key] = (states.count("open"), states.count("closed"), states.count("unknown"))
    return found
