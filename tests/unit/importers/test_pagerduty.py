"""PagerDuty objects (shaped as rest-openapi-subset.json) to ops-repo documents: each mapping alone."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from opsrepo.importers import pagerduty as pd
from opsrepo.importers.result import Imported

NOW = datetime(2026, 11, 23, tzinfo=UTC)


def ref(kind: str, ident: str, summary: str | None = None) -> dict[str, Any]:
    made = {"id": ident, "type": f"{kind}_reference", "self": f"https://api.pagerduty.com/{kind}s/{ident}"}
    return {**made, "summary": summary} if summary else made


USERS = [
    {
        "id": i,
        "type": "user",
        "name": name,
        "email": f"{i.lower()}@acme.example",
        "time_zone": "Europe/Berlin",
    }
    for i, name in (("PA", "Ana Silva"), ("PB", "Ben Okafor"), ("PC", "Cleo Park"))
]


def layer(users: list[str], **fields: Any) -> dict[str, Any]:
    return {
        "name": "Layer 1",
        "start": "2026-01-05T09:00:00+01:00",
        "rotation_virtual_start": "2026-01-05T09:00:00+01:00",
        "rotation_turn_length_seconds": 604800,
        "users": [{"user": ref("user", u)} for u in users],
        **fields,
    }


def schedule(*layers: dict[str, Any], **fields: Any) -> dict[str, Any]:
    return {
        "id": "PS1",
        "type": "schedule",
        "name": "Primary",
        "time_zone": "Europe/Berlin",
        "schedule_layers": list(layers),
        **fields,
    }


def run(**account: Any) -> Imported:
    return pd.import_account(pd.Account(users=USERS, **account), NOW)


def the_schedule(imported: Imported) -> dict[str, Any]:
    return imported.documents["schedules/primary.yaml"]


def item(imported: Imported, kind: str) -> Any:
    return next(i for i in imported.report.items if i.kind == kind)


def test_a_weekly_layer_keeps_its_handoff_and_member_order() -> None:
    assert the_schedule(run(schedules=[schedule(layer(["PA", "PB", "PC"]))]))["layers"] == [
        {
            "name": "Layer 1",
            "members": ["ana-silva", "ben-okafor", "cleo-park"],
            "start": "2026-01-05T09:00",
            "length": "1w",
        }
    ]


def test_a_virtual_start_before_the_start_rotates_the_members_and_keeps_the_first_partial_turn() -> None:
    """Turns count from the virtual start (a Monday); the layer starts on Wednesday inside Ben's turn."""
    made = the_schedule(
        run(schedules=[schedule(layer(["PA", "PB", "PC"], start="2026-01-14T12:00:00+01:00"))])
    )
    assert made["layers"] == [
        {
            "name": "Layer 1",
            "members": ["cleo-park", "ana-silva", "ben-okafor"],
            "start": "2026-01-19T09:00",
            "length": "1w",
        },
        {
            "name": "Layer 1 (first turn)",
            "members": ["ben-okafor"],
            "start": "2026-01-14T12:00",
            "length": "1w",
            "end": "2026-01-19T09:00",
        },
    ]


def test_turns_are_counted_on_the_wall_clock_across_dst() -> None:
    """A daily 09:00 rotation from January: in July the handoff is still 09:00 local (07:00Z)."""
    made = the_schedule(
        run(
            schedules=[
                schedule(
                    layer(["PA", "PB"], rotation_turn_length_seconds=86400, start="2026-07-01T10:00:00+02:00")
                )
            ]
        )
    )
    assert made["layers"][0]["start"] == "2026-07-02T09:00"
    assert made["layers"][1]["start"] == "2026-07-01T10:00"


@pytest.mark.parametrize(
    ("restrictions", "windows"),
    [
        pytest.param(
            [{"type": "daily_restriction", "start_time_of_day": "19:00:00", "duration_seconds": 43200}],
            [{"from": "19:00", "to": "07:00"}],
            id="daily-across-midnight",
        ),
        pytest.param(
            [
                {
                    "type": "weekly_restriction",
                    "start_day_of_week": 5,
                    "start_time_of_day": "18:00:00",
                    "duration_seconds": 223200,
                }
            ],
            [
                {"days": ["fri", "sat"], "from": "18:00", "to": "18:00"},
                {"days": ["sun"], "from": "18:00", "to": "08:00"},
            ],
            id="weekly-across-the-weeks-end",
        ),
        pytest.param(
            [
                {
                    "type": "weekly_restriction",
                    "start_day_of_week": d,
                    "start_time_of_day": "09:00:00",
                    "duration_seconds": 28800,
                }
                for d in range(1, 6)
            ],
            [{"days": ["mon", "tue", "wed", "thu", "fri"], "from": "09:00", "to": "17:00"}],
            id="weekdays",
        ),
    ],
)
def test_restrictions_become_windows(
    restrictions: list[dict[str, Any]], windows: list[dict[str, Any]]
) -> None:
    made = the_schedule(run(schedules=[schedule(layer(["PA"], restrictions=restrictions))]))
    assert made["layers"][0]["restrictions"] == windows
    assert made["coverage"] == "none"


