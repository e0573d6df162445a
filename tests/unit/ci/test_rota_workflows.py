"""The rota workflows (Slack groups, handoff reminders): when they run, what they may do, what they run.

actionlint and the general least-privilege checks are in ``test_workflows.py``.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
import yaml

from tests.helpers import ROOT

WORKFLOWS = ROOT / ".github" / "workflows"
PINNED = re.compile(r"^\s*(- )?uses: [\w./-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$")


def load(name: str) -> dict[Any, Any]:
    document: dict[Any, Any] = yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))
    return document


def steps(workflow: dict[Any, Any]) -> list[dict[str, Any]]:
    (job,) = workflow["jobs"].values()
    found: list[dict[str, Any]] = job["steps"]
    return found


@pytest.mark.parametrize("name", ["slack.yml", "notify.yml"])
def test_actions_are_pinned_by_full_commit_with_their_version(name: str) -> None:
    lines = [line for line in (WORKFLOWS / name).read_text(encoding="utf-8").splitlines() if "uses:" in line]
    assert lines and [line for line in lines if not PINNED.match(line)] == []


def test_slack_sync_runs_every_quarter_hour_and_after_schedule_changes() -> None:
    workflow = load("slack.yml")
    assert workflow[True] == {  # YAML 1.1 reads `on` as true
        "schedule": [{"cron": "*/15 * * * *"}],
        "push": {"branches": ["main"], "paths": ["schedules/**", "teams/**", "opsrepo.yaml"]},
        "workflow_dispatch": None,
    }
    assert workflow["concurrency"] == {"group": "slack-sync", "cancel-in-progress": False}
    assert workflow["permissions"] == {"contents": "read"}
    (job,) = workflow["jobs"].values()
    assert job["permissions"] == {"contents": "read"}


def test_the_slack_token_reaches_only_the_sync_and_the_state_is_cached() -> None:
    workflow = load("slack.yml")
    runs = [step for step in steps(workflow) if "opsrepo" in step.get("run", "")]
    assert [step["run"] for step in runs] == ["opsrepo slack sync --max-wait 20m"]
    for step in steps(workflow):
        env = step.get("env") or {}
        wanted = {"SLACK_BOT_TOKEN": "${{ secrets.SLACK_BOT_TOKEN }}"} if "slack sync" in step.get("run", "") else {}
        assert env == wanted, step
        assert "secrets." not in step.get("run", "")
    cache = [(step["uses"].split("@")[0], step["with"]["path"]) for step in steps(workflow)
             if "actions/cache" in step.get("uses", "")]
    assert cache == [("actions/cache/restore", "status/slack.json"), ("actions/cache/save", "status/slack.json")]
    assert steps(workflow)[0]["with"] == {"persist-credentials": False}


def test_handoff_reminders_run_hourly_with_issues_write_only() -> None:
    workflow = load("notify.yml")
    assert workflow[True] == {"schedule": [{"cron": "7 * * * *"}], "workflow_dispatch": None}
    assert workflow["concurrency"] == {"group": "handoff-reminders", "cancel-in-progress": False}
    assert workflow["permissions"] == {"contents": "read"}
    (job,) = workflow["jobs"].values()
    assert job["permissions"] == {"contents": "read", "issues": "write"}


def test_the_tokens_reach_only_the_reminder_step_and_the_state_is_cached() -> None:
    workflow = load("notify.yml")
    for step in steps(workflow):
        env = step.get("env") or {}
        reminding = "opsrepo notify" in step.get("run", "")
        assert env == ({"GITHUB_TOKEN": "${{ secrets.GITHUB_TOKEN }}",
                        "SLACK_BOT_TOKEN": "${{ secrets.SLACK_BOT_TOKEN }}"} if reminding else {}), step
        assert "secrets." not in step.get("run", "")
    assert [s["run"] for s in steps(workflow) if "opsrepo " in s.get("run", "")] == [
        "opsrepo notify handoffs --within 24h"]
    cache = [(step["uses"].split("@")[0], step["with"]["path"]) for step in steps(workflow)
             if "actions/cache" in step.get("uses", "")]
    both = "status/handoffs.json\nstatus/slack.json\n"
    assert cache == [("actions/cache/restore", both), ("actions/cache/save", both)]
