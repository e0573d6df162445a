"""The weekly report workflow: its steps run as bash runs them, against the fake GitHub, in a copy of a repo."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from opsrepo.github.review_issue import MARKER
from tests.fakegithub import FakeGitHub
from tests.helpers import FIXTURES, ROOT

pytest_plugins = ["tests.fakegithub.fixtures"]

WORKFLOWS = ROOT / ".github" / "workflows"
FOUR = FIXTURES / "repos" / "report-four"
GOLDEN = ROOT / "tests" / "golden" / "report" / "four.md"


def workflow(name: str) -> dict[Any, Any]:
    document: dict[Any, Any] = yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))
    return document


def steps(name: str) -> list[dict[str, Any]]:
    (job,) = workflow(name)["jobs"].values()
    found: list[dict[str, Any]] = job["steps"]
    return found


def step(name: str, title: str) -> dict[str, Any]:
    (found,) = [s for s in steps(name) if s.get("name") == title]
    return found


def test_weekly_after_the_daily_action_item_sync() -> None:
    triggers = workflow("report.yml")[True]          # YAML 1.1 reads `on` as true
    [weekly] = [entry["cron"] for entry in triggers["schedule"]]
    [daily] = [entry["cron"] for entry in workflow("actions.yml")[True]["schedule"]]
    minute, hour, _, _, weekdays = weekly.split()
    sync_minute, sync_hour, *_ = daily.split()
    assert weekdays == "1"                           # Mondays
    assert (int(hour), int(minute)) > (int(sync_hour), int(sync_minute))
    assert "workflow_dispatch" in triggers


def test_least_permissions() -> None:
    assert workflow("report.yml")["permissions"] == {"contents": "read", "issues": "write"}


def test_the_status_file_kept_by_the_action_items_workflow_is_restored_before_the_report() -> None:
    [saved] = [s for s in steps("actions.yml") if str(s.get("uses", "")).startswith("actions/cache/save@")]
    restore = step("report.yml", "Restore the action-item status file")
    assert restore["uses"].startswith("actions/cache/restore@")
    assert restore["with"]["path"] == saved["with"]["path"] == "status/actions.json"
    prefix = saved["with"]["key"].split("${{")[0]
    assert restore["with"]["restore-keys"] == prefix == "action-status-"
    titles = [s.get("name") for s in steps("report.yml")]
    assert titles.index("Restore the action-item status file") < titles.index("Report and review issue")


def run_step(title: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    script = step("report.yml", title)["run"]
    return subprocess.run(["bash", "-eo", "pipefail", "-c", script], cwd=cwd, capture_output=True, text=True,
                          env={"PATH": os.environ["PATH"], "HOME": str(cwd), **env}, timeout=120, check=False)


@pytest.mark.parametrize(("since", "period"), [
    ("", "Period: 2025-12-01 to 2026-11-23 (Europe/Berlin). Generated Mon 2026-11-23 10:00 CET."),
    ("2026-10-01", "Period: 2026-10-01 to 2026-11-23 (Europe/Berlin). Generated Mon 2026-11-23 10:00 CET."),
])
def test_the_steps_write_the_summary_and_the_review_issue(
    fake_github: FakeGitHub, tmp_path: Path, since: str, period: str,
) -> None:
    checkout = tmp_path / "checkout"
    shutil.copytree(FOUR, checkout)
    summary = tmp_path / "summary.md"
    summary.write_text("earlier step\n", encoding="utf-8")
    env = {"OPSREPO_NOW": "2026-11-23T09:00:00Z", "GITHUB_API_URL": fake_github.url,
           "GITHUB_REPOSITORY": "kestrel-eng/ops", "GITHUB_STEP_SUMMARY": str(summary), "SINCE": since,
           "GITHUB_TOKEN": os.environ["GITHUB_TOKEN"]}

    report = run_step("Report and review issue", checkout, env)
    assert (report.returncode, report.stderr) == (
        0, "opsrepo: opened the review issue kestrel-eng/ops#1: https://github.example/kestrel-eng/ops/issues/1\n"
           "opsrepo: warning: the review issue was not pinned: POST /graphql: 404 Not Found\n")
    assert run_step("Job summary", checkout, env).returncode == 0

    markdown = (checkout / "reliability.md").read_text(encoding="utf-8")
    assert markdown.splitlines()[2] == period
    assert summary.read_text(encoding="utf-8") == "earlier step\n" + markdown
    [issue] = [i for i in fake_github.repo.issues.values() if (i.body or "").startswith(MARKER)]
    assert issue.body == f"{MARKER}\n{markdown}"
    if not since:                                    # the default period is the reviewed golden report
        assert markdown == GOLDEN.read_text(encoding="utf-8")
