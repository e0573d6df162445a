"""The weekly reliability review: one pinned issue, found again by a hidden marker, kept up to date.

``opsrepo report --publish-issue`` (the ``report`` workflow, weekly) writes
the Markdown report into this issue. The issue is the oldest open one that
carries :data:`LABEL` and whose body starts with :data:`MARKER`; it is edited
in place (only when its text changes), never duplicated. When there is none
(the first run, or a person closed the last one) a new one is opened and
pinned. Pinning is GitHub GraphQL's ``pinIssue``; it is done once, when the
issue is opened, so a person who unpins it is not overruled, and a refusal
(three issues pinned already, a token that may not pin) is a warning, not a
failure. Requests go through the action-items tracker's transport (pacing,
retries, a create that lost its answer is looked for before it is tried again).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from opsrepo.actions.labels import LabelSpec
from opsrepo.github.documents import html_url, pin
from opsrepo.github.retry import post_or_find
from opsrepo.github.tracker import GitHubTracker

MARKER = "<!-- opsrepo:weekly-reliability-review -->"
TITLE = "Weekly reliability review"
LABEL = LabelSpec("reliability-review", "0e8a16", "The weekly reliability review, kept up to date by opsrepo")
#: GitHub refuses issue bodies longer than this many characters
MAX_BODY = 65536
TRUNCATED = ("\n\n_The report is longer than an issue can hold and was cut here; the workflow run's job "
             "summary has all of it._\n")


@dataclass(frozen=True)
class Outcome:
    """What happened: ``created``, ``updated`` or ``unchanged``; the issue; a warning, if any."""

    action: str
    number: int
    url: str | None
    warning: str | None = None


def review_body(markdown: str) -> str:
    """The issue body: the marker, then the report, cut at a line to fit GitHub's limit."""
    body = f"{MARKER}\n{markdown}"
    if len(body) <= MAX_BODY:
        return body
    cut = body.rfind("\n", 0, MAX_BODY - len(TRUNCATED))
    return body[:cut] + TRUNCATED


def upsert_review_issue(tracker: GitHubTracker, markdown: str) -> Outcome:
    """Create (and pin) or update the review issue with ``markdown``."""
    tracker.check_repo()
    tracker.create_label(LABEL)
    body = review_body(markdown)
    existing = find_review_issue(tracker)
    if existing is None:
        created = _create(tracker, body)
        return Outcome("created", int(created["number"]), html_url(created), pin(tracker, created, "review"))
    number = int(existing["number"])
    if str(existing.get("body") or "").strip() == body.strip() and existing.get("title") == TITLE:
        return Outcome("unchanged", number, html_url(existing))
    updated = tracker.transport.request("PATCH", f"{tracker.base}/issues/{number}",
                                        body={"title": TITLE, "body": body}).data
    return Outcome("updated", number, html_url(updated if isinstance(updated, dict) else existing))


def find_review_issue(tracker: GitHubTracker) -> dict[str, Any] | None:
    """The oldest open issue with the label whose body starts with the marker."""
    params = {"labels": LABEL.name, "state": "open", "sort": "created", "direction": "asc"}
    for page in tracker.transport.pages(f"{tracker.base}/issues", params):
        for issue in page:
            if _is_review(issue):
                return dict(issue)
    return None


def _is_review(issue: Any) -> bool:
    return (isinstance(issue, dict) and not issue.get("pull_request")
            and str(issue.get("body") or "").startswith(MARKER))


def _create(tracker: GitHubTracker, body: str) -> dict[str, Any]:
    """Open the issue; when GitHub's answer is lost, look for it before trying again."""
    payload = {"title": TITLE, "body": body, "labels": [LABEL.name]}
    return post_or_find(tracker, f"{tracker.base}/issues", payload, lambda: find_review_issue(tracker))


