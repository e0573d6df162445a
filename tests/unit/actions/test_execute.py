from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

import pytest

from opsrepo.actions.body import removal_comment
from opsrepo.actions.execute import Executor, SyncIncomplete
from opsrepo.actions.flows import build_status, observe
from opsrepo.actions.model import Milestone
from opsrepo.actions.plan import PlanContext, make_plan
from opsrepo.actions.status import ActionStatus, ItemState
from tests.unit.actions.build import LABEL, REPO, observed, spec
from tests.unit.actions.memory import MemoryTracker

CONTEXT = PlanContext(REPO, LABEL)


def run(specs, tracker, dry_run=False):
    observed_now = tracker.list_issues(LABEL)
    plan = make_plan(specs, observed_now, {"ben-okafor": True}, CONTEXT)
    return plan, Executor(plan, tracker, observed_now, dry_run=dry_run).run()


def test_first_run_creates_labels_milestones_then_issues_in_order() -> None:
    tracker = MemoryTracker(labels=["bug", "Priority:High"])
    _, outcome = run([spec(item="a"), spec(item="b", due=date(2026, 12, 9))], tracker)
    assert tracker.calls == [
        ("list_issues", LABEL), ("list_labels",),
        ("create_label", "kind:prevent", "1d76db"), ("create_label", "postmortem-action", "5319e7"),
        ("create_label", "severity:SEV2", "d93f0b"),
        ("list_milestones",),
        ("create_milestone", "Due 2026-12-01", date(2026, 12, 1)),
        ("create_milestone", "Due 2026-12-09", date(2026, 12, 9)),
        # right before each create, a look for the issue a concurrent run may just have made; then one listing
        # to close the twins such runs left
        ("recent", ("2026-10-01-api-outage", "a")), ("create_issue", ("2026-10-01-api-outage", "a"), 1),
        ("recent", ("2026-10-01-api-outage", "b")), ("create_issue", ("2026-10-01-api-outage", "b"), 2),
        ("list_issues", LABEL),
    ]
    assert outcome.labels_created == ["kind:prevent", "postmortem-action", "severity:SEV2"]
    assert outcome.milestones_created == ["Due 2026-12-01", "Due 2026-12-09"]
    assert [i.number for i in outcome.issues.values()] == [1, 2]
    assert outcome.done == 2


def test_second_run_reads_once_and_writes_nothing() -> None:
    tracker = MemoryTracker()
    items = [spec(item="a"), spec(item="b")]
    run(items, tracker)
    tracker.calls.clear()
    plan, outcome = run(items, tracker)
    assert tracker.calls == [("list_issues", LABEL)]
    assert [s.action for s in plan.steps] == ["unchanged", "unchanged"]
    assert outcome.done == 0


def test_labels_and_milestones_seen_on_issues_are_not_listed_again() -> None:
    item = spec()
    tracker = MemoryTracker(issues=[observed(item)])
    run([replace(item, title="New title")], tracker)
    assert tracker.calls == [("list_issues", LABEL), ("update_issue", 1, ("title",), None)]


def test_a_new_due_date_uses_an_existing_milestone_and_fixes_its_due_on() -> None:
    item = spec()
    existing = Milestone(5, "Due 2026-12-24", date(2026, 12, 23), "closed")
    tracker = MemoryTracker(issues=[observed(item)], milestones=[existing])
    _, outcome = run([replace(item, due=date(2026, 12, 24))], tracker)
    assert tracker.calls[1:] == [("list_milestones",), ("update_milestone", 5, date(2026, 12, 24)),
                                 ("update_issue", 1, ("body", "milestone"), 5)]
    assert outcome.milestones_fixed == ["Due 2026-12-24"]


def test_dry_run_reads_but_never_writes() -> None:
    tracker = MemoryTracker(issues=[observed(spec(item="gone"), number=3)])
    plan, outcome = run([spec(item="a", due=date(2026, 12, 9))], tracker, dry_run=True)
    assert [c[0] for c in tracker.calls] == ["list_issues", "list_labels", "list_milestones"]
    assert [s.action for s in plan.steps] == ["create", "removed"]
    assert outcome.labels_created == ["removed-from-postmortem"]
    assert outcome.milestones_created == ["Due 2026-12-09"]
    assert outcome.done == 0


