"""The PagerDuty drift issue: one open issue while PagerDuty differs from the repo, closed when it does not.

``opsrepo apply pagerduty --check --issue`` (the ``apply`` workflow, daily)
keeps it. The issue is the oldest open one carrying :data:`LABEL` whose body
starts with :data:`MARKER`: it is updated in place (only when its text
changes), never duplicated; when the drift is gone it gets a comment and is
closed. A later drift opens a new one. Requests go through the action-items
tracker's transport (pacing, retries, a create whose answer was lost is
looked for before it is tried again).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from opsrepo.actions.labels import LabelSpec
from opsrepo.github.documents import html_url
from opsrepo.github.retry import post_or_find
from opsrepo.github.tracker import GitHubTracker

MARKER = "<!-- opsrepo:pagerduty-drift -->"
TITLE = "PagerDuty differs from the ops repo"
LABEL = LabelSpec("pagerduty-drift", "d93f0b", "PagerDuty was changed by hand; kept by opsrepo apply --check")
RESOLVED = "PagerDuty holds what the repo says again: closing. (opsrepo apply pagerduty --check)"
MAX_BODY = 65536


@dataclass(frozen=True)
class Outcome:
    """``created``, ``updated``, ``unchanged``, ``closed`` or ``none`` (no drift, no issue); the issue."""

    action: str
    number: int | None = None
    url: str | None = None


def sync_drift_issue(tracker: GitHubTracker, markdown: str, drifted: bool) -> Outcome:
    """Open or update the issue while ``drifted``; close it once not."""
    tracker.check_repo()
    existing = find_drift_issue(tracker)
    if not drifted:
        if existing is None:
            return Outcome("none")
        number = int(existing["number"])
        tracker.comment(number, RESOLVED, RESOLVED)
        tracker.transport.request("PATCH", f"{tracker.base}/issues/{number}",
                                  body={"state": "closed", "state_reason": "completed"})
        return Outcome("closed", number, html_url(existing))
    body = f"{MARKER}\n{markdown}"[:MAX_BODY]
    if existing is None:
        tracker.create_label(LABEL)
        created = _create(tracker, body)
        return Outcome("created", int(created["number"]), html_url(created))
    number = int(existing["number"])
    if str(existing.get("body") or "").strip() == body.strip():
        return Outcome("unchanged", number, html_url(existing))
    tracker.transport.request("PATCH", f"{tracker.base}/issues/{number}", body={"title": TITLE, "body": body})
    return Outcome("updated", number, html_url(existing))


def find_drift_issue(tracker: GitHubTracker) -> dict[str, Any] | None:
    """The oldest open issue with the label whose body starts with the marker."""
    params = {"labels": LABEL.name, "state": "open", "sort": "created", "direction": "asc"}
    for page in tracker.transport.pages(f"{tracker.base}/issues", params):
        for issue in page:
            if isinstance(issue, dict) and not issue.get("pull_request") \
                    and str(issue.get("body") or "").startswith(MARKER):
                return dict(issue)
    return None


def _create(tracker: GitHubTracker, body: str) -> dict[str, Any]:
    """Open the issue; when GitHub's answer is lost, look for it before trying again."""
    payload = {"title": TITLE, "body": body, "labels": [LABEL.name]}
    return post_or_find(tracker, f"{tracker.base}/issues", payload, lambda: find_drift_issue(tracker))


