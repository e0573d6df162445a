"""The on-call engine: who is on call, when, and why (SPEC sections 2 and 3).

Pure: no IO and no clock; callers pass the repo and the instants. Public API::

    final_shifts(repo, schedule_id, start, end) -> list[Shift]
    shift_segments(repo, schedule_id, start, end) -> list[Segment]
    on_call(repo, schedule_id, at) -> Shift | None
    layer_turns(repo, schedule_id, start, end) -> list[LayerTurn]
    handoffs(repo, schedule_id, at, count) -> list[Shift]
    person_shifts(repo, person_id, start, end) -> list[Shift]

Every interval is half-open ``[start, end)``; instants are aware and returned
in UTC. Cost grows with the number of shifts in the interval, never with its
length in minutes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from opsrepo.model import Repo, Schedule
from opsrepo.oncall.clock import DAY, from_micros, to_micros
from opsrepo.oncall.engine import Segment, compute, final_segments, rotation
from opsrepo.oncall.rotation import layer_pieces
from opsrepo.records import dataclass

__all__ = [
    "ON_CALL_HORIZON", "LayerTurn", "Shift", "final_shifts", "handoffs", "layer_turns", "on_call",
    "person_shifts", "schedules_naming", "shift_segments", "stretch_end", "whole_shifts",
]

#: how far ahead ``on_call`` looks for the end of the current shift
ON_CALL_HORIZON = timedelta(days=400)
#: instants outside these years are clamped (naive wall-time arithmetic cannot go further)
_EARLIEST, _LATEST = to_micros(datetime(1900, 1, 1, tzinfo=UTC)), to_micros(datetime(9000, 1, 1, tzinfo=UTC))
_DAYS_8 = 8 * DAY
_TICK = timedelta(microseconds=1)


@dataclass(frozen=True)
class Shift:
    """``person`` is on call in ``schedule`` over ``[start, end)`` (aware, UTC)."""

    schedule: str
    person: str
    start: datetime
    end: datetime
    #: "layer" | "override" | "time-off-cover"
    kind: str
    #: the layer's name, the override's reason (or "override"), or the layer whose turn is covered
    source: str
    #: for time-off-cover: whose turn this covers
    covering_for: str | None = None

    @property
    def duration(self) -> timedelta:
        """``end - start``."""
        return self.end - self.start


@dataclass(frozen=True)
class LayerTurn:
    """Turn ``index`` of a layer before time off and overrides (restriction windows applied)."""

    schedule: str
    layer: str
    index: int
    person: str
    start: datetime
    end: datetime


def final_shifts(repo: Repo, schedule_id: str, start: datetime, end: datetime) -> list[Shift]:
    """The final schedule clipped to [start, end): sorted, non-overlapping; gaps are absent."""
    schedule = _schedule(repo, schedule_id)
    low, high = _range(start, end)
    shifts: list[Shift] = []
    joint, instant = None, start  # a shift's start is usually the previous one's end: made once
    for segment in final_segments(repo, schedule, low, high):
        begins = instant if segment.start == joint else from_micros(segment.start)
        joint, instant = segment.end, from_micros(segment.end)
        shifts.append(Shift(schedule_id, segment.person, begins, instant, segment.kind, segment.source,
                            segment.covering))
    return shifts


def shift_segments(repo: Repo, schedule_id: str, start: datetime, end: datetime) -> list[Segment]:
    """:func:`final_shifts` as the engine's segments, in integer microseconds: computed, not kept.

    For a caller that reads a long span once and only adds up time (the
    report's on-call load: a year of every schedule). The same pieces,
    ``start``, ``end`` and ``person`` first, without two datetimes per shift
    to convert back; and left out of the engine's cache, where a year of a
    large org (~200k segments) would only hold memory that the garbage
    collector walks again and again.
    """
    low, high = _range(start, end)
    return compute(repo, _schedule(repo, schedule_id), low, high)


def on_call(repo: Repo, schedule_id: str, at: datetime) -> Shift | None:
    """Who is on call at ``at``: the whole shift (it may have started earlier), or None for a gap.

    The shift's ends are searched up to :data:`ON_CALL_HORIZON` either side; a
    shift that lasts longer is cut there.
    """
    schedule = _schedule(repo, schedule_id)
    low, _ = _range(at, at)
    here = final_segments(repo, schedule, low, low + 1)
    if not here:
        return None
    reach = to_micros(at + ON_CALL_HORIZON) - low
    span = _DAYS_8
    while True:
        back = final_segments(repo, schedule, low - span, low + 1)[-1]
        if back.start > low - span or span >= reach:
            break
        span *= 4
    span = _DAYS_8
    while True:
        ahead = final_segments(repo, schedule, low, low + span)[0]
        if ahead.end < low + span or span >= reach:
            return _shift(schedule_id, ahead._replace(start=back.start))
        span *= 4


def handoffs(repo: Repo, schedule_id: str, at: datetime, count: int) -> list[Shift]:
    """The next ``count`` handoffs after ``at``: shifts where someone else takes the pager.

    A shift that continues the previous one's person without a break (another
    layer, an override of the same person) is not a handoff; a gap is not
    listed, but whoever follows it is. Searched up to :data:`ON_CALL_HORIZON`.
    """
    schedule = _schedule(repo, schedule_id)
    low, _ = _range(at, at)
    reach = to_micros(at + ON_CALL_HORIZON) - low
    span = _DAYS_8
    while True:
        ahead = _handoffs(final_segments(repo, schedule, low, low + span), low)
        if len(ahead) > count or span >= reach:
            return [_shift(schedule_id, s) for s in ahead[:count]]
        span *= 4


def _handoffs(segments: Sequence[Segment], after: int) -> list[Segment]:
    found, previous = [], None
    for segment in segments:
        joined = previous is not None and previous.end == segment.start and previous.person == segment.person
        if segment.start > after and not joined:
            found.append(segment)
        previous = segment
    return found


def stretch_end(repo: Repo, shift: Shift) -> datetime | None:
    """Where the person of ``shift`` stops being on call (later shifts of theirs without a break joined).

    None when that is beyond :data:`ON_CALL_HORIZON` from the shift's end.
    """
    end, limit = shift.end, shift.end + ON_CALL_HORIZON
    while end < limit:
        following = on_call(repo, shift.schedule, end)
        if following is None or following.person != shift.person:
            return end
        end = following.end
    return None


def whole_shifts(repo: Repo, schedule_id: str, start: datetime, end: datetime) -> list[Shift]:
    """The final shifts that meet ``[start, end)``, not clipped: the first and last keep their real ends.

    What a calendar shows: the same shift has the same bounds whatever range
    is rendered. A shift whose end (or start) lies further than
    :data:`ON_CALL_HORIZON` from the range stays clipped to it.
    """
    shifts = final_shifts(repo, schedule_id, start, end)
    # clipped ends are compared by order: a caller's instant in a fall-back overlap (fold=0) never equals
    # a UTC instant (PEP 495)
    if shifts and shifts[0].start <= start:
        first = on_call(repo, schedule_id, start)
        if first is not None and first.start > start - ON_CALL_HORIZON:
            shifts[0] = replace(first, end=shifts[0].end)
    if shifts and shifts[-1].end >= end:
        last = on_call(repo, schedule_id, end - _TICK)
        if last is not None and last.end < end - _TICK + ON_CALL_HORIZON:
            shifts[-1] = replace(last, start=shifts[-1].start)
    return shifts


def person_shifts(repo: Repo, person_id: str, start: datetime, end: datetime) -> list[Shift]:
    """Every shift of ``person_id`` in every schedule within ``[start, end)``, by start."""
    low, high = _range(start, end)
    found = [
        _shift(schedule.id, segment)
        for schedule in schedules_naming(repo, person_id)
        for segment in final_segments(repo, schedule, low, high) if segment.person == person_id
    ]
    return sorted(found, key=lambda s: (s.start, s.schedule))


def schedules_naming(repo: Repo, person_id: str) -> list[Schedule]:
    """The schedules that can put ``person_id`` on call (their layers or overrides name them), by id."""
    found = []
    for _, schedule in sorted(repo.schedules.items()):
        plan = rotation(repo, schedule)
        layers = plan.layers if plan is not None else ()
        if any(person_id in layer.members for layer in layers) or \
                any(o.person == person_id for o in schedule.overrides):
            found.append(schedule)
    return found


def layer_turns(repo: Repo, schedule_id: str, start: datetime, end: datetime) -> list[LayerTurn]:
    """Every layer's turns within ``[start, end)``, before time off and overrides, by start and layer."""
    schedule = _schedule(repo, schedule_id)
    plan = rotation(repo, schedule)
    if plan is None:
        return []
    low, high = _range(start, end)
    found: list[LayerTurn] = []
    for layer in plan.layers:
        members, count = layer.members, len(layer.members)
        found += [LayerTurn(schedule_id, layer.name, t.number, members[(t.number - plan.offset) % count],
                            from_micros(t.start), from_micros(t.end)) for t in layer_pieces(layer, low, high)]
    return sorted(found, key=lambda t: (t.start, t.layer))


def _shift(schedule_id: str, segment: Segment) -> Shift:
    return Shift(schedule_id, segment.person, from_micros(segment.start), from_micros(segment.end),
                 segment.kind, segment.source, segment.covering)


def _schedule(repo: Repo, schedule_id: str) -> Schedule:
    try:
        return repo.schedules[schedule_id]
    except KeyError:
        raise KeyError(f"unknown schedule {schedule_id!r}") from None


def _range(start: datetime, end: datetime) -> tuple[int, int]:
    """Aware instants as microseconds, clamped to the years naive datetimes can reach."""
    if start.tzinfo is None or end.tzinfo is None:
        raise ValueError("the on-call engine needs aware instants")
    return _clamp(to_micros(start)), _clamp(to_micros(end))


def _clamp(micros: int) -> int:
    return min(max(micros, _EARLIEST), _LATEST)
