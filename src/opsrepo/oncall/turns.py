"""Each person's turns in a schedule over a range, dealt straight from the layers' composition.

A person's *turns* (:func:`opsrepo.oncall.accounting.turns_of`) are the
maximal stretches in which the final schedule has that person on call: they
depend only on who holds each instant, not on how the final schedule is cut
into segments (layer, cover, override) or named. So the burnout and fairness
checks need not build the final schedule's segments: the composed turns
(shared by every schedule with the same layer shapes) are dealt to members,
absent members' pieces are covered, and each piece lands on its holder's
list, joined to the previous one where they touch. Overrides are cut out of
the layers first (they hide them entirely) and dealt among the pieces.

Where time off leaves part of a piece nobody in its layer can cover, the
layers below show through there, which the shared composition cannot tell:
that part alone is composed layer by layer. The result equals
``turns_of(final_segments(...))`` (property-tested). What someone holds is
their union: where every absent member's piece is covered whole, that is the
composition's held instants (kept per composition) and the overrides; else
it is found from the turns.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import NamedTuple

from opsrepo.model import Repo, Schedule
from opsrepo.oncall.clock import DAY, wall_micros
from opsrepo.oncall.cover import Absences, Segment, TimeOff, away_within, meets
from opsrepo.oncall.engine import Rotation, composed_held, layered, override_segments, rotation
from opsrepo.oncall.intervals import Span, inside, outside, outside_few, union
from opsrepo.oncall.rotation import MIN_LENGTH, Placed, Shape, composed, pieces_within, shape_of
from opsrepo.oncall.zoneclock import naive_micros

Turns = dict[str, list[Span]]
#: where running layers' first turns are moved back to (see :func:`_running`)
_ANCHOR = datetime(2000, 1, 3)
#: how many dealt schedules are kept (each a few KB)
_KEPT = 1 << 13
_DEALT: dict[tuple[object, ...], tuple[dict[str, tuple[Span, ...]], tuple[Span, ...]]] = {}


class Dealt(NamedTuple):
    """Each person's turns, and the instants someone holds (their union), over a range."""

    turns: dict[str, tuple[Span, ...]]
    held: tuple[Span, ...]


def person_turns(repo: Repo, schedule: Schedule, start: int, end: int,
                 painted: list[Segment] | None = None) -> Dealt:
    """Each person's turns in ``schedule`` within ``[start, end)`` (sorted, disjoint, not touching).

    Dealt once per *form*: schedules that differ only in who their people are
    (the same layer shapes, the same places in the rotations, time off and
    overrides at the same instants) are dealt once, with people numbered in
    order of appearance, and each gets the result under its own names. ``painted``: the
    schedule's ``override_segments`` over the range, where the caller has them.
    """
    plan = rotation(repo, schedule)
    if painted is None:
        painted = override_segments(schedule, start, end) if schedule.overrides else []
    absences = Absences(repo) if schedule.time_off == "skip" else None
    if plan is None or not plan.layers:
        return _deal(None, painted, absences, start, end)
    form = _Form(plan, painted, absences, start, end)
    found = _DEALT.get(form.key)
    if found is None:  # dealt under the people's own names (renaming cannot change who holds what)
        dealt = _deal(plan, painted, form.absences(), start, end)
        numbers = form.numbers
        _DEALT[form.key] = ({numbers[person]: spans for person, spans in dealt.turns.items()}, dealt.held)
        if len(_DEALT) > _KEPT:
            del _DEALT[next(iter(_DEALT))]
        return dealt
    names = {number: person for person, number in form.numbers.items()}
    return Dealt({names[number]: spans for number, spans in found[0].items()}, found[1])


class _Form:
    """A schedule with its people numbered in order of appearance (layers first, then overrides).

    Its ``key`` is what dealing depends on with the people's names left out: schedules of one key
    are dealt once.
    """

    def __init__(self, plan: Rotation, painted: list[Segment], absences: Absences | None, start: int,
                 end: int) -> None:
        numbers: dict[str, str] = {}
        for layer in plan.layers:
            for person in layer.members:
                numbers.setdefault(person, str(len(numbers)))
        members = list(numbers)
        for segment in painted:
            numbers.setdefault(segment.person, str(len(numbers)))
        self.numbers, self.members = numbers, members
        overrides = tuple((segment.start, segment.end, numbers[segment.person]) for segment in painted)
        self.away = None if absences is None else tuple(
            away_within(absences.repo, person, start, end) for person in members)
        shapes = tuple(shape_of(layer) for layer in plan.layers)
        numbered = tuple(tuple(numbers[person] for person in layer.members) for layer in plan.layers)
        self.key = (shapes, numbered, plan.offset, plan.source_offset, overrides, self.away, start, end)

    def absences(self) -> _Named | None:
        """The members' time off within the range; None where time off does not change who is on call."""
        return None if self.away is None else _Named(self.members, self.away)


