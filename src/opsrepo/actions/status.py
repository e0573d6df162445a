"""The action-item status file, ``status/actions.json``: GitHub's view of each item.

Written by ``opsrepo actions sync`` and ``opsrepo actions status``; read by the
report and the site without any GitHub access::

    {"generated_at": "2026-11-23T06:00:00+00:00", "repo": "owner/name",
     "items": [{"postmortem": id, "item": id, "issue": 12, "url": "https://...",
                "state": "open" | "closed", "assignee": "login" | null,
                "closed_at": instant | null, "due": "2026-03-28", "owner": person-id}]}
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from opsrepo.errors import OpsrepoError
from opsrepo.timeutil import parse_instant

if TYPE_CHECKING:
    from opsrepo.actions.model import Key

STATUS_FILE = Path("status") / "actions.json"
STATES = ("open", "closed")


@dataclass(frozen=True)
class ItemState:
    """One action item's issue as last seen on GitHub."""

    postmortem: str
    item: str
    issue: int
    url: str
    state: str
    assignee: str | None
    closed_at: datetime | None
    due: date
    owner: str

    @property
    def key(self) -> Key:
        """(post-mortem id, item id)."""
        return (self.postmortem, self.item)

    def to_dict(self) -> dict[str, Any]:
        """The file's JSON shape."""
        return {
            "postmortem": self.postmortem, "item": self.item, "issue": self.issue, "url": self.url,
            "state": self.state, "assignee": self.assignee,
            "closed_at": None if self.closed_at is None else _instant_text(self.closed_at),
            "due": self.due.isoformat(), "owner": self.owner,
        }


@dataclass(frozen=True)
class ActionStatus:
    """The whole file: when it was written, for which GitHub repo, and every synced item."""

    generated_at: datetime
    repo: str
    items: tuple[ItemState, ...]

    def to_dict(self) -> dict[str, Any]:
        """The file's JSON shape, items sorted."""
        return {"generated_at": _instant_text(self.generated_at), "repo": self.repo,
                "items": [entry.to_dict() for entry in sorted(self.items, key=lambda e: e.key)]}


def status_path(root: Path) -> Path:
    """Where the status file of the ops repo at ``root`` lives."""
    return root / STATUS_FILE


def read_status(root: Path) -> ActionStatus | None:
    """The status file of the ops repo at ``root``; ``None`` when there is none."""
    return read_status_file(status_path(root))


def read_status_file(path: Path) -> ActionStatus | None:
    """The status file at ``path``; ``None`` when missing; OpsrepoError when unreadable."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        raise OpsrepoError(f"cannot read {path}: {exc}",
                           "run 'opsrepo actions status' to write it again") from None
    try:
        return parse_status(json.loads(text))
    except (ValueError, TypeError, KeyError) as exc:
        raise OpsrepoError(f"{path} is not an action-item status file: {exc}",
                           "run 'opsrepo actions status' to write it again, or delete it") from None


def parse_status(document: Any) -> ActionStatus:
    """An :class:`ActionStatus` from decoded JSON; raises ValueError, TypeError or KeyError."""
    if not isinstance(document, dict) or not isinstance(document.get("items"), list):
        raise ValueError("expected an object with an 'items' list")
    return ActionStatus(_instant(document["generated_at"]), _text(document["repo"], "repo"),
                        tuple(_item(entry) for entry in document["items"]))


def write_status(root: Path, status: ActionStatus) -> Path:
    """Write the status file atomically (a reader never sees half a file); returns its path."""
    path = status_path(root)
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(status.to_dict(), indent=2, ensure_ascii=False) + "\n"
    handle, temporary = tempfile.mkstemp(prefix=".actions-", suffix=".json", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return path


def _item(entry: Any) -> ItemState:
    if not isinstance(entry, dict):
        raise TypeError(f"expected an item object, got {entry!r}")
    state = entry["state"]
    if state not in STATES:
        raise ValueError(f"item state {state!r} is not open or closed")
    issue = entry["issue"]
    if not isinstance(issue, int) or isinstance(issue, bool):
        raise TypeError(f"issue must be a number, got {issue!r}")
    assignee = entry.get("assignee")
    closed_at = entry.get("closed_at")
    return ItemState(
        postmortem=_text(entry["postmortem"], "postmortem"), item=_text(entry["item"], "item"), issue=issue,
        url=_text(entry["url"], "url"), state=state,
        assignee=None if assignee is None else _text(assignee, "assignee"),
        closed_at=None if closed_at is None else _instant(closed_at),
        due=date.fromisoformat(_text(entry["due"], "due")), owner=_text(entry["owner"], "owner"),
    )


def _text(value: Any, name: str) -> str:
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a string, got {value!r}")
    return value


def _instant(value: Any) -> datetime:
    return parse_instant(_text(value, "instant").replace("Z", "+00:00"))


def _instant_text(value: datetime) -> str:
    return value.isoformat().replace("+00:00", "Z")
