from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

import pytest

from opsrepo.actions.desired import desired_issue
from opsrepo.actions.model import IssueFields, Milestone, Notice, Owner
from opsrepo.actions.plan import PlanContext, diff, group_by_key, logins_to_check, make_plan
from tests.unit.actions.build import LABEL, REPO, observed, spec

CONTEXT = PlanContext(REPO, LABEL, sources={"2026-10-01-api-outage": ("postmortems/2026-10-01-api-outage.md",
                                                                      "https://x/pm.md")})


def plan_of(specs, issues, assignable=None, context=CONTEXT):
    return make_plan(specs, issues, assignable or {}, context)


def test_an_item_without_issue_is_created_with_every_field() -> None:
    item = spec()
    plan = plan_of([item], [])
    [step] = plan.steps
    assert step.action == "create"
    desired = desired_issue(item, LABEL, True, REPO)
    assert step.fields == IssueFields(desired.title, desired.body, desired.label_names, ("ben-okafor",),
                                      "Due 2026-12-01")
    assert plan.milestones_used() == {"Due 2026-12-01": date(2026, 12, 1)}
    assert sorted(plan.labels_used()) == ["kind:prevent", "postmortem-action", "priority:high", "severity:sev2"]


def test_an_issue_in_step_is_unchanged() -> None:
    item = spec()
    plan = plan_of([item], [observed(item)])
    assert [(s.action, s.fields.changed()) for s in plan.steps] == [("unchanged", ())]
    assert plan.labels_used() == {} and plan.milestones_used() == {}


@pytest.mark.parametrize(("change", "fields"), [
    ({"title": "Canary every change"}, ("title",)),
    ({"pm_title": "Renamed incident"}, ("body",)),
    ({"priority": "low"}, ("body", "labels")),
    ({"due": date(2026, 12, 5)}, ("body", "milestone")),
])
def test_each_change_updates_only_its_fields(change: dict[str, object], fields: tuple[str, ...]) -> None:
    item = spec()
    [step] = plan_of([replace(item, **change)], [observed(item)]).steps
    assert (step.action, step.fields.changed()) == ("update", fields)


def test_a_new_owner_changes_assignee_and_body() -> None:
    item = spec()
    moved = replace(item, owner=Owner("ana", "Ana Silva", "ana-silva"))
    [step] = plan_of([moved], [observed(item)], {"ana-silva": True}).steps
    assert step.fields.changed() == ("body", "assignees")
    assert step.fields.assignees == ("ana-silva",)


def test_body_comparison_ignores_crlf_and_trailing_space() -> None:
    item = spec()
    issue = observed(item)
    edited = replace(issue, body=issue.body.replace("\n", "\r\n") + "  \r\n")
    assert diff(edited, desired_issue(item, LABEL, True, REPO), LABEL).changed() == ()


def test_labels_people_added_are_kept_and_case_does_not_matter() -> None:
    item = spec()
    issue = observed(item, labels=("POSTMORTEM-ACTION", "Priority:High", "kind:prevent", "severity:sev2", "team:x"))
    assert plan_of([item], [issue]).steps[0].action == "unchanged"
    stale = observed(item, labels=("bug", "postmortem-action", "priority:low", "kind:prevent", "severity:SEV2"))
    [step] = plan_of([item], [stale]).steps
    assert step.fields.labels == ("bug", "postmortem-action", "priority:high", "kind:prevent", "severity:SEV2")


def test_extra_assignees_are_replaced_by_the_owner() -> None:
    item = spec()
    [step] = plan_of([item], [observed(item, assignees=("ben-okafor", "someone"))]).steps
    assert step.fields.assignees == ("ben-okafor",)


def test_an_unassignable_owner_removes_the_assignee_and_adds_needs_owner() -> None:
    item = spec()
    plan = plan_of([item], [observed(item)], {"ben-okafor": False})
    [step] = plan.steps
    assert step.fields.assignees == ()
    assert step.fields.labels[-1] == "needs-owner"
    assert plan.notices == (Notice(item.key, "not assigned: GitHub cannot assign ben-okafor (ben) in "
                                             "kestrel-eng/ops: they need access to it"),)


