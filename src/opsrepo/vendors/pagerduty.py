"""PagerDuty's REST API v2 through PagerDuty's official client, and the saved-account folder.

The client (``pagerduty.RestApiV2Client``) paginates (``iter_all``), unwraps
entities and retries: 429 answers and the 5xx statuses below are tried again
with growing pauses, a bounded number of times. The folder (``--save-dir``
writes it, ``--from-dir`` reads it) holds the API's JSON as it came, one file
per kind (tests/fakevendors/LAYOUT.md, "PagerDuty").
"""

from __future__ import annotations

import inspect
import json
import logging
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from opsrepo.importers.pagerduty import Account
from opsrepo.importers.timefmt import parse_instant
from opsrepo.vendors import VendorError

DEFAULT_URL = "https://api.pagerduty.com"
LISTS = {
    "users": "users.json",
    "teams": "teams.json",
    "services": "services.json",
    "escalation_policies": "escalation_policies.json",
}
#: how far ahead overrides are read (the import keeps those not yet ended)
OVERRIDES_AHEAD = timedelta(days=366)
RETRIED = {429: 8, 500: 3, 502: 3, 503: 3, 504: 3}
#: the client's first pause before a retry, doubled each time (tests make it short)
PAUSE = 1.5
NETWORK_ATTEMPTS = 3


def _instant(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _list_body(kind: str, items: list[Any]) -> dict[str, Any]:
    return {kind: items, "limit": len(items), "offset": 0, "more": False, "total": len(items)}


# -- the API -------------------------------------------------------------------------------------------


def fetch(url: str, token: str, since: datetime, until: datetime) -> dict[str, Any]:
    """The whole account, as the saved folder holds it, with renderings over ``[since, until)``."""
    import pagerduty

    # the client logs each retry as a warning; the import reports failures itself
    logging.getLogger("pagerduty").addHandler(logging.NullHandler())
    logging.getLogger("pagerduty").propagate = False
    client = _client_class()(token, base_url=url.rstrip("/"))
    client.retry = dict(RETRIED)
    client.max_http_attempts = 12
    client.max_network_attempts = NETWORK_ATTEMPTS
    client.sleep_timer = PAUSE
    try:
        with client:
            return _read_account(client, since, until)
    except pagerduty.HttpError as exc:
        code = exc.response.status_code if exc.response is not None else 0
        if code in (401, 403):
            raise VendorError(
                f"PagerDuty refused the token ({code})",
                usage=True,
                hint="check $PAGERDUTY_TOKEN (a REST API key with read access)",
            ) from None
        raise VendorError(f"PagerDuty answered {code}: {str(exc).splitlines()[0]}") from None
    except pagerduty.Error as exc:
        raise VendorError(
            f"cannot read PagerDuty at {url}: {str(exc).splitlines()[0]}", usage=True, hint="check --api-url"
        ) from None


def _client_class() -> Any:
    """The official client, which refuses a base URL that is not https; here http to a loopback server too."""
    import pagerduty

    from opsrepo.vendors import loopback

    official: Any = inspect.getattr_static(pagerduty.RestApiV2Client, "url")

    def set_url(self: Any, value: str) -> None:
        if value.startswith("http://") and loopback(value):
            self._url = value
        else:
            official.fset(self, value)

    return type("Client", (pagerduty.RestApiV2Client,), {"url": property(official.fget, set_url)})


def _all(client: Any, path: str, **params: Any) -> list[dict[str, Any]]:
    return list(client.iter_all(path, params=params or None))


def _read_account(client: Any, since: datetime, until: datetime) -> dict[str, Any]:
    window = {"since": _instant(since), "until": _instant(until), "time_zone": "UTC"}
    raw: dict[str, Any] = {
        "meta": {
            "vendor": "pagerduty",
            "since": window["since"],
            "until": window["until"],
            "time_zone": "UTC",
        }
    }
    raw["users"] = _list_body("users", _all(client, "users", **{"include[]": ["teams"]}))
    raw["teams"] = _list_body("teams", _all(client, "teams"))
    raw["team_members"] = {
        t["id"]: _list_body("members", _all(client, f"teams/{t['id']}/members"))
        for t in raw["teams"]["teams"]
    }
    raw["services"] = _list_body("services", _all(client, "services"))
    raw["escalation_policies"] = _list_body("escalation_policies", _all(client, "escalation_policies"))
    listed = _all(client, "schedules")
    raw["schedules"] = _list_body(
        "schedules", [client.rget(f"schedules/{s['id']}", params=window) for s in listed]
    )
    ahead = {"since": _instant(since), "until": _instant(since + OVERRIDES_AHEAD)}
    raw["overrides"] = {
        s["id"]: {"overrides": client.rget(f"schedules/{s['id']}/overrides", params=ahead)} for s in listed
    }
    raw["v3_schedules"] = {"schedules": list(_v3(client, window))}
    return raw


def _v3(client: Any, window: dict[str, str]) -> Iterator[dict[str, Any]]:
    """Every v3 shift-based schedule with its rotations' events (none when the account has no v3 API)."""
    import pagerduty

    try:
        listed = _all(client, "v3/schedules")
    except pagerduty.HttpError as exc:
        if exc.response is not None and exc.response.status_code in (400, 403, 404):
            return
        raise
    for ref in listed:
        schedule = client.rget(
            f"v3/schedules/{ref['id']}", params={"include[]": ["final_schedule"], **window}
        )
        schedule["rotations"] = [
            {**r, "events": _all(client, f"v3/schedules/{ref['id']}/rotations/{r['id']}/events")}
            for r in _all(client, f"v3/schedules/{ref['id']}/rotations")
        ]
        yield schedule


# -- the folder ----------------------------------------------------------------------------------------


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


def renderings(
    raw: dict[str, Any],
) -> tuple[datetime | None, datetime | None, dict[str, list[tuple[datetime, datetime, str]]]]:
    """PagerDuty's final schedule of each schedule over the saved window: ``(since, until, entries)``."""
    meta = raw.get("meta") or {}
    since = parse_instant(meta["since"]) if meta.get("since") else None
    until = parse_instant(meta["until"]) if meta.get("until") else None
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
