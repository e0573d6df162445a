"""Action items: completion, overdue with owners, time to close, per team; unknown without status."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

from opsrepo.model import Repo
from opsrepo.report import ReportRequest, build_report
from opsrepo.report.actions import Actions, ItemSummary
from opsrepo.report.status import read_snapshot
from tests.unit.report.build import NOW, status_file
from tests.unit.report.conftest import STATUS_ITEMS


def with_status(repo: Repo, tmp_path: Path, **request: object) -> Actions:
    snapshot = read_snapshot(status_file(tmp_path / "actions.json", STATUS_ITEMS))
    return build_report(repo, ReportRequest(now=NOW, status=snapshot, **request)).actions  # type: ignore[arg-type]


def test_summary_overall_and_per_team(four: Repo, tmp_path: Path) -> None:
    found = with_status(four, tmp_path)
    # a: closed 2026-10-15 12:00, 10 d 1 h after i1 resolved (10.04 d), on time (due 10-20)
    # d: closed 2026-10-30 00:00, 17 d 9 h after i2 resolved (17.38 d), late (due 10-25)
    # b: open, due 11-01: 22 days overdue; c: open, due 11-30; e: not in the file, due 11-10
    assert found.overall == ItemSummary("all", total=5, closed=2, open=2, unknown=1, overdue=1,
                                        past_due_unknown=1, closed_on_time=1, median_days_to_close=13.71)
    assert found.overall.completion == 0.5
    assert found.by_team == (
        ItemSummary("core", total=3, closed=1, open=1, unknown=1, overdue=1, past_due_unknown=1,
                    closed_on_time=1, median_days_to_close=10.04),
        ItemSummary("edge", total=2, closed=1, open=1, unknown=0, overdue=0, past_due_unknown=0,
                    closed_on_time=0, median_days_to_close=17.38),
    )


def test_overdue_items_name_their_owner_and_issue(four: Repo, tmp_path: Path) -> None:
    found = with_status(four, tmp_path)
    assert [(r.postmortem, r.id, r.owner, r.team, r.due, r.days_overdue, r.state, r.url) for r in found.overdue] == [
        ("i1", "b", "ben", "core", date(2026, 11, 1), 22, "open", "https://github.com/test/ops/issues/2"),
    ]
    assert [(r.id, r.owner, r.days_overdue, r.state, r.url) for r in found.past_due_unknown] == [
        ("e", "ana", 13, "unknown", None),
    ]


def test_without_a_status_file_every_state_is_unknown(four: Repo) -> None:
    found = build_report(four, ReportRequest(now=NOW)).actions
    assert (found.has_status, found.status_generated_at) == (False, None)
    assert found.overall == ItemSummary("all", total=5, closed=0, open=0, unknown=5, overdue=0,
                                        past_due_unknown=4, closed_on_time=0, median_days_to_close=None)
    assert found.overall.completion is None
    assert found.overdue == ()
    assert [(r.id, r.days_overdue) for r in found.past_due_unknown] == [("a", 34), ("d", 29), ("b", 22), ("e", 13)]


def test_an_item_closed_after_the_period_was_open_then(four: Repo, tmp_path: Path) -> None:
    until = datetime(2026, 10, 28, 12, tzinfo=UTC)   # d closes on 10-30; due 10-25
    found = with_status(four, tmp_path, until=until)
    assert [(r.id, r.state, r.days_overdue) for r in found.overdue] == [("d", "open", 3)]
    assert (found.overall.closed, found.overall.open, found.overall.unknown) == (1, 3, 1)


def test_burndown_counts_items_at_each_month_end(four: Repo, tmp_path: Path) -> None:
    found = with_status(four, tmp_path)
    assert found.burndown["2026-09"] == (0, 0, 0)
    # end of October: all five items exist (i4 has none); a and d closed; e unknown
    assert found.burndown["2026-10"] == (2, 2, 1)
    assert found.burndown["2026-11"] == (2, 2, 1)


def test_overdue_items_come_from_post_mortems_before_the_period_too(four: Repo, tmp_path: Path) -> None:
    since = datetime(2026, 11, 1, tzinfo=UTC)    # only i4, which has no items
    found = with_status(four, tmp_path, since=since)
    assert found.overall.total == 0
    assert [r.id for r in found.overdue] == ["b"]


def test_status_file_json_shape(four: Repo, tmp_path: Path) -> None:
    document = with_status(four, tmp_path).to_dict()
    assert document["status_file"] == {"generated_at": "2026-11-23T06:00:00+00:00"}
    assert document["overdue"] == [{
        "postmortem": "i1", "id": "b", "title": "Do b", "owner": "ben", "owner_name": "Ben Okafor", "team": "core",
        "due": "2026-11-01",
        "priority": "high", "state": "open", "closed_at": None, "closed_on": None,
        "url": "https://github.com/test/ops/issues/2", "days_to_close": None, "days_overdue": 22,
    }]
    assert document["overall"]["completion"] == 0.5
