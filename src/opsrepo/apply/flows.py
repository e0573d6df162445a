"""The three operations of ``opsrepo apply pagerduty``: plan, apply and check.

Each takes the loaded repo, an :class:`~opsrepo.apply.api.Api`, the state and
the instant (the edge reads the clock and the files), and returns data for a
renderer; none prints.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from opsrepo.apply import observe
from opsrepo.apply.api import POLICIES, SCHEDULES, SERVICES, USERS, Api
from opsrepo.apply.check import Drift
from opsrepo.apply.deletions import plan_deletions
from opsrepo.apply.desired import POLICY, SCHEDULE, SERVICE, Desired, desired
from opsrepo.apply.execute import Outcome
from opsrepo.apply.notes import WAIT_QUIET, when_nobody
from opsrepo.apply.overrides import Horizon
from opsrepo.apply.ownership import Ownership
from opsrepo.apply.plan import (
    Account,
    Note,
    Plan,
    match_users,
    plan_policies,
    plan_schedules,
    plan_services,
)
from opsrepo.apply.plan_overrides import plan_schedule_overrides
from opsrepo.apply.state import State
from opsrepo.errors import OpsrepoError
from opsrepo.model import Repo
from opsrepo.oncall.clock import from_micros


@dataclass(frozen=True)
class Settings:
    """What a run needs besides the repo: now, the horizon, adoptions ((kind, id) -> PagerDuty id)."""

    now: datetime
    horizon: timedelta
    adopt: Mapping[tuple[str, str], str] = field(default_factory=dict)
    #: read every owned schedule's overrides instead of trusting the state file
    verify: bool = False


def refuse_broken(repo: Repo) -> None:
    """Stop when a file that decides what PagerDuty holds failed to load: its objects would look removed."""
    kinds = sorted(
        {
            kind
            for kind, _ in repo.broken
            if kind in ("org", "team", "person", "service", "schedule", "escalation")
        }
    )
    if kinds:
        raise OpsrepoError(
            f"the ops repo does not load cleanly ({', '.join(kinds)} files have errors)",
            "run 'opsrepo validate' and fix the errors, then apply again",
        )


def read_account(api: Api, horizon: Horizon, final: bool = False) -> Account:
    """Every user, schedule (layers, and overrides rendered over the horizon), policy and service."""
    since, until = from_micros(horizon.start), from_micros(horizon.until)
    params: dict[str, Any] = {"include[]": ["schedule_layers"]}
    if final:  # the rendered subschedules: costly for PagerDuty, read by --check only
        params = {"include[]": ["schedule_layers", "overrides_subschedule", "final_schedule"],
                  "since": _iso(since), "until": _iso(until)}
    schedules = [observe.schedule(raw, since) for raw in api.list_all(SCHEDULES, params)]
    return Account(
        users=tuple(observe.user(raw) for raw in api.list_all(USERS, {})),
        schedules={s.id: s for s in schedules},
        policies={p.id: p for p in (observe.policy(raw) for raw in api.list_all(POLICIES, {}))},
        services={s.id: s for s in (observe.service(raw) for raw in api.list_all(SERVICES, {}))},
    )


def make_plan(repo: Repo, api: Api, state: State, settings: Settings, account: Account | None = None) -> Plan:
    """Read PagerDuty and plan every change; writes nothing."""
    refuse_broken(repo)
    horizon = Horizon.from_now(settings.now, settings.horizon)
    want = desired(repo, horizon)
    account = account or read_account(api, horizon)
    plan = Plan(horizon)
    match_users(repo, want, account, plan)
    adopt = {
        kind: {k[1]: v for k, v in settings.adopt.items() if k[0] == kind}
        for kind in (SCHEDULE, POLICY, SERVICE)
    }
    schedules = plan_schedules(want, account, state, adopt[SCHEDULE], plan)
    policies = plan_policies(want, account, state, adopt[POLICY], schedules, plan)
    services = plan_services(want, account, state, adopt[SERVICE], policies, plan)
    plan.overrides = _overrides(want, account, state, schedules, plan, api, settings.verify)
    plan_deletions(account, want, schedules, policies, services, plan)
    _notes(repo, want, horizon, services, account, plan)
    return plan


def _overrides(
    want: Desired, account: Account, state: State, schedules: Ownership, plan: Plan, api: Api, verify: bool
) -> list[object]:
    found: list[object] = []
    since, until = from_micros(plan.horizon.start), from_micros(plan.horizon.end)

    def fetch(schedule_id: str) -> list[observe.PdOverride]:
        return [observe.override(raw) for raw in api.list_overrides(schedule_id, since, until)]

    for key, wanted in want.schedules.items():
        pd_id = schedules.matches[key].pagerduty_id
        have = account.schedules.get(pd_id) if pd_id else None
        item = plan_schedule_overrides(
            key, wanted.name, wanted.overrides, have, plan.users, state, plan.horizon, fetch, verify
        )
        found.append(item)
        plan.uncovered += [(key, gap) for gap in wanted.uncovered]
    return found


def _notes(
    repo: Repo, want: Desired, horizon: Horizon, services: Ownership, account: Account, plan: Plan
) -> None:
    for key, wanted in want.schedules.items():
        plan.notes += [Note(f"schedule {key}", text) for text in wanted.notes]
    start, end = from_micros(horizon.start), from_micros(horizon.until)
    quiet = []
    for key, policy in want.policies.items():
        plan.notes += [Note(f"escalation policy {key}", text) for text in policy.notes]
        note = when_nobody(repo, repo.policies[key], start, end, from_micros(horizon.end))
        if note:
            plan.notes.append(Note(f"escalation policy {key}", note))
        elif not repo.policies[key].skips:
            quiet.append(key)
    if quiet:
        subject = f"escalation polic{'ies' if len(quiet) > 1 else 'y'} {', '.join(quiet)}"
        plan.notes.append(Note(subject, WAIT_QUIET))
    for key, service in want.services.items():
        plan.notes += [Note(f"service {key}", text) for text in service.notes]
    del services, account


def _iso(value: datetime) -> str:
    return value.isoformat().replace("+00:00", "Z")


def apply(
    repo: Repo,
    api: Api,
    state: State,
    settings: Settings,
    save: Callable[[State], None],
    on_write: Callable[[str], None] = lambda line: None,
) -> tuple[Plan, Outcome]:
    """Plan, then (unless the plan is blocked) carry it out; the state is saved after every write."""
    from opsrepo.apply.execute import Executor

    plan = make_plan(repo, api, state, settings)
    if plan.blocked:
        return plan, Outcome()
    outcome = Executor(plan, api, state, save, settings.now, on_write).run()
    return plan, outcome


def check(repo: Repo, api: Api, state: State, settings: Settings) -> Drift:
    """Read PagerDuty with its rendered final schedules, plan, and list every difference."""
    from opsrepo.apply.check import drift

    refuse_broken(repo)
    horizon = Horizon.from_now(settings.now, settings.horizon)
    account = read_account(api, horizon, final=True)
    plan = make_plan(repo, api, state, settings, account)
    return drift(repo, plan, account, state, settings.horizon)
