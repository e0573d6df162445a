"""OPS410-OPS418: escalation targets resolve, delays are sane, chains reach someone, alerts have runbooks."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from opsrepo.oncall.clock import from_micros, to_micros
from opsrepo.rules import escalation
from opsrepo.timeutil import format_instant
from opsrepo.validate import validate_repo
from tests.helpers import MINIMAL, NOW, copy_repo, overlay


def diagnostics(tmp_path: Path, files: dict[str, Any]) -> list[list[Any]]:
    """Every diagnostic of the minimal repo with ``files`` overlaid: [code, file, line, column, message, hint]."""
    root = copy_repo(MINIMAL, tmp_path / "repo")
    overlay(root, files)
    return [[d.code, d.file, d.line, d.column, d.message, d.hint] for d in validate_repo(root, NOW).diagnostics]


def team(*services: str, people: str = "ana ben cleo") -> dict[str, str]:
    """teams/core.yaml with these people and services (flow mappings)."""
    listed = "".join(f"  - {{id: {p}, name: {p.title()}, timezone: Europe/Berlin}}\n" for p in people.split())
    return {"teams/core.yaml": f"id: core\nname: Core\npeople:\n{listed}members: [{', '.join(people.split())}]\n"
                               "services:\n" + "".join(f"  - {s}\n" for s in services)}


def policy(pid: str, *levels: str, repeat: int = 0) -> dict[str, str]:
    text = f"id: {pid}\nlevels:\n" + "".join(f"  - {level}\n" for level in levels)
    return {f"policies/escalation/{pid}.yaml": text + (f"repeat: {repeat}\n" if repeat else "")}


#: business hours in London, Monday to Friday 09:00-17:00; nobody otherwise
OFFICE = {"schedules/office.yaml": """\
id: office
name: Office
team: core
timezone: Europe/London
coverage: [{days: [mon, tue, wed, thu, fri], from: "09:00", to: "17:00"}]
layers:
  - name: weekly
    members: [ana, ben]
    start: "2026-01-05T09:00"
    length: 1w
    restrictions: [{days: [mon, tue, wed, thu, fri], from: "09:00", to: "17:00"}]