class _Named:
    """The members' time off within a range (what :class:`~opsrepo.oncall.cover.Absences` gives, clipped)."""

    def __init__(self, members: list[str], away: tuple[tuple[Span, ...], ...]) -> None:
        self.away = {person: spans for person, spans in zip(members, away, strict=True) if spans}

    def of(self, person: str) -> tuple[Span, ...]:
        return self.away.get(person, ())


def _deal(plan: Rotation | None, painted: list[Segment], absences: TimeOff | None, start: int,
          end: int) -> Dealt:
    """The pieces in order of their start, each added to its holder's turns and to what someone holds.

    One loop with everything at hand: it runs once per piece of every schedule.
    """
    placed: list[Placed] = []
    turns: Turns = {}
    shapes: tuple[Shape, ...] = ()
    shifts: list[int] = []
    beneath = None
    holes = False  # some instant of an absent member's piece is left to nobody
    if plan is not None and plan.layers:
        shapes, shifts = _running(plan, start)
        beneath = _Beneath(shapes, shifts, start, end)
        placed = list(composed(shapes, start, end))
        if painted:
            placed = outside_few(placed, painted)
    away = _away(plan, absences, start, end)
    # per layer, by member slot: the member's list of turns (one list per person, shared by every layer
    # they are in: no lookup by name per piece) and their time off in the range (None without); the
    # members; how far the composition's turn numbers run ahead of whose turn it is; how many members
    dealers = [([turns.setdefault(person, []) for person in layer.members],
                [away.get(person) for person in layer.members], layer.members, shift + plan.offset,
                len(layer.members))
               for layer, shift in zip(plan.layers, shifts, strict=True)] if plan is not None else []
    pending = iter(painted)
    override = next(pending, None)
    following = override.start if override is not None else end  # where the next override starts
    for low, high, position, turn in placed:
        while following < low:
            assert override is not None
            _add(turns, override.person, override.start, override.end)
            override = next(pending, None)
            following = override.start if override is not None else end
        lists, offs, rotating, lag, count = dealers[position]
        slot = (turn - lag) % count
        off = offs[slot]
        if off is not None:
            for off_low, off_high in off:  # meets(), inline: a piece of someone with time off, in turn
                if off_low < high and off_high > low:
                    break
            else:
                off = None
            if off is not None:
                assert plan is not None and absences is not None and beneath is not None
                covered = 0
                for part_low, part_high, holder in _covered(plan, absences, position, turn - shifts[position],
                                                            rotating[slot], low, high, beneath):
                    _add(turns, holder, part_low, part_high)
                    covered += part_high - part_low
                if covered != high - low:
                    holes = True
                continue
        spans = lists[slot]  # the common case, inline: pieces are disjoint and come in order
        if spans and spans[-1][1] >= low:
            spans[-1] = (spans[-1][0], high)
        else:
            spans.append((low, high))
    while override is not None:
        _add(turns, override.person, override.start, override.end)
        override = next(pending, None)
    if shapes and not holes:  # the composition's held instants, the overrides' added
        held = composed_held(shapes, start, end)
        if painted:
            held = tuple(union([*held, *((segment.start, segment.end) for segment in painted)]))
    else:
        held = tuple(union(span for spans in turns.values() for span in spans))
    # in order of each person's first turn, as they were first reached (holdings are disjoint); a
    # member dealt nothing is left out
    dealt = sorted([entry for entry in turns.items() if entry[1]], key=_first)
    return Dealt({person: tuple(spans) for person, spans in dealt}, held)


def _first(entry: tuple[str, list[Span]]) -> int:
    """Where a person's first turn starts."""
    return entry[1][0][0]


def composition(repo: Repo, schedule: Schedule, start: int) -> tuple[Shape, ...]:
    """The layer shapes ``schedule`` is composed from over a range from ``start`` (shared by many)."""
    plan = rotation(repo, schedule)
    return _running(plan, start)[0] if plan is not None and plan.layers else ()


def _running(plan: Rotation, start: int) -> tuple[tuple[Shape, ...], list[int]]:
    """The layers' shapes with each running layer's first turn moved back to just after 2000-01-03.

    A layer that started before ``start`` has the same turns in the range from
    any earlier first turn that many turns back, numbered that many higher: so
    layers with the same handoffs (every Monday 09:00 in one zone, whenever it
    began) share one composition. Each layer's shift is subtracted again from
    the turns' numbers.
    """
    shapes, shifts = [], []
    for layer in plan.layers:
        shape, shift = _moved(shape_of(layer), start)
        shapes.append(shape)
        shifts.append(shift)
    return tuple(shapes), shifts


