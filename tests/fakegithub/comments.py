"""Pull-request comments for the fake: editing a comment, and a pull request to comment on.

Pull-request conversation comments are issue comments in GitHub's REST API,
so a pull request is an issue here. Importing this module adds
``PATCH /repos/{owner}/{repo}/issues/comments/{id}`` to the fake's routes.
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


def open_pull_request(fake: FakeGitHub, title: str = "Add Dev to the core rotation") -> int:
    """A pull request (an issue, to the comments API) in the fake repository; its number."""
    return fake.repo.create_issue({"title": title}, fake.clock.now()).number


def comments(fake: FakeGitHub, number: int) -> list[str]:
    """The bodies of the comments on issue or pull request ``number``."""
    return [str(c["body"]) for c in fake.repo.issues[number].comments]


if not any(pattern == EDIT for _, pattern, _ in ROUTES):
    ROUTES.append(("PATCH", EDIT, edit_comment))
