"""``opsrepo report --publish-issue`` against the fake GitHub: one review issue, opened once, then updated."""

from __future__ import annotations

from typing import Any

import pytest
from click.testing import CliRunner

from opsrepo.cli.main import cli
from opsrepo.github.review_issue import MARKER, MAX_BODY, TITLE, TRUNCATED, review_body
from tests.fakegithub import FakeGitHub, Fault
from tests.fakegithub import server as fake_server
from tests.fakegithub import shapes as fake_shapes
from tests.fakegithub.routes import Answer
from tests.helpers import FIXTURES

pytest_plugins = ["tests.fakegithub.fixtures"]

FOUR = FIXTURES / "repos" / "report-four"
NOW = "2026-11-23T09:00:00Z"
ISSUES = "/repos/kestrel-eng/ops/issues"
NOT_PINNED = "opsrepo: warning: the review issue was not pinned: POST /graphql: 404 Not Found\n"


def publish(fake: FakeGitHub, *args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(
        cli, ["report", "--repo", str(FOUR), "--format", "md", "--publish-issue", *args],
        env={"OPSREPO_NOW": NOW, "GITHUB_API_URL": fake.url, "GITHUB_REPOSITORY": "kestrel-eng/ops",
             **(env or {})})
    return result.exit_code, result.stdout, result.stderr


def review_issues(fake: FakeGitHub) -> list[Any]:
    return [i for i in fake.repo.issues.values() if (i.body or "").startswith(MARKER)]


def url(number: int) -> str:
    return f"https://github.example/kestrel-eng/ops/issues/{number}"


def test_opened_once_then_left_alone_then_updated(fake_github: FakeGitHub) -> None:
    code, out, err = publish(fake_github)
    assert code == 0
    assert err == f"opsrepo: opened the review issue kestrel-eng/ops#1: {url(1)}\n{NOT_PINNED}"
    [issue] = review_issues(fake_github)
    assert (issue.title, issue.labels, issue.state) == (TITLE, ["reliability-review"], "open")
    assert issue.body == f"{MARKER}\n{out}"
    assert out.startswith("# Reliability review: Test\n")

    fake_github.clear_log()
    assert publish(fake_github) == (
        0, out, f"opsrepo: left unchanged the review issue kestrel-eng/ops#1: {url(1)}\n")
    assert [r.method for r in fake_github.writes()] == ["POST"]   # the label, which exists already

    fake_github.clear_log()
    code, later, err = publish(fake_github, env={"OPSREPO_NOW": "2026-11-30T09:00:00Z"})
    assert (code, err) == (0, f"opsrepo: updated the review issue kestrel-eng/ops#1: {url(1)}\n")
    assert [(r.method, r.path) for r in fake_github.writes()] == [
        ("POST", "/repos/kestrel-eng/ops/labels"), ("PATCH", f"{ISSUES}/1")]
    assert review_issues(fake_github)[0].body == f"{MARKER}\n{later}"
    assert "Generated Mon 2026-11-30 10:00 CET" in later


def test_a_closed_review_issue_is_followed_by_a_new_one(fake_github: FakeGitHub) -> None:
    publish(fake_github)
    fake_github.repo.edit_issue(1, {"state": "closed"}, fake_github.clock.now())
    code, _, err = publish(fake_github)
    assert (code, err) == (0, f"opsrepo: opened the review issue kestrel-eng/ops#2: {url(2)}\n{NOT_PINNED}")
    assert [(i.number, i.state) for i in review_issues(fake_github)] == [(1, "closed"), (2, "open")]


def test_only_labelled_issues_with_the_marker_count(fake_github: FakeGitHub) -> None:
    now = fake_github.clock.now()
    fake_github.repo.create_issue({"title": "Quoting the bot", "body": f"{MARKER}\nnot ours"}, now)
    fake_github.repo.create_issue({"title": "Review ideas", "body": "no marker", "labels": ["reliability-review"]},
                                  now)
    code, _, err = publish(fake_github)
    assert (code, err) == (0, f"opsrepo: opened the review issue kestrel-eng/ops#3: {url(3)}\n{NOT_PINNED}")
    assert fake_github.repo.issues[1].body == f"{MARKER}\nnot ours"
    assert fake_github.repo.issues[2].body == "no marker"


def test_a_create_whose_answer_is_lost_is_not_duplicated(fake_github: FakeGitHub) -> None:
    fake_github.inject(Fault("drop", method="POST", path=f"^{ISSUES}$", before=False))
    code, _, err = publish(fake_github)
    assert code == 0
    assert err.startswith(f"opsrepo: opened the review issue kestrel-eng/ops#1: {url(1)}\n")
    assert len(review_issues(fake_github)) == 1


def test_the_issue_is_pinned_when_opened(fake_github: FakeGitHub, monkeypatch: pytest.MonkeyPatch) -> None:
    from pydantic import TypeAdapter

    seen: list[Any] = []

    def graphql(fake: FakeGitHub, params: dict[str, str], query: dict[str, str], body: Any) -> Answer:
        seen.append(body)
        return Answer(200, {"data": {"pinIssue": {"issue": {"number": 1}}}}, "graphql")

    monkeypatch.setattr(fake_server, "ROUTES", [*fake_server.ROUTES, ("POST", "/graphql", graphql)])
    monkeypatch.setitem(fake_shapes._adapters(), "graphql", TypeAdapter(dict))
    code, _, err = publish(fake_github)
    assert (code, err) == (0, f"opsrepo: opened the review issue kestrel-eng/ops#1: {url(1)}\n")
    assert seen == [{"query": "mutation($id: ID!) { pinIssue(input: {issueId: $id}) { issue { number } } }",
                     "variables": {"id": "I_500001"}}]
    publish(fake_github, env={"OPSREPO_NOW": "2026-11-30T09:00:00Z"})
    assert len(seen) == 1          # pinned once: a person who unpins it is not overruled


def test_graphql_errors_are_a_warning(fake_github: FakeGitHub, monkeypatch: pytest.MonkeyPatch) -> None:
    from pydantic import TypeAdapter

    def graphql(fake: FakeGitHub, params: dict[str, str], query: dict[str, str], body: Any) -> Answer:
        return Answer(200, {"data": None, "errors": [{"message": "You can only pin 3 issues"}]}, "graphql")

    monkeypatch.setattr(fake_server, "ROUTES", [*fake_server.ROUTES, ("POST", "/graphql", graphql)])
    monkeypatch.setitem(fake_shapes._adapters(), "graphql", TypeAdapter(dict))
    code, _, err = publish(fake_github)
    assert code == 0
    assert err.endswith("opsrepo: warning: the review issue was not pinned: You can only pin 3 issues\n")


def test_no_token(fake_github: FakeGitHub) -> None:
    assert publish(fake_github, env={"GITHUB_TOKEN": ""})[0::2] == (
        1, "opsrepo: error: GITHUB_TOKEN is not set\n  hint: export GITHUB_TOKEN with a token that can write "
           "issues of kestrel-eng/ops (in a workflow: permissions: issues: write)\n")
    assert fake_github.log == []


def test_no_repository(fake_github: FakeGitHub) -> None:
    assert publish(fake_github, env={"GITHUB_REPOSITORY": ""})[0::2] == (
        1, "opsrepo: error: no GitHub repository for the review issue\n"
           "  hint: set github.repo in opsrepo.yaml, or pass --repo-name owner/name\n")


def test_a_read_only_token_fails_with_what_to_do(fake_github: FakeGitHub) -> None:
    fake_github.inject(Fault("status", status=403, method="POST", path="/labels$"))
    code, _, err = publish(fake_github)
    assert code == 1
    assert err.startswith("opsrepo: error: GitHub refused POST /repos/kestrel-eng/ops/labels: 403")
    assert "hint: the token needs read and write access to the repository's issues" in err
    assert fake_github.token not in err


def test_a_long_report_is_cut_at_a_line_to_fit() -> None:
    body = review_body("x" * 70 + "\n" + ("line\n" * 20000))
    assert len(body) <= MAX_BODY and body.endswith("line" + TRUNCATED)
    assert review_body("short\n") == f"{MARKER}\nshort\n"


def test_the_flag_is_documented() -> None:
    out = CliRunner().invoke(cli, ["report", "--help"]).stdout
    assert "--publish-issue" in out and "--repo-name OWNER/NAME" in out
