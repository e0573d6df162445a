"""The final schedule: layers by precedence, time-off cover, overrides (SPEC section 3).

Everything here works on integer instants (microseconds since the epoch) and
named tuples; :mod:`opsrepo.oncall` turns the result into public records.

The layers' turns and windows do not depend on who the members are, so they
are composed once per set of layer shapes (:func:`~opsrepo.oncall.rotation.composed`)
and each schedule only deals its members into the result. A turn that time
off leaves with nobody to cover lets lower layers show through, which the
shared composition cannot know: such schedules are composed layer by layer.
"""

from __future__ import annotations

import weakref
from collections import OrderedDict
from collections.abc import Callable, Iterable
from functools import lru_cache

from opsrepo.model import Layer, Override, Repo, Schedule
from opsrepo.oncall.cover import COVER, LAYER, OVERRIDE, Absences, Segment, TimeOff, covered, meets
from opsrepo.oncall.intervals import Span, joined, outside, overlay, union
from opsrepo.oncall.rotation import Shape, composed, layer_pieces, shape_of
from opsrepo.oncall.zoneclock import known_instant
from opsrepo.records import dataclass

__all__ = ["COVER", "LAYER", "OVERRIDE", "Rotation", "Segment", "final_segments", "override_span", "rotation"]

_CACHE_SIZE = 20_000
_Cache = OrderedDict[tuple[str, int, int], tuple[Schedule, tuple[Segment, ...]]]
_CACHES: dict[int, tuple[weakref.ref[Repo], _Cache]] = {}


@dataclass(frozen=True)
class Rotation:
    """The layers a schedule rotates through, ``offset`` turns behind their members."""

    layers: tuple[Layer, ...]
    offset: int = 0
    #: offset of the schedule this one is derived from (its holder is never the cover)
    source_offset: int | None = None

    def member(self, layer: Layer, turn: int) -> str:
        """Who holds ``turn`` of ``layer`` in this schedule."""
        return layer.members[(turn - self.offset) % len(layer.members)]

    def cover_order(self, layer: Layer, turn: int) -> list[str]:
        """The layer's members in turn order, from the one holding ``turn``."""
        count = len(layer.members)
        return [layer.members[(turn - self.offset + step) % count] for step in range(count)]

    def holder(self, layer: Layer, turn: int) -> str | None:
        """For a derived schedule: who holds ``turn`` in the schedule it derives from."""
        if self.source_offset is None:
            return None
        return layer.members[(turn - self.source_offset) % len(layer.members)]


def rotation(repo: Repo, schedule: Schedule) -> Rotation | None:
    """The layers and offset of ``schedule``, following ``derive``; None when unresolvable.

    Kept per schedule object for the last repo asked about (both immutable): dealing, measuring
    and the coverage check each ask for every schedule's. A repo asked about replaces the last one
    (at most one is held).
    """
    if _ROTATIONS_OF[0] is not repo:
        _ROTATIONS.clear()
        _ROTATIONS_OF[0] = repo
    kept = _ROTATIONS.get(id(schedule))
    if kept is not None and kept[0] is schedule:
        return kept[1]
    found = _rotation(repo, schedule)
    if len(_ROTATIONS) > 1 << 15:  # schedules made outside the repo, asked about one by one
        _ROTATIONS.clear()
    _ROTATIONS[id(schedule)] = (schedule, found)  # holding the schedule keeps its id from being reused
    return found


#: the repo whose schedules' rotations are kept, and those rotations by schedule object
_ROTATIONS_OF: list[Repo | None] = [None]
_ROTATIONS: dict[int, tuple[Schedule, Rotation | None]] = {}


def _rotation(repo: Repo, schedule: Schedule) -> Rotation | None:
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


def final_segments(repo: Repo, schedule: Schedule, start: int, end: int) -> tuple[Segment, ...]:
    """Who is on call over ``[start, end)``: sorted, non-overlapping, adjacent pieces merged.

    Results are kept per repo object (a repo is immutable), so the rules,
    escalation, the site and the calendars share one computation.
    """
    cache = _cache_for(repo)
    key = (schedule.id, start, end)
    found = cache.get(key)
    if found is None or found[0] is not schedule:
        found = (schedule, tuple(compute(repo, schedule, start, end)))
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


def compute(repo: Repo, schedule: Schedule, start: int, end: int, *, shared: bool = True) -> list[Segment]:
    """The final schedule, uncached; ``shared=False`` composes layer by layer (the reference)."""
    plan = rotation(repo, schedule)
    combined: list[Segment] = []
    if plan is not None and plan.layers:
        absences = Absences(repo) if schedule.time_off == "skip" else None
        dealt = _dealt(plan, absences, start, end) if shared else None
        combined = dealt if dealt is not None else layered(plan, absences, start, end)
    if schedule.overrides:
        combined = overlay(combined, override_segments(schedule, start, end))
    return merge(combined)


