"""Typed, frozen records of an ops repo, built from validated documents.

Times are already parsed: durations are ``timedelta``, schedule times are
naive wall times (read in the schedule's or layer's zone), post-mortem
timelines are aware instants. ``src`` says where each record is written so
rules can point at the exact line.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from opsrepo.errors import Diagnostic, Location
from opsrepo.records import dataclass


@dataclass(frozen=True)
class Src:
    """Where a record is written: its document and its path inside it."""

    document: Any = field(compare=False, hash=False, repr=False)
    path: tuple[str | int, ...] = ()

    @property
    def file(self) -> str:
        """The relative path of the file."""
        return str(self.document.path)

    def at(self, *sub: str | int, key: bool = False) -> Location:
        """The location of a field below this record."""
        location: Location = self.document.location(*self.path, *sub, key=key)
        return location


@dataclass(frozen=True)
class Limits:
    """Burnout limits; ``None`` means no limit (``null`` in a file switches a default off).

    The defaults are on: nobody on call more than 336 h (two full weeks) in any
    28 days, and at least 8 h of rest between two turns. Turns per 28 days
    depend on the turn length, so that limit has no default.
    """

    max_hours_28d: float | None = 336
    max_turns_28d: int | None = None
    min_rest: timedelta | None = timedelta(hours=8)


@dataclass(frozen=True)
class Fairness:
    """Largest allowed spread (max - min over a schedule's members).

    ``None``: the default, one turn's worth (see
    :func:`opsrepo.rules.schedules.load.default_bound`); infinity: unchecked
    (``null`` in a file).
    """

    nights: float | None = None
    weekends: float | None = None
    holidays: float | None = None


@dataclass(frozen=True)
class SlackTarget:
    """A Slack user group (its handle) or channel (its ID) that follows who is on call in ``schedules``."""

    name: str
    schedules: tuple[str, ...]
    src: Src


@dataclass(frozen=True)
class SlackConfig:
    """``slack:`` in ``opsrepo.yaml``: user groups, channel topics, the handoff channel (never a token)."""

    user_groups: tuple[SlackTarget, ...] = ()
    topics: tuple[SlackTarget, ...] = ()
    handoff_channel: str | None = None


@dataclass(frozen=True)
class Org:
    """``opsrepo.yaml``."""

    name: str
    timezone: str
    src: Src
    github_repo: str | None = None
    github_base_url: str | None = None
    site_title: str = "On-call"
    site_base_url: str | None = None
    repo_url: str | None = None
    branch: str = "main"
    horizon: timedelta = timedelta(days=90)
    limits: Limits = Limits()
    fairness: Fairness = Fairness()
    notice: timedelta = timedelta(days=7)
    repeat_window: timedelta = timedelta(days=180)
    review_every: timedelta = timedelta(days=180)
    actions_label: str = "postmortem-action"
    remind_every: timedelta = timedelta(days=7)
    #: the vendor ``opsrepo apply`` keeps in step (``apply.vendor``); None: apply is not configured
    apply_vendor: str | None = None
    #: how far ahead apply writes overrides (``apply.horizon``)
    apply_horizon: timedelta = timedelta(days=28)
    #: ``None``: no pay rules (``opsrepo report pay`` shows hours only)
    pay: PayConfig | None = None
    slack: SlackConfig = SlackConfig()
    #: calendar feeds cover this many calendar months from the start of the current one
    calendar_months: int = 6
    #: person feeds remind this long before each shift (VALARM); empty: no reminders
    calendar_alarms: tuple[timedelta, ...] = (timedelta(hours=1),)
    #: the notification channels declared in opsrepo.yaml (channel -> where it goes); None: none declared
    channels: Mapping[str, str] | None = field(default=None, compare=False)
    #: where the Prometheus rule files are (globs), and whether opsrepo.yaml says so
    alert_paths: tuple[str, ...] = ("alerts/**/*.y*ml",)
    alert_paths_set: bool = False
    #: values of an alert's severity label that are not level ids -> the level each stands for
    severity_labels: Mapping[str, str] = field(default_factory=dict, compare=False)


@dataclass(frozen=True)
class TimeOff:
    """A person's absence as half-open wall times ``[start, end)`` in their zone."""

    start: datetime
    end: datetime
    reason: str | None
    src: Src


