"""``opsrepo actions status`` and ``opsrepo actions remind`` against the fake GitHub."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.fakegithub import FakeGitHub
from tests.fakegithub.cli import actions, status_file
from tests.fakegithub.opsrepos import ASSIGNABLE, ten_items

pytest_plugins = ["tests.fakegithub.fixtures"]

API = "2026-10-01-api-outage"
DEC_5 = "2026-12-05T09:00:00Z"
REMINDER = "<!-- opsrepo:reminder -->"


@pytest.fixture
def root(fake_github: FakeGitHub, tmp_path: Path) -> Path:
    fake_github.repo.assignable = set(ASSIGNABLE)
    root = ten_items(tmp_path / "ops")
    assert actions(fake_github, root, "sync").exit_code == 0
    fake_github.repo.edit_issue(2, {"state": "closed"}, fake_github.clock.now())  # item-1, done in time
    fake_github.clear_log()
    return root


def reminders(fake: FakeGitHub) -> dict[int, int]:
    return {n: sum(1 for c in i.comments if c["body"].startswith(REMINDER))
            for n, i in fake.repo.issues.items() if i.comments}


def test_status_lists_overdue_items_and_writes_the_status_file(fake_github: FakeGitHub, root: Path) -> None:
    (root / "status" / "actions.json").unlink()
    result = actions(fake_github, root, "status", now=DEC_5)
    assert result.exit_code == 0, result.output
    assert result.stdout == f"""\
10 action items in kestrel-eng/ops on 2026-12-05: 9 open, 1 closed, 0 without an issue
Overdue, most overdue first:
  {API}/item-0  due 2026-12-01 (4 days ago)  ana (ana-silva)  #1
  {API}/item-2  due 2026-12-03 (2 days ago)  ana (ana-silva)  #3
  {API}/item-3  due 2026-12-04 (1 day ago)  cleo  #4
2 requests to GitHub, no writes
"""
    assert fake_github.writes() == []
    document = status_file(root)
    assert document["generated_at"] == DEC_5
    closed = document["items"][1]
    assert (closed["item"], closed["state"], closed["closed_at"]) == ("item-1", "closed", "2026-11-23T09:00:00Z")


def test_status_json(fake_github: FakeGitHub, root: Path) -> None:
    document = json.loads(actions(fake_github, root, "status", "--format", "json", now=DEC_5).stdout)
    assert document["today"] == "2026-12-05"
    assert [(o["item"], o["days_overdue"], o["issue"]) for o in document["overdue"]] == [
        ("item-0", 4, 1), ("item-2", 2, 3), ("item-3", 1, 4)]
    assert len(document["items"]) == 10 and document["unsynced"] == []


def test_an_item_without_an_issue_is_listed_as_such(fake_github: FakeGitHub, root: Path) -> None:
    del fake_github.repo.issues[1]
    (root / "status" / "actions.json").unlink()
    result = actions(fake_github, root, "status", now=DEC_5)
    assert "9 open" not in result.stdout
    assert result.stdout.splitlines()[0] == ("10 action items in kestrel-eng/ops on 2026-12-05: 8 open, 1 closed, "
                                             "1 without an issue")
    assert f"  {API}/item-0  due 2026-12-01 (4 days ago)  ana (ana-silva)  no issue (run 'opsrepo actions " \
           "sync')\n" in result.stdout


def test_remind_comments_once_on_each_overdue_open_issue(fake_github: FakeGitHub, root: Path) -> None:
    result = actions(fake_github, root, "remind", now=DEC_5)
    assert result.exit_code == 0, result.output
    assert result.stdout == f"""\
10 action items in kestrel-eng/ops on 2026-12-05: 9 open, 1 closed, 0 without an issue
Overdue, most overdue first:
  {API}/item-0  due 2026-12-01 (4 days ago)  ana (ana-silva)  #1  [reminded]
  {API}/item-2  due 2026-12-03 (2 days ago)  ana (ana-silva)  #3  [reminded]
  {API}/item-3  due 2026-12-04 (1 day ago)  cleo  #4  [reminded]
8 requests to GitHub, 3 writes
"""
    assert reminders(fake_github) == {1: 1, 3: 1, 4: 1}
    assert fake_github.repo.issues[1].comments[0]["body"] == (
        "<!-- opsrepo:reminder -->\nThis action item was due on **2026-12-01** (4 days ago) and is still open.\n\n"
        "@ana-silva: please finish it and close this issue, or agree a new due date and change it in "
        "`postmortems/2026-10-01-api-outage.md`.\n")
    assert "It has no assignee" in fake_github.repo.issues[4].comments[0]["body"]


def test_remind_waits_the_interval_before_reminding_again(fake_github: FakeGitHub, root: Path) -> None:
    actions(fake_github, root, "remind", now=DEC_5)
    result = actions(fake_github, root, "remind", now="2026-12-11T09:00:00Z")
    assert f"  {API}/item-0  due 2026-12-01 (10 days ago)  ana (ana-silva)  #1  [reminded recently]\n" \
           in result.stdout
    assert reminders(fake_github) == {1: 1, 3: 1, 4: 1, 5: 1, 6: 1, 7: 1, 8: 1, 9: 1, 10: 1}
    actions(fake_github, root, "remind", now="2026-12-12T08:59:59Z")
    assert [reminders(fake_github)[n] for n in (1, 3, 4, 5)] == [1, 1, 1, 1]
    actions(fake_github, root, "remind", now="2026-12-12T09:00:01Z")
    assert [reminders(fake_github)[n] for n in (1, 3, 4, 5)] == [2, 2, 2, 1]


def test_remind_every_option_and_dry_run(fake_github: FakeGitHub, root: Path) -> None:
    actions(fake_github, root, "remind", now=DEC_5)
    fake_github.clear_log()
    result = actions(fake_github, root, "remind", "--every", "1d", "--dry-run", now="2026-12-06T09:00:01Z")
    assert f"  {API}/item-0  due 2026-12-01 (5 days ago)  ana (ana-silva)  #1  [would remind]\n" in result.stdout
    assert f"  {API}/item-4  due 2026-12-05 (1 day ago)  ben (ben-okafor)  #5  [would remind]\n" in result.stdout
    assert fake_github.writes() == []
    result = actions(fake_github, root, "remind", "--every", "2d", "--dry-run", now="2026-12-06T09:00:01Z")
    assert f"  {API}/item-0  due 2026-12-01 (5 days ago)  ana (ana-silva)  #1  [reminded recently]\n" \
        in result.stdout


def test_closed_issues_are_never_reminded(fake_github: FakeGitHub, root: Path) -> None:
    fake_github.repo.edit_issue(1, {"state": "closed"}, fake_github.clock.now())
    actions(fake_github, root, "remind", now=DEC_5)
    assert 1 not in reminders(fake_github) and 2 not in reminders(fake_github)


def test_a_reminder_whose_answer_is_lost_is_not_written_twice(fake_github: FakeGitHub, root: Path) -> None:
    from tests.fakegithub import Fault

    fake_github.inject(Fault("drop", before=False, method="POST", path=r"/comments$"))
    assert actions(fake_github, root, "remind", now=DEC_5).exit_code == 0
    assert reminders(fake_github) == {1: 1, 3: 1, 4: 1}
