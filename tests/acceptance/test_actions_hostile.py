"""The sync under concurrency, human edits and a misbehaving GitHub: one issue per item, whatever happens.

Each case was seen to make duplicates (or crash): two syncs at once made 20
issues for 20 items; a person removing the sync's label, an org changing
``actions.label`` or someone rewriting an issue's description hid the issue
from the next run; a create GitHub carried out 31 s after answering 502 was
created again; a 200 answer with an HTML page for a body ended in
``KeyError: 'number'``.
"""

from __future__ import annotations

import threading
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from opsrepo import github
from opsrepo.actions import flows, plan
from opsrepo.actions.body import parse_marker
from opsrepo.load.repo import load_repo
from tests.fakegithub import FakeGitHub, Fault
from tests.fakegithub.cli import actions
from tests.fakegithub.opsrepos import ASSIGNABLE, ten_items
from tests.fakegithub.server import TOKEN

pytest_plugins = ["tests.fakegithub.fixtures"]

ITEMS = 10


@pytest.fixture
def fake(fake_github: FakeGitHub) -> FakeGitHub:
    fake_github.repo.assignable = set(ASSIGNABLE)
    return fake_github


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return ten_items(tmp_path / "ops")


def open_by_key(fake: FakeGitHub) -> Counter[Any]:
    """Open issues per item (by the marker in their body)."""
    return Counter(parse_marker(i.body) for i in fake.repo.issues.values() if i.state == "open")


def forget_status(root: Path) -> None:
    """The status file lives in the Actions cache, which GitHub evicts after a week unused."""
    (root / "status" / "actions.json").unlink(missing_ok=True)


def synced_once(fake: FakeGitHub, root: Path) -> None:
    assert actions(fake, root, "sync").exit_code == 0
    assert len(fake.repo.issues) == ITEMS


