"""Time off: a person's absences as instants, and the cover of an absent member's turn (``skip``)."""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import lru_cache
from typing import NamedTuple, Protocol

from opsrepo.model import Layer, Person, Repo
from opsrepo.oncall.clock import DAY, MICRO, wall_micros
from opsrepo.oncall.intervals import Span, inside, outside, union
from opsrepo.oncall.zoneclock import NAIVE_EPOCH, ZoneClock, zone_clock

LAYER, OVERRIDE, COVER = "layer", "override", "time-off-cover"


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


class TimeOff(Protocol):
    """Who is away when: :class:`Absences`, or the same by another naming of people."""

    def of(self, person_id: str) -> tuple[Span, ...]:
        """The person's time off as sorted, merged instants."""
        ...


class Absences:
    """People's time off as instants, looked up once per person."""

    def __init__(self, repo: Repo) -> None:
        self.repo = repo
        self.known: dict[str, tuple[Span, ...]] = {}

    def of(self, person_id: str) -> tuple[Span, ...]:
        """The person's time off as sorted, merged instants (none for unknown people)."""
        found = self.known.get(person_id)
        if found is None:
            found = self.known[person_id] = person_away(self.repo, person_id)
        return found



def meets(spans: tuple[Span, ...], low: int, high: int) -> bool:
    """True when some span has an instant in ``[low, high)``."""
    for span_low, span_high in spans:  # noqa: SIM110 (a loop: any() over a generator costs twice as much)
        if span_low < high and span_high > low:
            return True
    return False


def person_away(repo: Repo, person_id: str) -> tuple[Span, ...]:
    """A person's time off as instants (whole days or wall times in their zone)."""
    person = repo.people.get(person_id)
    if person is None or not person.time_off:
        return ()
    return away_spans(person.timezone, tuple((entry.start, entry.end) for entry in person.time_off))


#: each person's time off within a range, kept per person object and range (see :func:`away_within`)
_AWAY: dict[tuple[int, int, int], tuple[Person, tuple[Span, ...]]] = {}


def away_within(repo: Repo, pid: str, start: int, end: int) -> tuple[Span, ...]:
    """``person_away`` clipped to ``[start, end)``, once per person and range.

    Only the entries that can reach into the range are resolved (an offset is
    under a day, so a wall two days off the range is outside it), by the
    zone clock where it covers them; the rest cannot change what lies
    inside: merged spans that reach in are clipped to it anyway.
    """
    person = repo.people.get(pid)
    if person is None or not person.time_off:
        return ()
    key = (id(person), start, end)
    kept = _AWAY.get(key)
    if kept is not None and kept[0] is person:
        return kept[1]
    before, after = _reach(start, end)
    clock = None
    spans = []
    for entry in person.time_off:
        # an entry ending two days before the range or starting two days after it cannot reach in:
        # compared as walls (no conversion), the same as comparing their naive microseconds
        if (before is not None and entry.end <= before) or (after is not None and entry.start >= after):
            continue
        if clock is None:  # made for the first entry that may reach in
            clock = zone_clock(person.timezone, start, end)
        low, high = (entry.start - NAIVE_EPOCH) // MICRO, (entry.end - NAIVE_EPOCH) // MICRO  # naive_micros()
        # _within(), inline where the clock covers both walls (nearly every entry that reaches in)
        least, most = clock.wall_low, clock.wall_high
        if clock.sound and least <= low < most and least <= high < most:
            spans.append((clock.instant(low), clock.instant(high)))
        else:
            spans.append((_within(clock, entry.start, low, start, end),
                          _within(clock, entry.end, high, start, end)))
    if len(spans) == 1:  # most people's within a range: clipped inline (union() of one: itself if not empty)
        low, high = spans[0]
        # max(low, start), min(high, end), without calls
        found: tuple[Span, ...] = ((start if start > low else low, end if end < high else high),) \
            if low < high and low < end and high > start else ()
    elif spans:
        found = tuple((start if start > low else low, end if end < high else high)
                      for low, high in union(spans) if low < end and high > start)
    else:  # none reaches in
        found = ()
    _AWAY[key] = (person, found)  # holding the person keeps its id from being reused
    if len(_AWAY) > 1 << 15:
        del _AWAY[next(iter(_AWAY))]
    return found


@lru_cache(maxsize=64)
def _reach(start: int, end: int) -> tuple[datetime | None, datetime | None]:
    """The walls two days before ``start`` and two days after ``end`` (None past a naive datetime's range).

    An offset is under a day: time off ending by the first or starting from the second lies outside
    ``[start, end)`` whatever the zone.
    """
    return _wall(start - 2 * DAY), _wall(end + 2 * DAY)


def _wall(micros: int) -> datetime | None:
    try:
        return NAIVE_EPOCH + timedelta(microseconds=micros)
    except OverflowError:
        return None


def _within(clock: ZoneClock, moment: datetime, wall: int, start: int, end: int) -> int:
    """The instant of ``moment`` (``wall``); one before ``start`` or after ``end`` for a wall past the clock.

    The clock of a range reaches days beyond it (:func:`~opsrepo.oncall.zoneclock.zone_clock`),
    and an offset is under a day: a wall it does not cover lies outside the range, where
    clipping to the range makes the instants before (or after) it all one.
    """
    if clock.covers(wall):
        return clock.instant(wall)
    if clock.sound and wall < clock.wall_low:
        return start - 1
    if clock.sound and wall >= clock.wall_high:
        return end + 1
    return wall_micros(clock.zone, moment)


@lru_cache(maxsize=1 << 14)
def away_spans(zone: str, periods: tuple[tuple[datetime, datetime], ...]) -> tuple[Span, ...]:
    """Wall-time periods in ``zone`` as sorted, merged instants."""
    return tuple(union((wall_micros(zone, low), wall_micros(zone, high)) for low, high in periods))


def covered(absences: TimeOff, layer: Layer, turn: Segment, order: list[str],
            holder: str | None) -> list[Segment]:
    """``turn`` of an absent member: present parts stay, the next free members cover the rest.

    ``order`` is the layer's members from the absent one on (turn order);
    ``holder`` (the source schedule's member for a derived schedule) never
    covers. Instants nobody can cover are left out.
    """
    absent = turn.person
    away = absences.of(absent)
    out = outside([turn], away)
    missing = inside([turn], away)
    for candidate in order[1:]:
        if not missing:
            break
        if candidate in (absent, holder):
            continue
        busy = absences.of(candidate)
        out.extend(Segment(part.start, part.end, candidate, COVER, layer.name, absent, part.layer, part.turn)
                   for part in outside(missing, busy))
        missing = inside(missing, busy)
    out.sort()
    return out
