"""Opsgenie objects (shaped as swagger.json's definitions) to ops-repo documents: each mapping alone."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from opsrepo.importers import opsgenie as og
from opsrepo.importers.result import Imported

NOW = datetime(2026, 11, 23, tzinfo=UTC)
USERS = [
    {"id": f"u-{n}", "username": f"{n}@acme.example", "fullName": n.title(), "timeZone": "Europe/Berlin"}
    for n in ("ana", "ben", "cy")
]


def participant(name: str) -> dict[str, Any]:
    return {"type": "user", "id": f"u-{name}", "username": f"{name}@acme.example"}


def rotation(name: str, people: list[str], **fields: Any) -> dict[str, Any]:
    return {
        "id": f"r-{name}",
        "name": name,
        "startDate": "2026-03-02T08:00:00Z",
        "type": "weekly",
        "length": 1,
        "participants": [participant(p) for p in people],
        **fields,
    }


def schedule(*rotations: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": "s1",
        "name": "ops",
        "timezone": "Europe/Berlin",
        "enabled": True,
        "rotations": list(rotations),
    }


def run(**account: Any) -> Imported:
    return og.import_account(og.Account(users=USERS, **account), NOW)


def schedules(imported: Imported) -> dict[str, dict[str, Any]]:
    return {
        p.removeprefix("schedules/").removesuffix(".yaml"): d
        for p, d in imported.documents.items()
        if p.startswith("schedules/")
    }


def item(imported: Imported, kind: str) -> Any:
    return next(i for i in imported.report.items if i.kind == kind)


NIGHTS = {"type": "time-of-day", "restriction": {"startHour": 18, "startMin": 0, "endHour": 9, "endMin": 0}}
DAYS = {
    "type": "weekday-and-time-of-day",
    "restrictions": [
        {"startDay": day, "startHour": 9, "startMin": 0, "endDay": day, "endHour": 18, "endMin": 0}
        for day in ("monday", "tuesday", "wednesday", "thursday", "friday")
    ],
}


def test_rotations_that_never_overlap_are_layers_of_one_schedule() -> None:
    imported = run(
        schedules=[
            schedule(
                rotation("days", ["ana", "ben"], timeRestriction=DAYS),
                rotation(
                    "nights", ["cy"], type="daily", timeRestriction=NIGHTS, startDate="2026-03-02T17:00:00Z"
                ),
            )
        ]
    )
    assert schedules(imported)["ops"]["layers"] == [
        {
            "name": "days",
            "members": ["ana", "ben"],
            "start": "2026-03-02T09:00",
            "length": "1w",
            "restrictions": [{"days": ["mon", "tue", "wed", "thu", "fri"], "from": "09:00", "to": "18:00"}],
        },
        {
            "name": "nights",
            "members": ["cy"],
            "start": "2026-03-02T18:00",
            "length": "1d",
            "restrictions": [{"from": "18:00", "to": "09:00"}],
        },
    ]
    assert imported.groups == {"s1": ("ops",)}


def test_rotations_on_call_together_become_one_schedule_each_and_policies_target_all() -> None:
    escalation = {
        "id": "e1",
        "name": "Ops",
        "rules": [
            {
                "condition": "if-not-acked",
                "notifyType": "default",
                "delay": {"timeAmount": 0},
                "recipient": {"type": "schedule", "id": "s1", "name": "ops"},
            }
        ],
    }
    imported = run(
        schedules=[schedule(rotation("primary", ["ana", "ben"]), rotation("shadow", ["cy"]))],
        escalations=[escalation],
    )
    assert sorted(schedules(imported)) == ["ops-primary", "ops-shadow"]
    assert imported.groups == {"s1": ("ops-primary", "ops-shadow")}
    assert imported.documents["policies/escalation/ops.yaml"]["levels"][0]["targets"] == [
        "schedule:ops-primary",
        "schedule:ops-shadow",
    ]
    assert not item(imported, "schedule").losses


@pytest.mark.parametrize(
    ("restriction", "windows"),
    [
        pytest.param(
            {
                "type": "weekday-and-time-of-day",
                "restrictions": [
                    {
                        "startDay": "friday",
                        "startHour": 18,
                        "startMin": 0,
                        "endDay": "monday",
                        "endHour": 8,
                        "endMin": 30,
                    }
                ],
            },
            [
                {"days": ["fri", "sat"], "from": "18:00", "to": "18:00"},
                {"days": ["sun"], "from": "18:00", "to": "08:30"},
            ],
            id="weekday-across-the-weeks-end",
        ),
        pytest.param(
            {
                "type": "time-of-day",
                "restriction": {"startHour": 22, "startMin": 0, "endHour": 6, "endMin": 0},
            },
            [{"from": "22:00", "to": "06:00"}],
            id="time-of-day-across-midnight",
        ),
    ],
)
def test_both_restriction_kinds(restriction: dict[str, Any], windows: list[dict[str, Any]]) -> None:
    made = schedules(run(schedules=[schedule(rotation("r", ["ana"], timeRestriction=restriction))]))["ops"]
    assert made["layers"][0]["restrictions"] == windows


def test_an_hourly_rotation_without_restrictions_counts_elapsed_hours_in_utc() -> None:
    made = schedules(run(schedules=[schedule(rotation("h", ["ana", "ben"], type="hourly", length=8))]))["ops"]
    assert made["layers"] == [
        {
            "name": "h",
            "members": ["ana", "ben"],
            "start": "2026-03-02T08:00",
            "length": "8h",
            "timezone": "UTC",
        }
    ]


def test_team_and_none_participants_are_reported() -> None:
    imported = run(
        schedules=[
            schedule(
                rotation("r", ["ana"])
                | {
                    "participants": [
                        participant("ana"),
                        {"type": "team", "id": "t1", "name": "Ops"},
                        {"type": "none"},
                    ]
                }
            )
        ]
    )
    assert schedules(imported)["ops"]["layers"][0]["members"] == ["ana"]
    assert [loss.what for loss in item(imported, "schedule").losses] == [
        "rotation 'r': team participant 'Ops'",
        "rotation 'r': turns with nobody",
    ]


def test_an_override_of_one_rotation_is_cut_to_where_it_has_someone() -> None:
    override = {
        "alias": "o",
        "user": {"type": "user", "id": "u-cy", "username": "cy@acme.example"},
        "startDate": "2026-12-01T00:00:00Z",
        "endDate": "2026-12-02T00:00:00Z",
        "rotations": [{"id": "r-nights", "name": "nights"}],
    }
    imported = run(
        schedules=[
            schedule(
                rotation("days", ["ana"], timeRestriction=DAYS),
                rotation("nights", ["ben"], type="daily", timeRestriction=NIGHTS),
            )
        ],
        overrides={"s1": [override]},
    )
    assert schedules(imported)["ops"]["overrides"] == [
        {"person": "cy", "from": "2026-12-01T01:00", "to": "2026-12-01T09:00"},
        {"person": "cy", "from": "2026-12-01T18:00", "to": "2026-12-02T01:00"},
    ]


def test_two_teams_of_one_name_get_distinct_ids_by_their_sorted_vendor_ids() -> None:
    teams = [
        {"id": "t9", "name": "Ops", "members": [{"user": {"id": "u-ana", "username": "ana@acme.example"}}]},
        {"id": "t1", "name": "Ops", "members": [{"user": {"id": "u-ben", "username": "ben@acme.example"}}]},
    ]
    imported = run(teams=teams)
    assert [i.became for i in imported.report.items if i.kind == "team"] == [["team:ops"], ["team:ops-2"]]
    assert imported.documents["teams/ops.yaml"]["people"][0]["id"] == "ben"


def rule(minutes: int, recipient: dict[str, Any], notify: str = "default") -> dict[str, Any]:
    return {
        "condition": "if-not-acked",
        "notifyType": notify,
        "delay": {"timeAmount": minutes, "timeUnit": "minutes"},
        "recipient": recipient,
    }


def test_delays_from_the_alert_become_waits_after_the_previous_level() -> None:
    user = {"type": "user", "id": "u-ben", "username": "ben@acme.example"}
    escalation = {
        "id": "e1",
        "name": "Ops",
        "rules": [
            rule(30, {"type": "user", "id": "u-cy"}),
            rule(0, {"type": "schedule", "id": "s1"}),
            rule(10, user),
            rule(10, {"type": "user", "id": "u-ana"}),
        ],
        "repeat": {"waitInterval": 15, "count": 3},
    }
    imported = run(schedules=[schedule(rotation("r", ["ana"]))], escalations=[escalation])
    assert imported.documents["policies/escalation/ops.yaml"] == {
        "id": "ops",
        "name": "Ops",
        "levels": [
            {"targets": ["schedule:ops"], "escalate_after": "10m"},
            {"targets": ["person:ben", "person:ana"], "escalate_after": "20m"},
            {"targets": ["person:cy"], "escalate_after": "15m"},
        ],
        "repeat": 3,
        "when_nobody": "wait",
    }


def test_previous_is_a_derived_schedule_and_next_a_reported_approximation() -> None:
    escalation = {
        "id": "e1",
        "name": "Ops",
        "rules": [
            rule(0, {"type": "schedule", "id": "s1"}, "previous"),
            rule(5, {"type": "schedule", "id": "s1"}, "next"),
        ],
    }
    imported = run(schedules=[schedule(rotation("r", ["ana", "ben"]))], escalations=[escalation])
    assert schedules(imported)["ops-previous"] == {
        "id": "ops-previous",
        "name": "ops (previous)",
        "team": "imported",
        "timezone": "Europe/Berlin",
        "coverage": "none",
        "derive": {"from": "ops", "offset": 1},
    }
    assert [lvl["targets"] for lvl in imported.documents["policies/escalation/ops.yaml"]["levels"]] == [
        ["schedule:ops-previous"],
        ["schedule:ops"],
    ]
    assert [loss.what for loss in item(imported, "escalation policy").losses] == ["rule 2: next on-call"]


def test_a_first_rule_that_waits_and_an_escalation_recipient_are_reported() -> None:
    escalation = {
        "id": "e1",
        "name": "Ops",
        "rules": [
            rule(5, {"type": "user", "id": "u-ana"}),
            rule(15, {"type": "escalation", "id": "e2", "name": "Other"}),
        ],
    }
    imported = run(escalations=[escalation])
    assert imported.documents["policies/escalation/ops.yaml"]["levels"] == [
        {"targets": ["person:ana"], "escalate_after": "5m"}
    ]
    assert [loss.what for loss in item(imported, "escalation policy").losses] == [
        "rule 2: escalation recipient Other",
        "first rule's delay",
    ]


def test_what_is_written_does_not_depend_on_the_order_objects_are_listed_in() -> None:
    """An API lists in its own order, a backup folder by file name: the same account, the same files."""
    web_team = {"id": "t1", "name": "Web"}
    ops = {**schedule(rotation("ops", ["cy"])), "ownerTeam": web_team}
    web = {**schedule(rotation("web", ["ana"])), "id": "s2", "name": "web", "ownerTeam": web_team}
    teams = [
        {**web_team, "members": [{"user": {"id": "u-ben"}}]},
        {"id": "t2", "name": "Ops", "members": [{"user": {"id": "u-ana"}}, {"user": {"id": "u-cy"}}]},
    ]
    listed = [
        og.import_account(og.Account(users=u, teams=t, schedules=s), NOW)
        for u, t, s in ((USERS, teams, [ops, web]), (USERS[::-1], teams[::-1], [web, ops]))
    ]
    assert listed[0].documents["teams/web.yaml"]["members"] == ["ben", "cy", "ana"]
    assert listed[0].documents == listed[1].documents
    assert [i.vendor_id for i in listed[0].report.items] == [i.vendor_id for i in listed[1].report.items]
