"""The sticky pull-request preview: one comment per pull request, found again by a hidden marker.

Pull-request conversation comments are issue comments in GitHub's REST API.
The first comment whose body starts with :data:`MARKER` is ours: it is
updated in place (only when its text changes), never duplicated. A preview
with nothing to show is not posted, but an existing one is updated to say so.
Requests go through the action-items tracker's transport (pacing, retries,
a create that lost its answer is looked for before it is tried again).

On a pull request from a fork the workflow token is read-only: GitHub
answers 403, and the preview goes to the job summary instead.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from opsrepo.actions.tracker import TrackerError
from opsrepo.errors import OpsrepoError, UsageError
from opsrepo.github.documents import html_url
from opsrepo.github.tracker import GitHubTracker
from opsrepo.github.transport import ACCESS_HINT

MARKER = "<!-- opsrepo:pr-preview -->"
READ_ONLY_NOTE = ("_The workflow token cannot comment on this pull request (a pull request from a fork "
                  "gets a read-only token), so the preview is here instead._\n\n")


@dataclass(frozen=True)
class PullRequest:
    """Where the comment goes, and the base revision the event names (if any)."""

    repo: str
    number: int
    base_sha: str | None = None
    head_sha: str | None = None


@dataclass(frozen=True)
class Outcome:
    """What happened: created, updated, unchanged, skipped (nothing to preview) or summary (read-only)."""

    action: str
    url: str | None = None


def comment_body(markdown: str) -> str:
    """The comment as posted: the marker, then the preview."""
    return f"{MARKER}\n{markdown}"


def pull_request_from_event(event_path: str | None, repository: str | None) -> PullRequest | None:
    """The pull request of a GitHub Actions event (``GITHUB_EVENT_PATH``, ``GITHUB_REPOSITORY``)."""
    if not event_path:
        return None
    try:
        event = json.loads(Path(event_path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise OpsrepoError(f"cannot read the GitHub event file {event_path}: {exc}") from None
    pull = event.get("pull_request") if isinstance(event, dict) else None
    if not isinstance(pull, dict) or not isinstance(pull.get("number"), int):
        return None
    base = pull.get("base")
    base = base if isinstance(base, dict) else {}
    name = repository or _full_name(event.get("repository"))
    if not name:
        raise UsageError("the event names no repository", "pass --repo-name owner/name")
    head = pull.get("head")
    head = head if isinstance(head, dict) else {}
    sha = base.get("sha") if isinstance(base.get("sha"), str) else None
    head_sha = head.get("sha") if isinstance(head.get("sha"), str) else None
    return PullRequest(name, pull["number"], sha, head_sha)


def _full_name(repository: Any) -> str | None:
    name = repository.get("full_name") if isinstance(repository, dict) else None
    return name if isinstance(name, str) else None


def post_preview(tracker: GitHubTracker, number: int, body: str, *, changed: bool) -> Outcome:
    """Create or update the sticky comment on pull request ``number``."""
    existing = find_preview(tracker, number)
    if existing is None:
        if not changed:
            return Outcome("skipped")
        tracker.comment(number, body, MARKER)
        created = find_preview(tracker, number)
        return Outcome("created", html_url(created))
    if str(existing.get("body") or "").strip() == body.strip():
        return Outcome("unchanged", html_url(existing))
    path = f"{tracker.base}/issues/comments/{existing['id']}"
    updated = tracker.transport.request("PATCH", path, body={"body": body}).data
    return Outcome("updated", html_url(updated if isinstance(updated, dict) else existing))


def find_preview(tracker: GitHubTracker, number: int) -> dict[str, Any] | None:
    """The oldest comment on the pull request that is our preview."""
    for page in tracker.transport.pages(f"{tracker.base}/issues/{number}/comments", {}):
        for comment in page:
            if isinstance(comment, dict) and str(comment.get("body") or "").startswith(MARKER):
                return comment
    return None


def publish(tracker: GitHubTracker, pull: PullRequest, markdown: str, *, changed: bool,
            summary: Path | None) -> Outcome:
    """Post the preview; write it to the job summary too, and only there when the token is read-only."""
    try:
        outcome = post_preview(tracker, pull.number, comment_body(markdown), changed=changed)
    except TrackerError as exc:
        if not is_forbidden(exc):
            raise
        if summary is None:
            raise OpsrepoError(f"cannot comment on {pull.repo}#{pull.number}: {exc.message}",
                               "the workflow needs 'permissions: pull-requests: write'") from None
        write_summary(summary, READ_ONLY_NOTE + markdown)
        return Outcome("summary")
    if summary is not None:
        write_summary(summary, markdown)
    return outcome


def is_forbidden(exc: TrackerError) -> bool:
    """GitHub refused for lack of permission (403 without a rate limit), not for anything else."""
    return exc.hint == ACCESS_HINT


def write_summary(path: Path, markdown: str) -> None:
    """Append to the GitHub Actions job summary."""
    with path.open("a", encoding="utf-8") as handle:
        handle.write(markdown if markdown.endswith("\n") else markdown + "\n")
