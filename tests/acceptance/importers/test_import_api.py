"""``opsrepo import`` against local HTTP servers: keys in headers, paging, 429 retries, verification."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.acceptance.importers.golden import run_import
from tests.acceptance.importers.server import Served, serve

ANA = {"id": "u-ana", "username": "ana@acme.example", "fullName": "Ana Silva", "timeZone": "UTC"}
BEN = {"id": "u-ben", "username": "ben@acme.example", "fullName": "Ben Okafor", "timeZone": "UTC"}


def _period(start: str, end: str, user: dict[str, str]) -> dict[str, Any]:
    return {
        "startDate": start,
        "endDate": end,
        "type": "default",
        "recipient": {"id": user["id"], "name": user["username"], "type": "user"},
    }


def _opsgenie(periods: list[dict[str, Any]]) -> dict[str, Any]:
    def users(query: dict[str, list[str]], attempt: int) -> tuple[int, dict[str, str], Any]:
        if attempt == 1:
            return 429, {"Retry-After": "0"}, {"message": "slow down"}
        return 200, {}, {"data": [ANA, BEN], "totalCount": 2, "took": 0.01, "requestId": "r1"}

    rotation = {
        "id": "r1",
        "name": "daily",
        "startDate": "2026-11-01T08:00:00Z",
        "type": "daily",
        "length": 1,
        "participants": [
            {"type": "user", "id": "u-ana", "username": ANA["username"]},
            {"type": "user", "id": "u-ben", "username": BEN["username"]},
        ],
    }
    members = [{"user": {"id": u["id"], "username": u["username"]}, "role": "user"} for u in (ANA, BEN)]
    return {
        "/v2/users": users,
        "/v2/teams": {"data": [{"id": "t1", "name": "Ops"}]},
        "/v2/teams/t1": {"data": {"id": "t1", "name": "Ops", "members": members}},
        "/v2/schedules": {
            "data": [
                {
                    "id": "s1",
                    "name": "ops",
                    "timezone": "UTC",
                    "enabled": True,
                    "ownerTeam": {"id": "t1", "name": "Ops"},
                    "rotations": [rotation],
                }
            ]
        },
        "/v2/schedules/s1/overrides": {"data": []},
        "/v2/escalations": {
            "data": [
                {
                    "id": "e1",
                    "name": "Ops",
                    "rules": [
                        {
                            "condition": "if-not-acked",
                            "notifyType": "default",
                            "delay": {"timeAmount": 0},
                            "recipient": {"type": "schedule", "id": "s1", "name": "ops"},
                        },
                        {
                            "condition": "if-not-acked",
                            "notifyType": "default",
                            "delay": {"timeAmount": 15},
                            "recipient": {"type": "user", "id": "u-ben", "username": BEN["username"]},
                        },
                    ],
                    "repeat": {"waitInterval": 5, "count": 1},
                }
            ]
        },
        "/v2/schedules/s1/timeline": {
            "data": {"finalTimeline": {"rotations": [{"id": "r1", "name": "daily", "periods": periods}]}}
        },
    }


RIGHT = [
    _period("2026-11-22T08:00:00Z", "2026-11-23T08:00:00Z", BEN),
    _period("2026-11-23T08:00:00Z", "2026-11-24T08:00:00Z", ANA),
    _period("2026-11-24T08:00:00Z", "2026-11-25T08:00:00Z", BEN),
]


def _import_opsgenie(tmp_path: Path, periods: list[dict[str, Any]]) -> tuple[int, str, str, Served]:
    """``opsrepo import opsgenie`` in JSON, verifying two days, against ``_opsgenie(periods)``."""
    with serve(_opsgenie(periods)) as server:
        code, stdout, stderr = run_import(
            tmp_path,
            "opsgenie",
            "--api-url",
            server.url,
            "--verify-days",
            "2",
            "--format",
            "json",
            env={"OPSGENIE_API_KEY": "k3y"},
        )
    return code, stdout, stderr, server


def test_opsgenie_over_its_api_is_exact_after_a_429(tmp_path: Path) -> None:
    code, stdout, stderr, server = _import_opsgenie(tmp_path, RIGHT)
    assert (code, stderr) == (0, "")
    report = json.loads(stdout)
    assert (report["status"], report["verification"]) == (
        "exact",
        [
            {
                "vendor_id": "s1",
                "name": "ops",
                "schedules": ["ops"],
                "from": "2026-11-23T00:00Z",
                "to": "2026-11-25T00:00Z",
                "status": "exact",
                "why_unverified": None,
                "differences": [],
            }
        ],
    )
    assert [path for path, _ in server.requests if path.startswith("/v2/users")] == [
        "/v2/users?limit=100&offset=0"
    ] * 2
    assert {headers["Authorization"] for _, headers in server.requests} == {"GenieKey k3y"}
    assert "k3y" not in stdout + (tmp_path / "import-report.md").read_text(encoding="utf-8")
    assert (
        (tmp_path / "policies" / "escalation" / "ops.yaml").read_text(encoding="utf-8")
        == """\
