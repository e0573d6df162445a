"""The report: every measure of the period, from the model, a fixed "now" and injected sources."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from opsrepo.errors import UsageError
from opsrepo.model import Postmortem, Repo
from opsrepo.report.actions import Actions, StatusSnapshot, actions
from opsrepo.report.frequency import Frequency, frequency
from opsrepo.report.oncall_load import OncallLoad, ShiftSource, oncall_load
from opsrepo.report.period import Period, default_since
from opsrepo.report.repeats import Repeats, repeats
from opsrepo.report.response import MEASURES, Response, duration, response
from opsrepo.report.runbooks import Runbooks, runbook_reviews
from opsrepo.report.timeliness import Timeliness, timeliness
from opsrepo.timeutil import get_zone


@dataclass(frozen=True)
class ReportRequest:
    """What to report on. ``since``/``until`` default to the last 12 months up to ``now``."""

    now: datetime
    since: datetime | None = None
    until: datetime | None = None
    #: the action-item status file, if there is one
    status: StatusSnapshot | None = None
    #: the schedule engine's final shifts (``opsrepo.oncall.shift_segments``); ``None``: no on-call load
    shifts: ShiftSource | None = None
    #: runbook id -> date of its last change in git, for runbooks without ``reviewed``
    last_changed: Mapping[str, date] = field(default_factory=dict)
    #: the on-call load already computed for this period (the site's, put together from parts):
    #: taken as it is, instead of computing it from ``shifts``
    load: OncallLoad | None = None


@dataclass(frozen=True)
class Report:
    """Everything ``opsrepo report`` shows."""

    org: str
    generated_at: datetime
    period: Period
    incidents: tuple[Postmortem, ...]
    response: Response
    frequency: Frequency
    repeats: Repeats
    actions: Actions
    timeliness: Timeliness
    load: OncallLoad | None
    runbooks: Runbooks

    def to_dict(self) -> dict[str, Any]:
        """The JSON document."""
        from opsrepo.report.definitions import DEFINITIONS

        return {
            "org": self.org,
            "generated_at": self.generated_at.isoformat(),
            "period": {"since": self.period.local(self.period.since).isoformat(),
                       "until": self.period.local(self.period.until).isoformat(),
                       "timezone": self.period.timezone},
            "incidents": [_incident_dict(pm, self.repeats) for pm in self.incidents],
            "response": self.response.to_dict(),
            "frequency": self.frequency.to_dict(),
            "repeats": self.repeats.to_dict(),
            "action_items": self.actions.to_dict(),
            "postmortem_timeliness": self.timeliness.to_dict(),
            "oncall_load": None if self.load is None else self.load.to_dict(),
            "runbooks": self.runbooks.to_dict(),
            "definitions": dict(DEFINITIONS),
        }


def resolve_period(repo: Repo, request: ReportRequest) -> Period:
    """The period of ``request``: defaults filled in, ``until`` clipped to now; checked."""
    zone = get_zone(repo.org.timezone)
    until = min(request.until or request.now, request.now)
    since = request.since or default_since(until, zone)
    if since >= until:
        raise UsageError(
            f"the period is empty: since {since.astimezone(zone).isoformat()} is not before until "
            f"{until.astimezone(zone).isoformat()}",
            "pass --since before --until (and not after now)",
        )
    return Period(since, until, repo.org.timezone)


def build_report(repo: Repo, request: ReportRequest) -> Report:
    """Compute every measure of the report."""
    period = resolve_period(repo, request)
    incidents = tuple(sorted((pm for pm in repo.postmortems.values() if period.contains(pm.timeline.started)),
                             key=lambda pm: (pm.timeline.started, pm.id)))
    return Report(
        org=repo.org.name,
        generated_at=request.now,
        period=period,
        incidents=incidents,
        response=response(repo, incidents, period),
        frequency=frequency(repo, incidents, period),
        repeats=repeats(repo.postmortems.values(), incidents, period, repo.org.repeat_window),
        actions=actions(repo, incidents, period, request.status),
        timeliness=timeliness(repo, incidents, period),
        load=_load(repo, period, request),
        runbooks=runbook_reviews(repo, period.last_day, request.last_changed),
    )


def _load(repo: Repo, period: Period, request: ReportRequest) -> OncallLoad | None:
    if request.load is not None:
        return request.load
    return None if request.shifts is None else oncall_load(repo, period, request.shifts)


def _incident_dict(pm: Postmortem, found: Repeats) -> dict[str, Any]:
    repeat = next((r for r in found.repeats if r.id == pm.id), None)
    measured = {m.key: duration(pm, m) for m in MEASURES}
    return {
        "id": pm.id, "title": pm.title, "severity": pm.severity, "services": list(pm.services),
        "status": pm.status, "started": pm.timeline.started.isoformat(),
        "root_cause_category": pm.root_cause_category,
        **{f"{key}_seconds": None if value is None else value.total_seconds()
           for key, value in measured.items()},
        "repeats": [] if repeat is None else list(repeat.of),
    }
