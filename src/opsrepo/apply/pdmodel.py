"""opsrepo's own model of PagerDuty's final schedule: what a schedule's layers put on call.

Written from PagerDuty's documentation, to know where its layers and opsrepo's
engine disagree (those instants become overrides). The fake PagerDuty the
tests run against has its own renderer, written apart, so that comparing the
two proves something. The rules, with their sources:

* **Precedence.** "In a schedule with multiple layers, the lowest layer always
  takes precedence ... The last layer, then, essentially acts as an override
  for all layers that it overlaps" (support.pagerduty.com/docs/schedules). In
  the REST API the first element of ``schedule_layers`` is Layer 1 (sent in
  that order on POST and PUT; GET answers in the same order since PagerDuty's
  2023 "layer order fix"): a later element wins. opsrepo's last-listed layer
  wins too, so layers keep their order.
* **Turns.** Turn ``k`` starts at ``rotation_virtual_start + k *
  rotation_turn_length_seconds`` and belongs to ``users[k mod n]``; only the
  part within the layer's ``start`` and ``end`` is on call.
* **Wall clock.** A handoff keeps its local time in the schedule's
  ``time_zone`` across DST (support.pagerduty.com/docs/time-zones, "Daylight
  Saving Time"): turns are added on the zone's wall clock. PagerDuty does not
  document turns shorter than a day; they are taken to follow the same rule
  (as the SPEC does for opsrepo). ``opsrepo apply pagerduty --check`` compares
  PagerDuty's own rendering with opsrepo's, so a wrong assumption shows up.
* **Times that do not exist.** PagerDuty runs on Rails, whose
  ``ActiveSupport::TimeZone`` reads a local time in a spring-forward gap with
  the offset before the change (02:30 becomes 03:30 the day clocks jump from
  02:00 to 03:00): Python's ``fold=0``. A repeated local time is its first
  occurrence. opsrepo instead hands over at the first valid instant (03:00,
  SPEC section 2): such a turn differs by the gap, and an override fixes it.
* **Restrictions** "respect the time_zone" of the schedule (API reference,
  schedule layer ``restrictions``): a ``daily_restriction`` opens every local
  day at ``start_time_of_day`` for ``duration_seconds``, a
  ``weekly_restriction`` on ``start_day_of_week`` (ISO, 1 = Monday) only; the
  duration runs on the wall clock. Outside its windows a layer has nobody;
  the windows cut turns, they never move handoffs.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from typing import Any

from opsrepo.oncall.clock import from_micros, to_micros
from opsrepo.oncall.intervals import Span, inside, overlay, union
from opsrepo.timeutil import get_zone

DAILY, WEEKLY = "daily_restriction", "weekly_restriction"
#: "The value cannot exceed one year in seconds" (API reference, rotation_turn_length_seconds)
MAX_TURN_SECONDS = 365 * 86400
_DAY = timedelta(days=1)
SECOND = 1_000_000

#: who holds ``[start, end)`` (microseconds since the epoch)
Piece = tuple[int, int, str]


@dataclass(frozen=True)
class Restriction:
    """A window of a layer, in the schedule's zone."""

    type: str
    start_time: time
    seconds: int
    #: ISO day of the week (1 = Monday) for a weekly restriction
    weekday: int | None = None

    def to_api(self) -> dict[str, Any]:
        """The API's ``Restriction`` object."""
        found: dict[str, Any] = {
            "type": self.type,
            "start_time_of_day": self.start_time.strftime("%H:%M:%S"),
            "duration_seconds": self.seconds,
        }
        if self.type == WEEKLY:
            found["start_day_of_week"] = self.weekday
        return found

    @classmethod
    def from_api(cls, raw: dict[str, Any]) -> Restriction:
        """A restriction as the API gives it; raises KeyError or ValueError when malformed."""
        kind = str(raw["type"])
        weekday = int(raw["start_day_of_week"]) if kind == WEEKLY else None
        return cls(
            kind, time.fromisoformat(str(raw["start_time_of_day"])), int(raw["duration_seconds"]), weekday
        )


@dataclass(frozen=True)
class Layer:
    """A schedule layer; ``users`` are whatever names the caller deals in (person or user ids)."""

    name: str
    start: datetime
    virtual_start: datetime
    turn_seconds: int
    users: tuple[str, ...]
    restrictions: tuple[Restriction, ...] = ()
    end: datetime | None = None
    #: PagerDuty's id of an existing layer
    id: str | None = field(default=None, compare=False)


