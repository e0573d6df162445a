"""The one place the site takes the engine's shift rule and declared coverage from.

The site must merge pieces into shifts exactly as ``opsrepo oncall`` does:
a shift runs until the person changes (or a gap begins), so the pieces of one
person from two sources (a layer, then an override of the same person) are
one shift, and "next" is the next different person. That is what
:func:`opsrepo.oncall.stretch_end` and :func:`opsrepo.oncall.handoffs` do
today; this module applies the same rule to the shifts a build already holds.
When the engine offers the rule (and off hours) as a function, this module is
what switches to it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime, timedelta

from opsrepo.model import Schedule
from opsrepo.oncall import Shift
from opsrepo.oncall.clock import from_micros, to_micros
from opsrepo.oncall.coverage import coverage_gaps
from opsrepo.oncall.intervals import Span
from opsrepo.oncall.rotation import window_spans

#: how far ahead the site looks for coverage to resume (windows repeat weekly)
RESUME_HORIZON = timedelta(days=8)


def join_spans(spans: Sequence[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """``(start, end, person)`` pieces, sorted and disjoint, with a person's adjacent pieces joined."""
    joined: list[tuple[int, int, str]] = []
    for start, end, person in spans:
        if joined and joined[-1][1] == start and joined[-1][2] == person:
            joined[-1] = (joined[-1][0], end, person)
        else:
            joined.append((start, end, person))
    return joined


def join_shifts(shifts: Sequence[Shift]) -> list[Shift]:
    """Shifts with a person's adjacent pieces joined; the joined shift keeps its first piece's source."""
    joined: list[Shift] = []
    for shift in shifts:
        if joined and joined[-1].end == shift.start and joined[-1].person == shift.person:
            joined[-1] = replace(joined[-1], end=shift.end)
        else:
            joined.append(shift)
    return joined


def coverage_spans(schedule: Schedule, start: datetime, end: datetime) -> list[Span] | None:
    """The declared coverage within ``[start, end)`` in microseconds; None when it is 24x7 or none."""
    if schedule.coverage is None or schedule.coverage_24x7:
        return None
    return list(window_spans(schedule.timezone, schedule.coverage, to_micros(start), to_micros(end)))


def gaps(schedule: Schedule, shifts: Sequence[Shift], start: datetime, end: datetime) -> list[Span]:
    """The instants of ``[start, end)`` inside declared coverage that nobody holds (a real gap)."""
    held = [(to_micros(s.start), to_micros(s.end)) for s in shifts]
    return coverage_gaps(schedule, held, to_micros(start), to_micros(end))


def covered(schedule: Schedule, at: datetime) -> bool:
    """Whether ``at`` lies inside the schedule's declared coverage (24x7 always; none never)."""
    if schedule.coverage is None:
        return False
    if schedule.coverage_24x7:
        return True
    micros = to_micros(at)
    return bool(window_spans(schedule.timezone, schedule.coverage, micros, micros + 1))


def resumes(schedule: Schedule, at: datetime) -> datetime | None:
    """Outside declared coverage: when coverage next begins (None: inside it, none declared, or too far)."""
    if schedule.coverage is None or covered(schedule, at):
        return None
    micros = to_micros(at)
    ahead = window_spans(schedule.timezone, schedule.coverage, micros, to_micros(at + RESUME_HORIZON))
    return from_micros(ahead[0][0]) if ahead else None
