"""What PagerDuty should hold for an ops repo: schedules, escalation policies and services.

Pure: built from the loaded repo and the horizon, in opsrepo ids (people,
schedules, policies); PagerDuty ids are filled in when requests are made.
Every object opsrepo writes carries a marker at the end of its description,
``[opsrepo:<kind>:<id>]``, by which it is found again (a run that died after
creating it, a lost state file); :mod:`opsrepo.apply.observe` reads it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import timedelta

from opsrepo.apply.layers import schedule_layers
from opsrepo.apply.overrides import Horizon, Uncovered, Wanted, corrections
from opsrepo.apply.pdmodel import Layer
from opsrepo.escalation.engine import team_people
from opsrepo.model import EscalationPolicy, Repo, Schedule, Service
from opsrepo.oncall.clock import to_micros
from opsrepo.timeutil import format_duration

SCHEDULE, POLICY, SERVICE, OVERRIDE = "schedule", "escalation_policy", "service", "override"
#: the kinds as ``--adopt`` and the marker spell them
KIND_NAMES = {"schedule": SCHEDULE, "policy": POLICY, "escalation_policy": POLICY, "service": SERVICE}
MANAGED = "Managed by opsrepo: change it in the ops repo, not here."
#: "The targets an incident should be assigned to upon reaching this rule" (API: maxItems 10)
MAX_TARGETS = 10


def marker(kind: str, object_id: str) -> str:
    """The tag that makes an object opsrepo's: ``[opsrepo:schedule:payments-primary]``."""
    return f"[opsrepo:{kind}:{object_id}]"


def description(text: str | None, kind: str, object_id: str) -> str:
    """The object's description: the repo's text, a line for people, the marker."""
    lead = " ".join(text.split()) + "\n\n" if text else ""
    return f"{lead}{MANAGED} {marker(kind, object_id)}"


@dataclass(frozen=True)
class WantSchedule:
    """A schedule as PagerDuty should hold it (layer users are person ids)."""

    id: str
    name: str
    description: str
    time_zone: str
    layers: tuple[Layer, ...]
    overrides: tuple[Wanted, ...]
    uncovered: tuple[Uncovered, ...]
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class WantRule:
    """One level: ``targets`` are ``("schedule", id)`` or ``("person", id)``."""

    delay_minutes: int
    targets: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class WantPolicy:
    """An escalation policy as PagerDuty should hold it."""

    id: str
    name: str
    description: str
    num_loops: int
    rules: tuple[WantRule, ...]
    notes: tuple[str, ...] = ()
    #: what makes the policy impossible to write (blocks the plan)
    problems: tuple[str, ...] = ()


@dataclass(frozen=True)
class WantService:
    """A service and the policy it escalates with."""

    id: str
    name: str
    description: str
    policy: str
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Desired:
    """Everything, by opsrepo id."""

    schedules: dict[str, WantSchedule] = field(default_factory=dict)
    policies: dict[str, WantPolicy] = field(default_factory=dict)
    services: dict[str, WantService] = field(default_factory=dict)

    def people(self) -> set[str]:
        """Every person a write names: layer members, overrides, policy targets."""
        found = {user for s in self.schedules.values() for layer in s.layers for user in layer.users}
        found |= {o.person for s in self.schedules.values() for o in s.overrides}
        found |= {
            ident
            for p in self.policies.values()
            for r in p.rules
            for kind, ident in r.targets
            if kind == "person"
        }
        return found


def desired(repo: Repo, horizon: Horizon) -> Desired:
    """What PagerDuty should hold for ``repo`` over ``horizon``."""
    out = Desired()
    for schedule_id in sorted(repo.schedules):
        out.schedules[schedule_id] = want_schedule(repo, repo.schedules[schedule_id], horizon)
    for policy_id in sorted(repo.policies):
        out.policies[policy_id] = want_policy(repo, repo.policies[policy_id])
    for service_id in sorted(repo.services):
        service = repo.services[service_id]
        if service.escalation_policy in repo.policies:
            out.services[service_id] = want_service(service)
    return out


def want_schedule(repo: Repo, schedule: Schedule, horizon: Horizon) -> WantSchedule:
    """One schedule: its layers, and the overrides that make PagerDuty's final schedule opsrepo's."""
    layers, notes = schedule_layers(repo, schedule)
    wanted, uncovered = corrections(repo, schedule, layers, horizon)
    # a layer that ended is history: PagerDuty keeps ended layers; opsrepo neither writes nor compares them
    layers = [layer for layer in layers if layer.end is None or to_micros(layer.end) > horizon.start]
    return WantSchedule(
        schedule.id,
        schedule.name,
        description(schedule.description, SCHEDULE, schedule.id),
        schedule.timezone,
        tuple(layers),
        tuple(wanted),
        tuple(uncovered),
        tuple(notes),
    )


def want_policy(repo: Repo, policy: EscalationPolicy) -> WantPolicy:
    """One escalation policy; a ``team:`` target becomes its members (PagerDuty targets users, schedules)."""
    rules, notes, problems = [], [], []
    for level in policy.levels:
        targets: list[tuple[str, str]] = []
        for target in level.targets:
            if target.kind == "team":
                targets += [("person", person) for person in team_people(repo, target.id)]
            elif (target.kind == "schedule" and target.id in repo.schedules) or (
                target.kind == "person" and target.id in repo.people
            ):
                targets.append((target.kind, target.id))
            else:
                problems.append(
                    f"escalation policy {policy.id}, level {level.index + 1}: {target} is not in the "
                    "repo (run 'opsrepo validate')"
                )
        targets = list(dict.fromkeys(targets))
        if len(targets) > MAX_TARGETS:
            left = ", ".join(ident for _, ident in targets[MAX_TARGETS:])
            notes.append(
                f"level {level.index + 1} reaches {len(targets)} targets; PagerDuty takes {MAX_TARGETS} "
                f"a level: {left} are left out"
            )
            targets = targets[:MAX_TARGETS]
        minutes = math.ceil(level.escalate_after / timedelta(minutes=1))
        if timedelta(minutes=minutes) != level.escalate_after:
            notes.append(
                f"level {level.index + 1} waits {format_duration(level.escalate_after)}; PagerDuty counts "
                "whole "
                "minutes: "
                f"{minutes} min"
            )
        if not targets:
            problems.append(
                f"escalation policy {policy.id}, level {level.index + 1} reaches nobody: PagerDuty "
                "needs a target on every level"
            )
        rules.append(WantRule(minutes, tuple(targets)))
    return WantPolicy(
        policy.id,
        policy.name or policy.id,
        description(policy.description, POLICY, policy.id),
        policy.repeat,
        tuple(rules),
        tuple(notes),
        tuple(problems),
    )


def want_service(service: Service) -> WantService:
    """One service; PagerDuty gives a service one policy, so per-severity policies are named, not written."""
    notes = []
    if service.severity_policies:
        pairs = ", ".join(
            f"{severity} → {policy}" for severity, policy in sorted(service.severity_policies.items())
        )
        notes.append(
            f"per-severity policies ({pairs}) cannot be written: a PagerDuty service has one "
            f"escalation policy, {service.escalation_policy}"
        )
    return WantService(
        service.id,
        service.title,
        description(service.description, SERVICE, service.id),
        service.escalation_policy,
        tuple(notes),
    )
