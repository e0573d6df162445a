"""The action-items workflow: when it runs, what it may do, and what it runs.

Its actionlint and general least-privilege checks are in ``test_workflows.py``;
here the specifics of SPEC section 5's workflow: sync on pushes that touch
post-mortems, status and reminders daily, never two runs at once, and no
write scope but ``issues``.
"""

from __future__ import annotations

import shlex
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from opsrepo.cli.main import cli
from tests.helpers import ROOT

WORKFLOW = ROOT / ".github" / "workflows" / "actions.yml"


@pytest.fixture(scope="module")
def workflow() -> dict[Any, Any]:
    document: dict[Any, Any] = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    return document


def steps(workflow: dict[Any, Any]) -> list[dict[str, Any]]:
    (job,) = workflow["jobs"].values()
    found: list[dict[str, Any]] = job["steps"]
    return found


def test_triggers_are_pushes_touching_postmortems_a_daily_run_and_by_hand(workflow: dict[Any, Any]) -> None:
    triggers = workflow[True]  # YAML 1.1 reads `on` as true
    assert triggers == {
        "push": {"branches": ["main"], "paths": ["postmortems/**", "teams/**", "opsrepo.yaml"]},
        "schedule": [{"cron": "23 6 * * *"}],
        "workflow_dispatch": None,
    }


def test_two_runs_never_overlap_and_a_sync_is_never_cancelled(workflow: dict[Any, Any]) -> None:
    assert workflow["concurrency"] == {"group": "action-items", "cancel-in-progress": False}


def test_issues_is_the_only_write_scope(workflow: dict[Any, Any]) -> None:
    assert workflow["permissions"] == {"contents": "read"}
    (job,) = workflow["jobs"].values()
    assert job["permissions"] == {"contents": "read", "issues": "write"}


def test_sync_on_every_run_status_and_reminders_only_on_the_daily_run(workflow: dict[Any, Any]) -> None:
    runs = [(step.get("if"), step["run"].strip()) for step in steps(workflow) if "opsrepo" in step.get("run", "")]
    daily = "${{ github.event_name != 'push' }}"
    assert [(condition, run.splitlines()[0]) for condition, run in runs] == [
        (None, "opsrepo actions sync --max-wait 1h"),
        (daily, "opsrepo actions status > overdue.txt"),
        (daily, "opsrepo actions remind"),
    ]


def test_the_token_reaches_only_the_opsrepo_steps_and_never_a_command_line(workflow: dict[Any, Any]) -> None:
    for step in steps(workflow):
        env = step.get("env") or {}
        uses_token = "opsrepo actions" in step.get("run", "")
        assert env == ({"GITHUB_TOKEN": "${{ secrets.GITHUB_TOKEN }}"} if uses_token else {}), step
        assert "secrets." not in step.get("run", "") and "secrets." not in str(step.get("with", {}))
    checkout = steps(workflow)[0]
    assert (checkout["uses"], checkout["with"]) == ("actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683", {"persist-credentials": False})


def test_the_status_file_is_restored_before_and_kept_after(workflow: dict[Any, Any]) -> None:
    cache = [(step["uses"], step["with"]) for step in steps(workflow) if "actions/cache" in step.get("uses", "")]
    key = "action-status-${{ github.run_id }}-${{ github.run_attempt }}"
    assert cache == [
        ("actions/cache/restore@5a3ec84eff668545956fd18022155c47e93e2684", {"path": "status/actions.json", "key": key, "restore-keys": "action-status-"}),
        ("actions/cache/save@5a3ec84eff668545956fd18022155c47e93e2684", {"path": "status/actions.json", "key": key}),
    ]
    names = [step.get("name") for step in steps(workflow)]
    assert names.index("Restore the status file") < names.index("Sync action items") < names.index(
        "Keep the status file") == len(names) - 1


@pytest.mark.parametrize("command", ["sync", "status", "remind"])
def test_every_command_the_workflow_runs_exists(workflow: dict[Any, Any], command: str) -> None:
    (line,) = [step["run"].strip().splitlines()[0] for step in steps(workflow)
               if step.get("run", "").startswith(f"opsrepo actions {command}")]
    words = shlex.split(line.split(">")[0])
    result = CliRunner().invoke(cli, [*words[1:], "--help"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"Usage: cli actions {command} [OPTIONS]\n")
