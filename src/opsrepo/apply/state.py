"""The apply state file, ``status/pagerduty.json``: which PagerDuty objects are opsrepo's.

Kept like the action-item status (``status/actions.json``): written by
``opsrepo apply pagerduty`` as it goes (atomically, every few writes, before
every create of overrides and at the end), and kept between workflow runs in
the Actions cache::

    {"format": 1, "applied_at": instant | null,
     "objects": [{"kind": "schedule", "id": "payments-primary", "pagerduty_id": "PABC123",
                  "adopted": false}, ...],
     "overrides": [{"schedule": "payments-primary", "pagerduty_id": "Q1X..", "user": "PUSER1",
                    "start": instant, "end": instant}, ...],
     "pending": [{"schedule": ..., "user": ..., "start": ..., "end": ...}, ...]}

Objects are also found by the marker in their description, so a lost file
loses nothing but the overrides: PagerDuty overrides have no description.
``pending`` lists overrides about to be created: a run killed between the
request and recording its answer finds them again on the next run.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

from opsrepo.errors import OpsrepoError
from opsrepo.oncall.clock import from_micros, to_micros
from opsrepo.timeutil import parse_instant

STATE_FILE = Path("status") / "pagerduty.json"
FORMAT = 1


@dataclass(frozen=True)
class Owned:
    """An object opsrepo created (or was told to adopt)."""

    kind: str
    id: str
    pagerduty_id: str
    adopted: bool = False


@dataclass(frozen=True)
class OwnedOverride:
    """An override opsrepo created (``pagerduty_id`` empty while pending)."""

    schedule: str
    user: str
    start: int
    end: int
    pagerduty_id: str = ""

    @property
    def span(self) -> tuple[str, int, int]:
        """What identifies it without its id."""
        return (self.user, self.start, self.end)


@dataclass
class State:
    """The whole file, changed in place as a run goes."""

    objects: dict[tuple[str, str], Owned] = field(default_factory=dict)
    overrides: list[OwnedOverride] = field(default_factory=list)
    pending: list[OwnedOverride] = field(default_factory=list)
    applied_at: datetime | None = None

    def owned_id(self, kind: str, object_id: str) -> str | None:
        """The PagerDuty id of an owned object."""
        found = self.objects.get((kind, object_id))
        return found.pagerduty_id if found else None

    def own(self, kind: str, object_id: str, pagerduty_id: str, adopted: bool = False) -> None:
        """Record an object as opsrepo's."""
        self.objects[(kind, object_id)] = Owned(kind, object_id, pagerduty_id, adopted)

    def release(self, kind: str, object_id: str) -> None:
        """Forget an object (deleted)."""
        self.objects.pop((kind, object_id), None)

    def to_dict(self) -> dict[str, Any]:
        """The file's JSON shape, sorted."""
        return {
            "format": FORMAT,
            "applied_at": _text(self.applied_at) if self.applied_at else None,
            "objects": [
                {"kind": o.kind, "id": o.id, "pagerduty_id": o.pagerduty_id, "adopted": o.adopted}
                for _, o in sorted(self.objects.items())
            ],
            "overrides": [_override_dict(o) for o in sorted(self.overrides, key=_order)],
            "pending": [_override_dict(o) for o in sorted(self.pending, key=_order)],
        }


def state_path(root: Path) -> Path:
    """Where the state file of the ops repo at ``root`` lives."""
    return root / STATE_FILE


def read_state(path: Path) -> State | None:
    """The state at ``path``; None when missing; OpsrepoError when unreadable."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        raise OpsrepoError(f"cannot read {path}: {exc}", "restore it, or delete it to start again") from None
    try:
        return parse_state(json.loads(text))
    except (ValueError, TypeError, KeyError) as exc:
        raise OpsrepoError(
            f"{path} is not an opsrepo apply state file: {exc}",
            "restore it from the Actions cache, or delete it: opsrepo then finds its schedules, "
            "policies and services by their marker (but not its overrides)",
        ) from None


def parse_state(document: Any) -> State:
    """A :class:`State` from decoded JSON; raises ValueError, TypeError or KeyError."""
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise ValueError(f'expected an object with "format": {FORMAT}')
    state = State(applied_at=_instant(document["applied_at"]) if document.get("applied_at") else None)
    for entry in document.get("objects", []):
        state.own(
            _str(entry["kind"]), _str(entry["id"]), _str(entry["pagerduty_id"]), bool(entry.get("adopted"))
        )
    state.overrides = [_override(entry) for entry in document.get("overrides", [])]
    state.pending = [_override(entry) for entry in document.get("pending", [])]
    return state


def write_state(path: Path, state: State) -> None:
    """Write atomically: a reader (or a killed run) never leaves half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    text = _dumps(state.to_dict())
    handle, temporary = tempfile.mkstemp(prefix=".pagerduty-", suffix=".json", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _dumps(document: dict[str, Any]) -> str:
    """One entry a line (readable, and json's C encoder: a run saves the file often)."""
    parts = []
    for key, value in document.items():
        if isinstance(value, list):
            rows = ",\n  ".join(json.dumps(entry, ensure_ascii=False) for entry in value)
            parts.append(f'"{key}": [\n  {rows}\n]' if value else f'"{key}": []')
        else:
            parts.append(f'"{key}": {json.dumps(value)}')
    return "{\n" + ",\n".join(parts) + "\n}\n"


def with_id(entry: OwnedOverride, pagerduty_id: str) -> OwnedOverride:
    """A pending override once created."""
    return replace(entry, pagerduty_id=pagerduty_id)


def _override(entry: Any) -> OwnedOverride:
    return OwnedOverride(
        _str(entry["schedule"]),
        _str(entry["user"]),
        to_micros(_instant(entry["start"])),
        to_micros(_instant(entry["end"])),
        str(entry.get("pagerduty_id") or ""),
    )


def _override_dict(entry: OwnedOverride) -> dict[str, Any]:
    return dict(_override_fields(entry))


@lru_cache(maxsize=1 << 16)
def _override_fields(entry: OwnedOverride) -> tuple[tuple[str, str], ...]:
    found = (("schedule", entry.schedule), ("user", entry.user), ("start", _text(from_micros(entry.start))),
             ("end", _text(from_micros(entry.end))))
    return (*found, ("pagerduty_id", entry.pagerduty_id)) if entry.pagerduty_id else found


def _order(entry: OwnedOverride) -> tuple[str, int, int, str]:
    return (entry.schedule, entry.start, entry.end, entry.user)


def _str(value: Any) -> str:
    if not isinstance(value, str) or not value:
        raise TypeError(f"expected a string, got {value!r}")
    return value


def _instant(value: Any) -> datetime:
    return parse_instant(_str(value).replace("Z", "+00:00")).astimezone(UTC)


def _text(value: datetime) -> str:
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")