"""}
NOBODY_HINT = ("the chain waits escalate_after and moves on (when_nobody: wait); add an always-reachable target "
               "(a person, a 24x7 schedule) if alerts must not wait, or set when_nobody: skip")
OFFICE_GAP = "from 2026-11-23T17:00+00:00 to 2026-11-24T09:00+00:00 (and 64 more times within the horizon)"
API = "{id: api, tier: 2, escalation_policy: core, runbooks: [core/api-errors]}"

CASES: dict[str, tuple[dict[str, Any], list[list[Any]]]] = {
    "unknown-targets": (policy("core", "{targets: [schedule:core-primay, person:anna], escalate_after: 5m}",
                               "{targets: [team:cor, person:ana], escalate_after: 10m}"), [
        ["OPS411", "policies/escalation/core.yaml", 3, 16,
         "unknown schedule 'core-primay' in target 'schedule:core-primay'", "did you mean 'core-primary'?"],
        ["OPS411", "policies/escalation/core.yaml", 3, 38, "unknown person 'anna' in target 'person:anna'",
         "did you mean 'ana'?"],
        ["OPS411", "policies/escalation/core.yaml", 4, 16, "unknown team 'cor' in target 'team:cor'",
         "did you mean 'core'?"],
    ]),
    "team-target-without-members": ({**policy("core", "{targets: [schedule:core-primary], escalate_after: 5m}",
                                              "{targets: [team:empty], escalate_after: 10m}"),
                                     "teams/empty.yaml": "id: empty\nname: Empty\n"}, [
        ["OPS410", "policies/escalation/core.yaml", 4, 16, "team 'empty' has no members, so this target notifies nobody",
         "add members to teams/empty.yaml, or target a schedule or a person"],
    ]),
    "unknown-policies": (team("{id: api, escalation_policy: cor, severity_policies: {SEV1: crit, SEV2: core}, "
                              "runbooks: [core/api-errors]}"), [
        ["OPS412", "teams/core.yaml", 9, 34, "unknown escalation policy 'cor'", "did you mean 'core'?"],
        ["OPS412", "teams/core.yaml", 9, 65, "unknown escalation policy 'crit'",
         "check the spelling, or define the escalation policy (policies/escalation/<id>.yaml) first"],
    ]),
    # the reference is reported after its cause, and names it
    "references-into-an-unparsable-policy-name-the-parse-error": (
        {"policies/escalation/core.yaml": "id: core\nlevels: [\n"}, [
            ["OPS002", "policies/escalation/core.yaml", 3, 1,
             "YAML syntax error: a value is missing (a list or mapping is left open), or it starts with a "
         "character YAML reserves (the parser says: did not find expected node content (while parsing a flow "
         "node))",
             "check the indentation and quoting on this line and the one before it"],
            ["OPS412", "teams/core.yaml", 12, 24, "unknown escalation policy 'core': its definition in "
             "policies/escalation/core.yaml did not load (OPS002 on line 3)", "fix policies/escalation/core.yaml first"],
        ]),
    # the schema says it (OPS106) before any rule could
    "policies-and-levels-are-not-empty": ({**policy("core", "{targets: [], escalate_after: 5m}"),
                                           "policies/escalation/spare.yaml": "id: spare\nlevels: []\n"}, [
        ["OPS106", "policies/escalation/core.yaml", 3, 15, "levels[0].targets must not be empty",
         "give at least one value, or remove the key"],
        ["OPS106", "policies/escalation/spare.yaml", 2, 9, "levels must not be empty",
         "give at least one value, or remove the key"],
    ]),
    "escalate-after-under-a-minute": (policy("core", "{targets: [schedule:core-primary], escalate_after: 30s}",
                                             "{targets: [team:core], escalate_after: 0s}"), [
        ["OPS413", "policies/escalation/core.yaml", 3, 56,
         "escalate_after is 30s; a level must wait at least 1m before the next one is notified",
         "give responders time to acknowledge: 5m is common"],
        ["OPS413", "policies/escalation/core.yaml", 4, 44,
         "escalate_after is 0s; a level must wait at least 1m before the next one is notified",
         "give responders time to acknowledge: 5m is common"],
    ]),
    "a-level-that-reaches-nobody-names-the-first-instant": ({**OFFICE, **policy(
        "core", "{targets: [schedule:office], escalate_after: 5m}",
        "{targets: [schedule:office, schedule:core-primary], escalate_after: 10m}",
        "{targets: [schedule:office, person:ana], escalate_after: 10m}",
    )}, [
        ["OPS414", "policies/escalation/core.yaml", 3, 15,
         f"level 1 of policy 'core' reaches nobody {OFFICE_GAP}: schedule 'office' has nobody on call", NOBODY_HINT],
    ]),
    "a-chain-that-reaches-nobody-is-an-error": ({**OFFICE, **policy(
        "core", "{targets: [schedule:office], escalate_after: 5m}", repeat=2)}, [
        ["OPS415", "policies/escalation/core.yaml", 2, 1,
         "an alert triggered from 2026-11-23T17:00+00:00 to 2026-11-24T08:50+00:00 (and 64 more times within "
         "the horizon) reaches nobody: no level of policy 'core' has anyone to notify when its turn comes",
         "add a level that always reaches someone (a person, a 24x7 schedule), or fix the schedules' gaps"],
        ["OPS414", "policies/escalation/core.yaml", 3, 15,
         f"level 1 of policy 'core' reaches nobody {OFFICE_GAP}: schedule 'office' has nobody on call", NOBODY_HINT],
    ]),
    "a-level-empty-to-the-end-of-the-horizon": ({**policy(
        "core", "{targets: [schedule:core-primary], escalate_after: 5m}",
        "{targets: [schedule:later], escalate_after: 5m}", "{targets: [team:core], escalate_after: 5m}"),
        "schedules/later.yaml": "id: later\nname: Later\nteam: core\ncoverage: none\nlayers:\n"
                                "  - {name: w, members: [ana], start: \"2027-06-07T09:00\", length: 1w}\n"}, [
        ["OPS414", "policies/escalation/core.yaml", 4, 15,
         "level 2 of policy 'core' reaches nobody from 2026-11-23T10:00+01:00 to at least 2027-02-21T10:00+01:00 "
         "(the end of the horizon): schedule 'later' has nobody on call", NOBODY_HINT],
    ]),
    "acknowledge-target-shorter-than-the-first-delay": (
        {**policy("core", "{targets: [schedule:core-primary], escalate_after: 10m}",
                  "{targets: [team:core], escalate_after: 10m}"),
         **team(API, "{id: web, escalation_policy: core, runbooks: [core/api-errors]}")}, [
            ["OPS416", "policies/escalation/core.yaml", 3, 56,
             "SEV1 must be acknowledged within 5m, but level 1 of policy 'core' waits 10m before escalating "
             "(used for SEV1 by api, web)",
             "escalate after 5m or less, so the next level is paged before the target is missed"],
        ]),
    "tier-1-needs-a-24x7-schedule-at-level-1": (
        {**OFFICE, **policy("office", "{targets: [schedule:office, person:ana], escalate_after: 5m}"),
         **policy("lead", "{targets: [person:ana], escalate_after: 5m}"),
         **team("{id: api, tier: 1, escalation_policy: office, severity_policies: {SEV1: core, SEV2: lead}, "
                "runbooks: [core/api-errors]}")}, [
            ["OPS417", "teams/core.yaml", 9, 43, "tier-1 service 'api' escalates with policy 'office', whose level 1 "
             "notifies no schedule with 24x7 coverage",
             "add a 24x7 schedule (coverage: 24x7) to level 1 of policy 'office'"],
            ["OPS417", "teams/core.yaml", 9, 89, "tier-1 service 'api' escalates with policy 'lead', whose level 1 "
             "notifies no schedule with 24x7 coverage",
             "add a 24x7 schedule (coverage: 24x7) to level 1 of policy 'lead'"],
        ]),
    "tier-1-with-a-24x7-schedule-is-fine": (team(API.replace("tier: 2", "tier: 1")), []),
    "alert-runbook-exists": (team("{id: api, escalation_policy: core, runbooks: [core/api-errors], alerts: "
                                  "[{id: api-5xx, runbook: core/api-error}, {id: api-down, runbook: core/api-errors}]}"),
                             [["OPS418", "teams/core.yaml", 9, 101,
                               "alert 'api-5xx' names runbook 'core/api-error', which does not exist "
                               "(runbooks/core/api-error.md)", "did you mean 'core/api-errors'?"]]),
}


@pytest.mark.parametrize("name", CASES)
def test_escalation_rules(name: str, tmp_path: Path) -> None:
    files, expected = CASES[name]
    assert diagnostics(tmp_path, files) == expected


def test_the_minimal_repo_is_clean(tmp_path: Path) -> None:
    assert diagnostics(tmp_path, {}) == []


def _interval_of_datetimes(gaps: list[tuple[int, int]], zone: ZoneInfo, limit: datetime) -> str:
    """What the messages said before: every gap made datetimes, then the first shown and the rest counted."""
    instants = [(from_micros(low), from_micros(high)) for low, high in gaps]
    low, high = instants[0]
    start, end = format_instant(low, zone), format_instant(high, zone)
    if high >= limit:
        return f"{start} to at least {end} (the end of the horizon)"
    text = f"{start} to {end}"
    if len(instants) > 1:
        text += f" (and {len(instants) - 1} more time{'s' if len(instants) > 2 else ''} within the horizon)"
    return text


_GAP_STEPS = st.lists(st.tuples(st.integers(0, 10**11), st.integers(1, 10**11)), min_size=1, max_size=6)


@settings(max_examples=200, deadline=None)
@given(_GAP_STEPS, st.sampled_from(["UTC", "Europe/London", "America/Sao_Paulo", "Australia/Lord_Howe"]),
       st.integers(0, 8 * 10**11))
def test_a_gap_in_a_message_reads_as_when_every_gap_became_datetimes(
        steps: list[tuple[int, int]], zone: str, reach: int) -> None:
    base = to_micros(datetime(2026, 12, 7, 9, tzinfo=UTC))
    gaps, cursor = [], base
    for gap, length in steps:
        gaps.append((cursor + gap, cursor + gap + length))
        cursor += gap + length
    limit = from_micros(base + reach)
    assert escalation._interval(gaps, ZoneInfo(zone), limit) == _interval_of_datetimes(gaps, ZoneInfo(zone), limit)
