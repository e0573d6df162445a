"""Rendering details of ``escalate``: offsets, instants, the nobody line."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import datetime, timedelta

import pytest

from opsrepo import model as m
from opsrepo.escalation import Chain, EscalationRequest, plan
from opsrepo.escalation.render import offset_label, offset_minutes, to_json, to_text
from opsrepo.model import Repo
from tests.unit.test_escalation_engine import policy, repo


@pytest.mark.parametrize(("offset", "minutes", "label"), [
    (timedelta(0), 0, "+0m"),
    (timedelta(minutes=5), 5, "+5m"),
    (timedelta(seconds=90), 1.5, "+1m30s"),
    (timedelta(hours=1, minutes=30), 90, "+1h30m"),
    (timedelta(days=1), 1440, "+1d"),
])
def test_offsets(offset: timedelta, minutes: float, label: str) -> None:
    assert offset_minutes(offset) == minutes
    assert type(offset_minutes(offset)) is type(minutes)
    assert offset_label(offset) == label


def _world(with_people: bool = True) -> Repo:
    world = repo("boss" if with_people else "", "primary")
    return replace(world, services={"api": m.Service("api", "t", "p", m.Src(None))},
                   policies={"p": policy(("schedule:primary", "90s"), ("person:boss", "5m"))})


def _chain(world: Repo, person: str | None) -> Chain:
    request = EscalationRequest(now=datetime.fromisoformat("2026-11-30T08:00Z"), service="api")
    return plan(world, request, lambda schedule_id, at: person)


def test_json_offsets_are_numbers_and_nobody_is_an_empty_list_with_the_reason() -> None:
    world = _world()
    assert json.loads(to_json(world, _chain(world, None)))["levels"] == [
        {"level": 1, "notify_at": "2026-11-30T09:00:00+01:00", "offset_minutes": 0,
         "targets": ["schedule:primary"], "people": [],
         # the schedule has no layers and the default 24x7 coverage: a gap, not off hours
         "unreached": [{"target": "schedule:primary", "reason": "gap", "detail": "nobody on call",
                        "coverage_resumes": None}],
         "skipped": False},
        {"level": 2, "notify_at": "2026-11-30T09:01:30+01:00", "offset_minutes": 1.5,
         "targets": ["person:boss"], "people": ["boss"], "unreached": [], "skipped": False},
    ]


def test_json_of_a_skipped_level_and_a_target_that_is_not_a_schedule() -> None:
    world = replace(_world(with_people=False),
                    policies={"p": policy(("schedule:primary", "90s"), ("person:boss", "5m"), when_nobody="skip")})
    assert json.loads(to_json(world, _chain(world, None)))["levels"] == [
        {"level": 1, "notify_at": "2026-11-30T09:00:00+01:00", "offset_minutes": 0,
         "targets": ["schedule:primary"], "people": [],
         "unreached": [{"target": "schedule:primary", "reason": "gap", "detail": "nobody on call",
                        "coverage_resumes": None}],
         "skipped": True},
        {"level": 2, "notify_at": "2026-11-30T09:00:00+01:00", "offset_minutes": 0,
         "targets": ["person:boss"], "people": [],
         "unreached": [{"target": "person:boss", "reason": "other", "detail": "unknown person 'boss'",
                        "coverage_resumes": None}],
         "skipped": True},
    ]


def test_text_when_nobody_is_ever_reached() -> None:
    world = _world(with_people=False)
    assert to_text(world, _chain(world, None)).splitlines()[-5:] == [
        "offset  time (Europe/Berlin)  level  target            people",
        # the schedule has no layers and the default 24x7 coverage: a gap, not off hours
        "+0m     Mon 30 Nov 09:00 CET  1      schedule:primary  NOBODY (a gap in its coverage)",
        "+1m30s  Mon 30 Nov 09:01 CET  2      person:boss       NOBODY (unknown person 'boss')",
        "",
        "Nobody is reached by this chain: every level resolves to nobody.",
    ]


def test_text_names_people_and_the_first_reached() -> None:
    world = _world()
    assert to_text(world, _chain(world, "boss")).splitlines() == [
        "Escalation of api triggered Mon 2026-11-30 09:00 CET (now)",
        "Severity: none given (default policy of api; channels depend on the severity)",
        "Policy:   p: 2 levels; 2 notifications over 1m30s; a level that reaches nobody waits its escalate_after "
        "(when_nobody: wait)",
        "",
        "offset  time (Europe/Berlin)  level  target            people",
        "+0m     Mon 30 Nov 09:00 CET  1      schedule:primary  Boss",
        "+1m30s  Mon 30 Nov 09:01 CET  2      person:boss       Boss",
        "",
        "First reached: Boss at +0m (level 1).",
    ]


def test_text_of_a_skipped_level_says_the_next_is_notified_at_once() -> None:
    world = replace(_world(), policies={"p": policy(("schedule:primary", "90s"), ("person:boss", "5m"),
                                                    when_nobody="skip")})
    assert to_text(world, _chain(world, None)).splitlines()[2:] == [
        "Policy:   p: 2 levels; 2 notifications over 0s; a level that reaches nobody skipped at once "
        "(when_nobody: skip)",
        "",
        "offset  time (Europe/Berlin)  level  target            people",
        "+0m     Mon 30 Nov 09:00 CET  1      schedule:primary  NOBODY (a gap in its coverage); skipped: the next level is",
        "                                                       notified at once",
        "+0m     Mon 30 Nov 09:00 CET  2      person:boss       Boss",
        "",
        "First reached: Boss at +0m (level 2).",
    ]
