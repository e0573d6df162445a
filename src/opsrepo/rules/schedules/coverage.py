"""The declared coverage has someone on call at every instant of the horizon."""

from __future__ import annotations

from collections.abc import Iterator

from opsrepo.errors import Diagnostic
from opsrepo.oncall.coverage import coverage_gaps, describe_coverage
from opsrepo.oncall.engine import rotation
from opsrepo.rules import Context, rule
from opsrepo.rules.schedules.common import anchor, computed, horizon, horizon_held, horizon_text, when


@rule("OPS301", "coverage-gap")
def coverage_has_no_gap(ctx: Context) -> Iterator[Diagnostic]:
    """Someone is on call at every instant of the schedule's declared coverage within the horizon."""
    start, end = horizon(ctx)
    for schedule in computed(ctx):
        if schedule.derive is not None and rotation(ctx.repo, schedule) is None:
            continue  # OPS214 says why it has nobody
        gaps = coverage_gaps(schedule, horizon_held(ctx, schedule), start, end)
        if not gaps:
            continue
        (low, high), zone = gaps[0], schedule.timezone
        if high < end:
            span = f"from {when(low, zone)} to {when(high, zone)}"
        else:
            span = f"from {when(low, zone)} until past the end of the {horizon_text(ctx)} ({when(end, zone)})"
        yield anchor(schedule, "coverage").error(
            "OPS301", f"schedule '{schedule.id}' has nobody on call {span} inside its declared coverage "
            f"({describe_coverage(schedule)}){_more(len(gaps) - 1, ctx)}",
            "add a layer or an override for that time, or narrow coverage to what the schedule must give")


def _more(count: int, ctx: Context) -> str:
    if not count:
        return ""
    if count == 1:
        return f", and 1 more gap follows within the {horizon_text(ctx)}"
    return f", and {count} more gaps follow within the {horizon_text(ctx)}"