def test_a_restriction_to_the_second_is_cut_to_the_minute_and_reported() -> None:
    imported = run(
        schedules=[
            schedule(
                layer(
                    ["PA"],
                    restrictions=[
                        {
                            "type": "daily_restriction",
                            "start_time_of_day": "08:00:30",
                            "duration_seconds": 3600,
                        }
                    ],
                )
            )
        ]
    )
    assert the_schedule(imported)["layers"][0]["restrictions"] == [{"from": "08:00", "to": "09:00"}]
    assert [loss.what for loss in item(imported, "schedule").losses] == [
        "layer 'Layer 1': restriction to the second"
    ]


def _rendered(user: str) -> dict[str, Any]:
    return {
        "rendered_schedule_entries": [
            {"start": "2026-11-23T00:00:00Z", "end": "2026-11-24T00:00:00Z", "user": ref("user", user)}
        ]
    }


@pytest.mark.parametrize(
    ("final", "order", "note"),
    [
        pytest.param("PB", ["Bottom", "Top"], None, id="the-last-listed-wins-as-sent"),
        pytest.param("PA", ["Top", "Bottom"], "were reversed", id="the-first-listed-wins-so-reversed"),
        pytest.param(None, ["Bottom", "Top"], "the API's order was kept", id="no-evidence"),
    ],
)
def test_layer_precedence_is_read_from_pagerdutys_own_rendering(
    final: str | None, order: list[str], note: str | None
) -> None:
    bottom = layer(["PA"], name="Bottom", **(_rendered("PA") if final else {}))
    top = layer(["PB"], name="Top", **(_rendered("PB") if final else {}))
    extra = {"final_schedule": {"name": "Final Schedule", **_rendered(final)}} if final else {}
    imported = run(schedules=[schedule(bottom, top, **extra)])
    assert [layer["name"] for layer in the_schedule(imported)["layers"]] == order
    notes = " ".join(item(imported, "schedule").notes)
    assert (note in notes) if note else ("reversed" not in notes and "kept" not in notes)


def test_future_overrides_are_kept_in_order_in_the_schedules_zone_and_past_ones_left_out() -> None:
    overrides = [
        {
            "id": "O1",
            "start": "2026-11-01T00:00:00Z",
            "end": "2026-11-02T00:00:00Z",
            "user": ref("user", "PC"),
        },
        {
            "id": "O2",
            "start": "2026-12-24T09:00:00+01:00",
            "end": "2026-12-27T09:00:00+01:00",
            "user": ref("user", "PC"),
        },
        {
            "id": "O3",
            "start": "2026-12-25T08:00:00Z",
            "end": "2026-12-25T20:00:00Z",
            "user": ref("user", "PB"),
        },
    ]
    made = the_schedule(run(schedules=[schedule(layer(["PA"]))], overrides={"PS1": overrides}))
    assert made["overrides"] == [
        {"person": "cleo-park", "from": "2026-12-24T09:00", "to": "2026-12-27T09:00"},
        {"person": "ben-okafor", "from": "2026-12-25T09:00", "to": "2026-12-25T21:00"},
    ]


def test_a_deleted_user_in_a_layer_becomes_a_reported_placeholder_named_after_the_reference() -> None:
    imported = run(
        schedules=[
            schedule(
                layer(["PA"])
                | {"users": [{"user": ref("user", "PA")}, {"user": ref("user", "PGONE", "Dan Gone")}]}
            )
        ]
    )
    assert the_schedule(imported)["layers"][0]["members"] == ["ana-silva", "dan-gone"]
    gone = next(i for i in imported.report.items if i.vendor_id == "PGONE")
    assert (gone.became, [loss.what for loss in gone.losses]) == (["person:dan-gone"], ["user"])