def test_two_syncs_at_once_leave_one_open_issue_per_item(fake: FakeGitHub, root: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """Both plan before either writes (the worst interleaving), then both run: twins are closed as duplicates."""
    both_planned = threading.Barrier(2, timeout=30)
    real = plan.make_plan

    def make_plan_then_wait(*args: Any, **kwargs: Any) -> plan.Plan:
        made = real(*args, **kwargs)
        both_planned.wait()
        return made

    monkeypatch.setattr(flows, "make_plan", make_plan_then_wait)
    repo = load_repo(root).repo
    now = datetime(2026, 11, 23, 9, tzinfo=UTC)
    failures: list[BaseException] = []

    def one_sync() -> None:
        try:
            flows.sync(repo, github.connect("kestrel-eng/ops", TOKEN, fake.url, clock=fake.clock), now)
        except BaseException as exc:
            failures.append(exc)

    runs = [threading.Thread(target=one_sync) for _ in range(2)]
    for run in runs:
        run.start()
    for run in runs:
        run.join(60)
    assert failures == []
    assert open_by_key(fake) == Counter({key: 1 for key in open_by_key(fake)})
    assert len(open_by_key(fake)) == ITEMS
    extras = [i for i in fake.repo.issues.values() if i.state == "closed"]
    assert all(i.state_reason == "duplicate" for i in extras)
    assert all(any("Duplicate of #" in c["body"] for c in i.comments) for i in extras)
    monkeypatch.setattr(flows, "make_plan", real)
    fake.clear_log()
    assert actions(fake, root, "sync").exit_code == 0
    assert fake.writes() == []


def test_the_lowest_number_wins_and_a_person_closing_it_is_respected(fake: FakeGitHub, root: Path) -> None:
    synced_once(fake, root)
    twin = fake.repo.create_issue({"title": "Do item-0", "body": fake.repo.issues[1].body,
                                   "labels": ["postmortem-action"]}, fake.clock.now())
    result = actions(fake, root, "sync")
    assert result.exit_code == 0, result.output
    assert f"  duplicate #{twin.number} 2026-10-01-api-outage/item-0: closed as a duplicate of #1\n" in result.stdout
    assert (fake.repo.issues[twin.number].state, fake.repo.issues[twin.number].state_reason) == ("closed",
                                                                                                 "duplicate")
    assert fake.repo.issues[1].state == "open"


def test_a_label_a_person_removed_everywhere_makes_no_duplicate(fake: FakeGitHub, root: Path) -> None:
    synced_once(fake, root)
    for number, issue in fake.repo.issues.items():
        fake.repo.edit_issue(number, {"labels": [n for n in issue.labels if n != "postmortem-action"]},
                             fake.clock.now())
    forget_status(root)
    result = actions(fake, root, "sync")
    assert result.exit_code == 0, result.output
    assert len(fake.repo.issues) == ITEMS
    assert all("postmortem-action" in i.labels for i in fake.repo.issues.values())


def test_a_new_sync_label_finds_the_issues_of_the_old_one(fake: FakeGitHub, root: Path) -> None:
    synced_once(fake, root)
    org = root / "opsrepo.yaml"
    org.write_text(org.read_text(encoding="utf-8") + "actions: {label: ops-action}\n", encoding="utf-8")
    forget_status(root)
    result = actions(fake, root, "sync")
    assert result.exit_code == 0, result.output
    assert len(fake.repo.issues) == ITEMS
    assert all("ops-action" in i.labels for i in fake.repo.issues.values())
    fake.clear_log()
    assert actions(fake, root, "sync").exit_code == 0
    assert fake.writes() == []


@pytest.mark.parametrize("keep_status", [True, False])
def test_a_rewritten_description_is_found_and_put_back(fake: FakeGitHub, root: Path, keep_status: bool) -> None:
    synced_once(fake, root)
    marked = fake.repo.issues[3].body
    fake.repo.edit_issue(3, {"body": "I rewrote this: we will do it differently."}, fake.clock.now())
    if not keep_status:
        forget_status(root)
    result = actions(fake, root, "sync")
    assert result.exit_code == 0, result.output
    assert len(fake.repo.issues) == ITEMS
    assert fake.repo.issues[3].body == marked


def test_a_rewritten_description_without_the_label_is_found_by_the_status_file(fake: FakeGitHub,
                                                                               root: Path) -> None:
    synced_once(fake, root)
    fake.repo.edit_issue(3, {"body": "gone", "labels": []}, fake.clock.now())
    result = actions(fake, root, "sync")
    assert result.exit_code == 0, result.output
    assert len(fake.repo.issues) == ITEMS


def test_a_create_github_carries_out_31_s_late_is_not_made_twice(fake: FakeGitHub, root: Path) -> None:
    fake.inject(Fault("late", 502, times=1, method="POST", path=r"/issues$", delay=31))
    result = actions(fake, root, "sync")
    assert result.exit_code == 0, result.output
    fake.clock.t += 3600  # whatever GitHub still held back is carried out by now
    assert actions(fake, root, "status").exit_code == 0
    assert len(fake.repo.issues) == ITEMS
    assert open_by_key(fake) == Counter({key: 1 for key in open_by_key(fake)})


@pytest.mark.parametrize(("method", "path"), [("POST", r"/issues$"), ("GET", r"/issues$"),
                                              ("PATCH", r"/issues/\d+$"), ("GET", r"/labels$")])
def test_a_200_with_an_html_body_is_a_fault_to_retry_never_a_crash(fake: FakeGitHub, root: Path,
                                                                   method: str, path: str) -> None:
    if method == "PATCH":
        synced_once(fake, root)
        fake.repo.edit_issue(2, {"title": "Edited on GitHub"}, fake.clock.now())
    fake.inject(Fault("garbled", before=False, times=2, method=method, path=path))
    result = actions(fake, root, "sync")
    assert result.exit_code == 0, result.output
    assert len(fake.repo.issues) == ITEMS
    assert open_by_key(fake) == Counter({key: 1 for key in open_by_key(fake)})
