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

Where time off leaves a piece nobody in its layer can cover, the layers below
show through there, which the shared composition cannot tell; those
schedules (few) are read from the final segments instead. The result equals
``turns_of(final_segments(...))`` (property-tested).
"""

from __future__ import annotations

from opsrepo.model import Repo, Schedule
from opsrepo.oncall.accounting import turns_of
from opsrepo.oncall.cover import LAYER, Absences, Segment, covered, meets
from opsrepo.oncall.engine import Rotation, final_segments, override_segments, rotation
from opsrepo.oncall.intervals import Span, outside
from opsrepo.oncall.rotation import Placed, composed, shape_of

Turns = dict[str, list[Span]]


def person_turns(repo: Repo, schedule: Schedule, start: int, end: int) -> Turns:
    """Each person's turns in ``schedule`` within ``[start, end)``: sorted, disjoint, not touching."""
    plan = rotation(repo, schedule)
    painted = override_segments(schedule, start, end) if schedule.overrides else []
    if plan is None or not plan.layers:
        return turns_of(painted)
    placed: list[Placed] = list(composed(tuple(shape_of(layer) for layer in plan.layers), start, end))
    if painted:
        placed = outside(placed, painted)
    absences = Absences(repo) if schedule.time_off == "skip" else None
    found = _dealt(plan, placed, painted, absences, start, end)
    if found is None:
        return turns_of(final_segments(repo, schedule, start, end))
    return found


def _dealt(plan: Rotation, placed: list[Placed], painted: list[Segment], absences: Absences | None,
           start: int, end: int) -> Turns | None:
    """The pieces dealt to their holders, overrides among them; None where time off leaves a hole."""
    away = _away(plan, absences, start, end)
    found: Turns = {}
    pending = iter(painted)
    override = next(pending, None)
    layers, offset = plan.layers, plan.offset
    for low, high, position, turn in placed:
        while override is not None and override.start < low:
            _add(found, override.person, override.start, override.end)
            override = next(pending, None)
        members = layers[position].members
        person = members[(turn - offset) % len(members)]
        if person in away and meets(away[person], low, high):
            parts = _cover(plan, absences, position, turn, person, low, high)
            if parts is None:
                return None
            for part in parts:
                _add(found, part.person, part.start, part.end)
            continue
        spans = found.get(person)
        if spans is None:
            found[person] = [(low, high)]
        elif spans[-1][1] >= low:
            spans[-1] = (spans[-1][0], high)
        else:
            spans.append((low, high))
    while override is not None:
        _add(found, override.person, override.start, override.end)
        override = next(pending, None)
    return found


def _away(plan: Rotation, absences: Absences | None, start: int, end: int) -> dict[str, tuple[Span, ...]]:
    """The layers' members with time off within ``[start, end)``, and that time off."""
    if absences is None:
        return {}
    found = {}
    for layer in plan.layers:
        for person in layer.members:
            spans = absences.of(person)
            if spans and person not in found and meets(spans, start, end):
                found[person] = spans
    return found


def _cover(plan: Rotation, absences: Absences | None, position: int, turn: int, person: str,
           low: int, high: int) -> list[Segment] | None:
    """The piece ``[low, high)`` of an absent member, covered; None when some of it stays uncovered."""
    assert absences is not None
    layer = plan.layers[position]
    piece = Segment(low, high, person, LAYER, layer.name, None, layer.index, turn)
    parts = covered(absences, layer, piece, plan.cover_order(layer, turn), plan.holder(layer, turn))
    if sum(part.end - part.start for part in parts) != high - low:
        return None
    return parts


def _add(found: Turns, person: str, low: int, high: int) -> None:
    spans = found.get(person)
    if spans is None:
        found[person] = [(low, high)]
    elif spans[-1][1] >= low:
        spans[-1] = (spans[-1][0], max(high, spans[-1][1]))
    else:
        spans.append((low, high))