def test_a_removed_item_is_commented_once_then_labelled() -> None:
    gone = observed(spec(item="gone"), number=3)
    tracker = MemoryTracker(issues=[gone], labels=["removed-from-postmortem"])
    run([], tracker)
    assert tracker.calls[1:] == [("list_labels",), ("has_comment", 3, "<!-- opsrepo:removed -->"),
                                 ("comment", 3, "<!-- opsrepo:removed -->"),
                                 ("update_issue", 3, ("labels",), None)]
    tracker.calls.clear()
    run([], tracker)
    assert tracker.calls == [("list_issues", LABEL)]


def test_a_run_stopped_between_comment_and_label_does_not_comment_again() -> None:
    gone = observed(spec(item="gone"), number=3)
    tracker = MemoryTracker(issues=[gone], labels=["removed-from-postmortem"])
    tracker.fail_on = "update_issue"
    with pytest.raises(SyncIncomplete):
        run([], tracker)
    tracker.fail_on = None
    run([], tracker)
    assert tracker.comments[3] == [removal_comment(gone.key, None, None)]
    assert tracker.issues[3].labels == (*gone.labels, "removed-from-postmortem")


def test_a_failure_says_how_far_the_run_got_and_how_to_resume() -> None:
    tracker = MemoryTracker(issues=[observed(spec(item="a"))])
    tracker.fail_on = "create_issue"
    with pytest.raises(SyncIncomplete) as caught:
        run([spec(item="a", title="Changed"), spec(item="b")], tracker)
    assert caught.value.message == "create_issue failed (stopped after 1 of 2 issue changes)"
    assert caught.value.hint == ("try later; then run 'opsrepo actions sync' again: it resumes where this run "
                                 "stopped, without duplicates")


def test_observe_finds_issues_that_lost_the_label_through_the_status_file() -> None:
    item = spec()
    unlabelled = observed(item, number=4, labels=("priority:high",))
    tracker = MemoryTracker(issues=[unlabelled, observed(spec(item="z"), number=5, labels=("x",))])
    status = ActionStatus(datetime(2026, 11, 1, tzinfo=UTC), "Kestrel-Eng/Ops", (
        ItemState(*item.key, 4, "u", "open", None, None, date(2026, 12, 1), "ben"),
        ItemState("other", "z", 5, "u", "open", None, None, date(2026, 12, 1), "ben"),
    ))
    assert observe(tracker, LABEL, status) == [unlabelled]
    assert tracker.calls == [("list_issues", LABEL), ("get_issue", 4), ("get_issue", 5)]
    plan = make_plan([item], [unlabelled], {"ben-okafor": True}, CONTEXT)
    assert plan.steps[0].fields.labels == ("postmortem-action", "priority:high", "kind:prevent", "severity:SEV2")


def test_a_status_file_of_another_repo_is_no_hint() -> None:
    tracker = MemoryTracker()
    status = ActionStatus(datetime(2026, 11, 1, tzinfo=UTC), "someone/else", (
        ItemState("p", "a", 4, "u", "open", None, None, date(2026, 12, 1), "ben"),))
    observe(tracker, LABEL, status)
    assert tracker.calls == [("list_issues", LABEL)]


def test_status_lists_items_with_issues_and_their_owner_login_first() -> None:
    a, b = spec(item="a"), spec(item="b")
    issue = observed(a, assignees=("someone", "Ben-Okafor"))
    now = datetime(2026, 11, 23, 9, tzinfo=UTC)
    status = build_status([a, b], {a.key: issue}, now, REPO)
    assert status == ActionStatus(now, REPO, (ItemState(*a.key, 1, issue.url, "open", "Ben-Okafor", None,
                                                        date(2026, 12, 1), "ben"),))
