"""What the schedule rules share: the horizon, the final schedule over it, instants in messages."""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import timedelta

from opsrepo import model as m
from opsrepo.errors import Location
from opsrepo.oncall.clock import from_micros, to_micros
from opsrepo.oncall.engine import Segment, final_segments, held_spans, override_segments, rotation
from opsrepo.oncall.intervals import Span, union
from opsrepo.oncall.load import Breaches, breaches, measures
from opsrepo.oncall.turns import Dealt, composition, person_turns
from opsrepo.oncall.zoneclock import zone_clock
from opsrepo.oncall.zonedays import zone_days
from opsrepo.rules import Context
from opsrepo.timeutil import format_duration, format_instant
from opsrepo.workers import available_cpus, in_two, may_fork

#: the longest validation horizon the checks look over (a longer one is OPS313, and checked this far)
MAX_HORIZON = timedelta(days=366)


def horizon_span(ctx: Context) -> timedelta:
    """``validation.horizon``, at most :data:`MAX_HORIZON`."""
    return min(ctx.repo.org.horizon, MAX_HORIZON)


def computed(ctx: Context) -> tuple[m.Schedule, ...]:
    """The schedules whose turns are worth computing: not those built without values at fault.

    A schedule whose file lost a layer, a member or an override to a problem
    would give gaps and loads its author never wrote; that problem is reported.
    Found once per run (eight rules ask); a tuple, so no rule can change it for the others.
    """
    found: tuple[m.Schedule, ...] = ctx.memo("oncall.computed", lambda: tuple(
        s for s in ctx.repo.schedules.values() if not ctx.repo.is_partial(s)))
    return found


def horizon(ctx: Context) -> tuple[int, int]:
    """The validation horizon as microseconds (found once per run: asked for every schedule)."""
    found: tuple[int, int] = ctx.memo("oncall.horizon", lambda: (
        to_micros(ctx.now), to_micros(ctx.now + horizon_span(ctx))))
    return found


def horizon_segments(ctx: Context, schedule: m.Schedule) -> Sequence[Segment]:
    """The final schedule over the horizon (each schedule's computed at most once per validation)."""
    found: Sequence[Segment] = ctx.memo(f"oncall.horizon_segments:{schedule.id}",
                                        lambda: final_segments(ctx.repo, schedule, *horizon(ctx)))
    return found


def horizon_turns(ctx: Context, schedule: m.Schedule) -> dict[str, tuple[Span, ...]]:
    """Each person's turns over the horizon (what the burnout and fairness checks judge), once per run."""
    return _dealt(ctx, schedule).turns


def horizon_measures(ctx: Context, schedule: m.Schedule) -> dict[str, dict[str, float]]:
    """The fairness measures of the schedule's members over the horizon (by measure, then person)."""
    _prepare(ctx)
    found: dict[str, dict[str, float]] = ctx.memo(
        f"oncall.measures:{schedule.id}",
        lambda: measures(ctx.repo, schedule, horizon_turns(ctx, schedule), *horizon(ctx)))
    return found


def horizon_breaches(ctx: Context, schedule: m.Schedule) -> Breaches:
    """Who breaks the schedule's burnout limits over the horizon."""
    _prepare(ctx)
    found: Breaches = ctx.memo(f"oncall.breaches:{schedule.id}",
                               lambda: breaches(schedule, horizon_turns(ctx, schedule)))
    return found


def _dealt(ctx: Context, schedule: m.Schedule) -> Dealt:
    _prepare(ctx)
    found: Dealt = ctx.memo(f"oncall.dealt:{schedule.id}", lambda: person_turns(
        ctx.repo, schedule, *horizon(ctx), horizon_overrides(ctx, schedule)))
    return found


def horizon_overrides(ctx: Context, schedule: m.Schedule) -> list[Segment]:
    """The schedule's overrides over the horizon (``override_segments``), once per run."""
    found: list[Segment] = ctx.memo(f"oncall.overrides:{schedule.id}",
                                    lambda: override_segments(schedule, *horizon(ctx)))
    return found


#: from this many schedules to judge, composed in this many ways, a forked child deals, measures and
#: judges 9 of every 20 of them (schedules of few compositions and forms cost little: not worth a fork).
#: The fork costs CPU (the child's start, pickling the results back, two processes slowing each other
#: on shared cores): a tenth more at 2000-4000 realistic schedules, whose rules take 1-2 s in one
#: process; so it starts above that (was 2000)
PARALLEL_SCHEDULES = 8000
PARALLEL_COMPOSITIONS = 200


