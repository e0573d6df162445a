"""The pinned "On-call handoffs" issue: found again by a hidden marker, and its reminder comments.

``opsrepo notify handoffs`` comments on this one issue before each handoff,
mentioning who takes the pager, so GitHub emails them (and everyone watching
the issue sees the rota move). It is the oldest open issue with
:data:`LABEL` whose body starts with :data:`MARKER`; when there is none it is
opened and pinned (a refusal to pin is a warning). Which shifts were announced
is read back from the comments' hidden markers, so a lost state file never
makes anyone reminded twice. Requests go through the action-items tracker's
transport (pacing, retries; a comment whose answer was lost is looked for
before it is posted again).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from opsrepo.actions.labels import LabelSpec
from opsrepo.github.documents import html_url, pin
from opsrepo.github.retry import post_or_find
from opsrepo.github.tracker import GitHubTracker

MARKER = "<!-- opsrepo:oncall-handoffs -->"
TITLE = "On-call handoffs"
LABEL = LabelSpec("oncall-handoffs", "1d76db", "Handoff reminders, kept by opsrepo notify handoffs")
BODY = (f"{MARKER}\nBefore each on-call handoff, `opsrepo notify handoffs` comments here and mentions who "
        "takes the pager, so GitHub notifies them. Watch this issue to follow the rota.\n")
ANNOUNCED = re.compile(r"<!-- opsrepo:handoff (\S+ \S+ \S+) -->")


@dataclass(frozen=True)
class HandoffIssue:
    """The issue's number and URL, whether this run opened it, and a warning (not pinned)."""

    number: int
    url: str | None
    opened: bool = False
    warning: str | None = None


def handoff_issue(tracker: GitHubTracker) -> HandoffIssue:
    """The handoff issue, opened (and pinned) when there is none."""
    tracker.check_repo()
    found = _find(tracker)
    if found is not None:
        return HandoffIssue(int(found["number"]), html_url(found))
    tracker.create_label(LABEL)
    payload = {"title": TITLE, "body": BODY, "labels": [LABEL.name]}
    created = post_or_find(tracker, f"{tracker.base}/issues", payload, lambda: _find(tracker))
    return HandoffIssue(int(created["number"]), html_url(created), True, pin(tracker, created, "handoff"))


def announced(tracker: GitHubTracker, number: int, since: datetime) -> set[str]:
    """The keys of the handoffs already announced in comments updated since ``since``."""
    params = {"since": since.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")}
    keys: set[str] = set()
    for page in tracker.transport.pages(f"{tracker.base}/issues/{number}/comments", params):
        for comment in page:
            if isinstance(comment, dict):
                keys.update(ANNOUNCED.findall(str(comment.get("body") or "")))
    return keys


def comment(tracker: GitHubTracker, number: int, body: str, since: datetime, keys: set[str]) -> str | None:
    """Post ``body`` (announcing ``keys``) on the issue; its URL. A lost answer is looked for first."""

    def posted() -> dict[str, Any] | None:
        return {"html_url": None} if keys <= announced(tracker, number, since) else None

    made = post_or_find(tracker, f"{tracker.base}/issues/{number}/comments", {"body": body}, posted)
    return html_url(made)


def _find(tracker: GitHubTracker) -> dict[str, Any] | None:
    params = {"labels": LABEL.name, "state": "open", "sort": "created", "direction": "asc"}
    for page in tracker.transport.pages(f"{tracker.base}/issues", params):
        for issue in page:
            if isinstance(issue, dict) and not issue.get("pull_request") and \
                    str(issue.get("body") or "").startswith(MARKER):
                return dict(issue)
    return None


