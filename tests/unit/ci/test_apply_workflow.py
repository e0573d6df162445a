"""The PagerDuty workflow: plan on pull requests, apply on main, a daily drift check; least privilege.

Its actionlint and general least-privilege checks are in ``test_workflows.py``;
here what issue 15 asks of it.
"""

from __future__ import annotations

import re
import shlex
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from opsrepo.cli.main import cli
from tests.helpers import ROOT

WORKFLOW = ROOT / ".github" / "workflows" / "apply.yml"
PINNED = re.compile(r"uses: [\w./-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$")
PATHS = ["teams/**", "schedules/**", "policies/**", "opsrepo.yaml"]


@pytest.fixture(scope="module")
def workflow() -> dict[Any, Any]:
    document: dict[Any, Any] = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    return document


def steps(workflow: dict[Any, Any], job: str) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = workflow["jobs"][job]["steps"]
    return found


def test_triggers_pull_requests_pushes_to_main_a_daily_run_and_by_hand(workflow: dict[Any, Any]) -> None:
    assert workflow[True] == {  # YAML 1.1 reads `on` as true
        "pull_request": {"paths": PATHS},
        "push": {"branches": ["main"], "paths": PATHS},
        "schedule": [{"cron": "41 5 * * *"}],
        "workflow_dispatch": None,
    }
    assert workflow["jobs"]["plan"]["if"] == (
        "${{ vars.OPSREPO_PAGERDUTY == 'on' && github.event_name == 'pull_request' }}")
    assert workflow["jobs"]["check"]["if"] == (
        "${{ vars.OPSREPO_PAGERDUTY == 'on' && "
        "(github.event_name == 'schedule' || github.event_name == 'workflow_dispatch') }}")
    assert workflow["jobs"]["apply"]["if"] == (
        "${{ !cancelled() && vars.OPSREPO_PAGERDUTY == 'on' && github.event_name != 'pull_request' }}")
    assert workflow["jobs"]["apply"]["needs"] == "check"


def test_two_applies_never_overlap_and_are_never_cancelled(workflow: dict[Any, Any]) -> None:
    group = workflow["concurrency"]["group"]
    assert group.endswith("|| 'pagerduty-apply' }}") and "pagerduty-plan-" in group
    assert workflow["concurrency"]["cancel-in-progress"] == "${{ github.event_name == 'pull_request' }}"


def test_least_privilege(workflow: dict[Any, Any]) -> None:
    assert workflow["permissions"] == {"contents": "read"}
    assert {name: job["permissions"] for name, job in workflow["jobs"].items()} == {
        "plan": {"contents": "read"}, "check": {"contents": "read", "issues": "write"},
        "apply": {"contents": "read"}}


def test_the_write_token_reaches_the_apply_step_only(workflow: dict[Any, Any]) -> None:
    tokens = {}
    for job in workflow["jobs"]:
        for step in steps(workflow, job):
            env = step.get("env") or {}
            if env:
                tokens[(job, step["name"])] = {k: v for k, v in env.items() if "secrets." in v}
            assert "secrets." not in step.get("run", "") and "secrets." not in str(step.get("with", {}))
    read, url = "${{ secrets.PAGERDUTY_READ_TOKEN }}", "${{ secrets.PAGERDUTY_API_URL }}"
    assert tokens == {
        ("plan", "Plan"): {"PAGERDUTY_TOKEN": read, "PAGERDUTY_API_URL": url},
        ("check", "Check for drift"): {"PAGERDUTY_TOKEN": read, "PAGERDUTY_API_URL": url,
                                       "GITHUB_TOKEN": "${{ secrets.GITHUB_TOKEN }}"},
        ("apply", "Apply"): {"PAGERDUTY_TOKEN": "${{ secrets.PAGERDUTY_TOKEN }}", "PAGERDUTY_API_URL": url},
    }


def test_actions_are_pinned_by_commit_and_checkout_keeps_no_credentials(workflow: dict[Any, Any]) -> None:
    lines = [line.strip().removeprefix("- ") for line in WORKFLOW.read_text(encoding="utf-8").splitlines()
             if "uses:" in line]
    assert len(lines) == 10 and [line for line in lines if not PINNED.fullmatch(line)] == []
    for job in workflow["jobs"]:
        checkout = steps(workflow, job)[0]
        assert checkout["uses"].startswith("actions/checkout@") and checkout["with"] == {"persist-credentials": False}


def test_the_state_file_is_restored_before_and_kept_after_an_apply(workflow: dict[Any, Any]) -> None:
    names = [step.get("name") for step in steps(workflow, "apply")]
    assert names.index("Restore the state file") < names.index("Apply") < names.index("Keep the state file") == \
        len(names) - 1
    saved = [step for job in workflow["jobs"] for step in steps(workflow, job) if "cache/save" in step.get("uses", "")]
    assert len(saved) == 1 and saved[0]["with"]["path"] == "status/pagerduty.json"


@pytest.mark.parametrize(("job", "step"), [("plan", "Plan"), ("check", "Check for drift"), ("apply", "Apply")])
def test_every_command_the_workflow_runs_exists(workflow: dict[Any, Any], job: str, step: str) -> None:
    (script,) = [s["run"] for s in steps(workflow, job) if s.get("name") == step]
    (line,) = [line for line in script.splitlines() if line.strip().startswith("opsrepo ")]
    words = [w for w in shlex.split(line.split(">")[0]) if not w.startswith("${")]
    result = CliRunner().invoke(cli, [*words[1:], "--help"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Usage: cli apply pagerduty [OPTIONS]\n")
    for option in (w for w in words if w.startswith("--")):
        assert option in result.output, option
