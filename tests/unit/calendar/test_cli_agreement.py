"""``opsrepo oncall --at T`` (the command, JSON) names whom the files ``opsrepo calendar`` wrote show at T.

Both commands run through the CLI on the example ops repo (follow-the-sun, derived, business-hours schedules,
overrides and time off) and the oncall-basic fixture; the feeds are read back with icalendar and expanded by
hand (tests/unit/calendar/expand.py), the schedule feeds and the person feeds both.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from opsrepo.cli.main import cli
from tests.helpers import FIXTURES, ROOT
from tests.unit.calendar.expand import Expanded, expand

START, END = datetime(2026, 11, 1, tzinfo=UTC), datetime(2027, 5, 1, tzinfo=UTC)
REPOS = {"example": ROOT, "oncall-basic": FIXTURES / "repos" / "oncall-basic"}


def invoke(*arguments: str) -> str:
    result = CliRunner().invoke(cli, list(arguments), env={"OPSREPO_NOW": "2026-11-23T09:00:00Z"})
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.fixture(scope="module")
def feeds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[dict[str, list[Expanded]], list[Expanded]]]:
    """Per repo: each schedule's expanded feed, and every person feed's events together."""
    found = {}
    for name, root in REPOS.items():
        out = tmp_path_factory.mktemp(name)
        invoke("calendar", "--repo", str(root), "--from", START.isoformat(), "--to", END.isoformat(),
               "--out", str(out))
        schedules = {path.stem: expand(path.read_bytes()) for path in sorted((out / "schedules").glob("*.ics"))}
        people = [event for path in sorted((out / "people").glob("*.ics")) for event in expand(path.read_bytes())]
        found[name] = (schedules, people)
    return found


def holding(events: list[Expanded], instant: datetime) -> list[str]:
    return [event.person for event in events if event.start <= instant < event.end]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.sampled_from(sorted(REPOS)), st.integers(0, int((END - START).total_seconds() // 60) - 1))
def test_oncall_at_t_agrees_with_the_calendar_files_at_t(
        feeds: dict[str, tuple[dict[str, list[Expanded]], list[Expanded]]], name: str, minute: int) -> None:
    instant = START + timedelta(minutes=minute)
    answer = json.loads(invoke("oncall", "--repo", str(REPOS[name]), "--at", instant.isoformat(),
                               "--format", "json"))
    schedules, people = feeds[name]
    assert sorted(entry["id"] for entry in answer["schedules"]) == sorted(schedules)
    for entry in answer["schedules"]:
        in_feed = holding(schedules[entry["id"]], instant)
        assert in_feed == ([entry["person"]] if entry["person"] else []), entry["id"]
        if entry["person"]:  # the person's own feed shows this very event (same UID) at T
            event = next(e for e in schedules[entry["id"]] if e.start <= instant < e.end)
            assert [e.person for e in people if e.uid == event.uid and e.start <= instant < e.end] == \
                [entry["person"]]