def _dealt(plan: Rotation, absences: Absences | None, start: int, end: int) -> list[Segment] | None:
    """Members dealt into the shared composition; None when time off leaves a turn uncovered."""
    out: list[Segment] = []
    layers, offset = plan.layers, plan.offset
    away_of = absences.of if absences is not None else None
    for low, high, position, turn in composed(tuple(shape_of(layer) for layer in layers), start, end):
        layer = layers[position]
        members = layer.members
        piece = Segment(low, high, members[(turn - offset) % len(members)], LAYER, layer.name, None,
                        layer.index, turn)
        if away_of is not None and meets(away_of(piece.person), low, high):
            assert absences is not None
            parts = covered(absences, layer, piece, plan.cover_order(layer, turn), plan.holder(layer, turn))
            if sum(part.end - part.start for part in parts) != high - low:
                return None
            out.extend(parts)
        else:
            out.append(piece)
    return out


def layered(plan: Rotation, absences: TimeOff | None, start: int, end: int,
            cut: Callable[[int], Iterable[tuple[int, int, int]]] | None = None,
            below: int | None = None) -> list[Segment]:
    """Each layer's turns (with cover) laid over the lower layers, later layers on top.

    ``cut(position)``, where given, is what ``layer_pieces`` gives the layer at ``position`` in the range;
    ``below``, where given, lays only the layers listed before that position.
    """
    combined: list[Segment] = []
    for position, layer in enumerate(plan.layers if below is None else plan.layers[:below]):
        pieces: list[Segment] = []
        for low, high, turn in layer_pieces(layer, start, end) if cut is None else cut(position):
            piece = Segment(low, high, plan.member(layer, turn), LAYER, layer.name, None, layer.index, turn)
            if absences is not None and meets(absences.of(piece.person), low, high):
                order, holder = plan.cover_order(layer, turn), plan.holder(layer, turn)
                pieces += covered(absences, layer, piece, order, holder)
            else:
                pieces.append(piece)
        combined = overlay(combined, pieces)
    return combined


def override_segments(schedule: Schedule, start: int, end: int) -> list[Segment]:
    """The schedule's overrides within ``[start, end)``; where they overlap the last listed wins."""
    painted: list[Segment] = []
    for override in reversed(schedule.overrides):
        low, high = override_span(schedule, override)
        low, high = start if start > low else low, end if end < high else high  # max(), min()
        if low >= high:
            continue
        source = override.reason or OVERRIDE
        own = Segment(low, high, override.person, OVERRIDE, source, None, -1, override.index)
        painted = overlay(outside([own], painted), painted)
    return painted


def override_span(schedule: Schedule, override: Override) -> Span:
    """An override's instants (wall times in the schedule's zone); empty when inverted."""
    return known_instant(schedule.timezone, override.start), known_instant(schedule.timezone, override.end)


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


def held_spans(repo: Repo, schedule: Schedule, start: int, end: int) -> list[Span] | None:
    """The instants of ``[start, end)`` someone holds, without dealing members when time off cannot matter.

    Who is away changes *who* holds a turn, and opens a hole only when every
    member who could cover is away at once. When no layer can run out of
    members that way, the held instants are the layers' composed turns plus
    the overrides, the same for every schedule with these layer shapes (and
    shared with them). None when a layer could run out: the caller deals the
    schedule (:func:`final_segments`).
    """
    plan = rotation(repo, schedule)
    if plan is None or not plan.layers:
        return None
    if schedule.time_off == "skip":
        absences = Absences(repo)
        # A derived schedule's cover never falls to the source's holder: one more member must be free.
        spare = 1 if plan.source_offset is None else 2
        for layer in plan.layers:
            if _most_away(absences, set(layer.members), start, end) > len(set(layer.members)) - spare:
                return None
    held = composed_held(tuple(shape_of(layer) for layer in plan.layers), start, end)
    extra = override_segments(schedule, start, end)
    return union([*held, *((s.start, s.end) for s in extra)]) if extra else list(held)


@lru_cache(maxsize=1 << 12)
def composed_held(shapes: tuple[Shape, ...], start: int, end: int) -> tuple[Span, ...]:
    """The instants of ``[start, end)`` some layer's turn holds (the composition's pieces, joined)."""
    return joined(composed(shapes, start, end))


def _most_away(absences: Absences, members: set[str], start: int, end: int) -> int:
    """The most of ``members`` away at one instant of ``[start, end)``."""
    events = sorted((edge, step) for pid in members for low, high in absences.of(pid)
                    if low < end and high > start for edge, step in ((low, 1), (high, -1)))
    most = away = 0
    for _, step in events:  # at a shared instant the ends (-1) sort before the starts
        away += step
        most = max(most, away)
    return most