@dataclass(frozen=True)
class Person:
    """Someone who can be on call."""

    id: str
    name: str
    timezone: str
    team: str
    src: Src
    email: str | None = None
    github: str | None = None
    country: str | None = None
    subdivision: str | None = None
    phone: str | None = None
    time_off: tuple[TimeOff, ...] = ()


@dataclass(frozen=True)
class Alert:
    """An alert of a service and the runbook that answers it."""

    id: str
    service: str
    runbook: str
    src: Src
    summary: str | None = None
    severity: str | None = None


@dataclass(frozen=True)
class AlertRule:
    """A rule of a Prometheus rule file: an alerting rule (``alert``) or a recording rule (``record``)."""

    group: str
    src: Src
    alert: str | None = None
    record: str | None = None
    labels: Mapping[str, str] = field(default_factory=dict, compare=False)
    annotations: Mapping[str, str] = field(default_factory=dict, compare=False)
    for_: str | None = None
    #: the PromQL expression, as written
    expr: str | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Service:
    """A service a team owns."""

    id: str
    team: str
    escalation_policy: str
    src: Src
    name: str | None = None
    description: str | None = None
    tier: int | None = None
    severity_policies: Mapping[str, str] = field(default_factory=dict, hash=False)
    runbooks: tuple[str, ...] = ()
    alerts: tuple[Alert, ...] = ()
    repo: str | None = None

    @property
    def title(self) -> str:
        """The display name."""
        return self.name or self.id


@dataclass(frozen=True)
class Team:
    """A team: people it defines, members it counts, services it owns."""

    id: str
    name: str
    src: Src
    description: str | None = None
    chat: str | None = None
    people: tuple[str, ...] = ()
    members: tuple[str, ...] = ()
    services: tuple[str, ...] = ()


WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
ALL_DAYS = frozenset(range(7))


@dataclass(frozen=True)
class Window:
    """Active from ``start`` on each day in ``days`` (0 = Monday) until ``end``.

    When ``end <= start`` the window ends the next day; ``start == end`` is 24 h.
    """

    days: frozenset[int]
    start: time
    end: time

    @property
    def duration(self) -> timedelta:
        """Nominal length of one occurrence (wall clock)."""
        begin = self.start.hour * 60 + self.start.minute
        finish = self.end.hour * 60 + self.end.minute
        minutes = finish - begin if finish > begin else finish - begin + 24 * 60
        return timedelta(minutes=minutes)


#: the default night: 22:00-06:00 (accounting's nights, and pay's weekday nights)
NIGHT_WINDOW = Window(ALL_DAYS, time(22), time(6))
#: the categories on-call time is split into for pay, in display order
PAY_CATEGORIES = ("weekday", "weekday_night", "weekend", "holiday")


@dataclass(frozen=True)
class PayRate:
    """The price of on-call time in one category: per hour, and per shift that has time in it."""

    per_hour: Decimal = Decimal(0)
    per_shift: Decimal = Decimal(0)


@dataclass(frozen=True)
class PayRule:
    """Rates for the schedules ``schedules`` names (``None``: every schedule no other rule names).

    ``overlap`` ``once``: time also held on another schedule is paid once, by
    the first rule; ``each``: this rule's schedules are paid on top, each one.
    """

    name: str
    index: int
    rates: Mapping[str, PayRate] = field(hash=False)
    src: Src
    schedules: tuple[str, ...] | None = None
    overlap: str = "once"


