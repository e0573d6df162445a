"""What a change to the ops repo does to people and policies: the pure comparison.

``diff_repos(before, after, now)`` compares two loaded repos (two git
revisions, read by ``opsrepo.git.revisions``) and returns a :class:`RepoDiff`:
moved turns per schedule over ``[now, now + horizon)``, each person's load
change, turns moved within the notice period, escalation chains, the severity
matrix, post-mortem action items and Prometheus alerts. Renderers live in ``opsrepo.diff.render``.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from opsrepo import model as m
from opsrepo.diff.actions import action_item_changes
from opsrepo.diff.alerts import alert_changes
from opsrepo.diff.model import RepoDiff, Side
from opsrepo.diff.policies import chain_changes, severity_changes
from opsrepo.diff.schedules import ScheduleComparison, ShiftSource, Window

#: how far ahead turns are compared unless ``--horizon`` says otherwise
DEFAULT_HORIZON = timedelta(days=60)

__all__ = ["DEFAULT_HORIZON", "RepoDiff", "Side", "diff_repos"]


def diff_repos(
    before: m.Repo,
    after: m.Repo,
    now: datetime,
    horizon: timedelta = DEFAULT_HORIZON,
    *,
    base: Side | None = None,
    head: Side | None = None,
    shifts: ShiftSource | None = None,
) -> RepoDiff:
    """Compare ``before`` with ``after`` as of ``now`` (aware); the notice period is ``after``'s."""
    if shifts is None:
        from opsrepo.oncall import final_shifts

        shifts = final_shifts
    notice = after.org.notice
    window = Window(now, now + horizon, now + notice)
    comparison = ScheduleComparison(before, after, window, shifts)
    schedules = comparison.schedule_diffs()
    return RepoDiff(
        base=base or Side("base"),
        head=head or Side("head"),
        start=window.start,
        end=window.end,
        notice=notice,
        org_zone=after.org.timezone,
        schedules=schedules,
        people=comparison.person_deltas(schedules),
        escalation=chain_changes(before, after),
        severity=severity_changes(before, after),
        action_items=action_item_changes(before, after),
        alerts=alert_changes(before, after),
    )
