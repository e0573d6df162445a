"""An opsrepo schedule as PagerDuty schedule layers, one layer per opsrepo layer, in the same order.

What maps one to one: members in turn order (a derived schedule's members
dealt ``offset`` turns behind), the first handoff, the turn length (both
count turns on the wall clock), the end, and restrictions (a window on every
day is a ``daily_restriction``, others one ``weekly_restriction`` per day).

A PagerDuty schedule has one time zone. A layer in another zone is written
with the difference between the two zones' clocks that holds for most of the
year after its start, and its turns are counted from a handoff in that part
of the year; where the zones change their clocks on other days, the layer is
an hour off, which overrides correct over the horizon
(:mod:`opsrepo.apply.overrides`), as they correct time-off cover and
handoffs in a DST gap.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime, time, timedelta

from opsrepo.apply.pdmodel import DAILY, MAX_TURN_SECONDS, WEEKLY, Layer, Restriction
from opsrepo.model import ALL_DAYS, Repo, Schedule, Window
from opsrepo.model import Layer as RepoLayer
from opsrepo.oncall.clock import from_micros, wall_micros
from opsrepo.oncall.engine import Rotation, rotation
from opsrepo.oncall.rotation import MIN_LENGTH, turn_wall
from opsrepo.timeutil import get_zone

_MINUTES_A_DAY = 24 * 60
#: how far back a layer in another zone looks for a handoff in the usual part of the year
_SEARCH_TURNS = 800


def schedule_layers(repo: Repo, schedule: Schedule) -> tuple[list[Layer], list[str]]:
    """The PagerDuty layers of ``schedule`` (users are person ids) and notes on what they cannot say."""
    plan = rotation(repo, schedule)
    if plan is None:
        return [], [f"schedule {schedule.id} derives from a schedule that does not resolve"]
    found: list[Layer] = []
    notes: list[str] = []
    for layer in plan.layers:
        if layer.length < MIN_LENGTH or not layer.members:
            notes.append(f"layer {layer.name!r} has nobody (a turn under a minute or no members): left out")
            continue
        if layer.length.total_seconds() > MAX_TURN_SECONDS:
            notes.append(
                f"layer {layer.name!r} has turns longer than a year, which PagerDuty refuses: "
                "left out, its turns are written as overrides"
            )
            continue
        pd_layer, note = _layer(schedule.timezone, layer, plan)
        found.append(pd_layer)
        if note:
            notes.append(note)
    return found, notes


def _layer(zone: str, layer: RepoLayer, plan: Rotation) -> tuple[Layer, str | None]:
    offset, note = clock_difference(zone, layer)
    first = _first_turn(zone, layer, offset) if offset else 0
    count = len(layer.members)
    virtual = _turn_instant(layer, first)
    users = tuple(plan.member(layer, first + step) for step in range(count))
    end = from_micros(wall_micros(layer.timezone, layer.end)) if layer.end is not None else None
    return Layer(
        name=layer.name,
        start=from_micros(wall_micros(layer.timezone, layer.start)),
        virtual_start=virtual,
        turn_seconds=int(layer.length.total_seconds()),
        users=users,
        restrictions=restrictions(layer.restrictions, offset),
        end=end,
    ), note


def clock_difference(zone: str, layer: RepoLayer) -> tuple[timedelta, str | None]:
    """How far the layer's clock is ahead of the schedule's for most of the year after its start."""
    if layer.timezone == zone:
        return timedelta(0), None
    start = from_micros(wall_micros(layer.timezone, layer.start))
    counts = Counter(_difference(zone, layer.timezone, start + timedelta(days=day)) for day in range(366))
    most = max(counts.values())
    usual = next(value for value in counts if counts[value] == most)  # the earliest of the most frequent
    if len(counts) == 1:
        return usual, None
    return usual, (
        f"layer {layer.name!r} is in {layer.timezone}, whose clock is {_hours(usual)} {zone}'s for most of "
        "the year: overrides correct the days it is not"
    )


def _difference(zone: str, other: str, instant: datetime) -> timedelta:
    here, there = (
        instant.astimezone(get_zone(zone)).utcoffset(),
        instant.astimezone(get_zone(other)).utcoffset(),
    )
    assert here is not None and there is not None
    return there - here


def _first_turn(zone: str, layer: RepoLayer, offset: timedelta) -> int:
    """The latest turn at or before the first whose start has the usual clock difference."""
    for index in range(0, -_SEARCH_TURNS, -1):
        if _difference(zone, layer.timezone, _turn_instant(layer, index)) == offset:
            return index
    return 0


def _turn_instant(layer: RepoLayer, index: int) -> datetime:
    return from_micros(wall_micros(layer.timezone, turn_wall(layer.start, layer.length, index)))


def restrictions(windows: tuple[Window, ...], offset: timedelta) -> tuple[Restriction, ...]:
    """Opsrepo windows (in the layer's zone) as PagerDuty restrictions ``offset`` behind."""
    found: list[Restriction] = []
    shift = int(offset.total_seconds() // 60)
    for window in windows:
        minutes = window.start.hour * 60 + window.start.minute - shift
        days_moved, minute = divmod(minutes, _MINUTES_A_DAY)
        clock = time(minute // 60, minute % 60)
        seconds = int(window.duration.total_seconds())
        if window.days == ALL_DAYS:
            found.append(Restriction(DAILY, clock, seconds))
        else:
            found += [
                Restriction(WEEKLY, clock, seconds, (day + days_moved) % 7 + 1) for day in sorted(window.days)
            ]
    return tuple(found)


def _hours(delta: timedelta) -> str:
    """``9h ahead of`` / ``5h behind`` / ``level with``."""
    minutes = int(delta.total_seconds() // 60)
    if not minutes:
        return "level with"
    hours, rest = divmod(abs(minutes), 60)
    size = f"{hours}h" + (f"{rest:02d}m" if rest else "")
    return f"{size} ahead of" if minutes > 0 else f"{size} behind"
