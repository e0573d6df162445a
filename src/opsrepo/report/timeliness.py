"""Post-mortem timeliness: whether each was published by the severity matrix's deadline.

The deadline is ``resolved + postmortem.within`` as a date (as the OPS505
rule computes it); a post-mortem published on that date is on time.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from opsrepo.model import Postmortem, Repo
from opsrepo.report.period import Period
from opsrepo.report.stats import median_days

#: verdicts in display order
VERDICTS = ("on-time", "late", "overdue", "pending", "not-required")


@dataclass(frozen=True)
class TimelinessRow:
    """One incident's post-mortem against its deadline."""

    id: str
    severity: str
    status: str
    resolved: date
    deadline: date | None
    published: date | None
    verdict: str
    days_late: int

    def to_dict(self) -> dict[str, Any]:
        """JSON shape."""
        return {
            "id": self.id, "severity": self.severity, "status": self.status,
            "resolved": self.resolved.isoformat(),
            "deadline": None if self.deadline is None else self.deadline.isoformat(),
            "published": None if self.published is None else self.published.isoformat(),
            "verdict": self.verdict, "days_late": self.days_late,
        }


@dataclass(frozen=True)
class Timeliness:
    """Every incident of the period with its verdict, counts and median days to publish."""

    rows: tuple[TimelinessRow, ...]
    median_days_to_publish: float | None

    def counts(self) -> dict[str, int]:
        """Verdict -> incidents, every verdict listed."""
        found = Counter(row.verdict for row in self.rows)
        return {verdict: found[verdict] for verdict in VERDICTS}

    def to_dict(self) -> dict[str, Any]:
        """JSON shape."""
        return {
            "counts": self.counts(),
            "median_days_to_publish": self.median_days_to_publish,
            "postmortems": [row.to_dict() for row in self.rows],
        }


def timeliness(repo: Repo, incidents: Sequence[Postmortem], period: Period) -> Timeliness:
    """Verdicts for the period's incidents as of the period's last day."""
    rows = tuple(_row(repo, pm, period.last_day) for pm in incidents)
    days = [(pm.published - pm.timeline.resolved.date()).days for pm in incidents
            if pm.published is not None and pm.status == "published"]
    return Timeliness(rows, median_days(days))


def _row(repo: Repo, pm: Postmortem, today: date) -> TimelinessRow:
    resolved = pm.timeline.resolved.date()
    level = repo.severity(pm.severity)
    rule = None if level is None else level.postmortem
    published = pm.published if pm.status == "published" else None
    if rule is None or not rule.required:
        return TimelinessRow(pm.id, pm.severity, pm.status, resolved, None, published, "not-required", 0)
    if rule.within is None:  # required, no deadline: it cannot be late
        verdict = "pending" if published is None else "on-time"
        return TimelinessRow(pm.id, pm.severity, pm.status, resolved, None, published, verdict, 0)
    deadline = (pm.timeline.resolved + rule.within).date()
    if published is not None:
        late = max((published - deadline).days, 0)
        return TimelinessRow(pm.id, pm.severity, pm.status, resolved, deadline, published,
                             "late" if late else "on-time", late)
    late = max((today - deadline).days, 0)
    return TimelinessRow(pm.id, pm.severity, pm.status, resolved, deadline, None,
                         "overdue" if late else "pending", late)
