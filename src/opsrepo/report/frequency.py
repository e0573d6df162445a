"""How many incidents, per severity and month, and whether that is going up or down."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from opsrepo.model import Postmortem, Repo
from opsrepo.report.period import Period

#: the trend compares the last this-many complete months with the same number before them
TREND_MONTHS = 3


@dataclass(frozen=True)
class Trend:
    """Incidents in the last ``TREND_MONTHS`` complete months against the ones before."""

    recent: int
    previous: int
    recent_months: tuple[str, ...]
    previous_months: tuple[str, ...]

    @property
    def change(self) -> float | None:
        """Relative change (``0.5`` = +50%); ``None`` when there were none before."""
        return None if self.previous == 0 else (self.recent - self.previous) / self.previous

    @property
    def direction(self) -> str:
        """``up``, ``down`` or ``flat``."""
        if self.recent == self.previous:
            return "flat"
        return "up" if self.recent > self.previous else "down"

    def to_dict(self) -> dict[str, Any]:
        """JSON shape."""
        return {
            "recent": self.recent, "previous": self.previous, "direction": self.direction,
            "change": None if self.change is None else round(self.change, 4),
            "recent_months": list(self.recent_months), "previous_months": list(self.previous_months),
        }


@dataclass(frozen=True)
class Frequency:
    """Incident counts: ``counts[severity][month]``, totals per month, trends."""

    months: tuple[str, ...]
    partial_months: tuple[str, ...]
    severities: tuple[str, ...]
    counts: Mapping[str, Mapping[str, int]]
    trends: Mapping[str, Trend | None]

    def total(self, month: str) -> int:
        """Incidents of every severity in ``month``."""
        return sum(self.counts[sev][month] for sev in self.severities)

    def to_dict(self) -> dict[str, Any]:
        """JSON shape."""
        return {
            "months": list(self.months),
            "partial_months": list(self.partial_months),
            "by_severity": [
                {"severity": sev, "total": sum(self.counts[sev].values()),
                 "per_month": dict(self.counts[sev]),
                 "trend": _trend_dict(self.trends[sev])}
                for sev in self.severities
            ],
            "total": {"per_month": {m: self.total(m) for m in self.months},
                      "trend": _trend_dict(self.trends["all"])},
        }


def frequency(repo: Repo, incidents: Sequence[Postmortem], period: Period) -> Frequency:
    """Counts of the period's incidents by severity and month."""
    months = period.months()
    keys = tuple(m.key for m in months)
    order = [level.id for level in repo.severities]
    severities = tuple(order + sorted({pm.severity for pm in incidents} - set(order)))
    counts = {sev: dict.fromkeys(keys, 0) for sev in severities}
    for pm in incidents:
        counts[pm.severity][period.month_key(pm.timeline.started)] += 1
    complete = [m.key for m in months if not m.partial]
    trends: dict[str, Trend | None] = {sev: trend(counts[sev], complete) for sev in severities}
    totals = {key: sum(counts[sev][key] for sev in severities) for key in keys}
    trends["all"] = trend(totals, complete)
    return Frequency(keys, tuple(m.key for m in months if m.partial), severities, counts, trends)


def trend(per_month: Mapping[str, int], complete: Sequence[str]) -> Trend | None:
    """The trend over complete months; ``None`` with fewer than ``2 * TREND_MONTHS`` of them."""
    if len(complete) < 2 * TREND_MONTHS:
        return None
    recent = tuple(complete[-TREND_MONTHS:])
    previous = tuple(complete[-2 * TREND_MONTHS:-TREND_MONTHS])
    return Trend(sum(per_month[m] for m in recent), sum(per_month[m] for m in previous), recent, previous)


def _trend_dict(found: Trend | None) -> dict[str, Any] | None:
    return None if found is None else found.to_dict()
