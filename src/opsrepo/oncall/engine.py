"""The final schedule: layers by precedence, time-off cover, overrides (SPEC section 3).

Everything here works on integer instants (microseconds since the epoch) and
plain tuples; :mod:`opsrepo.oncall` turns the result into public records.
"""

from __future__ import annotations

import weakref
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import NamedTuple

from opsrepo.model import Layer, Override, Repo, Schedule
from opsrepo.oncall.clock import wall_micros
from opsrepo.oncall.intervals import Span, inside, outside, overlay, union
from opsrepo.oncall.rotation import layer_pieces

LAYER, OVERRIDE, COVER = "layer", "override", "time-off-cover"
_CACHE_SIZE = 20_000
_Cache = OrderedDict[tuple[str, int, int], tuple[Schedule, tuple["Segment", ...]]]
_CACHES: dict[int, tuple[weakref.ref[Repo], _Cache]] = {}


class Segment(NamedTuple):
    """``person`` on call over ``[start, end)``; ``layer`` is -1 for overrides."""

    start: int
    end: int
    person: str
    kind: str
    source: str
    covering: str | None
    layer: int
    turn: int


@dataclass(frozen=True)
class Rotation:
    """The layers a schedule rotates through, ``offset`` turns behind their members."""

    layers: tuple[Layer, ...]
    offset: int = 0
    #: offset of the schedule this one is derived from (its holder is never the cover)
    source_offset: int | None = None


def rotation(repo: Repo, schedule: Schedule) -> Rotation | None:
    """The layers and offset of ``schedule``, following ``derive``; None when unresolvable."""
    offsets: list[int] = []
    seen: set[str] = set()
    current = schedule
    while current.derive is not None:
        if current.id in seen:
            return None
        seen.add(current.id)
        offsets.append(current.derive.offset)
        found = repo.schedules.get(current.derive.source)
        if found is None:
            return None
        current = found
    if not offsets:
        return Rotation(current.layers)
    return Rotation(current.layers, sum(offsets), sum(offsets[1:]))


def layer_segments(repo: Repo, schedule: Schedule, plan: Rotation, layer: Layer,
                   start: int, end: int) -> list[Segment]:
    """One layer's turns within ``[start, end)`` with time off covered when the schedule skips."""
    pieces = layer_pieces(layer, start, end)
    members, count = layer.members, len(layer.members)
    out: list[Segment] = []
    skip = schedule.time_off == "skip"
    for low, high, index in pieces:
        person = members[(index - plan.offset) % count]
        away = person_away(repo, person) if skip else ()
        if away and _meets(away, low, high):
            out.extend(_covered(repo, plan, layer, low, high, index, away))
        else:
            out.append(Segment(low, high, person, LAYER, layer.name, None, layer.index, index))
    return out


def _covered(repo: Repo, plan: Rotation, layer: Layer, low: int, high: int, index: int,
             away: tuple[Span, ...]) -> list[Segment]:
    """The turn of an absent member: present parts stay, the next free members cover the rest."""
    members, count = layer.members, len(layer.members)
    absent = members[(index - plan.offset) % count]
    turn = Segment(low, high, absent, LAYER, layer.name, None, layer.index, index)
    out = outside([turn], away)
    missing = inside([turn], away)
    holder = members[(index - plan.source_offset) % count] if plan.source_offset is not None else None
    for step in range(1, count):
        if not missing:
            break
        candidate = members[(index - plan.offset + step) % count]
        if candidate in (absent, holder):
            continue
        busy = person_away(repo, candidate)
        cover = outside(missing, busy)
        out.extend(part._replace(person=candidate, kind=COVER, covering=absent) for part in cover)
        missing = inside(missing, busy)
    out.sort()
    return out


def override_segments(schedule: Schedule, start: int, end: int) -> list[Segment]:
    """The schedule's overrides within ``[start, end)``; where they overlap the last listed wins."""
    painted: list[Segment] = []
    for override in reversed(schedule.overrides):
        low, high = override_span(schedule, override)
        low, high = max(low, start), min(high, end)
        if low >= high:
            continue
        source = override.reason or OVERRIDE
        own = Segment(low, high, override.person, OVERRIDE, source, None, -1, override.index)
        painted = overlay(outside([own], painted), painted)
    return painted


def override_span(schedule: Schedule, override: Override) -> Span:
    """An override's instants (wall times in the schedule's zone); empty when inverted."""
    return wall_micros(schedule.timezone, override.start), wall_micros(schedule.timezone, override.end)


def final_segments(repo: Repo, schedule: Schedule, start: int, end: int) -> tuple[Segment, ...]:
    """Who is on call over ``[start, end)``: sorted, non-overlapping, adjacent pieces merged.

    Results are kept per repo object (a repo is immutable), so the rules,
    escalation, the site and the calendars share one computation.
    """
    cache = _cache_for(repo)
    key = (schedule.id, start, end)
    found = cache.get(key)
    if found is None or found[0] is not schedule:
        found = (schedule, tuple(_compute(repo, schedule, start, end)))
        cache[key] = found
        if len(cache) > _CACHE_SIZE:
            cache.popitem(last=False)
    else:
        cache.move_to_end(key)
    return found[1]


def _cache_for(repo: Repo) -> _Cache:
    key = id(repo)
    entry = _CACHES.get(key)
    if entry is None or entry[0]() is not repo:
        reference = weakref.ref(repo, lambda _, key=key: _CACHES.pop(key, None))  # type: ignore[misc]
        entry = (reference, OrderedDict())
        _CACHES[key] = entry
    return entry[1]


def _compute(repo: Repo, schedule: Schedule, start: int, end: int) -> list[Segment]:
    plan = rotation(repo, schedule)
    combined: list[Segment] = []
    if plan is not None:
        for layer in plan.layers:
            combined = overlay(combined, layer_segments(repo, schedule, plan, layer, start, end))
    if schedule.overrides:
        combined = overlay(combined, override_segments(schedule, start, end))
    return merge(combined)


def merge(segments: list[Segment]) -> list[Segment]:
    """Adjacent segments of one person from one source joined."""
    merged: list[Segment] = []
    for segment in segments:
        if merged:
            last = merged[-1]
            if (last.end == segment.start and last.person == segment.person and last.kind == segment.kind
                    and last.source == segment.source and last.covering == segment.covering):
                merged[-1] = last._replace(end=segment.end)
                continue
        merged.append(segment)
    return merged


def person_away(repo: Repo, person_id: str) -> tuple[Span, ...]:
    """A person's time off as instants (whole days or wall times in their zone)."""
    person = repo.people.get(person_id)
    if person is None or not person.time_off:
        return ()
    return away_spans(person.timezone, tuple((entry.start, entry.end) for entry in person.time_off))


@lru_cache(maxsize=1 << 14)
def away_spans(zone: str, periods: tuple[tuple[datetime, datetime], ...]) -> tuple[Span, ...]:
    """Wall-time periods in ``zone`` as sorted, merged instants."""
    return tuple(union((wall_micros(zone, low), wall_micros(zone, high)) for low, high in periods))


def _meets(spans: tuple[Span, ...], low: int, high: int) -> bool:
    return any(span_low < high and span_high > low for span_low, span_high in spans)
