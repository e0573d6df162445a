"""Escalation policies: targets resolve, delays are sane, chains reach someone (OPS41x)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from opsrepo.errors import Cause, Diagnostic
from opsrepo.escalation.engine import (
    MAX_CHAIN,
    chain_length,
    nobody_length,
    policy_id_for,
    team_people,
    too_long,
)
from opsrepo.escalation.gaps import chain_gaps, complement, level_gaps
from opsrepo.escalation.request import display_zone
from opsrepo.model import EscalationLevel, EscalationPolicy, Repo, Service
from opsrepo.oncall.clock import from_micros
from opsrepo.oncall.intervals import Span
from opsrepo.rules import Context, rule, suggest, unloaded
from opsrepo.rules.schedules.common import horizon, horizon_held, horizon_span
from opsrepo.timeutil import format_duration, format_instant, get_zone

MIN_ESCALATE_AFTER = timedelta(minutes=1)


@rule("OPS410", "empty-team-target")
def team_targets_have_members(ctx: Context) -> Iterator[Diagnostic]:
    """A team: target names a team with members (else it notifies nobody)."""
    repo = ctx.repo
    for policy in repo.policies.values():
        for level in policy.levels:
            for index, target in enumerate(level.targets):
                if target.kind == "team" and target.id in repo.teams and not team_people(repo, target.id):
                    yield level.src.at("targets", index).error(
                        "OPS410", f"team '{target.id}' has no members, so this target notifies nobody",
                        f"add members to teams/{target.id}.yaml, or target a schedule or a person",
                    )


@rule("OPS411", "unknown-target")
def targets_exist(ctx: Context) -> Iterator[Diagnostic]:
    """Escalation targets name schedules, people and teams that exist."""
    repo = ctx.repo
    known: dict[str, Any] = {"schedule": repo.schedules, "person": repo.people, "team": repo.teams}
    for policy in repo.policies.values():
        for level in policy.levels:
            for index, target in enumerate(level.targets):
                ids = known[target.kind]
                cause = repo.broken_cause(target.kind, target.id)
                if cause is not None and target.id not in ids:
                    yield unloaded(level.src.at("targets", index), "OPS411", target.kind, target.id, cause)
                if target.id in ids or repo.is_broken(target.kind, target.id):
                    continue
                yield level.src.at("targets", index).error(
                    "OPS411", f"unknown {target.kind} '{target.id}' in target '{target}'",
                    suggest(target.id, ids, target.kind),
                )


@rule("OPS412", "unknown-policy")
def service_policies_exist(ctx: Context) -> Iterator[Diagnostic]:
    """A service's escalation_policy and severity_policies name escalation policies that exist."""
    repo = ctx.repo
    for service in repo.services.values():
        for policy_id, where in _policy_references(service):
            cause = repo.broken_cause("escalation", policy_id)
            if cause is not None and policy_id not in repo.policies:
                yield unloaded(service.src.at(*where), "OPS412", "escalation policy", policy_id, cause)
            if policy_id in repo.policies or repo.is_broken("escalation", policy_id):
                continue
            yield service.src.at(*where).error(
                "OPS412", f"unknown escalation policy '{policy_id}'",
                suggest(policy_id, repo.policies, "escalation policy (policies/escalation/<id>.yaml)"),
            )


def _policy_references(service: Service) -> Iterator[tuple[str, tuple[str, ...]]]:
    yield service.escalation_policy, ("escalation_policy",)
    for severity, policy_id in service.severity_policies.items():
        yield policy_id, ("severity_policies", severity)


@rule("OPS413", "escalate-after-too-short")
def delays_long_enough(ctx: Context) -> Iterator[Diagnostic]:
    """Every level waits at least one minute (escalate_after) before escalating."""
    for policy in ctx.repo.policies.values():
        for level in policy.levels:
            if level.escalate_after < MIN_ESCALATE_AFTER:
                yield level.src.at("escalate_after").error(
                    "OPS413", f"escalate_after is {format_duration(level.escalate_after)}; a level must wait "
                    "at least 1m before the next one is notified",
                    "give responders time to acknowledge: 5m is common",
                )