@dataclass(frozen=True)
class PayConfig:
    """``pay:`` in ``opsrepo.yaml``: the currency, the weekday-night window and the rules."""

    currency: str
    rules: tuple[PayRule, ...]
    src: Src
    night: Window = NIGHT_WINDOW

    def rule_for(self, schedule_id: str) -> PayRule | None:
        """The rule that prices ``schedule_id``: the first naming it, else the first naming none."""
        for rule in self.rules:
            if rule.schedules is not None and schedule_id in rule.schedules:
                return rule
        return next((rule for rule in self.rules if rule.schedules is None), None)


@dataclass(frozen=True)
class Layer:
    """One rotation of a schedule; times are wall times in ``timezone``."""

    name: str
    index: int
    members: tuple[str, ...]
    start: datetime
    length: timedelta
    timezone: str
    src: Src
    end: datetime | None = None
    restrictions: tuple[Window, ...] = ()


@dataclass(frozen=True)
class Override:
    """``person`` is on call ``[start, end)`` (wall times in the schedule's zone)."""

    person: str
    index: int
    start: datetime
    end: datetime
    src: Src
    reason: str | None = None


@dataclass(frozen=True)
class Derive:
    """A schedule that follows ``source``'s rotations ``offset`` turns behind."""

    source: str
    offset: int = 1


@dataclass(frozen=True)
class Schedule:
    """An on-call schedule."""

    id: str
    name: str
    team: str
    timezone: str
    src: Src
    description: str | None = None
    #: windows that must be covered; ``None``: no coverage required
    coverage: tuple[Window, ...] | None = (Window(ALL_DAYS, time(0), time(0)),)
    coverage_24x7: bool = True
    time_off: str = "skip"
    limits: Limits = Limits()
    #: the org's fairness bounds with this schedule's own over them
    fairness: Fairness = Fairness()
    layers: tuple[Layer, ...] = ()
    overrides: tuple[Override, ...] = ()
    derive: Derive | None = None


@dataclass(frozen=True)
class PostmortemRule:
    """Whether a severity needs a post-mortem and how soon after resolution."""

    required: bool
    within: timedelta | None = None


@dataclass(frozen=True)
class SeverityLevel:
    """One row of the severity matrix; ``rank`` 0 is the most urgent."""

    id: str
    name: str
    rank: int
    pages: bool
    acknowledge_within: timedelta
    resolve_within: timedelta
    src: Src
    description: str | None = None
    impact: str | None = None
    examples: tuple[str, ...] = ()
    channels: tuple[str, ...] = ()
    update_every: timedelta | None = None
    roles: tuple[str, ...] = ()
    monitor_after_fix: timedelta | None = None
    postmortem: PostmortemRule = PostmortemRule(required=False)


@dataclass(frozen=True)
class Target:
    """An escalation target: ``schedule``, ``person`` or ``team`` and an id."""

    kind: str
    id: str

    def __str__(self) -> str:
        return f"{self.kind}:{self.id}"


@dataclass(frozen=True)
class EscalationLevel:
    """One level: notify ``targets``, wait ``escalate_after`` for an acknowledgement."""

    index: int
    targets: tuple[Target, ...]
    escalate_after: timedelta
    src: Src
    name: str | None = None


#: what a level that reaches nobody does when the policy does not say: waits its escalate_after
#: (the SPEC's wording, GoAlert and Grafana OnCall); ``skip`` notifies the next level at once (PagerDuty)
WHEN_NOBODY_DEFAULT = "wait"


@dataclass(frozen=True)
class EscalationPolicy:
    """An ordered chain of levels, run ``1 + repeat`` times."""

    id: str
    levels: tuple[EscalationLevel, ...]
    src: Src
    name: str | None = None
    description: str | None = None
    repeat: int = 0
    #: ``wait`` or ``skip``: see WHEN_NOBODY_DEFAULT
    when_nobody: str = WHEN_NOBODY_DEFAULT

    @property
    def skips(self) -> bool:
        """True when a level that reaches nobody hands over to the next level at once."""
        return self.when_nobody == "skip"


