"""The one place the site takes the engine's shift rule and declared coverage from.

The site merges pieces into shifts exactly as ``opsrepo oncall`` does
(:mod:`opsrepo.oncall.shifts`): a shift is a maximal run of one person, so the
pieces of one person from two sources (a layer, then an override of the same
person) are one shift, and "next" is the next different person (or the same
one after a break). When coverage resumes comes from
:func:`opsrepo.oncall.status.coverage_resumes`. This module applies them to
the shifts a build already holds (kept from the last build, or computed once
for the window), as the pages need them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime

from opsrepo.model import Schedule
from opsrepo.oncall import Shift
from opsrepo.oncall.clock import to_micros
from opsrepo.oncall.coverage import coverage_gaps
from opsrepo.oncall.intervals import Span
from opsrepo.oncall.rotation import window_spans
from opsrepo.oncall.shifts import merge_pieces
from opsrepo.oncall.status import coverage_resumes, in_coverage


def join_spans(spans: Sequence[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """``(start, end, person)`` pieces, sorted and disjoint, joined as :func:`merge_pieces` joins them.

    For the browser's compact rows (integers, no :class:`Shift` made of kept rows).
    """
    joined: list[tuple[int, int, str]] = []
    for start, end, person in spans:
        if joined and joined[-1][1] == start and joined[-1][2] == person:
            joined[-1] = (joined[-1][0], end, person)
        else:
            joined.append((start, end, person))
    return joined


def join_shifts(shifts: Sequence[Shift]) -> list[Shift]:
    """The engine's shifts (:func:`merge_pieces`) as records: each its first piece's source, to its end."""
    return [stretch.first if len(stretch.pieces) == 1 else replace(stretch.first, end=stretch.end)
            for stretch in merge_pieces(shifts)]


def coverage_spans(schedule: Schedule, start: datetime, end: datetime) -> list[Span] | None:
    """The declared coverage within ``[start, end)`` in microseconds; None when it is 24x7 or none."""
    if schedule.coverage is None or schedule.coverage_24x7:
        return None
    return list(window_spans(schedule.timezone, schedule.coverage, to_micros(start), to_micros(end)))


def gaps(schedule: Schedule, shifts: Sequence[Shift], start: datetime, end: datetime) -> list[Span]:
    """The instants of ``[start, end)`` inside declared coverage that nobody holds (a real gap)."""
    held = [(to_micros(s.start), to_micros(s.end)) for s in shifts]
    return coverage_gaps(schedule, held, to_micros(start), to_micros(end))


def resumes(schedule: Schedule, at: datetime) -> datetime | None:
    """Outside declared coverage: when coverage next begins (None: inside it, none declared, or too far)."""
    if schedule.coverage is None or in_coverage(schedule, at):
        return None
    return coverage_resumes(schedule, at)
