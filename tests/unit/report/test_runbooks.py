"""Runbooks overdue for review."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from opsrepo.report.runbooks import RunbookReview, runbook_reviews
from tests.unit.report.build import load, write_repo

RUNBOOKS = {
    "core/stale": {"title": "Stale", "team": "core", "owner": "ana", "reviewed": "2026-01-01", "review_every": "90d"},
    "core/fresh": {"title": "Fresh", "team": "core", "reviewed": "2026-06-01"},        # + 180d: 2026-11-28
    "core/never": {"title": "Never", "team": "core"},
    "edge/from-git": {"title": "From git", "team": "edge"},
}


def test_overdue_and_unknown(tmp_path: Path) -> None:
    repo = load(write_repo(tmp_path, [], RUNBOOKS))
    found = runbook_reviews(repo, date(2026, 11, 23), {"edge/from-git": date(2026, 3, 1)})
    assert found.total == 4
    assert found.overdue == (
        # 2026-01-01 + 90 days = 2026-04-01; 236 days before 2026-11-23
        RunbookReview("core/stale", "Stale", "core", "ana", date(2026, 1, 1), "front matter", date(2026, 4, 1), 236),
        # last changed 2026-03-01 + 180 days = 2026-08-28
        RunbookReview("edge/from-git", "From git", "edge", None, date(2026, 3, 1), "git", date(2026, 8, 28), 87),
    )
    assert found.unknown == (RunbookReview("core/never", "Never", "core", None, None, None, None, None),)


def test_due_today_is_not_overdue(tmp_path: Path) -> None:
    repo = load(write_repo(tmp_path, [], {"core/fresh": RUNBOOKS["core/fresh"]}))
    assert runbook_reviews(repo, date(2026, 11, 28)).overdue == ()
    assert [r.days_overdue for r in runbook_reviews(repo, date(2026, 11, 29)).overdue] == [1]


def test_org_default_interval(tmp_path: Path) -> None:
    repo = load(write_repo(tmp_path, [], {"core/fresh": RUNBOOKS["core/fresh"]},
                           org={"runbooks": {"review_every": "30d"}}))
    assert [(r.due, r.days_overdue) for r in runbook_reviews(repo, date(2026, 11, 23)).overdue] == [
        (date(2026, 7, 1), 145)]