@dataclass(frozen=True)
class Runbook:
    """A runbook: front matter plus a Markdown body."""

    id: str
    title: str
    path: str
    body: str
    body_line: int
    src: Src
    team: str | None = None
    services: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    review_every: timedelta | None = None
    reviewed: date | None = None
    owner: str | None = None
    #: the Prometheus alerts this runbook answers (front matter ``alerts:``)
    alerts: tuple[str, ...] = ()


@dataclass(frozen=True)
class TimelineEvent:
    """A free timeline entry."""

    at: datetime
    text: str


@dataclass(frozen=True)
class Timeline:
    """Incident instants (aware)."""

    started: datetime
    resolved: datetime
    detected: datetime | None = None
    acknowledged: datetime | None = None
    mitigated: datetime | None = None
    events: tuple[TimelineEvent, ...] = ()

    MILESTONES = ("started", "detected", "acknowledged", "mitigated", "resolved")


@dataclass(frozen=True)
class ActionItem:
    """A follow-up of a post-mortem."""

    id: str
    postmortem: str
    title: str
    owner: str
    due: date
    priority: str
    kind: str
    src: Src


@dataclass(frozen=True)
class Postmortem:
    """A post-mortem: structured front matter plus prose."""

    id: str
    title: str
    severity: str
    services: tuple[str, ...]
    status: str
    timeline: Timeline
    path: str
    body: str
    body_line: int
    src: Src
    published: date | None = None
    lead: str | None = None
    authors: tuple[str, ...] = ()
    impact: str | None = None
    customers_affected: int | None = None
    root_cause_category: str | None = None
    root_cause_summary: str | None = None
    related: tuple[str, ...] = ()
    action_items: tuple[ActionItem, ...] = ()
    #: incident role -> the person who filled it
    roles: Mapping[str, str] = field(default_factory=dict, compare=False, hash=False)


@dataclass(frozen=True)
class Repo:
    """Everything that loaded cleanly, by id; broken documents are left out."""

    org: Org
    teams: Mapping[str, Team]
    people: Mapping[str, Person]
    services: Mapping[str, Service]
    alerts: Mapping[str, Alert]
    schedules: Mapping[str, Schedule]
    severities: tuple[SeverityLevel, ...]
    policies: Mapping[str, EscalationPolicy]
    runbooks: Mapping[str, Runbook]
    postmortems: Mapping[str, Postmortem]
    #: ids (by kind) whose documents or entries failed to load (id "*": unknown ids), each with the
    #: problem that stopped its whole file from loading (None: an entry left out of a file that loaded)
    broken: Mapping[tuple[str, str], Diagnostic | None] = field(default_factory=dict, compare=False)
    #: files built without the values at fault in them (see opsrepo.load.salvage): what the repo
    #: computes from them (turns, gaps, chains) may not be what their authors meant
    partial: frozenset[str] = frozenset()
    #: severity matrix present at all
    has_severity_matrix: bool = True
    #: the rules of the Prometheus rule files (alerts.paths), in file order
    alert_rules: tuple[AlertRule, ...] = ()
    #: every rule file found, loaded or not
    rule_files: tuple[str, ...] = ()

    def is_broken(self, kind: str, object_id: str) -> bool:
        """True when ``object_id`` may exist in a file that failed to load.

        References to it are then not reported: the file's own diagnostic says
        what to fix. ``kind`` is team, person, service, alert, schedule,
        escalation, severity, runbook or postmortem.
        """
        return (kind, object_id) in self.broken or (kind, "*") in self.broken

    def broken_cause(self, kind: str, object_id: str) -> Diagnostic | None:
        """The problem that stopped the file defining ``object_id`` from loading, when there is one."""
        return self.broken.get((kind, object_id))

    def is_partial(self, record: Any) -> bool:
        """True when ``record`` was built from a file some of whose values were left out."""
        return bool(self.partial) and record.src.file in self.partial

    def severity(self, level_id: str) -> SeverityLevel | None:
        """The severity level with this id."""
        for level in self.severities:
            if level.id == level_id:
                return level
        return None
