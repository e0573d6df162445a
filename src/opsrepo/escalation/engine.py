"""The escalation chain as it would run from one trigger instant (pure).

Who is on call is not computed here: a *resolver* ``(schedule_id, at) ->
person_id | None`` is passed in (the CLI and the rules build one on the on-call
engine; tests write their own), so the chain's timing logic is testable alone.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime, timedelta

from opsrepo.errors import OpsrepoError
from opsrepo.model import EscalationLevel, EscalationPolicy, Repo, Service, Target
from opsrepo.records import dataclass

#: who is on call on a schedule at an instant (``None``: nobody, a coverage gap)
Resolver = Callable[[str, datetime], "str | None"]
_INSTANT = timedelta(microseconds=1)


@dataclass(frozen=True)
class Reached:
    """One target of a notification and the people it resolved to.

    ``people`` is empty when the target reaches nobody; ``problem`` then says why.
    """

    target: Target
    people: tuple[str, ...]
    problem: str | None = None


@dataclass(frozen=True)
class Notification:
    """One level notified at one instant (repeats of the chain are separate notifications)."""

    level: int
    cycle: int
    notify_at: datetime
    offset: timedelta
    escalate_after: timedelta
    reached: tuple[Reached, ...]
    #: it reached nobody and the policy skips such a level (``when_nobody: skip``): the next one is at once
    skipped: bool = False

    @property
    def targets(self) -> tuple[Target, ...]:
        """The targets as written in the policy."""
        return tuple(r.target for r in self.reached)

    @property
    def people(self) -> tuple[str, ...]:
        """Everyone notified, each once, in target order."""
        return tuple(dict.fromkeys(person for r in self.reached for person in r.people))


def policy_id_for(service: Service, severity: str | None) -> str:
    """The policy a service escalates with: its per-severity override, else its default."""
    if severity is not None and severity in service.severity_policies:
        return service.severity_policies[severity]
    return service.escalation_policy


def schedule(policy: EscalationPolicy) -> Iterator[tuple[int, timedelta, EscalationLevel]]:
    """``(cycle, offset from the trigger, level)`` of every notification when every level reaches someone.

    Each level waits its own ``escalate_after`` from the moment it was notified;
    after the last level's delay the chain starts again, ``repeat`` more times.
    With ``when_nobody: skip`` a level that reaches nobody does not wait, so the
    offsets of a real run (:func:`run_policy`) can be earlier than these.
    """
    offset = timedelta(0)
    for cycle in range(policy.repeat + 1):
        for level in policy.levels:
            yield cycle, offset, level
            offset += level.escalate_after


def chain_length(policy: EscalationPolicy) -> timedelta:
    """From the trigger to the last notification."""
    offsets = [offset for _, offset, _ in schedule(policy)]
    return offsets[-1] if offsets else timedelta(0)


#: the longest chain opsrepo runs (OPS420): a page that keeps escalating for a month is a mistake, and a
#: chain of long levels repeated ten times would run past the last date a computer can write
MAX_CHAIN = timedelta(days=30)


def too_long(policy: EscalationPolicy) -> bool:
    """Whether the chain, every level and repeat, lasts longer than :data:`MAX_CHAIN`."""
    return chain_length(policy) > MAX_CHAIN


def nobody_length(policy: EscalationPolicy) -> timedelta:
    """From the trigger to the last notification of a run in which no level reaches anyone.

    With ``when_nobody: wait`` that is the whole chain; with ``skip`` every
    level is skipped at once, so all of them are notified at the trigger.
    """
    return timedelta(0) if policy.skips else chain_length(policy)


def run_policy(
    repo: Repo, policy: EscalationPolicy, at: datetime, resolver: Resolver,
) -> tuple[Notification, ...]:
    """Every notification of ``policy`` triggered at ``at``, in time order.

    Schedule targets resolve at the instant their level is notified, so a
    handoff in the middle of the chain is honoured. A level that reaches nobody
    waits its ``escalate_after`` (``when_nobody: wait``) or hands over to the
    next level at once (``skip``), also from the last level to the next repeat.
    """
    if too_long(policy):
        raise OpsrepoError(f"policy '{policy.id}' escalates for longer than {MAX_CHAIN.days} days",
                           "shorten its escalate_after or repeat (opsrepo validate reports it: OPS420)")
    found: list[Notification] = []
    offset = timedelta(0)
    for cycle in range(policy.repeat + 1):
        for level in policy.levels:
            reached = tuple(resolve_target(repo, target, at + offset, resolver) for target in level.targets)
            skipped = policy.skips and not any(r.people for r in reached)
            found.append(Notification(
                level=level.index + 1, cycle=cycle, notify_at=at + offset, offset=offset,
                escalate_after=level.escalate_after, reached=reached, skipped=skipped,
            ))
            if not skipped:
                offset += level.escalate_after
    return tuple(found)


def resolve_target(repo: Repo, target: Target, at: datetime, resolver: Resolver) -> Reached:
    """The people ``target`` reaches at ``at``."""
    if target.kind == "schedule":
        if target.id not in repo.schedules:
            return Reached(target, (), f"unknown schedule '{target.id}'")
        person = resolver(target.id, at)
        return Reached(target, (person,)) if person else Reached(target, (), "nobody on call")
    if target.kind == "person":
        if target.id not in repo.people:
            return Reached(target, (), f"unknown person '{target.id}'")
        return Reached(target, (target.id,))
    if target.kind == "team":
        team = repo.teams.get(target.id)
        if team is None:
            return Reached(target, (), f"unknown team '{target.id}'")
        people = team_people(repo, target.id)
        return Reached(target, people) if people else Reached(target, (), "the team has no members")
    return Reached(target, (), f"unknown target kind '{target.kind}'")


def team_people(repo: Repo, team_id: str) -> tuple[str, ...]:
    """Everyone a ``team:`` target notifies: the team's members (its own people if it lists none)."""
    team = repo.teams.get(team_id)
    if team is None:
        return ()
    return tuple(team.members or team.people)


def oncall_resolver(repo: Repo) -> Resolver:
    """A resolver on the on-call engine: the final person of a schedule at an instant."""
    from opsrepo import oncall

    def resolve(schedule_id: str, at: datetime) -> str | None:
        # the shift covering one microsecond: cheaper than on_call(), which also finds the shift's ends
        shifts = oncall.final_shifts(repo, schedule_id, at, at + _INSTANT)
        return shifts[0].person if shifts else None

    return resolve
