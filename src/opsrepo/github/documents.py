"""What the modules that keep one issue or comment up to date share: a document's web address, pinning."""

from __future__ import annotations

from typing import Any

from opsrepo.actions.tracker import TrackerError
from opsrepo.github.tracker import GitHubTracker

PIN = "mutation($id: ID!) { pinIssue(input: {issueId: $id}) { issue { number } } }"


def html_url(document: dict[str, Any] | None) -> str | None:
    """The ``html_url`` of an issue or comment GitHub answered with (None when there is none)."""
    url = document.get("html_url") if document else None
    return url if isinstance(url, str) else None


def pin(tracker: GitHubTracker, issue: dict[str, Any], what: str) -> str | None:
    """Pin a new issue; a warning naming ``what`` issue (never an exception) when GitHub will not."""
    node = issue.get("node_id")
    if not isinstance(node, str):
        return f"the {what} issue was not pinned: GitHub did not say its node id"
    url = tracker.transport.requester.graphql_url
    try:
        answer = tracker.transport.request("POST", url, body={"query": PIN, "variables": {"id": node}},
                                           idempotent=True).data
    except TrackerError as exc:
        return f"the {what} issue was not pinned: {exc.message}"
    errors = answer.get("errors") if isinstance(answer, dict) else None
    if errors:
        first = errors[0] if isinstance(errors[0], dict) else {"message": errors[0]}
        return f"the {what} issue was not pinned: {tracker.transport.redact(str(first.get('message')))}"
    return None