def test_escalation_rules_map_one_to_one_with_skip_and_loops() -> None:
    policy = {
        "id": "PP",
        "type": "escalation_policy",
        "name": "Ops",
        "num_loops": 2,
        "escalation_rules": [
            {"escalation_delay_in_minutes": 5, "targets": [ref("schedule", "PS1")]},
            {
                "escalation_delay_in_minutes": 30,
                "targets": [ref("user", "PB"), ref("schedule", "PMISSING")],
                "escalation_rule_assignment_strategy": "round_robin",
            },
        ],
    }
    imported = run(schedules=[schedule(layer(["PA"]))], escalation_policies=[policy])
    assert imported.documents["policies/escalation/ops.yaml"] == {
        "id": "ops",
        "name": "Ops",
        "levels": [
            {"targets": ["schedule:primary"], "escalate_after": "5m"},
            {"targets": ["person:ben-okafor"], "escalate_after": "30m"},
        ],
        "repeat": 2,
        "when_nobody": "skip",
    }
    assert [loss.what for loss in item(imported, "escalation policy").losses] == [
        "rule 2: target schedule_reference PMISSING",
        "rule 2: round robin",
    ]


def test_a_service_joins_its_team_with_its_policy_and_its_alert_settings_are_listed_as_ignored() -> None:
    policy = {
        "id": "PP",
        "type": "escalation_policy",
        "name": "Ops",
        "escalation_rules": [{"escalation_delay_in_minutes": 5, "targets": [ref("user", "PA")]}],
    }
    service = {
        "id": "PSV",
        "type": "service",
        "name": "Web App",
        "escalation_policy": ref("escalation_policy", "PP"),
        "teams": [ref("team", "PT")],
        "auto_resolve_timeout": 14400,
    }
    imported = run(
        teams=[{"id": "PT", "type": "team", "name": "Web"}],
        team_members={"PT": [{"user": ref("user", "PA")}]},
        escalation_policies=[policy],
        services=[service],
    )
    assert imported.documents["teams/web.yaml"]["services"] == [
        {"id": "web-app", "name": "Web App", "escalation_policy": "ops"}
    ]
    assert item(imported, "service").ignored == [
        "auto_resolve_timeout (alert handling, outside opsrepo's on-call model)"
    ]


def test_a_user_without_a_time_zone_gets_the_organisations_and_it_is_reported() -> None:
    users = [{"id": "PZ", "type": "user", "name": "Zed", "email": "zed@acme.example"}]
    imported = pd.import_account(
        pd.Account(users=users, schedules=[schedule(layer(["PZ"]), time_zone="Asia/Tokyo")]), NOW
    )
    assert imported.documents["teams/imported.yaml"]["people"] == [
        {"id": "zed", "name": "Zed", "email": "zed@acme.example", "timezone": "Asia/Tokyo"}
    ]
    assert (
        item(imported, "user").losses[0].why
        == "it has none; the organisation's Asia/Tokyo was written instead"
    )


def test_a_v3_daily_event_with_a_window_is_a_restricted_layer_and_every_member_at_once_is_reported() -> None:
    def event(name: str, strategy: str, members: list[str]) -> dict[str, Any]:
        return {
            "id": name,
            "type": "schedule_event",
            "name": name,
            "start_time": {"date_time": "2026-03-02T09:00:00+01:00", "time_zone": "Europe/Berlin"},
            "end_time": {"date_time": "2026-03-02T17:00:00+01:00", "time_zone": "Europe/Berlin"},
            "effective_since": "2026-03-02T08:00:00Z",
            "recurrence": ["RRULE:FREQ=DAILY"],
            "assignment_strategy": {
                "type": strategy,
                "shifts_per_member": 1,
                "members": [{"type": "user_member", "user_id": m} for m in members],
            },
        }

    v3 = {
        "id": "PV3",
        "type": "schedule_v3",
        "name": "Primary",
        "time_zone": "Europe/Berlin",
        "rotations": [
            {
                "id": "R1",
                "type": "schedule_rotation",
                "events": [event("days", "rotating_member_assignment_strategy", ["PA", "PB"])],
            },
            {
                "id": "R2",
                "type": "schedule_rotation",
                "events": [event("all", "every_member_assignment_strategy", ["PA", "PC"])],
            },
        ],
    }
    imported = run(v3_schedules=[v3])
    assert the_schedule(imported)["layers"] == [
        {
            "name": "days",
            "members": ["ana-silva", "ben-okafor"],
            "start": "2026-03-02T09:00",
            "length": "1d",
            "restrictions": [{"from": "09:00", "to": "17:00"}],
        }
    ]
    assert [loss.what for loss in item(imported, "schedule").losses] == ["event 'all'", "several events"]
