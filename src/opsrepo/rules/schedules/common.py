"""What the schedule rules share: the horizon, the final schedule over it, instants in messages."""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import timedelta

from opsrepo import model as m
from opsrepo.errors import Location
from opsrepo.oncall.clock import from_micros, to_micros
from opsrepo.oncall.engine import Segment, final_segments, held_spans
from opsrepo.oncall.intervals import Span, union
from opsrepo.oncall.turns import Dealt, person_turns
from opsrepo.rules import Context
from opsrepo.timeutil import format_duration, format_instant


def computed(ctx: Context) -> list[m.Schedule]:
    """The schedules whose turns are worth computing: not those built without values at fault.

    A schedule whose file lost a layer, a member or an override to a problem
    would give gaps and loads its author never wrote; that problem is reported.
    """
    return [s for s in ctx.repo.schedules.values() if not ctx.repo.is_partial(s)]


def horizon(ctx: Context) -> tuple[int, int]:
    """The validation horizon as microseconds."""
    return to_micros(ctx.now), to_micros(ctx.now + ctx.repo.org.horizon)


def horizon_segments(ctx: Context, schedule: m.Schedule) -> Sequence[Segment]:
    """The final schedule over the horizon (each schedule's computed at most once per validation)."""
    found: Sequence[Segment] = ctx.memo(f"oncall.horizon_segments:{schedule.id}",
                                        lambda: final_segments(ctx.repo, schedule, *horizon(ctx)))
    return found


def horizon_turns(ctx: Context, schedule: m.Schedule) -> dict[str, tuple[Span, ...]]:
    """Each person's turns over the horizon (what the burnout and fairness checks judge), once per run."""
    return _dealt(ctx, schedule).turns


def _dealt(ctx: Context, schedule: m.Schedule) -> Dealt:
    found: Dealt = ctx.memo(f"oncall.dealt:{schedule.id}",
                            lambda: person_turns(ctx.repo, schedule, *horizon(ctx)))
    return found


def judged(schedule: m.Schedule) -> bool:
    """True when a burnout limit or a fairness bound applies to ``schedule`` (the defaults do)."""
    limits, fair = schedule.limits, schedule.fairness
    if any(bound is not None for bound in (limits.max_hours_28d, limits.max_turns_28d, limits.min_rest)):
        return True
    bounds = (fair.nights, fair.weekends, fair.holidays)
    return any(bound is None or not math.isinf(bound) for bound in bounds)


def horizon_held(ctx: Context, schedule: m.Schedule) -> Sequence[Span]:
    """The instants of the horizon someone holds in ``schedule`` (gaps are what they leave out).

    The union of the people's turns where the burnout or fairness checks
    deal them anyway; else found without dealing the members where time off
    cannot open a hole (:func:`~opsrepo.oncall.engine.held_spans`), else from
    the final schedule.
    """
    found: Sequence[Span] = ctx.memo(f"oncall.horizon_held:{schedule.id}", lambda: _held(ctx, schedule))
    return found


def _held(ctx: Context, schedule: m.Schedule) -> Sequence[Span]:
    if judged(schedule):
        return _dealt(ctx, schedule).held
    found = held_spans(ctx.repo, schedule, *horizon(ctx))
    if found is None:
        return union((segment.start, segment.end) for segment in horizon_segments(ctx, schedule))
    return found


def when(micros: int, zone: str) -> str:
    """An instant in ``zone`` with its offset, to the minute (seconds when it has them)."""
    return format_instant(from_micros(micros), zone)


def horizon_text(ctx: Context) -> str:
    """``90-day horizon`` (or the duration when not whole days)."""
    span = ctx.repo.org.horizon
    if span == timedelta(days=span.days):
        return f"{span.days}-day horizon"
    return f"{format_duration(span)} horizon"


def anchor(schedule: m.Schedule, *path: str) -> Location:
    """The key at ``path`` when the schedule's file writes it, else the schedule's ``id`` key."""
    return schedule.src.at(*path, key=True) if writes(schedule, *path) else schedule.src.at("id", key=True)


def writes(schedule: m.Schedule, *path: str) -> bool:
    """True when the schedule's file writes the key at ``path`` itself (not inherited from opsrepo.yaml)."""
    data = schedule.src.document.data
    for part in path:
        if not isinstance(data, dict) or part not in data:
            return False
        data = data[part]
    return True
