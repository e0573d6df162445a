"""Time to detect, acknowledge, mitigate and resolve, against the severity matrix's targets."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from opsrepo.model import Postmortem, Repo
from opsrepo.report.period import Period
from opsrepo.report.stats import Stats, summarize


@dataclass(frozen=True)
class Measure:
    """One response measure: the time from one timeline instant to another."""

    key: str
    label: str
    start: str
    end: str
    #: the severity-matrix field it is held against, if any
    target: str | None = None


MEASURES = (
    Measure("mttd", "MTTD", "started", "detected"),
    Measure("mtta", "MTTA", "detected", "acknowledged", "acknowledge_within"),
    Measure("ttm", "Time to mitigate", "started", "mitigated"),
    Measure("mttr", "MTTR", "started", "resolved", "resolve_within"),
)
TARGETED = tuple(m for m in MEASURES if m.target is not None)


@dataclass(frozen=True)
class ResponseRow:
    """The measures of one group of incidents (a severity, a service, a month, or all)."""

    key: str
    incidents: int
    stats: Mapping[str, Stats]
    #: measure key -> incidents measured against their severity's target / over it
    checked: Mapping[str, int]
    missed: Mapping[str, int]

    def to_dict(self) -> dict[str, Any]:
        """JSON shape."""
        return {
            "key": self.key,
            "incidents": self.incidents,
            **{m.key: self._measure_dict(m) for m in MEASURES},
        }

    def _measure_dict(self, measure: Measure) -> dict[str, Any]:
        found: dict[str, Any] = dict(self.stats[measure.key].to_dict())
        if measure.target is not None:
            found["checked"] = self.checked[measure.key]
            found["missed_target"] = self.missed[measure.key]
        return found


@dataclass(frozen=True)
class Response:
    """Response measures overall and by severity, service and month."""

    overall: ResponseRow
    by_severity: tuple[ResponseRow, ...]
    by_service: tuple[ResponseRow, ...]
    by_month: tuple[ResponseRow, ...]
    #: severity id -> measure key -> target
    targets: Mapping[str, Mapping[str, timedelta]]

    def to_dict(self) -> dict[str, Any]:
        """JSON shape."""
        return {
            "targets": {
                sev: {key: value.total_seconds() for key, value in by_measure.items()}
                for sev, by_measure in self.targets.items()
            },
            "overall": self.overall.to_dict(),
            "by_severity": [row.to_dict() for row in self.by_severity],
            "by_service": [row.to_dict() for row in self.by_service],
            "by_month": [row.to_dict() for row in self.by_month],
        }


def duration(pm: Postmortem, measure: Measure) -> timedelta | None:
    """The measure for one incident; ``None`` when an instant is missing or out of order."""
    start: datetime | None = getattr(pm.timeline, measure.start)
    end: datetime | None = getattr(pm.timeline, measure.end)
    if start is None or end is None or end < start:
        return None
    return end - start


def severity_targets(repo: Repo) -> dict[str, dict[str, timedelta]]:
    """Severity id -> measure key -> target, in the matrix's order."""
    return {
        level.id: {m.key: getattr(level, m.target) for m in TARGETED if m.target is not None}
        for level in repo.severities
    }


def response(repo: Repo, incidents: Sequence[Postmortem], period: Period) -> Response:
    """Response measures of the period's incidents."""
    targets = severity_targets(repo)
    row = _row_maker(targets)
    order = [level.id for level in repo.severities]
    severities = order + sorted({pm.severity for pm in incidents} - set(order))
    services = sorted({service for pm in incidents for service in pm.services})
    return Response(
        overall=row("all", incidents),
        by_severity=_grouped(row, severities, incidents, lambda pm: (pm.severity,)),
        by_service=_grouped(row, services, incidents, lambda pm: pm.services),
        by_month=_grouped(row, [m.key for m in period.months()], incidents,
                          lambda pm: (period.month_key(pm.timeline.started),)),
        targets=targets,
    )


RowMaker = Callable[[str, Sequence[Postmortem]], ResponseRow]


def _row_maker(targets: Mapping[str, Mapping[str, timedelta]]) -> RowMaker:
    def make(key: str, group: Sequence[Postmortem]) -> ResponseRow:
        stats = {m.key: summarize(duration(pm, m) for pm in group) for m in MEASURES}
        checked: dict[str, int] = {}
        missed: dict[str, int] = {}
        for measure in TARGETED:
            pairs = _against_target(group, measure, targets)
            checked[measure.key] = len(pairs)
            missed[measure.key] = sum(1 for value, target in pairs if value > target)
        return ResponseRow(key, len(group), stats, checked, missed)

    return make


def _against_target(
    group: Iterable[Postmortem], measure: Measure, targets: Mapping[str, Mapping[str, timedelta]]
) -> list[tuple[timedelta, timedelta]]:
    pairs = []
    for pm in group:
        value = duration(pm, measure)
        target = targets.get(pm.severity, {}).get(measure.key)
        if value is not None and target is not None:
            pairs.append((value, target))
    return pairs


def _grouped(
    row: RowMaker, keys: Sequence[str], incidents: Sequence[Postmortem],
    keys_of: Callable[[Postmortem], Iterable[str]],
) -> tuple[ResponseRow, ...]:
    groups: dict[str, list[Postmortem]] = {key: [] for key in keys}
    for pm in incidents:
        for key in keys_of(pm):
            groups.setdefault(key, []).append(pm)
    return tuple(row(key, members) for key, members in groups.items())