def _moved(shape: Shape, start: int) -> tuple[Shape, int]:
    """The shape moved back as :func:`_running` does, and the turns it was moved by."""
    if shape.first >= _ANCHOR and shape.length >= MIN_LENGTH and _before(shape.zone, shape.first, start):
        shift = (shape.first - _ANCHOR) // shape.length
        # shape._replace(first=...), made in C (``_replace`` is Python: ~5,000 instructions)
        first = shape.first - shift * shape.length
        return tuple.__new__(Shape, (shape.zone, first, shape.length, shape.stop, shape.restrictions)), shift
    return shape, 0


def _before(zone: str, wall: datetime, instant: int) -> bool:
    """``wall_micros(zone, wall) <= instant``, resolving the wall only within two days of the instant.

    An offset is under a day (and a wall in a gap resolves to within a day of it).
    """
    naive = naive_micros(wall)
    if naive + 2 * DAY <= instant:
        return True
    if naive - 2 * DAY > instant:
        return False
    return wall_micros(zone, wall) <= instant


def _add(turns: Turns, person: str, low: int, high: int) -> None:
    """``person`` holds ``[low, high)``, which starts no earlier than anything added before."""
    spans = turns.get(person)
    if spans is None:
        turns[person] = [(low, high)]
    elif spans and spans[-1][1] >= low:
        last = spans[-1]  # max(high, last[1]), without a call
        spans[-1] = (last[0], last[1] if last[1] > high else high)
    else:
        spans.append((low, high))


def _covered(plan: Rotation, absences: TimeOff, position: int, turn: int, person: str, low: int,
             high: int, beneath: _Beneath) -> list[tuple[int, int, str]]:
    """An absent member's piece as ``(start, end, holder)``: the next free members cover it, else below.

    :func:`~opsrepo.oncall.cover.covered` on plain spans (no segments made for the parts).
    """
    members = plan.layers[position].members
    count, base = len(members), turn - plan.offset
    # plan.holder(), inline: for a derived schedule, who holds the turn in its source
    holder = None if plan.source_offset is None else members[(turn - plan.source_offset) % count]
    away = absences.of(person)
    for begin, finish in away:
        if begin <= low and high <= finish:
            # away all along (the common case): when the next member who may cover is free all along,
            # they take it whole
            for step in range(1, count):
                candidate = members[(base + step) % count]
                if candidate not in (person, holder):
                    if not meets(absences.of(candidate), low, high):
                        return [(low, high, candidate)]
                    break
            break
    piece = ((low, high),)
    parts = [(begin, finish, person) for begin, finish in outside(piece, away)]
    missing = inside(piece, away)
    for step in range(1, count):
        if not missing:
            break
        candidate = members[(base + step) % count]
        if candidate in (person, holder):
            continue
        busy = absences.of(candidate)
        parts.extend((begin, finish, candidate) for begin, finish in outside(missing, busy))
        missing = inside(missing, busy)
    # nobody in this layer is free: what lies beneath shows (the layers listed before it; those after it
    # have no turn here, or the composition would have theirs, and nobody in it can hold the hole)
    for hole_low, hole_high in missing if position else ():
        below = layered(plan, absences, hole_low, hole_high, beneath.within(hole_low, hole_high), position)
        parts.extend((part.start, part.end, part.person) for part in below)
    parts.sort()
    return parts


class _Beneath:
    """The layers' pieces in a stretch of the range, cut from the composition's (shapes: :func:`_running`)."""

    def __init__(self, shapes: tuple[Shape, ...], shifts: list[int], start: int, end: int) -> None:
        self.shapes, self.shifts, self.start, self.end = shapes, shifts, start, end

    def within(self, low: int, high: int) -> Callable[[int], list[tuple[int, int, int]]]:
        """``layer_pieces`` of the layer at a position in ``[low, high)``, numbered as its own turns."""
        def cut(position: int) -> list[tuple[int, int, int]]:
            shift = self.shifts[position]
            return [(begin, finish, number - shift) for begin, finish, number
                    in pieces_within(self.shapes[position], self.start, self.end, low, high)]
        return cut


def _away(plan: Rotation | None, absences: TimeOff | None, start: int,
          end: int) -> dict[str, tuple[Span, ...]]:
    """The layers' members with time off within ``[start, end)``, and that time off."""
    if absences is None or plan is None:
        return {}
    found = {}
    for layer in plan.layers:
        for person in layer.members:
            spans = absences.of(person)
            if spans and person not in found and meets(spans, start, end):
                found[person] = spans
    return found
