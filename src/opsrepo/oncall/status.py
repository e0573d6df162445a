"""Who is on call at an instant, and when nobody is: off hours (neutral) or a gap (red).

A schedule's ``coverage`` declares when someone must be on call. Nobody on
call *inside* it is a gap: the one state to show in red. Nobody on call
outside it is off hours: expected, shown neutrally with when coverage resumes.
With ``coverage: none`` every stretch without anyone is off hours, and coverage
"resumes" when someone next comes on call. Public API, for ``oncall`` and the site::

    status_at(repo, schedule_id, at) -> Status
    coverage_resumes(schedule, at) -> datetime | None
"""

from __future__ import annotations

from datetime import datetime, timedelta

from opsrepo.model import Repo, Schedule
from opsrepo.oncall import ON_CALL_HORIZON, final_shifts
from opsrepo.oncall.clock import DAY, from_micros, to_micros
from opsrepo.oncall.rotation import window_spans
from opsrepo.oncall.shifts import Stretch, next_stretches, stretch_at
from opsrepo.records import dataclass

__all__ = ["COVERAGE_REPEATS", "GAP", "OFF_HOURS", "ON_CALL", "Status", "coverage_resumes", "in_coverage",
           "status_at"]

ON_CALL, OFF_HOURS, GAP = "on-call", "off-hours", "gap"
#: coverage windows repeat weekly: the next one opens within 8 days (in microseconds), or never
COVERAGE_REPEATS = 8 * DAY


@dataclass(frozen=True)
class Status:
    """A schedule at an instant: someone's shift, off hours, or a gap in declared coverage."""

    state: str
    #: the whole shift holding the instant (state ``on-call``)
    shift: Stretch | None = None
    #: nobody on call: since when (the last shift's end; None beyond the horizon)
    since: datetime | None = None
    #: nobody on call: until when (the next shift's start; None beyond the horizon)
    until: datetime | None = None
    #: off hours: when declared coverage next begins (None with ``coverage: none``: see ``until``)
    resumes: datetime | None = None


def status_at(repo: Repo, schedule_id: str, at: datetime) -> Status:
    """The schedule at ``at``."""
    shift = stretch_at(repo, schedule_id, at)
    if shift is not None:
        return Status(ON_CALL, shift)
    schedule = repo.schedules[schedule_id]
    following = next_stretches(repo, schedule_id, at, 1)
    since = _gap_start(repo, schedule_id, at)
    until = following[0].start if following else None
    if in_coverage(schedule, at):
        return Status(GAP, since=since, until=until)
    return Status(OFF_HOURS, since=since, until=until, resumes=coverage_resumes(schedule, at))


def coverage_resumes(schedule: Schedule, at: datetime) -> datetime | None:
    """The first instant after ``at`` inside the schedule's declared coverage (None: none declared)."""
    if schedule.coverage is None:
        return None
    low = to_micros(at)
    spans = window_spans(schedule.timezone, schedule.coverage, low + 1, low + COVERAGE_REPEATS)
    return from_micros(spans[0][0]) if spans else None


def in_coverage(schedule: Schedule, at: datetime) -> bool:
    """Whether ``at`` lies inside the schedule's declared coverage (24x7 always; none never)."""
    if schedule.coverage is None:
        return False
    if schedule.coverage_24x7:
        return True
    low = to_micros(at)
    return bool(window_spans(schedule.timezone, schedule.coverage, low, low + 1))


def _gap_start(repo: Repo, schedule_id: str, at: datetime) -> datetime | None:
    """When nobody-on-call around ``at`` began: the end of the last shift, searched back to the horizon."""
    span = timedelta(days=7)
    while True:
        before = final_shifts(repo, schedule_id, at - span, at)
        if before or span >= ON_CALL_HORIZON:
            return before[-1].end if before else None
        span = min(span * 4, ON_CALL_HORIZON)
