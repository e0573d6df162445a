"""One layer's rotation: turn boundaries and restriction windows, as integer instants.

Turn ``k`` of a layer starts at the wall time ``start + k * length`` in the
layer's zone (wall-clock arithmetic for every length, SPEC section 2) and
ends where turn ``k + 1`` starts. Both functions are cached: schedules of one
org share handoff times and windows, so each is resolved once per query range.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from datetime import datetime, time, timedelta
from functools import lru_cache, partial
from operator import gt, itemgetter
from typing import NamedTuple

from opsrepo.model import Layer, Window
from opsrepo.oncall.clock import DAY, MICRO, SECOND, WALL_MAX, local_date, wall_at, wall_micros
from opsrepo.oncall.intervals import Span, inside, outside, union
from opsrepo.oncall.zoneclock import NAIVE_EPOCH, ZoneClock, day_wall, known_instant, naive_micros, zone_clock

#: turns shorter than this are treated as an empty layer (and reported by validate): PagerDuty's and
#: Opsgenie's shortest turn, and what keeps a layer to 8,760 turns a year
MIN_LENGTH = timedelta(hours=1)
_ONE_DAY = timedelta(days=1)


class Turn(NamedTuple):
    """Turn ``number`` of a rotation over ``[start, end)`` (microseconds)."""

    start: int
    end: int
    number: int


def turn_wall(first: datetime, length: timedelta, index: int) -> datetime:
    """The wall time turn ``index`` starts at (the far future when out of range)."""
    try:
        return first + index * length
    except OverflowError:
        return WALL_MAX


@lru_cache(maxsize=1 << 14)
def turns(zone: str, first: datetime, length: timedelta, stop: datetime | None,
          start: int, end: int) -> tuple[Turn, ...]:
    """The turns of a rotation clipped to ``[start, end)`` and cut at the wall time ``stop``."""
    if length < MIN_LENGTH:
        return ()
    # max(start, the first turn's instant), min(end, the stop's): a wall two days before (after) the
    # range is an instant before (after) it (an offset is under a day), else it is resolved
    if naive_micros(first) + 2 * DAY > start:
        start = max(start, known_instant(zone, first))
    if stop is not None and naive_micros(stop) - 2 * DAY < end:
        end = min(end, known_instant(zone, stop))
    if start >= end:
        return ()
    clock = zone_clock(zone, start, end)
    index = turn_index(zone, first, length, start, clock)
    step = length // MICRO
    steady = _steady_turns(clock, naive_micros(first) + index * step, step, index, start, end)
    return steady if steady is not None else _progressed(clock, first, length, index, start, end)


def _progressed(clock: ZoneClock, first: datetime, length: timedelta, index: int, start: int,
                end: int) -> tuple[Turn, ...]:
    """The turns from turn ``index`` to ``end``, each boundary read off the clock's progression."""
    zone, step = clock.zone, length // MICRO
    found: list[Turn] = []
    begin: int | None = None
    for number, at in clock.progression(naive_micros(first), step, index, end + 2 * DAY + step):
        if at is None:
            at = wall_micros(zone, turn_wall(first, length, number))
        if begin is not None:
            low, high = start if start > begin else begin, end if end < at else at  # max(), min()
            if low < high:
                found.append(Turn(low, high, number - 1))
        if at >= end:
            return tuple(found)
        begin = at
    raise AssertionError("the turns ran past the walls searched")  # pragma: no cover - see progression


