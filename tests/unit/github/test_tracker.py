"""The GitHub tracker against the fake: paging, lookups, and writes that happen exactly once."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from opsrepo.actions.body import marker
from opsrepo.actions.labels import LabelSpec
from opsrepo.actions.model import IssueFields, Milestone
from opsrepo.actions.tracker import TrackerError
from opsrepo.github import connect
from opsrepo.github.tracker import GitHubTracker
from tests.fakegithub import TOKEN, FakeGitHub, Fault

pytest_plugins = ["tests.fakegithub.fixtures"]

LABEL = "postmortem-action"
KEY = ("2026-10-01-api-outage", "canary")


@pytest.fixture
def tracker(fake_github: FakeGitHub) -> GitHubTracker:
    fake_github.repo.assignable = {"ana-silva"}
    return connect("kestrel-eng/ops", TOKEN, fake_github.url, clock=fake_github.clock)


def add(fake: FakeGitHub, count: int, labels: tuple[str, ...] = (LABEL,), body: str | None = None) -> None:
    for n in range(count):
        fake.repo.create_issue({"title": f"Issue {n}", "body": body, "labels": list(labels)}, fake.clock.now() + n)


def fields(title: str = "Canary", key: tuple[str, str] = KEY, milestone: str | None = None) -> IssueFields:
    return IssueFields(title, marker(key) + "\nbody\n", (LABEL, "priority:high"), ("ana-silva",), milestone)


def test_listing_pages_through_every_issue_with_the_label(fake_github: FakeGitHub, tracker: GitHubTracker) -> None:
    add(fake_github, 250)
    add(fake_github, 3, labels=("other",))
    found = tracker.list_issues(LABEL)
    assert [i.number for i in found] == list(range(1, 251))
    assert [(r.method, r.path, r.query.get("page")) for r in fake_github.log] == [
        ("GET", "/repos/kestrel-eng/ops", None), ("GET", "/repos/kestrel-eng/ops/issues", None),
        ("GET", "/repos/kestrel-eng/ops/issues", "2"), ("GET", "/repos/kestrel-eng/ops/issues", "3")]
    assert fake_github.log[1].query == {"labels": LABEL, "state": "all", "sort": "created", "direction": "asc",
                                        "per_page": "100"}


def test_listing_checks_the_repository_once(fake_github: FakeGitHub, tracker: GitHubTracker) -> None:
    tracker.list_issues(LABEL)
    tracker.list_issues(LABEL)
    assert [r.path for r in fake_github.log].count("/repos/kestrel-eng/ops") == 1


def test_pull_requests_are_left_out(fake_github: FakeGitHub, tracker: GitHubTracker) -> None:
    add(fake_github, 2)
    fake_github.repo.issues[1].pull_request = True
    assert [i.number for i in tracker.list_issues(LABEL)] == [2]
    assert tracker.get_issue(1) is None


def test_issues_are_read_with_their_marker_labels_assignees_and_milestone(fake_github: FakeGitHub,
                                                                         tracker: GitHubTracker) -> None:
    milestone = tracker.create_milestone("Due 2026-12-01", date(2026, 12, 1))
    made = tracker.create_issue(KEY, fields(milestone="Due 2026-12-01"), milestone.number, LABEL)
    fake_github.repo.edit_issue(made.number, {"state": "closed"}, fake_github.clock.now())
    [issue] = tracker.list_issues(LABEL)
    assert issue.key == KEY
    assert (issue.number, issue.title, issue.state) == (1, "Canary", "closed")
    assert issue.url == "https://github.example/kestrel-eng/ops/issues/1"
    assert issue.labels == (LABEL, "priority:high")
    assert issue.assignees == ("ana-silva",)
    assert issue.milestone == Milestone(1, "Due 2026-12-01", date(2026, 12, 1), "open")
    assert issue.closed_at == datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize("style", ["pacific", "midnight"])
def test_due_on_is_sent_at_noon_utc_and_read_by_date(fake_github: FakeGitHub, tracker: GitHubTracker,
                                                     style: str) -> None:
    fake_github.repo.due_on_style = style
    made = tracker.create_milestone("Due 2026-03-28", date(2026, 3, 28))
    assert fake_github.log[-1].body == {"title": "Due 2026-03-28", "due_on": "2026-03-28T12:00:00Z"}
    stored = fake_github.repo.milestones[made.number]["due_on"]
    assert stored == {"pacific": "2026-03-28T07:00:00Z", "midnight": "2026-03-28T00:00:00Z"}[style]
    assert made.due_on == date(2026, 3, 28)
    assert fake_github.repo.due_dates() == {"Due 2026-03-28": date(2026, 3, 28)}


def test_an_existing_milestone_title_is_found_not_duplicated(fake_github: FakeGitHub,
                                                              tracker: GitHubTracker) -> None:
    fake_github.repo.create_milestone("Due 2026-12-01", None, "closed")
    found = tracker.create_milestone("Due 2026-12-01", date(2026, 12, 1))
    assert found == Milestone(1, "Due 2026-12-01", None, "closed")
    assert len(fake_github.repo.milestones) == 1


def test_an_existing_label_in_any_case_is_fine(fake_github: FakeGitHub, tracker: GitHubTracker) -> None:
    fake_github.repo.create_label("Priority:High")
    tracker.create_label(LabelSpec("priority:high", "d93f0b", "x"))
    assert tracker.list_labels() == ["Priority:High"]


def test_assignability_is_asked_once_per_login(fake_github: FakeGitHub, tracker: GitHubTracker) -> None:
    assert [tracker.is_assignable(login) for login in ("ana-silva", "dan-wu", "ana-silva", "dan-wu")] == [
        True, False, True, False]
    assert [r.path for r in fake_github.log] == ["/repos/kestrel-eng/ops/assignees/ana-silva",
                                                 "/repos/kestrel-eng/ops/assignees/dan-wu"]


def test_an_issue_moved_to_another_repository_is_not_ours(fake_github: FakeGitHub, tracker: GitHubTracker) -> None:
    add(fake_github, 1, body=marker(KEY))
    assert tracker.get_issue(1) is not None
    tracker.base = "/repos/kestrel-eng/elsewhere"
    fake_github.owner, fake_github.name = "kestrel-eng", "elsewhere"
    try:
        assert tracker.get_issue(1) is None  # the issue's repository_url names kestrel-eng/ops
        assert tracker.get_issue(2) is None  # 404
    finally:
        fake_github.owner, fake_github.name = "kestrel-eng", "ops"


@pytest.mark.parametrize("fault", [Fault("status", 502, before=False, method="POST"),
                                   Fault("drop", before=False, method="POST")],
                         ids=["502 after creating", "answer lost after creating"])
def test_a_create_whose_answer_is_lost_is_found_not_repeated(fake_github: FakeGitHub, tracker: GitHubTracker,
                                                             fault: Fault) -> None:
    add(fake_github, 2, body="unrelated")
    fake_github.inject(fault)
    made = tracker.create_issue(KEY, fields(), None, LABEL)
    assert made.number == 3 and made.key == KEY
    assert len(fake_github.repo.issues) == 3
    assert [(r.method, r.query.get("direction")) for r in fake_github.log] == [("POST", None), ("GET", "desc")]


def test_a_create_refused_before_it_happened_is_tried_again(fake_github: FakeGitHub,
                                                            tracker: GitHubTracker) -> None:
    fake_github.inject(Fault("status", 503, times=2, method="POST"))
    made = tracker.create_issue(KEY, fields(), None, LABEL)
    assert made.number == 1
    # each time, the issue is looked for over two minutes (GitHub once carried a create out 31 s late)
    settle = [1.0, 2.0, 4.0, 8.0, 16.0, 30.0, 30.0, 29.0]
    assert [r.method for r in fake_github.log] == ["POST", *["GET"] * 8, "POST", *["GET"] * 8, "POST"]
    assert fake_github.clock.sleeps == settle * 2


def test_a_create_that_never_succeeds_stops(fake_github: FakeGitHub, tracker: GitHubTracker) -> None:
    fake_github.inject(Fault("status", 502, times=99, method="POST"))
    with pytest.raises(TrackerError, match=r"^GitHub failed 5 times on POST /repos/kestrel-eng/ops/issues: 502"):
        tracker.create_issue(KEY, fields(), None, LABEL)
    assert fake_github.repo.issues == {}


def test_a_comment_whose_answer_is_lost_is_written_once(fake_github: FakeGitHub, tracker: GitHubTracker) -> None:
    add(fake_github, 1)
    fake_github.repo.add_comment(1, "<!-- opsrepo:reminder -->\nolder reminder", fake_github.clock.now())
    fake_github.inject(Fault("drop", before=False, method="POST"))
    tracker.comment(1, "<!-- opsrepo:reminder -->\nnew", "<!-- opsrepo:reminder -->")
    assert [c["body"] for c in fake_github.repo.issues[1].comments] == [
        "<!-- opsrepo:reminder -->\nolder reminder", "<!-- opsrepo:reminder -->\nnew"]


def test_has_comment_looks_only_since_the_given_instant(fake_github: FakeGitHub, tracker: GitHubTracker) -> None:
    add(fake_github, 1)
    fake_github.repo.add_comment(1, "<!-- opsrepo:reminder -->\nx", fake_github.clock.now() - 8 * 86400)
    since = datetime.fromtimestamp(fake_github.clock.now() - 7 * 86400, UTC)
    assert not tracker.has_comment(1, "<!-- opsrepo:reminder -->", since)
    assert tracker.has_comment(1, "<!-- opsrepo:reminder -->", None)
    assert fake_github.log[-2].query == {"since": "2026-11-16T09:00:00Z", "per_page": "100"}


def test_a_missing_repository_is_named_with_what_to_check(fake_github: FakeGitHub) -> None:
    tracker = connect("kestrel-eng/nope", TOKEN, fake_github.url, clock=fake_github.clock)
    with pytest.raises(TrackerError) as caught:
        tracker.list_issues(LABEL)
    assert caught.value.message == "GitHub repository kestrel-eng/nope not found, or the token cannot see it"
    assert caught.value.hint == ("check github.repo in opsrepo.yaml (or --repo-name), --base-url, and the token's "
                                 "access")
