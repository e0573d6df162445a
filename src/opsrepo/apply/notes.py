"""What PagerDuty cannot express, in words for the plan: escalation when nobody is on call."""

from __future__ import annotations

from datetime import datetime

from opsrepo.escalation.gaps import complement, level_gaps
from opsrepo.model import EscalationPolicy, Repo
from opsrepo.oncall import final_shifts
from opsrepo.timeutil import get_zone


def when_nobody(repo: Repo, policy: EscalationPolicy, start: datetime, end: datetime,
                reach: datetime | None = None) -> str | None:
    """The note for a policy that waits on a level that reaches nobody within the horizon.

    PagerDuty moves on at once from such a level. None when the policy skips,
    or when no level reaches nobody (:data:`WAIT_QUIET` then says it for all).
    """
    if policy.skips:
        return None
    gaps: dict[str, list[tuple[datetime, datetime]]] = {}

    def gaps_of(schedule_id: str) -> list[tuple[datetime, datetime]]:
        if schedule_id not in gaps:
            # computed to ``reach`` (where apply computed them already: the engine keeps them), cut at ``end``
            shifts = final_shifts(repo, schedule_id, start, reach or end)
            busy = [(s.start, min(s.end, end)) for s in shifts if s.start < end]
            gaps[schedule_id] = complement(busy, start, end)
        return gaps[schedule_id]

    for level in policy.levels:
        found = level_gaps(repo, level, gaps_of)
        if found:
            zone = repo.org.timezone
            more = f" and {len(found) - 1} more time{'s' if len(found) > 2 else ''}" if len(found) > 1 else ""
            return (
                "when_nobody: wait has no PagerDuty equivalent: PagerDuty notifies the next level at once "
                f"when a level has nobody on call. Level {level.index + 1} reaches nobody "
                f"{_local(found[0][0], zone)} → {_local(found[0][1], zone)} {zone}{more} within the horizon: "
                "there PagerDuty escalates sooner than opsrepo shows"
            )
    return None


WAIT_QUIET = (
    "when_nobody: wait has no PagerDuty equivalent (PagerDuty notifies the next level at once when a "
    "level has nobody on call); no level reaches nobody within the horizon, so nothing differs now"
)


def _local(instant: datetime, zone: str) -> str:
    return instant.astimezone(get_zone(zone)).strftime("%Y-%m-%d %H:%M")
