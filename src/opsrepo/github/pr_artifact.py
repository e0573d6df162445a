"""The preview handed from the job that runs a pull request's code to the job that may comment.

The job that installs and runs the pull request (``pr.yml``) has a read-only
token; it saves its preview to a file, uploaded as an artifact. A second
workflow (``pr-comment.yml``, on ``workflow_run``) runs only the default
branch's code with ``pull-requests: write``, reads that file and comments.

Everything in the file was written by the pull request, so it is data: the
text is posted as it is (to that pull request only, at most GitHub's 65,536
characters), and the pull request's number is trusted only once GitHub says
that pull request's head is the commit the preview workflow ran on
(``workflow_run.head_sha``, set by GitHub): a forged number would otherwise
post on, or overwrite the preview of, another pull request.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from opsrepo.errors import OpsrepoError
from opsrepo.github.tracker import GitHubTracker

#: GitHub refuses longer comment bodies
MAX_BODY = 65536
_SHA_LENGTHS = (40, 64)


@dataclass(frozen=True)
class SavedPreview:
    """What the preview job found: pull request, head commit, preview, whether it changes anything."""

    number: int
    head_sha: str
    markdown: str
    changed: bool


def save_preview(path: Path, preview: SavedPreview) -> None:
    """Write the preview for the commenting job."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"number": preview.number, "head_sha": preview.head_sha,
                                "markdown": preview.markdown, "changed": preview.changed}), encoding="utf-8")


def read_preview(path: Path) -> SavedPreview:
    """The saved preview, each value checked for its type and size; else an error that says what is wrong."""
    try:
        data: Any = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise OpsrepoError(f"cannot read the saved preview {path}: {exc}",
                           "download the preview job's artifact first") from None
    if not isinstance(data, dict):
        raise OpsrepoError(f"the saved preview {path} is not a JSON object")
    number, sha, markdown, changed = (data.get(key) for key in ("number", "head_sha", "markdown", "changed"))
    if type(number) is not int or number < 1:
        raise OpsrepoError(f"the saved preview {path} names no pull request number")
    if not isinstance(sha, str) or not _is_sha(sha):
        raise OpsrepoError(f"the saved preview {path} names no head commit")
    if not isinstance(markdown, str) or len(markdown) > MAX_BODY - 100:
        raise OpsrepoError(f"the saved preview {path} has no text, or more than GitHub takes in a comment")
    if not isinstance(changed, bool):
        raise OpsrepoError(f"the saved preview {path} does not say whether anything changed")
    return SavedPreview(number, sha, markdown, changed)


def check_head(tracker: GitHubTracker, preview: SavedPreview, head_sha: str) -> None:
    """Raise unless pull request ``preview.number``'s head is ``head_sha``, the commit the preview ran on."""
    if not _is_sha(head_sha):
        raise OpsrepoError(f"--head-sha {head_sha!r} is not a commit id",
                           "pass ${{ github.event.workflow_run.head_sha }} through the environment")
    if preview.head_sha != head_sha:
        raise OpsrepoError(f"the saved preview is of commit {preview.head_sha[:12]}, not of {head_sha[:12]}, "
                           "the commit the preview workflow ran on: not commenting")
    answer = tracker.transport.request("GET", f"{tracker.base}/pulls/{preview.number}").data
    head = answer.get("head") if isinstance(answer, dict) else None
    actual = head.get("sha") if isinstance(head, dict) else None
    if actual != head_sha:
        raise OpsrepoError(f"pull request #{preview.number} is at {str(actual)[:12]}, not at "
                           f"{head_sha[:12]}, the commit the preview ran on: not commenting",
                           "a newer push runs the preview again; a forged number is refused")


def _is_sha(value: Any) -> bool:
    hexadecimal = isinstance(value, str) and all(c in "0123456789abcdef" for c in value)
    return hexadecimal and len(value) in _SHA_LENGTHS
