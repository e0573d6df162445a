"""The fake GitHub checks every answer against GitHub's published operation, and catches drift."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from typing import Any

import pytest

from tests.fakegithub import TOKEN, FakeGitHub, Fault, operations
from tests.fakegithub import comments as _comments  # noqa: F401  (adds the comment-edit route)
from tests.fakegithub import pulls as _pulls  # noqa: F401  (adds the pull-request routes)
from tests.fakegithub.routes import ROUTES

pytest_plugins = ["tests.fakegithub.fixtures"]

ISSUES = "/repos/kestrel-eng/ops/issues"


def get(fake: FakeGitHub, path: str) -> tuple[int, Any]:
    request = urllib.request.Request(fake.url + path, headers={"Authorization": f"token {TOKEN}"})
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            return answer.status, json.loads(answer.read() or b"null")
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())


def test_every_route_of_the_fake_is_a_published_operation() -> None:
    served = {(method, pattern): operations.route_operation(method, pattern) for method, pattern, _ in ROUTES}
    assert None not in served.values()
    # the modules that add routes are imported in any order: the operations, not their order, are the point
    assert sorted(op.name for op in served.values() if op) == sorted([
        "repos.get", "issues.list_for_repo", "issues.create", "issues.get", "issues.update",
        "issues.list_comments", "issues.create_comment", "issues.list_labels_for_repo", "issues.create_label",
        "issues.list_milestones", "issues.create_milestone", "issues.update_milestone",
        "issues.check_user_can_be_assigned", "rate_limit.get", "issues.update_comment",
        "pulls.list", "pulls.create", "pulls.request_reviewers", "pulls.get"])


@pytest.mark.parametrize(("method", "path", "status", "body", "error"), [
    ("GET", "/repos/o/n/assignees/ana", 204, {}, "issues.check_user_can_be_assigned: a 204 answer has no body"),
    ("GET", "/repos/o/n/issues/1", 200, None, "issues.get: a 200 answer has a body"),
    ("GET", "/repos/o/n/nothing", 200, {}, "GET /repos/o/n/nothing: no GitHub operation answers 200 here"),
    ("POST", ISSUES, 201, {"number": 1}, "18 validation errors for Issue"),
    ("GET", ISSUES, 200, [{"number": 1}], "18 validation errors for list[Issue]"),
    ("POST", ISSUES, 422, {"message": "Validation Failed"}, "1 validation error for ValidationError"),
    ("GET", "/rate_limit", 200, {"rate": {}}, "1 validation error for RateLimitOverview"),
])
def test_a_body_github_would_not_send_is_refused(method: str, path: str, status: int, body: Any,
                                                 error: str) -> None:
    with pytest.raises(ValueError) as caught:  # pydantic's ValidationError is a ValueError
        operations.check(method, path, status, body, ROUTES)
    assert str(caught.value).splitlines()[0] == error


@pytest.mark.parametrize(("method", "path", "status", "body"), [
    ("GET", "/repos/o/n/assignees/ana", 204, None),
    ("POST", ISSUES, 422, {"message": "Validation Failed", "documentation_url": "https://docs.github.com/rest",
                           "errors": [{"resource": "Issue", "field": "title", "code": "missing_field"}]}),
    ("POST", ISSUES, 502, {"message": "Server Error"}),  # any endpoint, undocumented status: basic-error
    ("GET", "/repos/o/n/nothing", 404, {"message": "Not Found", "documentation_url": "https://docs.github.com/rest"}),
])
def test_answers_github_documents_pass(method: str, path: str, status: int, body: Any) -> None:
    operations.check(method, path, status, body, ROUTES)


def test_a_drifted_body_is_answered_500_and_recorded(fake_github: FakeGitHub,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    fake_github.repo.create_issue({"title": "An issue"}, fake_github.clock.now())
    original = fake_github.repo.issue_json

    def without_number(issue: Any) -> dict[str, Any]:
        body = dict(original(issue))
        del body["number"]
        return body

    monkeypatch.setattr(fake_github.repo, "issue_json", without_number)
    status, body = get(fake_github, f"{ISSUES}/1")
    assert (status, body["message"]) == (500, "fake GitHub sent a body GitHub never would")
    assert len(fake_github.drift) == 1
    assert fake_github.drift[0].startswith(f"GET {ISSUES}/1: 1 validation error for Issue\nnumber\n  Field required")
    fake_github.drift.clear()  # seen; the fixture fails any test that leaves drift behind


def test_injected_faults_and_refusals_have_githubs_error_bodies(fake_github: FakeGitHub) -> None:
    fake_github.inject(Fault("status", status=503))
    fake_github.inject(Fault("secondary", from_seq=2))
    assert get(fake_github, ISSUES)[0] == 503
    assert get(fake_github, ISSUES)[0] == 403
    assert get(fake_github, "/repos/kestrel-eng/ops/issues/99")[0] == 404
    assert [r.status for r in fake_github.log] == [503, 403, 404]
    assert fake_github.drift == []
