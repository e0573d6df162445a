"""The pull-request preview: the job that runs the pull request's code cannot write; the one that writes runs none.

``pr.yml`` (on ``pull_request``) installs and runs the pull request's opsrepo
with a read-only token and saves the preview as an artifact;
``pr-comment.yml`` (on ``workflow_run``, from the default branch) is the only
job with ``pull-requests: write``, and posts it without checking out the pull
request.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.helpers import ROOT

WORKFLOWS = ROOT / ".github" / "workflows"


def workflow(name: str, folder: Path = WORKFLOWS) -> dict[Any, Any]:
    document = yaml.safe_load((folder / name).read_text(encoding="utf-8"))
    assert isinstance(document, dict)
    return document


def steps(name: str, folder: Path = WORKFLOWS) -> list[dict[str, Any]]:
    [job] = workflow(name, folder)["jobs"].values()
    return list(job["steps"])


def test_the_preview_runs_on_pull_request_never_pull_request_target() -> None:
    # YAML 1.1 reads the key `on` as True
    assert workflow("pr.yml")[True] == {"pull_request": None}


def test_the_job_that_runs_the_pull_requests_code_only_reads() -> None:
    document = workflow("pr.yml")
    assert document["permissions"] == {"contents": "read"}
    assert [job["permissions"] for job in document["jobs"].values()] == [{"contents": "read"}]
    assert [step["name"] for step in steps("pr.yml") if "GITHUB_TOKEN" in str(step)] == []


def test_the_preview_job_checks_out_full_history_and_no_credentials() -> None:
    checkout = steps("pr.yml")[0]
    assert checkout == {"uses": "actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683",
                        "with": {"fetch-depth": 0, "persist-credentials": False}}


def test_validate_then_diff_then_save_the_preview_as_an_artifact() -> None:
    runs = [(step.get("name"), step.get("run")) for step in steps("pr.yml") if "run" in step]
    assert runs == [
        ("Install opsrepo", "pip install ."),
        ("Validate", "opsrepo validate"),
        ("Diff", 'opsrepo diff "$BASE_SHA" --merge-base'),
        ("Preview", "opsrepo pr comment --save preview/preview.json"),
    ]
    upload = steps("pr.yml")[-1]
    assert upload["uses"].startswith("actions/upload-artifact@")
    assert upload["with"]["name"] == "pr-preview" and upload["with"]["path"] == "preview/preview.json"


def test_the_comment_runs_on_the_preview_workflows_completion() -> None:
    document = workflow("pr-comment.yml")
    assert document[True] == {"workflow_run": {"workflows": ["pr preview"], "types": ["completed"]}}
    assert workflow("pr.yml")["name"] == "pr preview"


def test_only_the_comment_job_writes_and_it_runs_no_code_from_the_pull_request() -> None:
    document = workflow("pr-comment.yml")
    assert document["permissions"] == {"contents": "read"}
    [job] = document["jobs"].values()
    assert job["permissions"] == {"contents": "read", "actions": "read", "pull-requests": "write"}
    checkout = [step for step in job["steps"] if "checkout" in str(step.get("uses", ""))]
    # the default branch (workflow_run's own ref): no ref, repository or head_sha of the pull request
    assert [step.get("with") for step in checkout] == [{"persist-credentials": False}]
    assert "head_ref" not in str(job) and "pull_request.head" not in str(job)
    runs = [step["run"] for step in job["steps"] if "run" in step]
    assert runs == ["pip install .", 'opsrepo pr comment --from preview/preview.json --head-sha "$HEAD_SHA"']
    [comment] = [step for step in job["steps"] if step.get("name") == "Comment"]
    assert comment["env"] == {"GITHUB_TOKEN": "${{ secrets.GITHUB_TOKEN }}",
                              "HEAD_SHA": "${{ github.event.workflow_run.head_sha }}"}


@pytest.mark.parametrize("name", ["pr.yml", "pr-comment.yml"])
def test_event_fields_reach_commands_through_the_environment_only(name: str) -> None:
    # an expression inside `run:` is pasted into the shell script: script injection
    assert [step.get("name") for step in steps(name) if re.search(r"\$\{\{", str(step.get("run", "")))] == []


def test_no_step_of_the_pull_requests_job_sees_the_github_token() -> None:
    assert [step.get("name") for step in steps("pr.yml") if "GITHUB_TOKEN" in (step.get("env") or {})] == []


def test_the_preview_reads_pagerduty_with_the_read_only_key_only() -> None:
    with_key = [step for step in steps("pr.yml") if "PAGERDUTY_TOKEN" in (step.get("env") or {})]
    assert [step["run"] for step in with_key] == ["opsrepo pr comment --save preview/preview.json"]
    assert with_key[0]["env"]["PAGERDUTY_TOKEN"] == "${{ secrets.PAGERDUTY_READ_TOKEN }}"
    secrets = [value for name in ("pr.yml", "pr-comment.yml") for step in steps(name)
               for value in (step.get("env") or {}).values() if "secrets." in value]
    assert "${{ secrets.PAGERDUTY_TOKEN }}" not in secrets