def _steady_turns(clock: ZoneClock, wall: int, step: int, index: int, start: int,
                  end: int) -> tuple[Turn, ...] | None:
    """Turn ``index`` (running at ``start``, from the naive ``wall``) and those after it, if one offset holds.

    Only the handoffs inside ``[start, end)`` matter (turn ``index`` is clipped to ``start``, the
    last turn to ``end``). Where the clock covers them and the offset changes nowhere near them,
    the handoff after turn ``index + j`` is ``j * step`` after the first: the bounds are two
    ranges, made in C (turn by turn, the clock's progression costs a generator step and a named
    tuple's ``__new__`` each; property-tested). None otherwise.
    """
    inner = wall + step  # the wall of the first handoff after ``start``
    if not clock.covers(inner):
        # a wall a day past ``end`` is an instant past it (an offset is under a day): one turn
        return (Turn(start, end, index),) if inner - DAY >= end else None
    origin = inner - clock.offsets[bisect_right(clock.bounds, inner)]
    if origin >= end:
        return (Turn(start, end, index),)
    count = -((origin - end) // step)  # handoffs before ``end``: ceil((end - origin) / step)
    last = inner + (count - 1) * step  # the wall of the last
    if not last < clock.wall_high or clock.changes_within(inner - 2 * DAY, last + 2 * DAY):
        return None
    handoffs = range(origin, origin + count * step, step)
    return tuple(map(_TURN, zip([start, *handoffs], [*handoffs, end], range(index, index + count + 1),
                                strict=True)))


def turn_index(zone: str, first: datetime, length: timedelta, instant: int,
               clock: ZoneClock | None = None) -> int:
    """The turn running at ``instant`` (0 before the first); ``clock``, where given, reads walls it covers."""
    elapsed = wall_at(zone, instant) - first
    index = max(0, elapsed // length)
    while index > 0 and _resolved(zone, turn_wall(first, length, index), clock) > instant:
        index -= 1
    while _resolved(zone, turn_wall(first, length, index + 1), clock) <= instant:
        index += 1
    return index


def _resolved(zone: str, wall: datetime, clock: ZoneClock | None) -> int:
    """``wall_micros(zone, wall)``, by ``clock`` (of ``zone``) where one is given (:func:`_instant`)."""
    return wall_micros(zone, wall) if clock is None else _instant(clock, naive_micros(wall))


@lru_cache(maxsize=1 << 12)
def window_spans(zone: str, windows: tuple[Window, ...], start: int, end: int) -> tuple[Span, ...]:
    """The instants inside any of ``windows`` (wall times in ``zone``), clipped to ``[start, end)``.

    Each window opens and closes at a wall time of each day it names, from
    the day before ``start``'s. Where the zone's offset does not change over
    those walls, every wall is one subtraction away from its instant.
    """
    if start >= end:
        return ()
    first, last = local_date(zone, start) - _ONE_DAY, local_date(zone, end - 1)
    clock = zone_clock(zone, start, end)
    plan = [(window.days, _time_micros(window.start),
             _time_micros(window.end) + (0 if window.end > window.start else DAY)) for window in windows]
    origin, weekday = day_wall(first), first.weekday()
    count = (last - first).days + 1
    lowest, highest = origin, origin + (count + 1) * DAY  # every wall a window opens or closes at
    steady = clock.covers(lowest) and clock.covers(highest) \
        and not clock.changes_within(lowest - DAY, highest + DAY)
    if steady:
        offset = clock.offsets[bisect_right(clock.bounds, lowest)]
        return _steady_windows(plan, origin - offset, weekday, count, start, end)
    spans: list[Span] = []
    for number in range(count):
        base, today = origin + number * DAY, (weekday + number) % 7
        for days, opens, closes in plan:
            if today in days:
                spans.append((_instant(clock, base + opens), _instant(clock, base + closes)))
    # max(low, start), min(high, end), without calls
    return tuple((start if start > low else low, end if end < high else high) for low, high in union(spans)
                 if low < end and high > start)


def _steady_windows(plan: list[tuple[frozenset[int], int, int]], origin: int, weekday: int, count: int,
                    start: int, end: int) -> tuple[Span, ...]:
    """:func:`window_spans` where one offset holds: each window's weekday a range of instants, made in C.

    ``origin`` is the first day's midnight as an instant, ``weekday`` its weekday, ``count`` the days.
    The spans are sorted in C; where none meets or touches the next (nearly always) the union is
    themselves, else it is merged as before; the range cuts a run of them, found by bisection
    (property-tested against the day-by-day spans).
    """
    lows: list[int] = []
    highs: list[int] = []
    stop = origin + count * DAY
    for days, opens, closes in plan:
        for day in days:
            first = origin + (day - weekday) % 7 * DAY  # the first day of that weekday
            lows.extend(range(first + opens, stop + opens, 7 * DAY))
            highs.extend(range(first + closes, stop + closes, 7 * DAY))
    spans = sorted(zip(lows, highs, strict=True))
    lows, highs = list(map(_START, spans)), list(map(_END, spans))
    if not all(map(gt, lows[1:], highs)):  # some meet or touch: merged
        spans = union(spans)
        lows, highs = list(map(_START, spans)), list(map(_END, spans))
    found = spans[bisect_right(highs, start):bisect_left(lows, end)]  # those with an instant in the range
    if found:  # max(low, start), min(high, end) of the first and the last
        if found[0][0] < start:
            found[0] = (start, found[0][1])
        if found[-1][1] > end:
            found[-1] = (found[-1][0], end)
    return tuple(found)


def _time_micros(at: time) -> int:
    return ((at.hour * 60 + at.minute) * 60 + at.second) * SECOND + at.microsecond


def _instant(clock: ZoneClock, wall: int) -> int:
    """The instant of a wall time (naive microseconds) in the clock's zone."""
    if clock.covers(wall):
        return clock.instant(wall)
    return wall_micros(clock.zone, NAIVE_EPOCH + timedelta(microseconds=wall))


class Shape(NamedTuple):
    """What a layer's turns and windows depend on (not its members): layers share these."""

    zone: str
    first: datetime
    length: timedelta
    stop: datetime | None
    restrictions: tuple[Window, ...]


#: ``(start, end, position, number)``: turn ``number`` of the layer at ``position`` holds ``[start, end)``
#: after precedence (a plain tuple: a composition makes tens of thousands)
Placed = tuple[int, int, int, int]


def shape_of(layer: Layer) -> Shape:
    """The layer without its members (made by ``tuple.__new__``: the named tuple's ``__new__`` is Python)."""
    shape: Shape = tuple.__new__(Shape, (layer.timezone, layer.start, layer.length, layer.end,
                                         layer.restrictions))
    return shape


def layer_pieces(layer: Layer | Shape, start: int, end: int) -> list[Turn]:
    """A layer's turns within ``[start, end)`` cut to its restriction windows."""
    shape = layer if isinstance(layer, Shape) else shape_of(layer)
    found = list(turns(shape.zone, shape.first, shape.length, shape.stop, start, end))
    if shape.restrictions and found:
        found = inside(found, window_spans(shape.zone, shape.restrictions, found[0].start, found[-1].end))
    return found


@lru_cache(maxsize=1 << 12)
def composed(shapes: tuple[Shape, ...], start: int, end: int) -> tuple[Placed, ...]:
    """Which layer's turn holds each instant of ``[start, end)``: the last listed that has one.

    Schedules whose layers have the same shapes (most of an org's) share this.
    Composed from the last layer down: each layer keeps the parts of its
    pieces that the layers above it left free (what is composed so far,
    reached by bisection), so each piece is cut once, not again under every
    layer above it.
    """
    combined: list[Placed] = []
    for position in range(len(shapes) - 1, -1, -1):
        pieces = shape_pieces(shapes[position], start, end)
        placed = [(low, high, position, turn) for low, high, turn in pieces]
        if combined:
            combined.extend(outside(placed, combined))
            combined.sort(key=_START)  # sorted runs: merged in one pass
        else:
            combined = placed
    return tuple(combined)


@lru_cache(maxsize=1 << 12)
def shape_pieces(shape: Shape, start: int, end: int) -> tuple[Turn, ...]:
    """:func:`layer_pieces` of a shape, cached: an org's schedules combine the same shapes in many ways."""
    return tuple(layer_pieces(shape, start, end))


_START, _END = itemgetter(0), itemgetter(1)
#: a ``Turn`` from a ``(start, end, number)`` tuple, in C
_TURN = partial(tuple.__new__, Turn)


def pieces_within(shape: Shape, start: int, end: int, low: int, high: int) -> list[Turn]:
    """``layer_pieces(shape, low, high)`` for ``[low, high)`` inside ``[start, end)``, cut from the range's.

    Turns and windows do not depend on the range they are read in, only
    clipped to it: a stretch of a range the composition already cut the layer
    for (cached) needs no turns or windows of its own (property-tested).
    """
    pieces = shape_pieces(shape, start, end)
    found = []
    for index in range(bisect_right(pieces, low, key=_END), len(pieces)):
        begin, finish, number = pieces[index]
        if begin >= high:
            break
        # max(begin, low), min(finish, high), without calls (a stretch of every covered piece's hole)
        found.append(Turn(begin if begin > low else low, finish if finish < high else high, number))
    return found
