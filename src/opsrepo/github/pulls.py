"""A pull request for a rota change: opened once (found again by its branch), with reviews requested.

A create whose answer was lost is looked for (by its head branch) before it
is tried again, so a retry never opens a second pull request. A review GitHub
will not request (the person is no collaborator, or opened the pull request
themselves) is a warning: the pull request stands.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from opsrepo.actions.tracker import TrackerError
from opsrepo.github.retry import post_or_find
from opsrepo.github.tracker import GitHubTracker
from opsrepo.github.transport import Rejected

#: GitHub refuses pull-request bodies longer than this many characters
MAX_BODY = 65536


@dataclass(frozen=True)
class PullOutcome:
    """``opened`` or ``found`` (open already for this branch); the number, URL, reviewers, a warning."""

    action: str
    number: int
    url: str | None
    reviewers: tuple[str, ...] = ()
    warning: str | None = None


def open_pull_request(tracker: GitHubTracker, head: str, base: str, title: str, body: str,
                      reviewers: Sequence[str]) -> PullOutcome:
    """Open (or find) the pull request of branch ``head`` into ``base`` and request the reviews."""
    tracker.check_repo()
    found = find_pull_request(tracker, head)
    action = "found"
    if found is None:
        found, action = _create(tracker, {"title": title, "head": head, "base": base, "body": body[:MAX_BODY],
                                          "maintainer_can_modify": True}), "opened"
    number = int(found["number"])
    already = {str(r.get("login", "")).casefold() for r in found.get("requested_reviewers") or []
               if isinstance(r, dict)}
    wanted = [login for login in reviewers if login.casefold() not in already]
    requested, warning = _request_reviews(tracker, number, wanted)
    shown = tuple(login for login in reviewers if login.casefold() in already) + requested
    url = found.get("html_url")
    return PullOutcome(action, number, url if isinstance(url, str) else None, shown, warning)


def find_pull_request(tracker: GitHubTracker, head: str) -> dict[str, Any] | None:
    """The open pull request whose head is branch ``head`` of this repository."""
    owner = tracker.repo.split("/", 1)[0]
    params = {"state": "open", "head": f"{owner}:{head}"}
    for page in tracker.transport.pages(f"{tracker.base}/pulls", params):
        for pull in page:
            if isinstance(pull, dict) and (pull.get("head") or {}).get("ref") == head:
                return dict(pull)
    return None


def _create(tracker: GitHubTracker, payload: dict[str, Any]) -> dict[str, Any]:
    def refused(exc: Rejected) -> TrackerError:
        return TrackerError(f"GitHub refused to open the pull request: {_details(exc)}",
                            "check that the branch was pushed and differs from the base")

    return post_or_find(tracker, f"{tracker.base}/pulls", payload,
                        lambda: find_pull_request(tracker, str(payload["head"])), refused)


def _request_reviews(tracker: GitHubTracker, number: int, logins: list[str],
                     ) -> tuple[tuple[str, ...], str | None]:
    if not logins:
        return (), None
    try:
        tracker.transport.request("POST", f"{tracker.base}/pulls/{number}/requested_reviewers",
                                  body={"reviewers": logins}, idempotent=True)
    except Rejected as exc:
        asked = ", ".join(f"@{login}" for login in logins)
        return (), f"GitHub did not request a review from {asked}: {_details(exc)}"
    return tuple(logins), None


def _details(exc: Rejected) -> str:
    messages = [str(e.get("message") or e.get("code")) for e in exc.errors
                if e.get("message") or e.get("code")]
    return "; ".join(messages) or exc.message.split(": ", 1)[-1]  # without "GitHub refused X"