def _prepare(ctx: Context) -> None:
    """On a large repo, every judged schedule dealt, measured and judged up front, in two processes.

    What both need (zone clocks and tables, holidays, each schedule's
    overrides over the horizon) is made first, so the child inherits it.
    Only what the checks read comes back: the instants someone holds, the
    measures and the breaches, not each person's turns (five times as much
    to pickle and unpickle). Each result lands where :func:`horizon_held`,
    :func:`horizon_measures` and :func:`horizon_breaches` read it.
    """
    if "oncall.prepared" in ctx.cache:
        return
    ctx.cache["oncall.prepared"] = True
    schedules = [schedule for schedule in computed(ctx) if judged(schedule)]
    if len(schedules) < PARALLEL_SCHEDULES or available_cpus() < 2 or not may_fork():
        return
    start, end = horizon(ctx)
    if len({composition(ctx.repo, schedule, start) for schedule in schedules}) < PARALLEL_COMPOSITIONS:
        return
    _warm(ctx.repo, schedules, start, end)
    painted = {schedule.id: horizon_overrides(ctx, schedule) for schedule in schedules}

    def work(chunk: list[m.Schedule]) -> list[Judged]:
        found = []
        for schedule in chunk:
            dealt = person_turns(ctx.repo, schedule, start, end, painted[schedule.id])
            found.append((dealt.held, measures(ctx.repo, schedule, dealt.turns, start, end),
                          breaches(schedule, dealt.turns)))
        return found

    for schedule, (held, measured, broken) in zip(schedules, in_two(work, schedules), strict=True):
        ctx.cache[f"oncall.held:{schedule.id}"] = held
        ctx.cache[f"oncall.measures:{schedule.id}"] = measured
        ctx.cache[f"oncall.breaches:{schedule.id}"] = broken


#: what the checks read of a judged schedule: the instants someone holds, the measures, the breaches
Judged = tuple[tuple[Span, ...], dict[str, dict[str, float]], Breaches]


def _warm(repo: m.Repo, schedules: list[m.Schedule], start: int, end: int) -> None:
    """Make the zone clocks, day tables and holiday tables the schedules need (before forking)."""
    places = set()
    for schedule in schedules:
        plan = rotation(repo, schedule)
        for layer in plan.layers if plan is not None else ():
            zone_clock(layer.timezone, start, end)
            for pid in layer.members:
                person = repo.people.get(pid)
                if person is not None:
                    places.add((person.timezone, person.country, person.subdivision))
    for zone, country, subdivision in places:
        table = zone_days(zone, start, end)
        if country:
            table.holidays([], country, subdivision)


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
        _prepare(ctx)
        handed: Sequence[Span] | None = ctx.cache.get(f"oncall.held:{schedule.id}")
        return handed if handed is not None else _dealt(ctx, schedule).held
    found = held_spans(ctx.repo, schedule, *horizon(ctx))
    if found is None:
        return union((segment.start, segment.end) for segment in horizon_segments(ctx, schedule))
    return found


def when(micros: int, zone: str) -> str:
    """An instant in ``zone`` with its offset, to the minute (seconds when it has them)."""
    return format_instant(from_micros(micros), zone)


def horizon_text(ctx: Context) -> str:
    """``90-day horizon`` (or the duration when not whole days)."""
    span = horizon_span(ctx)
    if span == timedelta(days=span.days):
        return f"{span.days}-day horizon"
    return f"{format_duration(span)} horizon"


def anchor(schedule: m.Schedule, *path: str) -> Location:
    """The key at ``path`` when the schedule's file writes it, else the schedule's ``id`` key.

    Kept per schedule and path: a schedule's burnout and fairness findings (one per
    person, one per measure) share a few places, each found by reading its file.
    """
    written = path if writes(schedule, *path) else ("id",)
    key = (id(schedule), written)
    kept = _ANCHORS.get(key)
    if kept is not None and kept[0] is schedule:
        return kept[1]
    where = schedule.src.at(*written, key=True)
    _ANCHORS[key] = (schedule, where)  # holding the schedule keeps its id from being reused
    if len(_ANCHORS) > 1 << 14:
        del _ANCHORS[next(iter(_ANCHORS))]
    return where


_ANCHORS: dict[tuple[int, tuple[str, ...]], tuple[m.Schedule, Location]] = {}


def writes(schedule: m.Schedule, *path: str) -> bool:
    """True when the schedule's file writes the key at ``path`` itself (not inherited from opsrepo.yaml)."""
    data = schedule.src.document.data
    for part in path:
        if not isinstance(data, dict) or part not in data:
            return False
        data = data[part]
    return True
