"""The records of a diff between two revisions of an ops repo: data, not text.

Renderers (text, Markdown, JSON) all read these; nothing here formats output.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True)
class PersonRef:
    """A person as the diff shows them: id, display name and GitHub login."""

    id: str
    name: str
    github: str | None = None


@dataclass(frozen=True)
class Move:
    """``[start, end)`` (aware) was ``before``'s and becomes ``after``'s; ``None`` is nobody."""

    start: datetime
    end: datetime
    before: PersonRef | None
    after: PersonRef | None
    #: it starts within the org's notice period from now
    within_notice: bool = False

    @property
    def people(self) -> tuple[PersonRef, ...]:
        """Whoever gains or loses this time."""
        return tuple(p for p in (self.before, self.after) if p is not None)


@dataclass(frozen=True)
class ScheduleDiff:
    """The moved turns of one schedule; ``status`` is added, removed or changed."""

    id: str
    name: str
    timezone: str
    status: str
    moves: tuple[Move, ...]


@dataclass(frozen=True)
class Load:
    """How much on-call one person carries over the horizon."""

    hours: float = 0.0
    night_hours: float = 0.0
    #: nights (22:00-06:00 on the person's clock) with any on-call time
    nights: int = 0
    weekend_days: int = 0
    holidays: int = 0


@dataclass(frozen=True)
class PersonDelta:
    """One person's load before and after the change."""

    person: PersonRef
    before: Load
    after: Load


@dataclass(frozen=True)
class ChainTarget:
    """An escalation target with the name a reader knows it by."""

    kind: str
    id: str
    name: str


@dataclass(frozen=True)
class ChainLevel:
    """One level of a chain: whom it notifies and how long it waits."""

    targets: tuple[ChainTarget, ...]
    escalate_after: timedelta


@dataclass(frozen=True)
class Chain:
    """The escalation chain a service uses for one severity."""

    policy: str
    policy_name: str
    levels: tuple[ChainLevel, ...]
    repeat: int
    #: what a level that reaches nobody does: ``wait`` or ``skip``
    when_nobody: str = "wait"

    def shape(self) -> tuple[object, ...]:
        """What the chain does, without display names (a rename is not a change)."""
        return (tuple((tuple((t.kind, t.id) for t in level.targets), level.escalate_after)
                      for level in self.levels), self.repeat, self.when_nobody)


@dataclass(frozen=True)
class ChainChange:
    """A service's chain for ``severity`` ("default" when not overridden) before and after."""

    service: str
    service_name: str
    severity: str
    before: Chain | None
    after: Chain | None


@dataclass(frozen=True)
class FieldChange:
    """One field that differs; values are already display strings (``None``: absent)."""

    field: str
    before: str | None
    after: str | None


@dataclass(frozen=True)
class SeverityChange:
    """A severity level added, removed or changed (with the fields that changed)."""

    level: str
    name: str
    status: str
    fields: tuple[FieldChange, ...] = ()


@dataclass(frozen=True)
class ActionItemChange:
    """A post-mortem action item added, removed or changed."""

    postmortem: str
    item: str
    title: str
    status: str
    fields: tuple[FieldChange, ...] = ()


@dataclass(frozen=True)
class AlertChange:
    """A Prometheus alert (all the rules of one name) added, removed or changed.

    ``severity`` and ``runbook`` are the head's (the base's for a removed
    alert), one entry a rule in file order: ``SEV2 (pages), SEV0 (pages)``.
    """

    alert: str
    status: str
    severity: str
    runbook: str
    pages: bool
    fields: tuple[FieldChange, ...] = ()


@dataclass(frozen=True)
class Side:
    """One revision compared: its label and the load problems it has."""

    label: str
    problems: int = 0


@dataclass(frozen=True)
class RepoDiff:
    """Everything a change does to people and policies, over ``[start, end)``."""

    base: Side
    head: Side
    start: datetime
    end: datetime
    notice: timedelta
    schedules: tuple[ScheduleDiff, ...] = ()
    people: tuple[PersonDelta, ...] = ()
    escalation: tuple[ChainChange, ...] = ()
    severity: tuple[SeverityChange, ...] = ()
    action_items: tuple[ActionItemChange, ...] = ()
    alerts: tuple[AlertChange, ...] = ()
    #: the organisation's zone (``opsrepo.yaml`` of the new revision): a PR comment's default display zone
    org_zone: str = "UTC"

    @property
    def changed(self) -> bool:
        """True when anything a reviewer should see differs."""
        return bool(self.schedules or self.people or self.escalation or self.severity or self.action_items
                    or self.alerts)

    @property
    def notice_moves(self) -> list[tuple[ScheduleDiff, Move]]:
        """Moved turns that start within the notice period, by schedule."""
        return [(s, move) for s in self.schedules for move in s.moves if move.within_notice]

    @property
    def affected(self) -> list[PersonRef]:
        """Everyone whose turns move, in id order, once each."""
        found = {p.id: p for s in self.schedules for move in s.moves for p in move.people}
        return [found[key] for key in sorted(found)]
