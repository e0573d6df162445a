"""Model records built in code for engine tests (no files: ``Src`` points nowhere)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, time, timedelta
from typing import Any

from opsrepo import model as m
from opsrepo.timeutil import parse_duration

NOWHERE = m.Src(None)
DAYS = {name: index for index, name in enumerate(m.WEEKDAYS)}


def at(text: str) -> datetime:
    """An aware instant written with its offset."""
    value = datetime.fromisoformat(text)
    assert value.tzinfo is not None, text
    return value


def window(days: str = "", start: str = "00:00", end: str = "00:00") -> m.Window:
    """``window("mon tue", "09:00", "17:00")``; no days means every day."""
    chosen = frozenset(DAYS[d] for d in days.split()) if days else m.ALL_DAYS
    return m.Window(chosen, time.fromisoformat(start), time.fromisoformat(end))


def person(pid: str, zone: str = "Europe/Berlin", off: Iterable[tuple[str, str]] = (),
           country: str | None = None, subdivision: str | None = None) -> m.Person:
    """A person; ``off`` holds ``(from, to)`` wall times (or whole dates, both inclusive)."""
    return m.Person(pid, pid.title(), zone, "team", NOWHERE, country=country, subdivision=subdivision,
                    time_off=tuple(_time_off(low, high) for low, high in off))


def _time_off(low: str, high: str) -> m.TimeOff:
    if "T" in low:
        return m.TimeOff(datetime.fromisoformat(low), datetime.fromisoformat(high), None, NOWHERE)
    return m.TimeOff(datetime.fromisoformat(low), datetime.fromisoformat(high) + timedelta(days=1), None, NOWHERE)


def layer(name: str, members: str, start: str, length: str, zone: str = "Europe/Berlin", *,
          end: str | None = None, restrictions: Iterable[m.Window] = (), index: int = 0) -> m.Layer:
    """A layer; ``members`` is space-separated."""
    return m.Layer(name, index, tuple(members.split()), datetime.fromisoformat(start), parse_duration(length),
                   zone, NOWHERE, datetime.fromisoformat(end) if end else None, tuple(restrictions))


def override(pid: str, start: str, end: str, reason: str | None = None, index: int = 0) -> m.Override:
    """An override (wall times in the schedule's zone)."""
    return m.Override(pid, index, datetime.fromisoformat(start), datetime.fromisoformat(end), NOWHERE, reason)


def schedule(sid: str, *layers: m.Layer, zone: str = "Europe/Berlin", overrides: Iterable[m.Override] = (),
             time_off: str = "skip", derive: m.Derive | None = None, **extra: Any) -> m.Schedule:
    """A schedule; layer and override indexes are set from their order."""
    numbered = tuple(replace_index(item, i) for i, item in enumerate(layers))
    listed = tuple(replace_index(item, i) for i, item in enumerate(overrides))
    return m.Schedule(sid, sid.title(), "team", zone, NOWHERE, layers=numbered, overrides=listed,
                      time_off=time_off, derive=derive, **extra)


def replace_index(item: Any, index: int) -> Any:
    """``item`` with its ``index`` set."""
    from dataclasses import replace

    return replace(item, index=index)


def repo(*schedules: m.Schedule, people: Iterable[m.Person] = (), org: m.Org | None = None) -> m.Repo:
    """A repo holding the schedules; people named in layers but not given get no time off."""
    given = {p.id: p for p in people}
    for sched in schedules:
        for lay in sched.layers:
            for pid in lay.members:
                given.setdefault(pid, person(pid))
    return m.Repo(
        org=org or m.Org("Test", "Europe/Berlin", NOWHERE), teams={}, people=given, services={}, alerts={},
        schedules={s.id: s for s in schedules}, severities=(), policies={}, runbooks={}, postmortems={},
    )
