"""The pull-request preview workflow: safe trigger, full history, least permissions, the three steps."""

from __future__ import annotations

import re
from typing import Any

import yaml

from tests.helpers import ROOT

WORKFLOW = ROOT / ".github" / "workflows" / "pr.yml"


def workflow() -> dict[Any, Any]:
    document = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    assert isinstance(document, dict)
    return document


def steps() -> list[dict[str, Any]]:
    [job] = workflow()["jobs"].values()
    return list(job["steps"])


def test_runs_on_pull_request_only_never_pull_request_target() -> None:
    # YAML 1.1 reads the key `on` as True
    assert workflow()[True] == {"pull_request": None}


def test_least_permissions() -> None:
    document = workflow()
    assert document["permissions"] == {"contents": "read"}
    assert [job["permissions"] for job in document["jobs"].values()] == [
        {"contents": "read", "pull-requests": "write"}]


def test_checkout_keeps_full_history_and_no_credentials() -> None:
    checkout = steps()[0]
    assert checkout == {"uses": "actions/checkout@v4",
                        "with": {"fetch-depth": 0, "persist-credentials": False}}


def test_validate_then_diff_then_comment() -> None:
    runs = [(step.get("name"), step.get("run")) for step in steps() if "run" in step]
    assert runs == [
        ("Install opsrepo", "pip install ."),
        ("Validate", "opsrepo validate"),
        ("Diff", 'opsrepo diff "$BASE_SHA" --merge-base'),
        ("Comment", "opsrepo pr comment"),
    ]


def test_event_fields_reach_commands_through_the_environment_only() -> None:
    # an expression inside `run:` is pasted into the shell script: script injection
    assert [step["name"] for step in steps() if re.search(r"\$\{\{", str(step.get("run", "")))] == []


def test_only_the_comment_step_sees_the_token() -> None:
    with_token = [step["name"] for step in steps() if "GITHUB_TOKEN" in (step.get("env") or {})]
    assert with_token == ["Comment"]


def test_the_comment_step_reads_pagerduty_with_the_read_only_key() -> None:
    (comment,) = [step for step in steps() if step.get("name") == "Comment"]
    assert comment["env"]["PAGERDUTY_TOKEN"] == "${{ secrets.PAGERDUTY_READ_TOKEN }}"
    secrets = [value for step in steps() for value in (step.get("env") or {}).values() if "secrets." in value]
    assert "${{ secrets.PAGERDUTY_TOKEN }}" not in secrets
