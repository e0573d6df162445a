"""What PagerDuty cannot express, in words for the plan: escalation when nobody is on call."""

from __future__ import annotations

from datetime import datetime, timedelta

from opsrepo.escalation.gaps import complement, level_gaps
from opsrepo.model import EscalationPolicy, Repo
from opsrepo.oncall import final_shifts
from opsrepo.timeutil import format_instant


def when_nobody(repo: Repo, policy: EscalationPolicy, start: datetime, end: datetime) -> str | None:
    """The note for a policy that waits on a level with nobody on call (PagerDuty moves on at once)."""
    if policy.skips:
        return None
    gaps: dict[str, list[tuple[datetime, datetime]]] = {}

    def gaps_of(schedule_id: str) -> list[tuple[datetime, datetime]]:
        if schedule_id not in gaps:
            busy = [(s.start, s.end) for s in final_shifts(repo, schedule_id, start, end)]
            gaps[schedule_id] = complement(busy, start, end)
        return gaps[schedule_id]

    for level in policy.levels:
        found = level_gaps(repo, level, gaps_of)
        if found:
            zone = repo.org.timezone
            first = found[0]
            return (
                f"when_nobody: wait has no PagerDuty equivalent: PagerDuty notifies the next level at once "
                f"when a level has nobody on call. Level {level.index + 1} reaches nobody from "
                f"{format_instant(first[0], zone)} to {format_instant(first[1], zone)}"
                + (
                    f" and {len(found) - 1} more time{'s' if len(found) > 2 else ''}"
                    if len(found) > 1
                    else ""
                )
                + " within the horizon: there PagerDuty escalates sooner than opsrepo shows"
            )
    return (
        "when_nobody: wait has no PagerDuty equivalent (PagerDuty notifies the next level at once when a "
        "level "
        "has nobody on call); no level of this policy reaches nobody within the horizon"
    )


def horizon_days(length: timedelta) -> str:
    """``28 days``."""
    days = length / timedelta(days=1)
    return f"{days:g} day{'s' if days != 1 else ''}"
