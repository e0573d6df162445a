"""The plan: every change that makes PagerDuty hold what the repo says, and what cannot be said.

Pure: made from what the repo wants (:mod:`opsrepo.apply.desired`), what the
account holds (:mod:`opsrepo.apply.observe`), the state file and the
adoptions. Overrides are planned apart (:mod:`opsrepo.apply.plan_overrides`),
as they need one more read for the schedules whose overrides changed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from opsrepo.apply.compare import describe, layer_changes, same_layers
from opsrepo.apply.desired import POLICY, SCHEDULE, SERVICE, Desired, WantPolicy, WantSchedule, WantService
from opsrepo.apply.observe import PdPolicy, PdSchedule, PdService, PdUser
from opsrepo.apply.overrides import Horizon, Uncovered
from opsrepo.apply.ownership import Ownership, resolve
from opsrepo.apply.pdmodel import Layer
from opsrepo.apply.state import State
from opsrepo.model import Repo

CREATE, UPDATE, DELETE, KEEP = "create", "update", "delete", "unchanged"
Want = WantSchedule | WantPolicy | WantService


@dataclass(frozen=True)
class Change:
    """One object: what happens to it, and in words why."""

    action: str
    kind: str
    id: str
    name: str
    pagerduty_id: str | None = None
    details: tuple[str, ...] = ()
    want: Want | None = None
    adopted: bool = False
    #: for a schedule: the ids of the layers it keeps, by position
    layer_ids: tuple[str | None, ...] = ()

    @property
    def writes(self) -> bool:
        """Whether this change sends a write."""
        return self.action != KEEP


@dataclass(frozen=True)
class Missing:
    """A person a write needs who has no PagerDuty user."""

    person: str
    name: str
    email: str | None


@dataclass(frozen=True)
class Note:
    """Something PagerDuty cannot express, or that opsrepo leaves as it is (``subject``: kind and id)."""

    subject: str
    text: str


@dataclass
class Plan:
    """Everything a run does, in order: schedules, overrides, policies, services, deletions."""

    horizon: Horizon
    changes: list[Change] = field(default_factory=list)
    overrides: list[object] = field(default_factory=list)
    missing: list[Missing] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    uncovered: list[tuple[str, Uncovered]] = field(default_factory=list)
    #: person id -> PagerDuty user id
    users: dict[str, str] = field(default_factory=dict)
    #: PagerDuty user id -> how a reader knows them
    names: dict[str, str] = field(default_factory=dict)

    @property
    def blocked(self) -> bool:
        """Whether nothing may be written (people without users, clashes, bad adoptions)."""
        return bool(self.missing or self.problems)

    def name(self, user_id: str) -> str:
        """How a reader knows a user."""
        return self.names.get(user_id, user_id)


@dataclass(frozen=True)
class Account:
    """What PagerDuty holds, by PagerDuty id."""

    users: tuple[PdUser, ...]
    schedules: Mapping[str, PdSchedule]
    policies: Mapping[str, PdPolicy]
    services: Mapping[str, PdService]


def match_users(repo: Repo, want: Desired, account: Account, plan: Plan) -> None:
    """Map every person a write names to a user by email; the others are missing."""
    by_email = {u.email.casefold(): u for u in account.users if u.email}
    for person_id in sorted(want.people()):
        person = repo.people.get(person_id)
        email = person.email if person else None
        found = by_email.get(email.casefold()) if email else None
        if found is None:
            plan.missing.append(Missing(person_id, person.name if person else person_id, email))
            continue
        plan.users[person_id] = found.id
        plan.names[found.id] = person.name if person else found.name
    for user in account.users:
        plan.names.setdefault(user.id, user.name or user.email)


def pd_layers(layers: tuple[Layer, ...], users: Mapping[str, str]) -> list[Layer]:
    """Layers with PagerDuty user ids (a missing person keeps a ``?`` name)."""
    return [
        Layer(
            layer.name,
            layer.start,
            layer.virtual_start,
            layer.turn_seconds,
            tuple(users.get(person, f"?{person}") for person in layer.users),
            layer.restrictions,
            layer.end,
        )
        for layer in layers
    ]


def plan_schedules(
    want: Desired, account: Account, state: State, adopt: Mapping[str, str], plan: Plan
) -> Ownership:
    """Create, update or keep every schedule; returns who owns what."""
    names = {key: s.name for key, s in want.schedules.items()}
    owned = resolve(SCHEDULE, names, account.schedules, state, adopt)
    plan.problems += owned.problems
    for key, wanted in want.schedules.items():
        match = owned.matches[key]
        layers = pd_layers(wanted.layers, plan.users)
        if match.pagerduty_id is None:
            created = tuple(
                f"layer {layer.name!r}: {describe(layer, plan.name, wanted.time_zone)}" for layer in layers
            )
            plan.changes.append(Change(CREATE, SCHEDULE, key, wanted.name, None, created, wanted))
            continue
        have = account.schedules[match.pagerduty_id]
        details = _fields(wanted.name, have.name, wanted.description, have.description)
        if wanted.time_zone != have.time_zone:
            details.append(f"time zone {have.time_zone} → {wanted.time_zone}")
        if not same_layers(layers, have.layers, wanted.time_zone, plan.horizon):
            details += layer_changes(layers, have.layers, wanted.time_zone, plan.horizon, plan.name)
        plan.changes.append(
            _change(
                SCHEDULE,
                key,
                wanted,
                match.pagerduty_id,
                details,
                match.adopted,
                tuple(layer.id for layer in have.layers),
            )
        )
        plan.changes += [
            Change(DELETE, SCHEDULE, key, account.schedules[d].name, d, ("a duplicate of the same schedule",))
            for d in match.duplicates
        ]
    return owned


def plan_policies(
    want: Desired, account: Account, state: State, adopt: Mapping[str, str], schedules: Ownership, plan: Plan
) -> Ownership:
    """Create, update or keep every escalation policy."""
    owned = resolve(POLICY, {key: p.name for key, p in want.policies.items()}, account.policies, state, adopt)
    plan.problems += owned.problems
    schedule_ids = {key: m.pagerduty_id for key, m in schedules.matches.items()}
    for key, wanted in want.policies.items():
        plan.problems += wanted.problems
        match = owned.matches[key]
        if match.pagerduty_id is None:
            plan.changes.append(
                Change(CREATE, POLICY, key, wanted.name, None, _rules_text(wanted, plan), wanted)
            )
            continue
        have = account.policies[match.pagerduty_id]
        details = _fields(wanted.name, have.name, wanted.description, have.description)
        if wanted.num_loops != have.num_loops:
            details.append(f"repeats {have.num_loops} → {wanted.num_loops}")
        rules = tuple(
            (
                r.delay_minutes,
                tuple((_kind(k), _target_id(k, i, schedule_ids, plan.users)) for k, i in r.targets),
            )
            for r in wanted.rules
        )
        if rules != tuple((r.delay_minutes, r.targets) for r in have.rules):
            details += ["levels: " + "; ".join(_rules_text(wanted, plan))]
        plan.changes.append(_change(POLICY, key, wanted, match.pagerduty_id, details, match.adopted))
    return owned


def plan_services(
    want: Desired, account: Account, state: State, adopt: Mapping[str, str], policies: Ownership, plan: Plan
) -> Ownership:
    """Create, update or keep every service's escalation policy."""
    owned = resolve(
        SERVICE, {key: s.name for key, s in want.services.items()}, account.services, state, adopt
    )
    plan.problems += owned.problems
    for key, wanted in want.services.items():
        match = owned.matches[key]
        policy_id = policies.matches[wanted.policy].pagerduty_id
        if match.pagerduty_id is None:
            plan.changes.append(
                Change(CREATE, SERVICE, key, wanted.name, None, (f"escalates with {wanted.policy}",), wanted)
            )
            continue
        have = account.services[match.pagerduty_id]
        details = _fields(wanted.name, have.name, wanted.description, have.description)
        if policy_id is None or have.policy != policy_id:
            details.append(f"escalation policy {have.policy or 'none'} → {wanted.policy}")
        plan.changes.append(_change(SERVICE, key, wanted, match.pagerduty_id, details, match.adopted))
    return owned