def test_a_closed_issue_is_left_alone_whatever_changed() -> None:
    item = spec()
    closed = observed(item, state="closed", closed_at=datetime(2026, 11, 2, tzinfo=UTC))
    plan = plan_of([replace(item, title="New title", due=date(2027, 1, 1))], [closed], {"ben-okafor": False})
    assert [(s.action, s.fields.changed()) for s in plan.steps] == [("closed", ())]
    assert plan.notices == ()


def test_an_item_that_left_its_postmortem_is_labelled_and_commented() -> None:
    gone = spec(item="old")
    [step] = plan_of([], [observed(gone, number=4)]).steps
    assert step.action == "removed"
    assert step.fields.labels == ("postmortem-action", "priority:high", "kind:prevent", "severity:SEV2",
                                  "removed-from-postmortem")
    assert step.comment is not None and "[`postmortems/2026-10-01-api-outage.md`](https://x/pm.md)" in step.comment


def test_a_removed_item_already_labelled_or_closed_needs_nothing() -> None:
    gone = spec(item="old")
    labelled = observed(gone, labels=("postmortem-action", "Removed-From-Postmortem"))
    closed = observed(gone, number=2, state="closed")
    assert [s.action for s in plan_of([], [labelled]).steps] == ["unchanged"]
    assert [s.action for s in plan_of([], [closed]).steps] == ["closed"]


def test_an_item_back_in_its_postmortem_loses_the_removed_label() -> None:
    item = spec()
    issue = observed(item)
    [step] = plan_of([item], [replace(issue, labels=(*issue.labels, "removed-from-postmortem"))]).steps
    assert step.fields.labels == issue.labels


def test_issues_of_a_broken_postmortem_need_attention() -> None:
    context = replace(CONTEXT, broken=frozenset({"2026-10-01-api-outage"}))
    [step] = plan_of([], [observed(spec())], context=context).steps
    assert (step.action, step.note) == (
        "attention", "post-mortem 2026-10-01-api-outage failed to load: its issue is left alone until it loads")


def test_duplicates_keep_the_lowest_number_and_the_others_are_closed() -> None:
    item = spec()
    plan = plan_of([item], [observed(item, number=9), observed(item, number=3), observed(item, number=12),
                            observed(item, number=15, state="closed")])
    assert [(s.action, s.issue.number, s.canonical) for s in plan.steps if s.issue] == [
        ("unchanged", 3, None), ("duplicate", 9, 3), ("duplicate", 12, 3)]
    assert plan.notices == ()
    assert "Duplicate of #3" in (plan.steps[1].comment or "")


def test_issues_without_marker_are_ignored() -> None:
    assert group_by_key([replace(observed(spec()), key=None)]) == {}


def test_logins_are_checked_only_when_github_has_not_shown_them_assigned() -> None:
    a, b, c, d = (spec(item=i) for i in "abcd")
    d = replace(d, owner=Owner("cleo", "Cleo Park", None))
    issues = group_by_key([observed(a), observed(b, assignees=()), observed(c, state="closed", assignees=())])
    assert logins_to_check([a, b, c, d, spec(item="new")], issues) == {"ben-okafor"}
    assert logins_to_check([a], issues) == set()


def test_milestone_due_dates_a_person_changed_are_fixed() -> None:
    item = spec()
    wrong = observed(item, milestone=Milestone(7, "Due 2026-12-01", date(2026, 11, 30)))
    plan = plan_of([item], [wrong])
    assert plan.steps[0].action == "unchanged"
    assert plan.milestone_fixes == ((Milestone(7, "Due 2026-12-01", date(2026, 11, 30)), date(2026, 12, 1)),)


def test_counts() -> None:
    a, b = spec(item="a"), spec(item="b")
    plan = plan_of([a, b], [observed(a)])
    assert (plan.count("create"), plan.count("unchanged"), plan.count("update")) == (1, 1, 0)
