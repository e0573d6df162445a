"""What differs between an object as PagerDuty holds it and as the repo wants it, in words.

Layers are compared by what they do, not how they are written: a start in the
past is any start in the past (PagerDuty keeps history and may move it), and
two layers whose turns fall alike over the horizon, with the same turn length,
windows and end, are the same layer however their first turn is counted.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import datetime, timedelta

from opsrepo.apply.overrides import Horizon
from opsrepo.apply.pdmodel import WEEKLY, Layer, Restriction, render
from opsrepo.oncall.clock import to_micros
from opsrepo.timeutil import format_duration, get_zone

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
#: a user id -> how a reader knows them
Namer = Callable[[str], str]


def same_layers(want: Sequence[Layer], have: Sequence[Layer], zone: str, horizon: Horizon) -> bool:
    """Whether the live layers do the same thing, in the same order."""
    return len(want) == len(have) and all(
        same_layer(a, b, zone, horizon) for a, b in zip(want, have, strict=True)
    )


def same_layer(a: Layer, b: Layer, zone: str, horizon: Horizon) -> bool:
    """Whether two layers put the same people on call at the same times, now and later."""
    if a.name != b.name or a.turn_seconds != b.turn_seconds or a.end != b.end:
        return False
    if sorted(a.restrictions, key=_order) != sorted(b.restrictions, key=_order):
        return False
    if a.start != b.start and not (
        to_micros(a.start) <= horizon.start and to_micros(b.start) <= horizon.start
    ):
        return False
    if a.virtual_start == b.virtual_start and a.users == b.users:
        return True
    return render(zone, [a], horizon.start, horizon.end) == render(zone, [b], horizon.start, horizon.end)


def layer_changes(
    want: Sequence[Layer], have: Sequence[Layer], zone: str, horizon: Horizon, name: Namer
) -> list[str]:
    """Each difference between two layer lists, in words (empty when they do the same)."""
    if same_layers(want, have, zone, horizon):
        return []
    old = {layer.name: layer for layer in have}
    new = {layer.name: layer for layer in want}
    found = [f"adds layer {n!r}: {describe(new[n], name, zone)}" for n in new if n not in old]
    found += [f"ends layer {n!r}" for n in old if n not in new]
    for layer_name in (n for n in new if n in old):
        found += [
            f"layer {layer_name!r}: {text}"
            for text in _field_changes(new[layer_name], old[layer_name], zone, horizon, name)
        ]
    kept = [n for n in new if n in old]
    if kept != [n for n in old if n in new]:
        found.append("orders layers " + ", ".join(repr(n) for n in new) + " (the last one wins)")
    return found or ["rewrites the layers"]


def _field_changes(a: Layer, b: Layer, zone: str, horizon: Horizon, name: Namer) -> list[str]:
    found = []
    if a.turn_seconds != b.turn_seconds:
        found.append(f"turns {_seconds(b.turn_seconds)} → {_seconds(a.turn_seconds)}")
    if sorted(a.restrictions, key=_order) != sorted(b.restrictions, key=_order):
        found.append(f"windows {windows_text(b.restrictions)} → {windows_text(a.restrictions)}")
    if a.end != b.end:
        found.append(f"end {_instant(b.end, zone)} → {_instant(a.end, zone)}")
    if a.start != b.start and not same_layer(a, replace(b, start=a.start), zone, horizon):
        found.append(f"start {_instant(b.start, zone)} → {_instant(a.start, zone)}")
    elif not same_layer(
        a,
        replace(b, start=a.start, end=a.end, restrictions=a.restrictions, turn_seconds=a.turn_seconds),
        zone,
        horizon,
    ):
        if sorted(a.users) != sorted(b.users):
            found.append(f"members {_people(b.users, name)} → {_people(a.users, name)}")
        elif a.users != b.users:
            found.append(f"turn order {_people(b.users, name)} → {_people(a.users, name)}")
        else:
            found.append(f"first turn {_instant(b.virtual_start, zone)} → {_instant(a.virtual_start, zone)}")
    return found


def describe(layer: Layer, name: Namer, zone: str) -> str:
    """A layer in one line: members, turn length, first handoff, windows, end."""
    first = _instant(layer.virtual_start, zone)
    text = f"{_people(layer.users, name)}, {_seconds(layer.turn_seconds)} turns from {first}"
    if layer.restrictions:
        text += f", on call {windows_text(layer.restrictions)}"
    if layer.end is not None:
        text += f", until {_instant(layer.end, zone)}"
    return text


def windows_text(restrictions: Sequence[Restriction]) -> str:
    """``daily 09:00 for 8h`` / ``mon 09:00 for 8h``; "always" when there are none."""
    if not restrictions:
        return "always"
    groups: dict[tuple[str, int], list[int]] = {}
    for rule in sorted(restrictions, key=_order):
        groups.setdefault((rule.start_time.strftime("%H:%M"), rule.seconds), []).append(
            rule.weekday or 0 if rule.type == WEEKLY else 0
        )
    parts = []
    for (clock, seconds), days in groups.items():
        parts.append(f"{_days(days)} {clock} for {_seconds(seconds)}")
    return ", ".join(parts)


def _days(days: list[int]) -> str:
    """``daily``, ``mon-fri``, ``sat, sun``: ISO weekdays (0: every day)."""
    if 0 in days:
        return "daily"
    runs: list[list[int]] = []
    for day in sorted(set(days)):
        if runs and day == runs[-1][-1] + 1:
            runs[-1].append(day)
        else:
            runs.append([day])
    return ", ".join(
        WEEKDAYS[r[0] - 1]
        + (f"-{WEEKDAYS[r[-1] - 1]}" if len(r) > 2 else (f", {WEEKDAYS[r[-1] - 1]}" if len(r) == 2 else ""))
        for r in runs
    )


def _order(rule: Restriction) -> tuple[int, str, int]:
    return (rule.weekday or 0, rule.start_time.isoformat(), rule.seconds)


def _people(users: Sequence[str], name: Namer) -> str:
    return ", ".join(name(user) for user in users)


def _seconds(seconds: int) -> str:
    return format_duration(timedelta(seconds=seconds))


def _instant(value: datetime | None, zone: str) -> str:
    return "none" if value is None else local_text(value, zone)


def local_text(value: datetime, zone: str) -> str:
    """``2026-01-05 09:00`` on the zone's clock."""
    return value.astimezone(get_zone(zone)).strftime("%Y-%m-%d %H:%M")
