"""Save an account the way ``opsrepo import`` finds it on disk, read back from a fake over HTTP.

Both layouts are described exactly in ``tests/fakevendors/LAYOUT.md`` (the
importer's contract). What is written is what the fake answered, so every
object went through the API description checks on the way.

(a) PagerDuty raw API JSON, one file per object kind::

    <root>/meta.json, users.json, teams.json, team_members.json, services.json,
           escalation_policies.json, schedules.json, overrides.json, oncalls.json

(b) Opsgenie, as opsgenie/opsgenie-configuration-backup lays it out::

    <root>/OpsGenieBackups/users/<username>-<id>.json      {"user", "notificationRuleList"}
    <root>/OpsGenieBackups/teams/<name>-<id>.json          {"team", "teamRoutingRules", "teamRoles"}
    <root>/OpsGenieBackups/schedules/<name>-<id>.json      {"schedule", "scheduleOverrideList"}
    <root>/OpsGenieBackups/escalations/<name>-<id>.json    Escalation
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import requests

from tests.fakevendors.og_server import KEY
from tests.fakevendors.pd_server import TOKEN

PD_HEADERS = {"Authorization": f"Token token={TOKEN}", "Accept": "application/vnd.pagerduty+json;version=2"}
OG_HEADERS = {"Authorization": f"GenieKey {KEY}"}


def _write(path: Path, data: Any, compact: bool = False) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":")) if compact else json.dumps(
        data, ensure_ascii=False, indent=2)
    path.write_text(text + ("" if compact else "\n"), encoding="utf-8")


def _pd_get(session: requests.Session, url: str, params: dict[str, Any] | None = None) -> Any:
    answer = session.get(url, params=params, headers=PD_HEADERS, timeout=30)
    answer.raise_for_status()
    return answer.json()


def _pd_all(session: requests.Session, url: str, key: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
    """Every page of a list, as one list body (``more`` false, ``total`` the count)."""
    items, offset = [], 0
    while True:
        body = _pd_get(session, url, {**(params or {}), "limit": 100, "offset": offset})
        items += body[key]
        if not body["more"]:
            return {key: items, "limit": len(items), "offset": 0, "more": False, "total": len(items)}
        offset += len(body[key])


def save_pagerduty(url: str, root: Path, since: str, until: str) -> None:
    """Write the fake's account under ``root`` in layout (a), schedules rendered over ``[since, until)``."""
    window = {"since": since, "until": until}
    with requests.Session() as s:
        _write(root / "meta.json", {"vendor": "pagerduty", **window, "time_zone": "UTC"})
        _write(root / "users.json", _pd_all(s, f"{url}/users", "users",
                                            {"include[]": ["contact_methods", "teams"]}))
        teams = _pd_all(s, f"{url}/teams", "teams")
        _write(root / "teams.json", teams)
        _write(root / "team_members.json", {t["id"]: _pd_all(s, f"{url}/teams/{t['id']}/members", "members")
                                            for t in teams["teams"]})
        _write(root / "services.json", _pd_all(s, f"{url}/services", "services"))
        _write(root / "escalation_policies.json", _pd_all(s, f"{url}/escalation_policies", "escalation_policies"))
        listed = _pd_all(s, f"{url}/schedules", "schedules")
        full = [_pd_get(s, f"{url}/schedules/{x['id']}", {**window, "time_zone": "UTC"})["schedule"]
                for x in listed["schedules"]]
        _write(root / "schedules.json", {**listed, "schedules": full})
        _write(root / "overrides.json", {x["id"]: _pd_get(s, f"{url}/schedules/{x['id']}/overrides", window)
                                         for x in listed["schedules"]})
        _write(root / "oncalls.json", _pd_all(s, f"{url}/oncalls", "oncalls", window))


def jackson_dates(value: Any) -> Any:
    """Date-times as the backup tool's Jackson/Joda mapper writes them: UTC with milliseconds."""
    if isinstance(value, dict):
        return {k: jackson_dates(v) for k, v in value.items()}
    if isinstance(value, list):
        return [jackson_dates(v) for v in value]
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", value):
        return value[:-1] + ".000Z"
    return value


def _og_get(session: requests.Session, url: str, params: dict[str, Any] | None = None) -> Any:
    answer = session.get(url, params=params, headers=OG_HEADERS, timeout=30)
    answer.raise_for_status()
    return answer.json()


def save_opsgenie(url: str, root: Path) -> Path:
    """Write the fake's account under ``root/OpsGenieBackups`` in layout (b); return that folder."""
    base = root / "OpsGenieBackups"
    with requests.Session() as s:
        next_page: str | None = f"{url}/v2/users?limit=100&offset=0"
        while next_page:
            body = _og_get(s, next_page)
            for user in body["data"]:
                _write(base / "users" / f"{user['username']}-{user['id']}.json",
                       jackson_dates({"user": user, "notificationRuleList": []}), compact=True)
            next_page = body.get("paging", {}).get("next")
        for team in _og_get(s, f"{url}/v2/teams")["data"]:
            full = _og_get(s, f"{url}/v2/teams/{team['id']}")["data"]
            _write(base / "teams" / f"{full['name']}-{full['id']}.json",
                   {"team": full, "teamRoutingRules": [], "teamRoles": []}, compact=True)
        for schedule in _og_get(s, f"{url}/v2/schedules", {"expand": "rotation"})["data"]:
            overrides = _og_get(s, f"{url}/v2/schedules/{schedule['id']}/overrides")["data"]
            _write(base / "schedules" / f"{schedule['name']}-{schedule['id']}.json",
                   jackson_dates({"schedule": schedule, "scheduleOverrideList": overrides}), compact=True)
        for escalation in _og_get(s, f"{url}/v2/escalations")["data"]:
            _write(base / "escalations" / f"{escalation['name']}-{escalation['id']}.json", escalation, compact=True)
    return base
