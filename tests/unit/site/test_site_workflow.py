"""The site workflow: built from main with full history, deployed by the official Pages actions."""

from __future__ import annotations

from typing import Any

import yaml

from tests.helpers import ROOT

WORKFLOW = ROOT / ".github" / "workflows" / "site.yml"


def _workflow() -> dict[Any, Any]:
    document = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    assert isinstance(document, dict)
    return document


def _uses(job: dict[str, Any]) -> list[str]:
    return [step["uses"].split("@")[0] for step in job["steps"] if "uses" in step]


def test_it_builds_on_push_to_main_every_night_and_by_hand() -> None:
    triggers = _workflow()[True]  # YAML 1.1 reads `on` as true
    assert triggers == {"push": {"branches": ["main"]}, "schedule": [{"cron": "17 3 * * *"}],
                        "workflow_dispatch": None}


def test_the_build_reads_full_history_and_uses_the_official_pages_actions() -> None:
    jobs = _workflow()["jobs"]
    checkout = jobs["build"]["steps"][0]
    assert checkout["uses"] == "actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683"
    assert checkout["with"] == {"fetch-depth": 0, "persist-credentials": False}
    assert _uses(jobs["build"]) == ["actions/checkout", "actions/setup-python", "actions/cache/restore",
                                    "actions/configure-pages", "actions/upload-pages-artifact"]
    runs = [step["run"] for step in jobs["build"]["steps"] if "run" in step]
    assert runs == ["pip install .", "opsrepo build --out _site"]
    assert jobs["build"]["steps"][-1]["with"] == {"path": "_site"}
    assert _uses(jobs["deploy"]) == ["actions/deploy-pages"]
    assert jobs["deploy"]["needs"] == "build"
    assert jobs["deploy"]["environment"]["name"] == "github-pages"


def test_least_permissions_only_the_deploy_job_writes() -> None:
    document = _workflow()
    assert document["permissions"] == {"contents": "read"}
    assert document["jobs"]["build"]["permissions"] == {"contents": "read", "pages": "read"}
    assert document["jobs"]["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}
    assert document["concurrency"] == {"group": "site", "cancel-in-progress": False}


def test_the_action_item_states_come_from_the_cache_the_actions_workflow_saves() -> None:
    actions = yaml.safe_load((ROOT / ".github" / "workflows" / "actions.yml").read_text(encoding="utf-8"))
    saved = [step["with"] for job in actions["jobs"].values() for step in job["steps"]
             if step.get("uses", "").startswith("actions/cache/save@")]
    restore = next(step for step in _workflow()["jobs"]["build"]["steps"]
                   if step.get("uses", "").startswith("actions/cache/restore@"))
    assert [s["path"] for s in saved] == [restore["with"]["path"]] == ["status/actions.json"]
    assert saved[0]["key"].startswith(restore["with"]["restore-keys"])
