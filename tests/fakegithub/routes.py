"""The endpoints: each view turns a request into an :class:`Answer` (or raises ``Refusal``)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from tests.fakegithub import shapes
from tests.fakegithub.state import Refusal, not_found

if TYPE_CHECKING:
    from tests.fakegithub.server import FakeGitHub

REPO = r"/repos/(?P<owner>[^/]+)/(?P<name>[^/]+)"


@dataclass(frozen=True)
class Answer:
    """Status, JSON body (None: no body) and the shape it must have."""

    status: int
    body: Any
    shape: str
    headers: dict[str, str] = field(default_factory=dict)


def _repo(fake: FakeGitHub, params: dict[str, str]) -> None:
    if (params["owner"].casefold(), params["name"].casefold()) != (fake.owner.casefold(), fake.name.casefold()):
        raise not_found()


def _page(fake: FakeGitHub, path: str, query: dict[str, str], items: list[Any], shape: str) -> Answer:
    per_page = min(max(int(query.get("per_page", 30)), 1), 100)
    page = max(int(query.get("page", 1)), 1)
    last = max((len(items) + per_page - 1) // per_page, 1)
    chunk = items[(page - 1) * per_page: page * per_page]
    link = fake.link(path, {k: v for k, v in query.items() if k != "page"}, page, last)
    return Answer(200, chunk, shape, {"Link": link} if link else {})


def get_repo(fake: FakeGitHub, params: dict[str, str], query: dict[str, str], body: Any) -> Answer:
    _repo(fake, params)
    repo = fake.repo
    opened = sum(1 for i in repo.issues.values() if i.state == "open")
    return Answer(200, shapes.repository(fake.url, repo.user(repo.owner), repo.name,
                                         shapes.timestamp(fake.clock.now()), opened), "repository")


def list_issues(fake: FakeGitHub, params: dict[str, str], query: dict[str, str], body: Any) -> Answer:
    _repo(fake, params)
    wanted = [name.casefold() for name in query.get("labels", "").split(",") if name]
    state = query.get("state", "open")
    since = query.get("since")
    found = [i for i in fake.repo.issues.values()
             if (state == "all" or i.state == state) and all(w in {n.casefold() for n in i.labels} for w in wanted)
             and (since is None or i.updated_at >= _epoch(since))]
    key = (lambda i: i.updated_at) if query.get("sort") == "updated" else (lambda i: i.created_at)
    found.sort(key=lambda i: (key(i), i.number), reverse=query.get("direction", "desc") == "desc")
    path = f"/repos/{params['owner']}/{params['name']}/issues"
    return _page(fake, path, query, [fake.repo.issue_json(i) for i in found], "issues")


def create_issue(fake: FakeGitHub, params: dict[str, str], query: dict[str, str], body: Any) -> Answer:
    _repo(fake, params)
    issue = fake.repo.create_issue(body or {}, fake.clock.now())
    return Answer(201, fake.repo.issue_json(issue), "issue")


def get_issue(fake: FakeGitHub, params: dict[str, str], query: dict[str, str], body: Any) -> Answer:
    _repo(fake, params)
    issue = fake.repo.issues.get(int(params["number"]))
    if issue is None:
        raise not_found()
    return Answer(200, fake.repo.issue_json(issue), "issue")


def edit_issue(fake: FakeGitHub, params: dict[str, str], query: dict[str, str], body: Any) -> Answer:
    _repo(fake, params)
    issue = fake.repo.edit_issue(int(params["number"]), body or {}, fake.clock.now())
    return Answer(200, fake.repo.issue_json(issue), "issue")


def list_comments(fake: FakeGitHub, params: dict[str, str], query: dict[str, str], body: Any) -> Answer:
    _repo(fake, params)
    issue = fake.repo.issues.get(int(params["number"]))
    if issue is None:
        raise not_found()
    since = query.get("since")
    found = [c for c in issue.comments if since is None or _epoch(c["updated_at"]) >= _epoch(since)]
    path = f"/repos/{params['owner']}/{params['name']}/issues/{params['number']}/comments"
    return _page(fake, path, query, found, "comments")


def create_comment(fake: FakeGitHub, params: dict[str, str], query: dict[str, str], body: Any) -> Answer:
    _repo(fake, params)
    if not (body or {}).get("body"):
        raise Refusal(422, shapes.error("Validation Failed", 422,
                                        [{"resource": "IssueComment", "field": "body", "code": "missing_field"}]),
                      "validation_error")
    comment = fake.repo.add_comment(int(params["number"]), body["body"], fake.clock.now())
    return Answer(201, comment, "comment")


def list_labels(fake: FakeGitHub, params: dict[str, str], query: dict[str, str], body: Any) -> Answer:
    _repo(fake, params)
    path = f"/repos/{params['owner']}/{params['name']}/labels"
    return _page(fake, path, query, list(fake.repo.labels.values()), "labels")


def create_label(fake: FakeGitHub, params: dict[str, str], query: dict[str, str], body: Any) -> Answer:
    _repo(fake, params)
    body = body or {}
    return Answer(201, fake.repo.create_label(body.get("name", ""), body.get("color", "ededed"),
                                              body.get("description")), "label")


def list_milestones(fake: FakeGitHub, params: dict[str, str], query: dict[str, str], body: Any) -> Answer:
    _repo(fake, params)
    state = query.get("state", "open")
    found = [fake.repo.milestone_json(n) for n, m in sorted(fake.repo.milestones.items())
             if state == "all" or m["state"] == state]
    path = f"/repos/{params['owner']}/{params['name']}/milestones"
    return _page(fake, path, query, found, "milestones")


def create_milestone(fake: FakeGitHub, params: dict[str, str], query: dict[str, str], body: Any) -> Answer:
    _repo(fake, params)
    body = body or {}
    made = fake.repo.create_milestone(body.get("title", ""), body.get("due_on"), body.get("state", "open"),
                                      fake.clock.now())
    return Answer(201, made, "milestone")


def edit_milestone(fake: FakeGitHub, params: dict[str, str], query: dict[str, str], body: Any) -> Answer:
    _repo(fake, params)
    number = int(params["number"])
    milestone = fake.repo.milestones.get(number)
    if milestone is None:
        raise not_found()
    for key in ("title", "state", "description"):
        if key in (body or {}):
            milestone[key] = body[key]
    if "due_on" in (body or {}):
        milestone["due_on"] = fake.repo.stored_due_on(body["due_on"])
    milestone["updated_at"] = shapes.timestamp(fake.clock.now())
    return Answer(200, fake.repo.milestone_json(number), "milestone")


def check_assignee(fake: FakeGitHub, params: dict[str, str], query: dict[str, str], body: Any) -> Answer:
    _repo(fake, params)
    if params["login"].casefold() in {a.casefold() for a in fake.repo.assignable}:
        return Answer(204, None, "")
    raise not_found()


def rate_limit(fake: FakeGitHub, params: dict[str, str], query: dict[str, str], body: Any) -> Answer:
    rate = fake.rate
    return Answer(200, shapes.rate_limit(rate.limit, rate.remaining, int(rate.reset)), "rate_limit")


def _epoch(text: str) -> float:
    return datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()


View = Callable[["FakeGitHub", dict[str, str], dict[str, str], Any], Answer]
ROUTES: list[tuple[str, str, View]] = [
    ("GET", REPO, get_repo),
    ("GET", REPO + "/issues", list_issues),
    ("POST", REPO + "/issues", create_issue),
    ("GET", REPO + r"/issues/(?P<number>\d+)", get_issue),
    ("PATCH", REPO + r"/issues/(?P<number>\d+)", edit_issue),
    ("GET", REPO + r"/issues/(?P<number>\d+)/comments", list_comments),
    ("POST", REPO + r"/issues/(?P<number>\d+)/comments", create_comment),
    ("GET", REPO + "/labels", list_labels),
    ("POST", REPO + "/labels", create_label),
    ("GET", REPO + "/milestones", list_milestones),
    ("POST", REPO + "/milestones", create_milestone),
    ("PATCH", REPO + r"/milestones/(?P<number>\d+)", edit_milestone),
    ("GET", REPO + r"/assignees/(?P<login>[^/]+)", check_assignee),
    ("GET", "/rate_limit", rate_limit),
]