@rule("OPS420", "chain-too-long")
def chains_end(ctx: Context) -> Iterator[Diagnostic]:
    """A policy's whole chain, every level and repeat, lasts at most 30 days."""
    for policy in ctx.repo.policies.values():
        if too_long(policy):
            yield policy.src.at("levels", key=True).error(
                "OPS420", f"policy '{policy.id}' escalates for {format_duration(chain_length(policy))}, "
                f"longer than the {MAX_CHAIN.days} days opsrepo runs a chain",
                "shorten the levels' escalate_after, or repeat the chain fewer times")


@rule("OPS414", "level-reaches-nobody")
def levels_reach_someone(ctx: Context) -> Iterator[Diagnostic]:
    """A level reaches someone at every instant of the horizon (its schedules are never all empty)."""
    gaps_of = horizon_gaps(ctx)
    for policy in ctx.repo.policies.values():
        if ctx.repo.is_partial(policy):
            continue
        for level in policy.levels:
            gaps = level_gaps(ctx.repo, level, gaps_of)
            if gaps:
                yield level.src.at("targets").warning(
                    "OPS414", f"level {level.index + 1} of policy '{policy.id}' reaches nobody from "
                    f"{_span(ctx, level, gaps)}: {_who(level)} nobody on call",
                    _nobody_hint(policy),
                ).because(_level_cause(ctx.repo, [level]))


@rule("OPS415", "chain-reaches-nobody")
def chains_reach_someone(ctx: Context) -> Iterator[Diagnostic]:
    """An alert triggered at any instant of the horizon reaches someone at some level of its chain."""
    repo, gaps_of = ctx.repo, horizon_gaps(ctx)
    start, end = horizon(ctx)
    for policy in repo.policies.values():
        if repo.is_partial(policy):
            continue
        gaps = chain_gaps(repo, policy, gaps_of, start, end)
        if gaps:
            span = _interval(gaps, display_zone(repo, policy),
                             ctx.now + horizon_span(ctx) - nobody_length(policy))
            yield policy.src.at("levels", key=True).error(
                "OPS415", f"an alert triggered from {span} reaches nobody: no level of "
                f"policy '{policy.id}' has anyone to notify when its turn comes",
                "add a level that always reaches someone (a person, a 24x7 schedule), "
                "or fix the schedules' gaps",
            ).because(_level_cause(repo, policy.levels))


def _level_cause(repo: Repo, levels: Iterable[EscalationLevel]) -> Cause | None:
    """The OPS214 that leaves a derived schedule these levels notify with nobody, if any."""
    from opsrepo.rules.schedules.structure import derive_cause

    for level in levels:
        for target in level.targets:
            schedule = repo.schedules.get(target.id) if target.kind == "schedule" else None
            cause = derive_cause(repo, schedule) if schedule is not None else None
            if cause is not None:
                return cause
    return None


@rule("OPS416", "acknowledge-before-escalation")
def escalation_within_acknowledge_target(ctx: Context) -> Iterator[Diagnostic]:
    """A paging severity's acknowledge target is not shorter than the first delay of a policy it uses."""
    repo = ctx.repo
    for severity in repo.severities:
        if not severity.pages:
            continue
        users: dict[str, list[str]] = {}
        for service in repo.services.values():
            users.setdefault(policy_id_for(service, severity.id), []).append(service.id)
        for policy_id, services in users.items():
            policy = repo.policies.get(policy_id)
            if policy is None or not policy.levels or repo.is_partial(policy):
                continue
            wait, target = policy.levels[0].escalate_after, severity.acknowledge_within
            if wait > target:
                yield policy.levels[0].src.at("escalate_after").warning(
                    "OPS416", f"{severity.id} must be acknowledged within {format_duration(target)}, but "
                    f"level 1 of policy '{policy.id}' waits {format_duration(wait)} before escalating "
                    f"(used for {severity.id} by {', '.join(services)})",
                    f"escalate after {format_duration(target)} or less, so the next level is paged "
                    "before the target is missed",
                )


