"""What a run of ``slack sync`` or ``notify handoffs`` remembers for the next, in ``status/``.

Like the action-item status (``status/actions.json``) these files are not
committed: the workflows keep them in the Actions cache, so no workflow needs
permission to push. A missing file is an empty memory (a first run); a
damaged one is an error that says to delete it, since guessing could remind
twice or set a group wrongly. Files are written atomically.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

from opsrepo.errors import OpsrepoError

SLACK_STATE = Path("status") / "slack.json"
HANDOFF_STATE = Path("status") / "handoffs.json"
_AFRESH = "delete {path}: the next run starts afresh"


def read_state(path: Path, kind: str, keys: tuple[str, ...]) -> dict[str, Any]:
    """The state file at ``path`` (``{}`` when missing); each of ``keys`` is a JSON object in it."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {key: {} for key in keys}
    except (OSError, UnicodeDecodeError) as exc:
        raise OpsrepoError(f"cannot read {path}: {exc}", _AFRESH.format(path=path)) from None
    try:
        document = json.loads(text)
        if document.get("kind") != kind or not all(isinstance(document.get(key), dict) for key in keys):
            raise ValueError(f"not a {kind} state file")
    except (ValueError, AttributeError) as exc:
        raise OpsrepoError(f"{path} is damaged: {exc}", _AFRESH.format(path=path)) from None
    return {key: dict(document[key]) for key in keys}


def write_state(path: Path, kind: str, parts: dict[str, Any]) -> None:
    """Write the state atomically (a reader never sees half a file)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps({"kind": kind, **parts}, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    handle, temporary = tempfile.mkstemp(prefix=f".{path.stem}-", suffix=".json", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
