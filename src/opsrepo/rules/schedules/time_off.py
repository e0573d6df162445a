"""Time off: flagged conflicts (``time_off: flag``) and overrides during someone's time off."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from opsrepo import model as m
from opsrepo.errors import Diagnostic
from opsrepo.oncall.clock import wall_micros
from opsrepo.oncall.engine import override_span
from opsrepo.oncall.intervals import Span
from opsrepo.oncall.load import time_off_conflicts
from opsrepo.rules import Context, rule
from opsrepo.rules.schedules.common import computed, horizon, horizon_overrides, horizon_segments, when


@rule("OPS304", "time-off-flagged")
def flagged_time_off(ctx: Context) -> Iterator[Diagnostic]:
    """In a schedule with ``time_off: flag``, nobody's turn meets their own time off."""
    for schedule in computed(ctx):
        if schedule.time_off != "flag":
            continue
        for conflict in time_off_conflicts(ctx.repo, horizon_segments(ctx, schedule), horizon(ctx)):
            if conflict.by_override:
                continue
            person = ctx.repo.people[conflict.person]
            for entry, spans in _by_entry(person, conflict.spans):
                yield entry.src.at().error(
                    "OPS304", f"{person.id} is on call in schedule '{schedule.id}' "
                    f"{_spans(spans, person.timezone)} during their time off{_reason(entry)}",
                    f"schedule '{schedule.id}' flags time off (time_off: flag): add an override for that "
                    "time, or set time_off: skip to have the next member cover it")


@rule("OPS305", "override-during-time-off")
def overrides_respect_time_off(ctx: Context) -> Iterator[Diagnostic]:
    """An override does not put someone on call during their own time off."""
    within = horizon(ctx)
    for schedule in computed(ctx):
        # overrides beat every layer: the final schedule's override pieces are the overrides themselves
        for conflict in time_off_conflicts(ctx.repo, horizon_overrides(ctx, schedule), within):
            person = ctx.repo.people[conflict.person]
            for override in schedule.overrides:
                low, high = override_span(schedule, override)
                clash = [(max(a, low), min(b, high)) for a, b in conflict.spans if a < high and b > low]
                if override.person == person.id and clash:
                    yield override.src.at().warning(
                        "OPS305", f"override puts {person.id} on call {_spans(clash, person.timezone)} "
                        "during their time off", "pick someone who is available, or move the time off")


def _by_entry(person: m.Person, spans: Sequence[Span]) -> Iterator[tuple[m.TimeOff, list[Span]]]:
    for entry in person.time_off:
        low, high = wall_micros(person.timezone, entry.start), wall_micros(person.timezone, entry.end)
        clash = [(max(a, low), min(b, high)) for a, b in spans if a < high and b > low]
        if clash:
            yield entry, clash


def _spans(spans: Sequence[Span], zone: str) -> str:
    text = f"from {when(spans[0][0], zone)} to {when(spans[0][1], zone)}"
    more = len(spans) - 1
    return text + (f" (and {more} more time{'s' if more > 1 else ''})" if more else "")


def _reason(entry: m.TimeOff) -> str:
    return f" ({entry.reason})" if entry.reason else ""
