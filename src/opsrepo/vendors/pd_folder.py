"""The saved-account folder of PagerDuty: ``--save-dir`` writes it, ``--from-dir`` reads it.

It holds the API's JSON as it came, one file per kind
(tests/fakevendors/LAYOUT.md, "PagerDuty"), and the renderings of the saved
window that verification compares with.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

from opsrepo.importers.pagerduty import Account
from opsrepo.importers.timefmt import parse_instant
from opsrepo.vendors import VendorError


def save(folder: Path, raw: dict[str, Any]) -> None:
    """Write ``raw`` as the saved-account folder."""
    folder.mkdir(parents=True, exist_ok=True)
    for key, value in raw.items():
        (folder / f"{key}.json").write_text(
            json.dumps(value, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
        )


def read(folder: Path) -> dict[str, Any]:
    """The saved-account folder's JSON by kind; ``VendorError(usage=True)`` when it cannot be read."""
    if not folder.is_dir():
        raise VendorError(
            f"{folder} is not a folder",
            usage=True,
            hint="pass the folder written by 'opsrepo import pagerduty --save-dir'",
        )
    raw: dict[str, Any] = {}
    for path in sorted(folder.glob("*.json")):
        try:
            raw[path.stem] = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise VendorError(f"{path} cannot be read: {exc}", usage=True) from None
    if not {"users", "schedules"} & raw.keys():
        raise VendorError(
            f"{folder} holds no saved PagerDuty account (no users.json or schedules.json)",
            usage=True,
            hint="pass the folder written by 'opsrepo import pagerduty --save-dir'",
        )
    return raw


def _items(body: Any, kind: str) -> list[dict[str, Any]]:
    if isinstance(body, list):
        return body
    if isinstance(body, dict):
        return list(body.get(kind) or [])
    return []


def account(raw: dict[str, Any]) -> Account:
    """The account in the importer's terms."""
    try:
        return Account(
            users=_items(raw.get("users"), "users"),
            teams=_items(raw.get("teams"), "teams"),
            team_members={
                tid: _items(body, "members") for tid, body in (raw.get("team_members") or {}).items()
            },
            services=_items(raw.get("services"), "services"),
            escalation_policies=_items(raw.get("escalation_policies"), "escalation_policies"),
            schedules=_items(raw.get("schedules"), "schedules"),
            overrides={sid: _items(body, "overrides") for sid, body in (raw.get("overrides") or {}).items()},
            v3_schedules=_items(raw.get("v3_schedules"), "schedules"),
        )
    except (AttributeError, TypeError) as exc:
        raise VendorError(
            f"the saved account is not shaped as PagerDuty's API answers: {exc}", usage=True
        ) from None


def saved_window(raw: dict[str, Any]) -> tuple[datetime | None, datetime | None]:
    """The window ``[since, until)`` the saved renderings cover (``None``: unknown)."""
    meta = raw.get("meta") or {}
    since = parse_instant(meta["since"]) if meta.get("since") else None
    until = parse_instant(meta["until"]) if meta.get("until") else None
    return since, until


def renderings(
    raw: dict[str, Any],
) -> tuple[datetime | None, datetime | None, dict[str, list[tuple[datetime, datetime, str]]]]:
    """PagerDuty's final schedule of each schedule over the saved window: ``(since, until, entries)``."""
    since, until = saved_window(raw)
    found: dict[str, list[tuple[datetime, datetime, str]]] = {}
    for schedule in _items(raw.get("schedules"), "schedules") + _items(raw.get("v3_schedules"), "schedules"):
        final = schedule.get("final_schedule")
        if not final:
            continue
        entries = final.get("rendered_schedule_entries")
        if entries is not None:
            found[schedule["id"]] = [
                (parse_instant(e["start"]), parse_instant(e["end"]), (e.get("user") or {})["id"])
                for e in entries
                if (e.get("user") or {}).get("id")
            ]
        else:  # v3: computed shift assignments
            found[schedule["id"]] = [
                (parse_instant(e["start_time"]), parse_instant(e["end_time"]), e["member"]["user_id"])
                for e in final.get("computed_shift_assignments") or []
                if (e.get("member") or {}).get("user_id")
            ]
    return since, until, found
