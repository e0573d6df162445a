"""A sync killed after any request, or hit by GitHub's failures, finishes on the next run without duplicates."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.fakegithub import FakeGitHub, Fault
from tests.fakegithub.cli import actions, by_key
from tests.fakegithub.faults import Faults
from tests.fakegithub.opsrepos import ASSIGNABLE, item, postmortem, ten_items, write_ops_repo

pytest_plugins = ["tests.fakegithub.fixtures"]


@pytest.fixture
def fake(fake_github: FakeGitHub) -> FakeGitHub:
    fake_github.repo.assignable = set(ASSIGNABLE)
    return fake_github


def snapshot(fake: FakeGitHub) -> dict[Any, Any]:
    """Everything a sync decides, by item; labels and milestones by name."""
    repo = fake.repo
    issues = {key: (i.title, i.body, tuple(i.labels), tuple(i.assignees), repo.milestones[i.milestone]["title"],
                    i.state) for key, i in by_key(fake).items()}
    return {"issues": issues, "labels": sorted(repo.labels), "milestones": sorted(repo.due_dates().items())}


def fresh(fake: FakeGitHub) -> None:
    fake.reset(assignable=set(ASSIGNABLE))


@pytest.mark.parametrize("answer", ["answered", "lost"])
def test_a_run_killed_after_any_request_is_completed_by_the_next_without_duplicates(
        fake: FakeGitHub, tmp_path: Path, answer: str) -> None:
    root = ten_items(tmp_path / "ops")
    assert actions(fake, root, "sync").exit_code == 0
    expected, total = snapshot(fake), len(fake.log)
    assert total == 49
    for k in range(1, total + 1):
        fresh(fake)
        (root / "status" / "actions.json").unlink(missing_ok=True)
        fake.faults = Faults(dead_after=k)
        if answer == "lost":
            fake.inject(Fault("drop", before=False, from_seq=k))
        killed = actions(fake, root, "sync")
        assert killed.exit_code == (0 if k == total and answer == "answered" else 1), (k, killed.output)
        fake.faults = Faults()
        resumed = actions(fake, root, "sync")
        assert resumed.exit_code == 0, (k, resumed.output)
        assert len(fake.repo.issues) == 10, k
        assert snapshot(fake) == expected, k
        fake.clear_log()
        assert actions(fake, root, "sync").exit_code == 0
        assert fake.writes() == [], k


def test_a_killed_run_says_how_far_it_got_and_how_to_resume(fake: FakeGitHub, tmp_path: Path) -> None:
    root = ten_items(tmp_path / "ops")
    fake.faults = Faults(dead_after=30)
    result = actions(fake, root, "sync")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-2:] == [
        "opsrepo: error: GitHub failed 5 times on GET /repos/kestrel-eng/ops/issues: no answer (ConnectionError) "
        "(stopped after 1 of 10 issue changes)",
        "  hint: GitHub may be having an incident (https://www.githubstatus.com); try again later; then run "
        "'opsrepo actions sync' again: it resumes where this run stopped, without duplicates"]


def test_transient_failures_and_secondary_limits_are_survived(fake: FakeGitHub, tmp_path: Path) -> None:
    root = ten_items(tmp_path / "ops")
    fake.inject(Fault("status", 502, times=2, method="GET", path=r"/issues$"))
    fake.inject(Fault("status", 502, before=False, times=2, method="POST", path=r"/issues$"))
    fake.inject(Fault("secondary", 403, retry_after=30, times=1, method="POST", path=r"/milestones$"))
    fake.inject(Fault("secondary", 429, retry_after=45, times=1, method="POST", path=r"/labels$"))
    fake.inject(Fault("status", 503, times=1, method="POST", path=r"/issues$"))
    result = actions(fake, root, "sync")
    assert result.exit_code == 0, result.output
    assert len(by_key(fake)) == 10
    # the 503 on a create: GitHub did not carry it out, but the sync cannot know, so it looks for the issue
    # for two minutes (1, 2, 4 ... 29 s) before it creates it again
    assert sorted(fake.clock.sleeps) == [1.0, 1.0, 1.0, 1.0, 2.0, 2.0, 4.0, 8.0, 16.0, 29.0, 30.0, 30.0, 30.0, 45.0]
    assert "waited 200 s for GitHub's rate limits" in result.stdout
    fake.clear_log()
    actions(fake, root, "sync")
    assert fake.writes() == []


def test_edits_survive_a_flaky_github(fake: FakeGitHub, tmp_path: Path) -> None:
    root = ten_items(tmp_path / "ops")
    actions(fake, root, "sync")
    text = (root / "postmortems" / "2026-10-01-api-outage.md").read_text(encoding="utf-8")
    (root / "postmortems" / "2026-10-01-api-outage.md").write_text(text.replace("Do item-0", "Done item-0"),
                                                                   encoding="utf-8")
    fake.inject(Fault("drop", before=False, method="PATCH"))
    fake.inject(Fault("status", 500, method="PATCH"))
    assert actions(fake, root, "sync").exit_code == 0
    assert fake.repo.issues[1].title == "Done item-0"
    assert [r.status for r in fake.requests("PATCH")] == [0, 500, 200]


def test_a_large_first_sync_stays_under_80_writes_a_minute(fake: FakeGitHub, tmp_path: Path) -> None:
    items = [item(f"i{n:03d}", ("ana", "ben")[n % 2], f"2026-12-{n % 20 + 1:02d}") for n in range(200)]
    root = write_ops_repo(tmp_path / "ops", [postmortem("2026-10-01-big", items)])
    fake.writes_per_minute = 80
    result = actions(fake, root, "sync")
    assert result.exit_code == 0, result.output
    assert fake.secondary_refusals == 0
    writes = fake.write_times
    assert len(writes) == 200 + 20 + 4  # issues, milestones, labels
    assert max(sum(1 for t in writes if start <= t < start + 60) for start in writes) == 80
    assert writes[-1] - writes[0] == 120  # 224 writes: two full minutes, then the rest
    # 200 looks for an issue a concurrent run made, right before each create; the listings before and after
    assert result.stdout.endswith("433 requests to GitHub, 224 writes, waited 120 s for GitHub's rate limits\n")


def test_a_rate_limit_reset_too_far_away_stops_with_when(fake: FakeGitHub, tmp_path: Path) -> None:
    root = ten_items(tmp_path / "ops")
    fake.rate.remaining = 5
    fake.rate.reset = fake.clock.now() + 3000
    result = actions(fake, root, "sync", "--max-wait", "10m")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-2:] == [
        "opsrepo: error: waiting for GitHub's hourly rate limit to reset would take 3001 s (until 2026-11-23 "
        "09:50:01 UTC)",
        "  hint: run the command again after that time, or allow a longer wait with --max-wait"]
    result = actions(fake, root, "sync", "--max-wait", "1h")
    assert result.exit_code == 0
    assert len(by_key(fake)) == 10
