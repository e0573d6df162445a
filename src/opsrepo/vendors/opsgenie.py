"""Opsgenie's REST API v2 over plain HTTPS, and the configuration-backup tool's folder.

No client library: Opsgenie's official Python SDK (opsgenie-sdk) is no longer
maintained and Opsgenie itself is switched off on 2027-04-05, while the API is
plain JSON with a ``GenieKey`` header, offset paging and 429s that name their
``Retry-After``. The standard library covers that in a few functions, with no
dependency to keep alive for a product on its way out.
"""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from opsrepo.importers.opsgenie import Account
from opsrepo.importers.timefmt import parse_instant
from opsrepo.vendors import VendorError

HOSTS = {"us": "https://api.opsgenie.com", "eu": "https://api.eu.opsgenie.com"}
ATTEMPTS = 8
PAGE = 100
#: pauses between attempts; tests replace it
sleep: Callable[[float], None] = time.sleep


class Client:
    """GET requests to one Opsgenie host with one key, retried on 429 and 5xx."""

    def __init__(self, base: str, key: str, timeout: float = 30.0) -> None:
        self.base = base.rstrip("/")
        self.key = key
        self.timeout = timeout

    def get(self, path: str, **params: Any) -> Any:
        """The decoded JSON answer of ``GET path?params``."""
        query = urllib.parse.urlencode({k: v for k, v in params.items() if v is not None}, doseq=True)
        url = f"{self.base}{path}" + (f"?{query}" if query else "")
        request = urllib.request.Request(
            url, headers={"Authorization": f"GenieKey {self.key}", "Accept": "application/json"}
        )
        for attempt in range(ATTEMPTS):
            try:
                with urllib.request.urlopen(request, timeout=self.timeout) as answer:
                    return json.loads(answer.read().decode("utf-8"))
            except urllib.error.HTTPError as exc:
                exc.close()  # its body is not read: free the connection
                if exc.code in (401, 403):
                    raise refused(exc.code, path) from None
                if exc.code != 429 and exc.code < 500:
                    raise VendorError(f"Opsgenie answered {exc.code} to GET {path}") from None
                sleep(_pause(exc.headers.get("Retry-After"), attempt))
            except (urllib.error.URLError, OSError, ValueError) as exc:
                reason = getattr(exc, "reason", exc)
                raise VendorError(
                    f"cannot read Opsgenie at {self.base}: {reason}",
                    usage=True,
                    hint="check --api-url or --region",
                ) from None
        raise VendorError(f"Opsgenie kept answering 429 or 5xx to GET {path} ({ATTEMPTS} attempts)")

    def pages(self, path: str, **params: Any) -> list[Any]:
        """Every item of a paged list (``limit``/``offset``)."""
        found: list[Any] = []
        while True:
            body = self.get(path, limit=PAGE, offset=len(found), **params)
            data = body.get("data") or []
            found.extend(data)
            if len(data) < PAGE or not (body.get("paging") or {}).get("next"):
                return found


def refused(status: int, path: str) -> VendorError:
    """What a 401 (the key is not known) or 403 (the key may not read this) means, and what to do."""
    if status == 401:
        return VendorError(
            "Opsgenie did not accept the key (401 Unauthorized)",
            usage=True,
            hint="check $OPSGENIE_API_KEY, and --region: an EU account's key works only with --region eu",
        )
    return VendorError(
        f"Opsgenie refused the key access to GET {path} (403 Forbidden)",
        usage=True,
        hint="use a key from Settings > API key management with the Read and Configuration access "
        "rights (a team integration's key, or one restricted from configurations, cannot read "
        "users, teams, schedules and escalations)",
    )


def _pause(retry_after: str | None, attempt: int) -> float:
    try:
        return max(0.0, min(float(retry_after), 60.0)) if retry_after is not None else min(2.0**attempt, 30.0)
    except ValueError:
        return min(2.0**attempt, 30.0)