# yaml-language-server: $schema=../../schemas/escalation.schema.json
id: ops
name: Ops
levels:
  - {targets: [schedule:ops], escalate_after: 15m}
  - {targets: [person:ben-okafor], escalate_after: 5m}
repeat: 1
when_nobody: wait
"""
    )


def test_a_difference_from_the_vendor_is_listed_to_the_minute(tmp_path: Path) -> None:
    wrong = [
        *RIGHT[:1],
        _period("2026-11-23T08:00:00Z", "2026-11-23T20:30:00Z", ANA),
        _period("2026-11-23T20:30:00Z", "2026-11-24T08:00:00Z", BEN),
        RIGHT[2],
    ]
    code, stdout, _, _ = _import_opsgenie(tmp_path, wrong)
    assert code == 1
    assert json.loads(stdout)["verification"][0]["differences"] == [
        {
            "from": "2026-11-23T20:30Z",
            "to": "2026-11-24T08:00Z",
            "opsrepo": ["ana-silva"],
            "vendor": ["ben-okafor"],
            "reasons": [],
        }
    ]
    assert "- 2026-11-23T20:30Z – 2026-11-24T08:00Z: opsrepo ana-silva; Opsgenie ben-okafor" in (
        tmp_path / "import-report.md"
    ).read_text(encoding="utf-8")


def test_opsgenie_keeps_answering_429_then_the_import_fails(tmp_path: Path) -> None:
    routes = _opsgenie(RIGHT)
    routes["/v2/users"] = lambda query, attempt: (429, {"Retry-After": "0"}, {"message": "slow down"})
    with serve(routes) as server:
        code, _, stderr = run_import(
            tmp_path, "opsgenie", "--api-url", server.url, env={"OPSGENIE_API_KEY": "k"}
        )
    assert code == 1
    assert stderr.startswith(
        "opsrepo: error: Opsgenie kept answering 429 or 5xx to GET /v2/users (8 attempts)"
    )


def test_a_refused_key_is_a_usage_error(tmp_path: Path) -> None:
    routes = {"/v2/users": lambda query, attempt: (401, {}, {"message": "Key is not valid"})}
    with serve(routes) as server:
        code, _, stderr = run_import(
            tmp_path, "opsgenie", "--api-url", server.url, env={"OPSGENIE_API_KEY": "wrong-key"}
        )
    assert (
        code == 2
        and "Opsgenie did not accept the key (401 Unauthorized)" in stderr
        and "wrong-key" not in stderr
    )


def _ref(kind: str, ident: str) -> dict[str, str]:
    return {"id": ident, "type": f"{kind}_reference", "summary": ident}


def _pagerduty() -> dict[str, Any]:
    users = [
        {
            "id": "PA",
            "type": "user",
            "name": "Ana Silva",
            "email": "ana@acme.example",
            "time_zone": "UTC",
            "teams": [_ref("team", "PT")],
        },
        {
            "id": "PB",
            "type": "user",
            "name": "Ben Okafor",
            "email": "ben@acme.example",
            "time_zone": "UTC",
            "teams": [_ref("team", "PT")],
        },
    ]
    entries = [
        {"start": "2026-11-23T00:00:00Z", "end": "2026-11-23T08:00:00Z", "user": _ref("user", "PB")},
        {"start": "2026-11-23T08:00:00Z", "end": "2026-11-24T08:00:00Z", "user": _ref("user", "PA")},
        {"start": "2026-11-24T08:00:00Z", "end": "2026-11-25T00:00:00Z", "user": _ref("user", "PB")},
    ]
    schedule = {
        "id": "PS",
        "type": "schedule",
        "name": "Ops",
        "time_zone": "UTC",
        "teams": [_ref("team", "PT")],
        "schedule_layers": [
            {
                "id": "L1",
                "name": "Layer 1",
                "start": "2026-11-01T08:00:00Z",
                "rotation_virtual_start": "2026-11-01T08:00:00Z",
                "rotation_turn_length_seconds": 86400,
                "users": [{"user": _ref("user", "PA")}, {"user": _ref("user", "PB")}],
            }
        ],
        "final_schedule": {"name": "Final Schedule", "rendered_schedule_entries": entries},
    }
    policy = {
        "id": "PP",
        "type": "escalation_policy",
        "name": "Ops",
        "num_loops": 0,
        "escalation_rules": [{"escalation_delay_in_minutes": 5, "targets": [_ref("schedule", "PS")]}],
    }

    def page(kind: str, items: list[Any]) -> dict[str, Any]:
        return {kind: items, "limit": 100, "offset": 0, "more": False, "total": None}

    return {
        "/users": page("users", users),
        "/teams": page("teams", [{"id": "PT", "type": "team", "name": "Ops"}]),
        "/teams/PT/members": page("members", [{"user": _ref("user", "PA")}, {"user": _ref("user", "PB")}]),
        "/services": page("services", []),
        "/escalation_policies": page("escalation_policies", [policy]),
        "/schedules": page(
            "schedules", [{"id": "PS", "type": "schedule", "name": "Ops", "time_zone": "UTC"}]
        ),
        "/schedules/PS": {"schedule": schedule},
        "/schedules/PS/overrides": {"overrides": []},
    }


def test_pagerduty_over_its_api_saves_what_it_read_and_imports_it_again_offline(tmp_path: Path) -> None:
    with serve(_pagerduty()) as server:
        code, stdout, stderr = run_import(
            tmp_path / "live",
            "pagerduty",
            "--api-url",
            server.url,
            "--save-dir",
            str(tmp_path / "saved"),
            "--verify-days",
            "2",
            "--format",
            "json",
            env={"PAGERDUTY_TOKEN": "t0k"},
        )
    assert (code, stderr) == (0, "")
    assert json.loads(stdout)["verification"][0]["status"] == "exact"
    assert {headers["Authorization"] for _, headers in server.requests} == {"Token token=t0k"}
    assert "/schedules/PS?since=2026-11-23T00%3A00%3A00Z&until=2026-11-25T00%3A00%3A00Z&time_zone=UTC" in [
        path for path, _ in server.requests
    ]
    assert sorted(p.name for p in (tmp_path / "saved").iterdir()) == [
        "escalation_policies.json",
        "meta.json",
        "overrides.json",
        "schedules.json",
        "services.json",
        "team_members.json",
        "teams.json",
        "users.json",
        "v3_schedules.json",
    ]
    code, offline, _ = run_import(
        tmp_path / "offline",
        "pagerduty",
        "--from-dir",
        str(tmp_path / "saved"),
        "--verify-days",
        "2",
        "--format",
        "json",
    )
    assert (code, json.loads(offline)) == (0, json.loads(stdout))
    written = sorted(p.relative_to(tmp_path / "live") for p in (tmp_path / "live").rglob("*.yaml"))
    assert all(
        (tmp_path / "live" / p).read_bytes() == (tmp_path / "offline" / p).read_bytes() for p in written
    )
