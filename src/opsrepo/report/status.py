"""Read the action-item status file (``status/actions.json``) into the report's snapshot.

The file is written by ``opsrepo actions sync``; this adapter is the report's
only contact with it, so a change of its format touches one place.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

from opsrepo.errors import OpsrepoError
from opsrepo.report.actions import ItemStatus, StatusSnapshot
from opsrepo.timeutil import parse_instant

STATUS_FILE = Path("status") / "actions.json"
STATES = ("open", "closed")


def read_snapshot(path: Path) -> StatusSnapshot | None:
    """The snapshot in ``path``; ``None`` when there is no such file."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        raise OpsrepoError(f"cannot read {path}: {exc}",
                           "run 'opsrepo actions sync' to write it again") from None
    try:
        return parse_snapshot(json.loads(text))
    except (ValueError, TypeError, KeyError) as exc:
        raise OpsrepoError(f"{path} is not an action-item status file: {exc}",
                           "run 'opsrepo actions sync' to write it again, or delete it") from None


def parse_snapshot(document: Any) -> StatusSnapshot:
    """A snapshot from the decoded JSON document; raises ValueError, TypeError or KeyError."""
    if not isinstance(document, dict) or not isinstance(document.get("items"), list):
        raise ValueError("expected an object with an 'items' list")
    items: dict[tuple[str, str], ItemStatus] = {}
    for entry in document["items"]:
        state = entry["state"]
        if state not in STATES:
            raise ValueError(f"item state {state!r} is not open or closed")
        items[(str(entry["postmortem"]), str(entry["item"]))] = ItemStatus(
            state=state, closed_at=_instant(entry.get("closed_at")), issue=entry.get("issue"),
            url=entry.get("url"), assignee=entry.get("assignee"),
        )
    return StatusSnapshot(_instant(document.get("generated_at")), items)


def _instant(value: Any) -> datetime | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise TypeError(f"expected an ISO 8601 instant, got {value!r}")
    return parse_instant(value.replace("Z", "+00:00"))