def fetch(base: str, key: str, since: datetime, days: int) -> dict[str, Any]:
    """The whole account, and each schedule's timeline over ``days`` days from ``since`` (none for 0)."""
    client = Client(base, key)
    raw: dict[str, Any] = {"meta": {"vendor": "opsgenie", "since": _iso(since), "days": days}}
    raw["users"] = client.pages("/v2/users")
    raw["teams"] = [
        client.get(f"/v2/teams/{t['id']}")["data"] for t in client.get("/v2/teams").get("data") or []
    ]
    raw["schedules"] = client.get("/v2/schedules", expand="rotation").get("data") or []
    raw["overrides"] = {
        s["id"]: client.get(f"/v2/schedules/{s['id']}/overrides").get("data") or [] for s in raw["schedules"]
    }
    raw["escalations"] = client.get("/v2/escalations").get("data") or []
    if days:
        raw["timelines"] = {
            s["id"]: client.get(
                f"/v2/schedules/{s['id']}/timeline", interval=days, intervalUnit="days", date=_iso(since)
            ).get("data")
            or {}
            for s in raw["schedules"]
        }
    return raw


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


# -- the configuration-backup folder -------------------------------------------------------------------


def read_backup(folder: Path) -> dict[str, Any]:
    """The backup tool's folder (``OpsGenieBackups`` or the folder holding it) as the API's objects."""
    root = folder / "OpsGenieBackups" if (folder / "OpsGenieBackups").is_dir() else folder
    if not root.is_dir() or not any((root / kind).is_dir() for kind in ("users", "schedules", "escalations")):
        raise VendorError(
            f"{folder} holds no Opsgenie backup (no users/, schedules/ or escalations/ folder)",
            usage=True,
            hint="pass the folder the opsgenie-configuration-backup tool wrote",
        )
    users = [_unwrap(d, "user") for d in _files(root / "users")]
    teams = [_unwrap(d, "team") for d in _files(root / "teams")]
    configs = _files(root / "schedules")
    schedules = [_unwrap(d, "schedule") for d in configs]
    overrides = {
        s["id"]: list(d.get("scheduleOverrideList") or [])
        for s, d in zip(schedules, configs, strict=True)
        if isinstance(d, dict) and "schedule" in d
    }
    return {
        "meta": {"vendor": "opsgenie"},
        "users": users,
        "teams": teams,
        "schedules": schedules,
        "overrides": overrides,
        "escalations": [_unwrap(d, "escalation") for d in _files(root / "escalations")],
    }


def _files(folder: Path) -> list[Any]:
    if not folder.is_dir():
        return []
    found = []
    for path in sorted(folder.glob("*.json")):
        try:
            found.append(json.loads(path.read_text(encoding="utf-8")))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise VendorError(f"{path} cannot be read: {exc}", usage=True) from None
    return found


def _unwrap(document: Any, key: str) -> dict[str, Any]:
    if not isinstance(document, dict):
        raise VendorError(f"a backup file holds {type(document).__name__}, not an Opsgenie {key}", usage=True)
    inner = document.get(key)
    return inner if isinstance(inner, dict) else document


def account(raw: dict[str, Any]) -> Account:
    """The account in the importer's terms."""
    return Account(
        users=list(raw.get("users") or []),
        teams=list(raw.get("teams") or []),
        schedules=list(raw.get("schedules") or []),
        overrides=dict(raw.get("overrides") or {}),
        escalations=list(raw.get("escalations") or []),
    )


def renderings(raw: dict[str, Any]) -> dict[str, list[tuple[datetime, datetime, str]]]:
    """Each schedule's final timeline: ``(start, end, user id or username or 'type:name')`` per period."""
    found: dict[str, list[tuple[datetime, datetime, str]]] = {}
    for schedule_id, timeline in (raw.get("timelines") or {}).items():
        entries = []
        for rotation in ((timeline or {}).get("finalTimeline") or {}).get("rotations") or []:
            for period in rotation.get("periods") or []:
                who = period.get("recipient") or {}
                key = (
                    who.get("id") or who.get("name")
                    if who.get("type") == "user"
                    else f"{who.get('type')}:{who.get('name') or who.get('id')}"
                )
                if key:
                    entries.append(
                        (parse_instant(period["startDate"]), parse_instant(period["endDate"]), str(key))
                    )
        found[schedule_id] = entries
    return found