@rule("OPS417", "tier1-not-24x7")
def tier1_reaches_24x7(ctx: Context) -> Iterator[Diagnostic]:
    """Every policy a tier-1 service uses notifies a 24x7-covered schedule at level 1."""
    repo = ctx.repo
    for service in repo.services.values():
        if service.tier != 1:
            continue
        for policy_id, where in _policy_references(service):
            policy = repo.policies.get(policy_id)
            if policy is None or not policy.levels or _first_level_24x7(repo, policy):
                continue
            yield service.src.at(*where).error(
                "OPS417", f"tier-1 service '{service.id}' escalates with policy '{policy.id}', whose level 1 "
                "notifies no schedule with 24x7 coverage",
                f"add a 24x7 schedule (coverage: 24x7) to level 1 of policy '{policy.id}'",
            )


def _first_level_24x7(repo: Repo, policy: EscalationPolicy) -> bool:
    for target in policy.levels[0].targets:
        schedule = repo.schedules.get(target.id) if target.kind == "schedule" else None
        if schedule is None and target.kind == "schedule" and repo.is_broken("schedule", target.id):
            return True  # its file's own diagnostic comes first
        if schedule is not None and schedule.coverage_24x7:
            return True
    return False


@rule("OPS418", "alert-runbook")
def alert_runbooks_exist(ctx: Context) -> Iterator[Diagnostic]:
    """Every alert's runbook exists under runbooks/."""
    repo = ctx.repo
    for alert in repo.alerts.values():
        cause = repo.broken_cause("runbook", alert.runbook)
        if cause is not None and alert.runbook not in repo.runbooks:
            yield unloaded(alert.src.at("runbook"), "OPS418", "runbook", alert.runbook, cause)
        if alert.runbook in repo.runbooks or repo.is_broken("runbook", alert.runbook):
            continue
        yield alert.src.at("runbook").error(
            "OPS418", f"alert '{alert.id}' names runbook '{alert.runbook}', which does not exist "
            f"(runbooks/{alert.runbook}.md)", suggest(alert.runbook, repo.runbooks, "runbook"),
        )


def horizon_gaps(ctx: Context) -> Callable[[str], list[Span]]:
    """Each schedule's gaps from now to the end of the validation horizon (memoised per run).

    Read from what the schedule rules (OPS3xx) find held over the same
    horizon, as the engine's integer instants: each schedule is computed once
    per validation, and only the gap a diagnostic shows becomes datetimes
    (:func:`_interval`).
    """
    start, end = horizon(ctx)

    def gaps(schedule_id: str) -> list[Span]:
        def make() -> list[Span]:
            return complement(horizon_held(ctx, ctx.repo.schedules[schedule_id]), start, end)

        made: list[Span] = ctx.memo(f"escalation.gaps:{schedule_id}", make)
        return made

    return gaps


def _span(ctx: Context, level: EscalationLevel, gaps: list[Span]) -> str:
    repo = ctx.repo
    zone = next((get_zone(repo.schedules[t.id].timezone) for t in level.targets
                 if t.kind == "schedule" and t.id in repo.schedules), get_zone(repo.org.timezone))
    return _interval(gaps, zone, ctx.now + horizon_span(ctx))


def _interval(gaps: list[Span], zone: ZoneInfo, limit: datetime) -> str:
    """The first gap (``to at least`` when it runs to ``limit``) and how many more there are.

    ``gaps`` are integer instants: only the first is shown, so only it becomes
    datetimes (a level's gaps over the horizon can number hundreds).
    """
    low, high = from_micros(gaps[0][0]), from_micros(gaps[0][1])
    start, end = format_instant(low, zone), format_instant(high, zone)
    if high >= limit:
        return f"{start} to at least {end} (the end of the horizon)"
    text = f"{start} to {end}"
    if len(gaps) > 1:
        text += f" (and {len(gaps) - 1} more time{'s' if len(gaps) > 2 else ''} within the horizon)"
    return text


def _nobody_hint(policy: EscalationPolicy) -> str:
    if policy.skips:
        return ("the chain skips it and notifies the next level at once (when_nobody: skip); add an "
                "always-reachable target (a person, a 24x7 schedule) if this level must page someone")
    return ("the chain waits escalate_after and moves on (when_nobody: wait); add an always-reachable target "
            "(a person, a 24x7 schedule) if alerts must not wait, or set when_nobody: skip")


def _who(level: EscalationLevel) -> str:
    schedules = [f"'{t.id}'" for t in level.targets if t.kind == "schedule"]
    return ("schedule " if len(schedules) == 1 else "schedules ") + " and ".join(schedules) + \
        (" has" if len(schedules) == 1 else " have")
