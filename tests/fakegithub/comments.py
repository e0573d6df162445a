"""Pull-request comments for the fake: editing a comment, and a pull request to comment on.

Pull-request conversation comments are issue comments in GitHub's REST API,
so a pull request is an issue here. Importing this module adds
``PATCH /repos/{owner}/{repo}/issues/comments/{id}`` and
``GET /repos/{owner}/{repo}/pulls/{number}`` (its head commit) to the fake's routes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from tests.fakegithub import shapes
from tests.fakegithub.faults import Fault
from tests.fakegithub.routes import REPO, ROUTES, Answer, _repo
from tests.fakegithub.state import Refusal, not_found

if TYPE_CHECKING:
    from tests.fakegithub.server import FakeGitHub

EDIT = REPO + r"/issues/comments/(?P<id>\d+)"
PULL = REPO + r"/pulls/(?P<number>\d+)"
#: the head commit of a pull request opened without one
HEAD = "a" * 40
#: what GitHub answers a GITHUB_TOKEN that lacks the permission for a write
NOT_ACCESSIBLE = "Resource not accessible by integration"
_WRITES = frozenset({"POST", "PATCH", "PUT", "DELETE"})


@dataclass
class ReadOnlyToken(Fault):
    """The token of a run for a pull request from a fork: reads work, every write gets GitHub's 403."""

    kind: str = "read-only"
    times: int = 1 << 30

    def matches(self, seq: int, method: str, path: str) -> bool:
        return self.times > 0 and method in _WRITES

    def answer(self, fake: FakeGitHub) -> Answer | None:
        return Answer(403, shapes.error(NOT_ACCESSIBLE, 403), "error")


def edit_comment(fake: FakeGitHub, params: dict[str, str], query: dict[str, str], body: Any) -> Answer:
    _repo(fake, params)
    if not (body or {}).get("body"):
        raise Refusal(422, shapes.error("Validation Failed", 422,
                                        [{"resource": "IssueComment", "field": "body", "code": "missing_field"}]),
                      "validation_error")
    ident = int(params["id"])
    for issue in fake.repo.issues.values():
        for comment in issue.comments:
            if comment["id"] == ident:
                comment["body"] = body["body"]
                comment["updated_at"] = shapes.timestamp(fake.clock.now())
                return Answer(200, comment, "comment")
    raise not_found()


def open_pull_request(fake: FakeGitHub, title: str = "Add Dev to the core rotation", head: str = HEAD) -> int:
    """A pull request (an issue, to the comments API) in the fake repository, at commit ``head``; its number."""
    issue = fake.repo.create_issue({"title": title}, fake.clock.now())
    issue.head_sha = head
    return issue.number


def get_pull(fake: FakeGitHub, params: dict[str, str], query: dict[str, str], body: Any) -> Answer:
    _repo(fake, params)
    issue = fake.repo.issues.get(int(params["number"]))
    if issue is None or issue.head_sha is None:
        raise not_found()
    return Answer(200, pull_json(fake, issue.number, issue.title, issue.head_sha), "pull")


def pull_json(fake: FakeGitHub, number: int, title: str, head: str) -> dict[str, Any]:
    """A ``pull-request`` as GitHub answers it (only the fields a client may read are meaningful)."""
    repo = fake.repo
    base = f"{repo.base}/pulls/{number}"
    html = f"{shapes.HTML}/{repo.full_name}/pull/{number}"
    issue = f"{repo.base}/issues/{number}"
    owner = repo.user(repo.owner)
    full = {**shapes.repository(fake.url, owner, repo.name, shapes.timestamp(fake.clock.now()), 0),
            "license": None, "forks": 0, "open_issues": 0, "watchers": 0}
    side = {"label": f"{repo.owner}:main", "ref": "main", "repo": full, "sha": head, "user": owner}
    links = {name: {"href": href} for name, href in (
        ("comments", f"{issue}/comments"), ("commits", f"{base}/commits"), ("statuses", f"{repo.base}/statuses/{head}"),
        ("html", html), ("issue", issue), ("review_comments", f"{base}/comments"),
        ("review_comment", f"{repo.base}/pulls/comments{{/number}}"), ("self", base))}
    now = shapes.timestamp(fake.clock.now())
    return {
        "url": base, "id": 900000 + number, "node_id": f"PR_{number}", "html_url": html, "diff_url": f"{html}.diff",
        "patch_url": f"{html}.patch", "issue_url": issue, "commits_url": f"{base}/commits",
        "review_comments_url": f"{base}/comments", "review_comment_url": f"{repo.base}/pulls/comments{{/number}}",
        "comments_url": f"{issue}/comments", "statuses_url": f"{repo.base}/statuses/{head}", "number": number,
        "state": "open", "locked": False, "title": title, "user": owner, "body": None, "labels": [],
        "milestone": None, "created_at": now, "updated_at": now, "closed_at": None, "merged_at": None,
        "head": side, "base": {**side, "sha": "b" * 40}, "_links": links, "author_association": "NONE",
        "auto_merge": None, "merged": False, "mergeable": True, "mergeable_state": "clean", "merged_by": None,
        "comments": 0, "review_comments": 0, "maintainer_can_modify": False, "commits": 1, "additions": 1,
        "deletions": 0, "changed_files": 1,
    }


def comments(fake: FakeGitHub, number: int) -> list[str]:
    """The bodies of the comments on issue or pull request ``number``."""
    return [str(c["body"]) for c in fake.repo.issues[number].comments]


if not any(pattern == EDIT for _, pattern, _ in ROUTES):
    ROUTES.append(("PATCH", EDIT, edit_comment))
if not any(pattern == PULL for _, pattern, _ in ROUTES):
    ROUTES.append(("GET", PULL, get_pull))
