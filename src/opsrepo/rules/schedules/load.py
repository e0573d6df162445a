"""Burnout limits (hours and turns in any 28 days, rest between turns) and the fairness spread."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from datetime import timedelta
from functools import lru_cache
from operator import attrgetter

from opsrepo import model as m
from opsrepo.errors import Diagnostic, Location
from opsrepo.oncall.clock import HOUR, MICRO
from opsrepo.oncall.load import MEASURES, UNITS
from opsrepo.rules import Context, rule
from opsrepo.rules.schedules.common import (
    anchor,
    computed,
    horizon_breaches,
    horizon_measures,
    horizon_text,
    when,
    writes,
)
from opsrepo.timeutil import format_duration


@rule("OPS306", "max-hours-28d")
def hours_within_limit(ctx: Context) -> Iterator[Diagnostic]:
    """Nobody is on call more hours in any 28 days than ``max_hours_28d``."""
    for schedule in computed(ctx):
        limit = schedule.limits.max_hours_28d
        if limit is None:
            continue
        for pid, peak in horizon_breaches(ctx, schedule).hours:
            setting = _limit(ctx, schedule, "max_hours_28d")
            yield _report(anchor(schedule, "limits", "max_hours_28d"), setting)(
                "OPS306", f"{pid} would be on call {_number(peak.amount / HOUR)}h in the 28 days from "
                f"{when(peak.start, schedule.timezone)} in schedule '{schedule.id}'; the limit is "
                f"{_number(limit)}h ({setting})", f"share the turns among more people, or raise {setting}")


@rule("OPS307", "max-turns-28d")
def turns_within_limit(ctx: Context) -> Iterator[Diagnostic]:
    """Nobody takes more turns in any 28 days than ``max_turns_28d``."""
    for schedule in computed(ctx):
        limit = schedule.limits.max_turns_28d
        if limit is None:
            continue
        for pid, peak in horizon_breaches(ctx, schedule).turns:
            setting = _limit(ctx, schedule, "max_turns_28d")
            yield _report(anchor(schedule, "limits", "max_turns_28d"), setting)(
                "OPS307", f"{pid} would take {peak.amount} turns in the 28 days from "
                f"{when(peak.start, schedule.timezone)} in schedule '{schedule.id}'; the limit is {limit} "
                f"({setting})", f"share the turns among more people, or raise {setting}")


@rule("OPS308", "min-rest")
def rest_between_turns(ctx: Context) -> Iterator[Diagnostic]:
    """Everyone rests at least ``min_rest`` between two turns."""
    for schedule in computed(ctx):
        least = schedule.limits.min_rest
        if least is None:
            continue
        for pid, rest in horizon_breaches(ctx, schedule).rest:
            setting = _limit(ctx, schedule, "min_rest")
            yield _report(anchor(schedule, "limits", "min_rest"), setting)(
                "OPS308", f"{pid} would rest only {format_duration(rest[0] * MICRO)} after the turn ending "
                f"{when(rest[1], schedule.timezone)} in schedule '{schedule.id}'; the least allowed is "
                f"{format_duration(least)} ({setting})",
                f"space the person's turns further apart, or lower {setting}")


def _report(where: Location, setting: str) -> Callable[[str, str, str], Diagnostic]:
    """An error where the repo set the bound itself; a warning where it is opsrepo's default."""
    return where.warning if setting.startswith("the default") else where.error


def _limit(ctx: Context, schedule: m.Schedule, name: str) -> str:
    """Where the limit ``name`` of ``schedule`` is set: its own file, opsrepo.yaml, or the default."""
    if writes(schedule, "limits", name):
        return f"limits.{name}"
    if _org_writes(ctx, "limits", name):
        return f"oncall.limits.{name} in opsrepo.yaml"
    return f"the default oncall.limits.{name}, which opsrepo.yaml can change or switch off with null"