def _change(
    kind: str,
    key: str,
    wanted: Want,
    pd_id: str,
    details: list[str],
    adopted: bool,
    layer_ids: tuple[str | None, ...] = (),
) -> Change:
    action = UPDATE if details else KEEP
    return Change(action, kind, key, wanted.name, pd_id, tuple(details), wanted, adopted, layer_ids)


def _fields(name: str, old_name: str, text: str, old_text: str) -> list[str]:
    found = [f"name {old_name!r} → {name!r}"] if name != old_name else []
    if text.strip() != old_text.strip():
        found.append("description (with opsrepo's marker)")
    return found


def _kind(kind: str) -> str:
    return "user" if kind == "person" else kind


def _target_id(kind: str, ident: str, schedules: Mapping[str, str | None], users: Mapping[str, str]) -> str:
    if kind == "schedule":
        return schedules.get(ident) or f"?{ident}"
    return users.get(ident, f"?{ident}")


def _rules_text(wanted: WantPolicy, plan: Plan) -> tuple[str, ...]:
    found = []
    for number, rule in enumerate(wanted.rules, start=1):
        targets = ", ".join(
            f"schedule {i}" if k == "schedule" else plan.name(plan.users.get(i, i)) for k, i in rule.targets
        )
        found.append(f"level {number}: {targets or 'nobody'}, after {rule.delay_minutes} min")
    if wanted.num_loops:
        found.append(
            f"then the whole chain {wanted.num_loops} more time{'s' if wanted.num_loops != 1 else ''}"
        )
    return tuple(found)
