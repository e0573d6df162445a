"""From what the user asked (a service or an alert, a severity, an instant) to a chain."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from datetime import datetime
from zoneinfo import ZoneInfo

from opsrepo.errors import OpsrepoError, UnknownIdError, UsageError
from opsrepo.escalation.engine import Notification, Resolver, policy_id_for, run_policy
from opsrepo.instants import Clock, parse_when
from opsrepo.instants import display_zone as chosen_zone
from opsrepo.model import Alert, EscalationPolicy, Repo, Service, SeverityLevel
from opsrepo.records import dataclass
from opsrepo.timeutil import get_zone


@dataclass(frozen=True)
class EscalationRequest:
    """``opsrepo escalate``'s question: exactly one of ``service`` and ``alert``."""

    now: datetime
    service: str | None = None
    alert: str | None = None
    severity: str | None = None
    #: ``--at`` as typed (:mod:`opsrepo.instants`: a wall time is in the display zone)
    at: str | None = None
    #: ``--tz`` as typed, and the environment (``$TZ``): the display and reading zone
    tz: str | None = None
    environment: Mapping[str, str] | None = None


@dataclass(frozen=True)
class Chain:
    """The answer: the escalation chain as it would run from ``at``."""

    service: Service
    alert: Alert | None
    #: the severity asked for (or the alert's), as written; ``None``: no severity
    severity: str | None
    #: its row of the severity matrix, when the matrix has it
    level: SeverityLevel | None
    policy: EscalationPolicy
    at: datetime
    #: the zone instants are shown in
    zone: ZoneInfo
    notifications: tuple[Notification, ...]
    #: when the question was asked (text output says how far ``at`` is from it)
    now: datetime | None = None


def plan(repo: Repo, request: EscalationRequest, resolver: Resolver) -> Chain:
    """Resolve the request's ids (``UsageError`` for unknown ones) and run the chain."""
    service, alert = _subject(repo, request)
    given = _spelled_as_in_matrix(repo, request.severity)
    severity = given if given is not None else (alert.severity if alert else None)
    level = _severity(repo, severity, given=given is not None)
    policy = _policy(repo, service, severity)
    zone = get_zone(chosen_zone(request.tz, request.environment or {}, repo.org.timezone))
    at = _instant(request, zone)
    return Chain(service, alert, severity, level, policy, at, zone, run_policy(repo, policy, at, resolver),
                 request.now)


def _subject(repo: Repo, request: EscalationRequest) -> tuple[Service, Alert | None]:
    if (request.service is None) == (request.alert is None):
        raise UsageError("give exactly one of --service and --alert",
                         "e.g. opsrepo escalate --service payments-api --severity SEV1")
    if request.alert is not None:
        alert = repo.alerts.get(request.alert)
        if alert is None:
            hint = close_matches(request.alert, repo.alerts, "alerts")
            raise UnknownIdError(f"unknown alert '{request.alert}'", hint)
        service = repo.services.get(alert.service)
        if service is None:  # pragma: no cover - alerts are built inside their service
            raise OpsrepoError(f"alert '{alert.id}' belongs to no service")
        return service, alert
    assert request.service is not None
    service = repo.services.get(request.service)
    if service is None:
        raise UnknownIdError(f"unknown service '{request.service}'",
                         close_matches(request.service, repo.services, "services"))
    return service, None


def _spelled_as_in_matrix(repo: Repo, severity: str | None) -> str | None:
    """``sev1`` means ``SEV1`` when only one level has that id in any case."""
    if severity is None or repo.severity(severity) is not None:
        return severity
    same = [level.id for level in repo.severities if level.id.casefold() == severity.casefold()]
    return same[0] if len(same) == 1 else severity


def _severity(repo: Repo, severity: str | None, *, given: bool) -> SeverityLevel | None:
    if severity is None:
        return None
    level = repo.severity(severity)
    if level is None and given:
        known = [s.id for s in repo.severities]
        if not known:
            raise UnknownIdError(f"unknown severity '{severity}': the repo has no severity matrix",
                             "define the levels in policies/severity.yaml")
        hint = close_matches(severity, known, "severities", ordered=True)
        raise UnknownIdError(f"unknown severity '{severity}'", hint)
    return level


def _policy(repo: Repo, service: Service, severity: str | None) -> EscalationPolicy:
    policy_id = policy_id_for(service, severity)
    policy = repo.policies.get(policy_id)
    if policy is None:
        why = f" for {severity}" if policy_id != service.escalation_policy else ""
        raise OpsrepoError(
            f"service '{service.id}' escalates{why} with policy '{policy_id}', "
            "which does not exist or does not load",
            "run 'opsrepo validate' and fix what it reports",
        )
    return policy


def display_zone(repo: Repo, policy: EscalationPolicy) -> ZoneInfo:
    """The zone of the policy's first schedule target (else the org's): validation's messages use it."""
    for level in policy.levels:
        for target in level.targets:
            schedule = repo.schedules.get(target.id) if target.kind == "schedule" else None
            if schedule is not None:
                return get_zone(schedule.timezone)
    return get_zone(repo.org.timezone)


def _instant(request: EscalationRequest, zone: ZoneInfo) -> datetime:
    if request.at is None:
        return request.now.replace(microsecond=0).astimezone(zone)
    at = parse_when(request.at.strip(), Clock(request.now, zone.key))
    return at.replace(microsecond=0).astimezone(zone)


def close_matches(word: str, known: Iterable[str], what: str, *, ordered: bool = False) -> str:
    """A hint naming the closest known ids, or listing them when none is close.

    Ids are shown sorted, or in their given order when ``ordered`` (severities: most urgent first).
    """
    names = list(known) if ordered else sorted(known)
    close = sorted(difflib.get_close_matches(word, names, n=3, cutoff=0.5), key=names.index)
    if close:
        return "did you mean " + " or ".join(f"'{name}'" for name in close) + "?"
    if not names:
        return f"the repo defines no {what}"
    shown = ", ".join(names[:12]) + (f" and {len(names) - 12} more" if len(names) > 12 else "")
    return f"known {what}: {shown}"