def _org_writes(ctx: Context, section: str, name: str) -> bool:
    document = ctx.repo.org.src.document
    data = document.data if document is not None else None
    part = data.get("oncall") if isinstance(data, dict) else None
    part = part.get(section) if isinstance(part, dict) else None
    return isinstance(part, dict) and name in part


def default_bound(schedule: m.Schedule, name: str) -> float:
    """The default fairness bound: what one turn of the schedule's longest layer can hold.

    A fair rotation still differs by up to one turn over the horizon (who has the
    turn at its start and at its end): at most the turn's days in nights, two
    weekend days per week of turn (and one more), three holidays per week of turn.
    """
    return _default_bounds(tuple(map(_LENGTH, schedule.layers)))[name]


_LENGTH = attrgetter("length")


@lru_cache(maxsize=256)
def _default_bounds(lengths: tuple[timedelta, ...]) -> dict[str, float]:
    """:func:`default_bound` of each measure, by the layers' turn lengths (an org has few)."""
    days = max((math.ceil(length / timedelta(days=1)) for length in lengths), default=7)
    weeks = math.ceil(days / 7)
    return {"nights": days + 1, "weekends": 2 * weeks + 1, "holidays": 3 * weeks}


@rule("OPS309", "fairness")
def fair_load(ctx: Context) -> Iterator[Diagnostic]:
    """Nights, weekends and public holidays are spread across a schedule's members within the bound.

    Each schedule's measures and default bounds are read once for its three
    measures; what a finding's text shares with others (the horizon, where
    each bound is set, the hint) is made once per run.
    """
    said: dict[tuple[str, bool], tuple[str, str]] = {}  # (measure, the schedule sets it): setting, hint
    horizon = ""
    for schedule in computed(ctx):
        fairness, defaults, found = schedule.fairness, None, None
        for name in MEASURES:
            bound = getattr(fairness, name)
            if bound is None:
                if defaults is None:
                    defaults = _default_bounds(tuple(map(_LENGTH, schedule.layers)))
                bound = defaults[name]
            if math.isinf(bound):
                continue
            if found is None:
                found = horizon_measures(ctx, schedule)
            values = found[name]
            if len(values) < 2:
                continue
            high, low = max(values.values()), min(values.values())
            if high - low <= bound:
                continue
            own = writes(schedule, "fairness", name)
            setting, hint = said.get((name, own)) or _said(ctx, said, name, own)
            horizon = horizon or horizon_text(ctx)
            unit = UNITS[name]
            yield _report(anchor(schedule, "fairness", name), setting)(
                "OPS309", f"schedule '{schedule.id}' spreads {name} unevenly over the {horizon}: "
                f"{_who(values, high)} {_number(high)}{unit}, {_who(values, low)} {_number(low)}{unit} "
                f"(spread {_number(high - low)}, allowed {_number(bound)}: {setting})", hint)


def _said(ctx: Context, said: dict[tuple[str, bool], tuple[str, str]], name: str,
          own: bool) -> tuple[str, str]:
    """Where the bound ``name`` is set (by the schedule itself: ``own``), and the hint; kept in ``said``."""
    if own:
        setting = f"fairness.{name} in the schedule"
    elif _org_writes(ctx, "fairness", name):
        setting = f"oncall.fairness.{name} in opsrepo.yaml"
    else:
        setting = f"the default for its turns, which oncall.fairness.{name} in opsrepo.yaml can change"
    found = said[name, own] = (setting, f"rebalance the rotation or add overrides, or raise {setting}")
    return found


def _who(values: dict[str, float], value: float) -> str:
    return ", ".join(sorted([pid for pid, v in values.items() if v == value]))


def _number(value: float) -> str:
    """``value`` to one decimal, without a trailing ``.0``; an int a float holds exactly, as written."""
    if value.__class__ is int and -_EXACT <= value <= _EXACT:  # counts, spreads, most bounds
        return int.__repr__(value)
    return f"{value:.1f}".removesuffix(".0")


#: every int up to this is a float exactly (formatted as a float, it gives its own digits)
_EXACT = 2 ** 53