def pd_instant(zone: str, wall: datetime) -> int:
    """The instant PagerDuty gives a local time (gap: the offset before the change; overlap: first)."""
    return _pd_instant(zone, wall.replace(tzinfo=None))


@lru_cache(maxsize=1 << 16)
def _pd_instant(zone: str, wall: datetime) -> int:
    return to_micros(wall.replace(tzinfo=get_zone(zone), fold=0))


def wall_of(zone: str, micros: int) -> datetime:
    """The naive local time in ``zone`` at an instant."""
    return from_micros(micros).astimezone(get_zone(zone)).replace(tzinfo=None)


def render(zone: str, layers: Sequence[Layer], start: int, end: int) -> list[Piece]:
    """Who the layers put on call over ``[start, end)``, later layers on top; gaps are absent."""
    combined: list[Piece] = []
    for layer in layers:
        combined = overlay(combined, layer_pieces(zone, layer, start, end))
    return _joined(combined)


def layer_pieces(zone: str, layer: Layer, start: int, end: int) -> list[Piece]:
    """One layer's turns within ``[start, end)``, cut to its restriction windows."""
    if not layer.users:
        return []
    low = max(start, to_micros(layer.start))
    high = min(end, to_micros(layer.end)) if layer.end is not None else end
    count = len(layer.users)
    shape = _pieces(zone, to_micros(layer.virtual_start), layer.turn_seconds, layer.restrictions, low, high)
    return [(a, b, layer.users[index % count]) for a, b, index in shape]


@lru_cache(maxsize=1 << 12)
def _pieces(zone: str, virtual: int, seconds: int, restrictions: tuple[Restriction, ...], low: int,
            high: int) -> tuple[tuple[int, int, int], ...]:
    """``(start, end, turn index)`` of a layer's on-call pieces: layers of one shape share them."""
    turns = layer_turns(zone, virtual, seconds, low, high)
    if restrictions and turns:
        turns = inside(turns, windows(zone, restrictions, turns[0][0], turns[-1][1]))
    return tuple(turns)


def layer_turns(zone: str, virtual: int, seconds: int, low: int, high: int) -> list[tuple[int, int, int]]:
    """``(start, end, index)`` of the turns counted from ``virtual`` every ``seconds``, in ``[low, high)``."""
    if low >= high or not 0 < seconds <= MAX_TURN_SECONDS:
        return []
    base, step = wall_of(zone, virtual), timedelta(seconds=seconds)
    index = (low - virtual) // (seconds * SECOND)
    while pd_instant(zone, base + index * step) > low:
        index -= 1
    while pd_instant(zone, base + (index + 1) * step) <= low:
        index += 1
    found: list[tuple[int, int, int]] = []
    begin = pd_instant(zone, base + index * step)
    while begin < high:
        following = pd_instant(zone, base + (index + 1) * step)
        piece_low, piece_high = max(begin, low), min(following, high)
        if piece_low < piece_high:
            found.append((piece_low, piece_high, index))
        index, begin = index + 1, following
    return found


@lru_cache(maxsize=1 << 12)
def windows(zone: str, restrictions: tuple[Restriction, ...], start: int, end: int) -> tuple[Span, ...]:
    """The instants inside any restriction window, around ``[start, end)``."""
    first, last = wall_of(zone, start).date() - 8 * _DAY, wall_of(zone, end).date()
    spans: list[Span] = []
    day: date = first
    while day <= last:
        for rule in restrictions:
            if rule.type == WEEKLY and day.isoweekday() != rule.weekday:
                continue
            opens = datetime.combine(day, rule.start_time)
            spans.append((pd_instant(zone, opens), pd_instant(zone, opens + timedelta(seconds=rule.seconds))))
        day += _DAY
    return tuple(union(spans))


def _joined(pieces: list[Piece]) -> list[Piece]:
    """Adjacent pieces of one holder as one."""
    out: list[Piece] = []
    for piece in pieces:
        if out and out[-1][1] == piece[0] and out[-1][2] == piece[2]:
            out[-1] = (out[-1][0], piece[1], piece[2])
        else:
            out.append(piece)
    return out
