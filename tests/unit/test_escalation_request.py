"""From a service or alert, a severity and ``--at`` to a chain; unknown ids are usage errors."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from opsrepo.errors import OpsrepoError, UsageError
from opsrepo.escalation import EscalationRequest, plan
from opsrepo.escalation.engine import oncall_resolver
from opsrepo.load.repo import load_repo
from opsrepo.model import Repo
from tests.helpers import FIXTURES

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
REPO = load_repo(FIXTURES / "repos" / "escalation-handoff").repo


def nobody(schedule_id: str, at: datetime) -> str | None:
    return None


def ask(fields: dict[str, Any], repo: Repo = REPO) -> tuple[str | None, str, str, str]:
    """(severity, policy, at, zone) of the planned chain."""
    chain = plan(repo, EscalationRequest(now=NOW, **fields), nobody)
    return chain.severity, chain.policy.id, chain.at.isoformat(), chain.zone.key


@pytest.mark.parametrize(("fields", "expected"), [
    pytest.param({"service": "api"}, (None, "core", "2026-11-23T10:00:00+01:00", "Europe/Berlin"),
                 id="service-without-severity-uses-the-default-policy-now"),
    pytest.param({"service": "api", "severity": "SEV2"}, ("SEV2", "core", "2026-11-23T10:00:00+01:00", "Europe/Berlin"),
                 id="severity-without-override"),
    pytest.param({"service": "api", "severity": "SEV1"}, ("SEV1", "core-critical", "2026-11-23T10:00:00+01:00",
                                                          "Europe/Berlin"), id="per-severity-override"),
    pytest.param({"alert": "api-5xx"}, ("SEV2", "core", "2026-11-23T10:00:00+01:00", "Europe/Berlin"),
                 id="alert-brings-its-severity"),
    pytest.param({"alert": "api-down"}, ("SEV1", "core-critical", "2026-11-23T10:00:00+01:00", "Europe/Berlin"),
                 id="alert-severity-picks-the-override"),
    pytest.param({"alert": "api-down", "severity": "SEV3"}, ("SEV3", "core", "2026-11-23T10:00:00+01:00",
                                                             "Europe/Berlin"), id="severity-beats-the-alert's"),
    pytest.param({"service": "api", "severity": "sev1"}, ("SEV1", "core-critical", "2026-11-23T10:00:00+01:00",
                                                          "Europe/Berlin"), id="severity-in-any-case"),
    pytest.param({"alert": "reports-late"}, (None, "office", "2026-11-23T10:00:00+01:00", "Europe/Berlin"),
                 id="alert-without-severity"),
    pytest.param({"service": "api", "at": "2026-11-30T08:50"},
                 (None, "core", "2026-11-30T08:50:00+01:00", "Europe/Berlin"), id="naive-at-in-the-schedule-zone"),
    # the policy's schedule is in London: a naive --at is still the display zone's (the org's), as in oncall
    pytest.param({"service": "reports", "at": "2026-11-30T08:50"},
                 (None, "office", "2026-11-30T08:50:00+01:00", "Europe/Berlin"), id="naive-at-in-the-orgs-zone"),
    pytest.param({"service": "reports", "at": "2026-11-30T08:50", "tz": "Europe/London"},
                 (None, "office", "2026-11-30T08:50:00+00:00", "Europe/London"), id="naive-at-in-tz"),
    pytest.param({"service": "reports", "at": "2026-11-30T08:50", "environment": {"TZ": "Europe/London"}},
                 (None, "office", "2026-11-30T08:50:00+00:00", "Europe/London"), id="naive-at-in-dollar-tz"),
    pytest.param({"service": "reports", "at": "2026-11-30T08:50:00+01:00", "tz": "Europe/London"},
                 (None, "office", "2026-11-30T07:50:00+00:00", "Europe/London"), id="offset-at-shown-in-tz"),
    pytest.param({"service": "api", "at": "tomorrow 09:00"},
                 (None, "core", "2026-11-24T09:00:00+01:00", "Europe/Berlin"), id="at-tomorrow"),
    pytest.param({"service": "api", "at": "+13h"},
                 (None, "core", "2026-11-23T23:00:00+01:00", "Europe/Berlin"), id="at-in-13-hours"),
    pytest.param({"service": "api", "at": "2026-03-29T02:30"},
                 (None, "core", "2026-03-29T03:00:00+02:00", "Europe/Berlin"), id="at-in-a-dst-gap"),
])
def test_plan(fields: dict[str, Any], expected: tuple[str | None, str, str, str]) -> None:
    assert ask(fields) == expected


def test_now_is_cut_to_the_second() -> None:
    chain = plan(REPO, EscalationRequest(now=datetime(2026, 11, 23, 9, 0, 1, 999, tzinfo=UTC), service="api"), nobody)
    assert chain.at.isoformat() == "2026-11-23T10:00:01+01:00"


@pytest.mark.parametrize(("fields", "message", "hint"), [
    ({}, "give exactly one of --service and --alert", "e.g. opsrepo escalate --service payments-api --severity SEV1"),
    ({"service": "api", "alert": "api-5xx"}, "give exactly one of --service and --alert",
     "e.g. opsrepo escalate --service payments-api --severity SEV1"),
    ({"service": "apj"}, "unknown service 'apj'", "did you mean 'api'?"),
    ({"service": "billing"}, "unknown service 'billing'", "known services: api, reports"),
    ({"alert": "api-500"}, "unknown alert 'api-500'", "did you mean 'api-5xx' or 'api-down'?"),
    ({"service": "api", "severity": "SEV4"}, "unknown severity 'SEV4'", "did you mean 'SEV1' or 'SEV2' or 'SEV3'?"),
    ({"service": "api", "severity": "critical"}, "unknown severity 'critical'", "known severities: SEV1, SEV2, SEV3"),
    ({"service": "api", "at": "next monday"}, "--at 'next monday' is not a time",
     "write an ISO 8601 instant (2026-06-01T09:00+02:00), a wall time (2026-06-01T09:00), now, today 18:00, "
     "tomorrow 09:00, sat 03:00, +7d, +13h or -2h; a wall time is read in Europe/Berlin (set by --tz, else $TZ, "
     "else the organisation's zone)"),
])
def test_usage_errors(fields: dict[str, str], message: str, hint: str) -> None:
    with pytest.raises(UsageError) as raised:
        ask(fields)
    assert (raised.value.message, raised.value.hint) == (message, hint)


def test_severity_without_a_matrix() -> None:
    from dataclasses import replace

    with pytest.raises(UsageError) as raised:
        ask({"service": "api", "severity": "SEV1"}, replace(REPO, severities=()))
    assert (raised.value.message, raised.value.hint) == (
        "unknown severity 'SEV1': the repo has no severity matrix", "define the levels in policies/severity.yaml")


def test_a_service_whose_policy_does_not_load_is_a_repo_error() -> None:
    from dataclasses import replace

    broken = replace(REPO, policies={k: v for k, v in REPO.policies.items() if k != "core-critical"})
    with pytest.raises(OpsrepoError) as raised:
        ask({"service": "api", "severity": "SEV1"}, broken)
    assert not isinstance(raised.value, UsageError)
    assert raised.value.message == ("service 'api' escalates for SEV1 with policy 'core-critical', "
                                    "which does not exist or does not load")


def test_the_chain_resolves_people_with_the_on_call_engine() -> None:
    request = EscalationRequest(now=NOW, service="api", at="2026-11-30T08:50")
    chain = plan(REPO, request, oncall_resolver(REPO))
    assert [(n.notify_at.strftime("%H:%M"), n.people) for n in chain.notifications] == [
        ("08:50", ("ben",)), ("08:55", ("ana",)), ("09:05", ("dan",)),
        ("09:20", ("cleo",)), ("09:25", ("ben",)), ("09:35", ("dan",)),   # Monday 09:00 handoff
    ]


def test_an_alert_whose_severity_is_not_in_the_matrix_still_escalates() -> None:
    from dataclasses import replace

    alert = replace(REPO.alerts["api-5xx"], severity="SEV9")
    repo = replace(REPO, alerts={**REPO.alerts, "api-5xx": alert})
    chain = plan(repo, EscalationRequest(now=NOW, alert="api-5xx"), nobody)
    assert (chain.severity, chain.level, chain.policy.id) == ("SEV9", None, "core")
