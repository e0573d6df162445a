"""Owned objects no longer in the repo: which are deleted, and which stay because something still uses them.

PagerDuty refuses to delete a policy a service uses or a schedule a policy
targets; opsrepo plans that in advance and says why an object stays. A
service is never deleted (that would delete its incidents).
"""

from __future__ import annotations

from opsrepo.apply.desired import POLICY, SCHEDULE, Desired
from opsrepo.apply.ownership import Ownership
from opsrepo.apply.plan import DELETE, Account, Change, Note, Plan


def plan_deletions(
    account: Account,
    want: Desired,
    schedules: Ownership,
    policies: Ownership,
    services: Ownership,
    plan: Plan,
) -> None:
    """Owned policies and schedules no longer in the repo, unless something that stays still uses them."""
    service_policy = {s.id: s.policy for s in account.services.values()}
    for key, match in services.matches.items():
        if match.pagerduty_id:
            service_policy[match.pagerduty_id] = policies.matches[want.services[key].policy].pagerduty_id
    for key, pd_id in services.unwanted:
        plan.notes.append(
            Note(
                f"service {key}",
                f"is no longer in the repo; opsrepo never deletes a service "
                f"(deleting one deletes its incidents): delete {pd_id} by hand "
                "if you mean it",
            )
        )
    kept_policies: set[str] = set()
    for key, pd_id in policies.unwanted:
        users = sorted(s for s, p in service_policy.items() if p == pd_id)
        if users:
            kept_policies.add(pd_id)
            plan.notes.append(
                Note(
                    f"escalation policy {key}",
                    "is no longer in the repo but kept: PagerDuty "
                    f"service{'s' if len(users) > 1 else ''} {', '.join(users)} still use it",
                )
            )
        else:
            plan.changes.append(
                Change(DELETE, POLICY, key, account.policies[pd_id].name, pd_id, ("no longer in the repo",))
            )
    targeting = _schedule_users(account, want, policies, schedules, kept_policies)
    for key, pd_id in schedules.unwanted:
        users = sorted(targeting.get(pd_id, set()))
        if users:
            plan.notes.append(
                Note(
                    f"schedule {key}",
                    "is no longer in the repo but kept: escalation "
                    f"polic{'ies' if len(users) > 1 else 'y'} {', '.join(users)} still use it",
                )
            )
        else:
            plan.changes.append(
                Change(
                    DELETE, SCHEDULE, key, account.schedules[pd_id].name, pd_id, ("no longer in the repo",)
                )
            )


def _schedule_users(
    account: Account, want: Desired, policies: Ownership, schedules: Ownership, kept: set[str]
) -> dict[str, set[str]]:
    """Schedule id -> the policies that will still target it after the plan."""
    found: dict[str, set[str]] = {}
    owned = policies.owned_ids()
    for policy in account.policies.values():
        if policy.id not in owned or policy.id in kept:
            for kind, ident in (t for rule in policy.rules for t in rule.targets):
                if kind == "schedule":
                    found.setdefault(ident, set()).add(policy.id)
    for key, wanted in want.policies.items():
        for kind, ident in (t for rule in wanted.rules for t in rule.targets):
            pd_id = (
                schedules.matches[ident].pagerduty_id
                if kind == "schedule" and ident in schedules.matches
                else None
            )
            if pd_id:
                found.setdefault(pd_id, set()).add(key)
    return found
