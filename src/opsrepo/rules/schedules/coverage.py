"""The declared coverage has someone on call at every instant of the horizon."""

from __future__ import annotations

from collections.abc import Iterator

from opsrepo.errors import Diagnostic
from opsrepo.oncall.coverage import coverage_gaps, describe_coverage
from opsrepo.rules import Context, rule
from opsrepo.rules.schedules.common import anchor, horizon, horizon_segments, horizon_text, when


@rule("OPS301", "coverage-gap")
def coverage_has_no_gap(ctx: Context) -> Iterator[Diagnostic]:
    """Someone is on call at every instant of the schedule's declared coverage within the horizon."""
    start, end = horizon(ctx)
    for schedule in ctx.repo.schedules.values():
        gaps = coverage_gaps(schedule, horizon_segments(ctx, schedule), start, end)
        if not gaps:
            continue
        (low, high), zone = gaps[0], schedule.timezone
        until = f"to {when(high, zone)}" if high < end else f"to at least {when(high, zone)} (the horizon)"
        yield anchor(schedule, "coverage").error(
            "OPS301", f"schedule '{schedule.id}' has nobody on call from {when(low, zone)} {until} inside "
            f"its declared coverage ({describe_coverage(schedule)}){_more(len(gaps) - 1, ctx)}",
            "add a layer or an override for that time, or narrow coverage to what the schedule must give")


def _more(count: int, ctx: Context) -> str:
    if not count:
        return ""
    if count == 1:
        return f", and 1 more gap follows within the {horizon_text(ctx)}"
    return f", and {count} more gaps follow within the {horizon_text(ctx)}"
