"""Request bodies for PagerDuty's REST API v2, from what the repo wants and the ids known so far."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from opsrepo.apply.desired import WantPolicy, WantSchedule, WantService
from opsrepo.apply.overrides import Wanted
from opsrepo.apply.pdmodel import Layer
from opsrepo.oncall.clock import from_micros


def iso(value: datetime) -> str:
    """An instant as the API writes it in UTC (``2026-01-05T08:00:00Z``)."""
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


def user_ref(user_id: str) -> dict[str, str]:
    """``{"id": ..., "type": "user_reference"}``."""
    return {"id": user_id, "type": "user_reference"}


def schedule_body(
    want: WantSchedule, users: Mapping[str, str], layer_ids: tuple[str | None, ...] = ()
) -> dict[str, Any]:
    """A schedule with its layers (``layer_ids``: existing layers to edit in place, by position)."""
    layers = [
        layer_body(layer, users, layer_ids[n] if n < len(layer_ids) else None)
        for n, layer in enumerate(want.layers)
    ]
    return {
        "type": "schedule",
        "name": want.name,
        "time_zone": want.time_zone,
        "description": want.description,
        "schedule_layers": layers,
    }


def layer_body(layer: Layer, users: Mapping[str, str], layer_id: str | None) -> dict[str, Any]:
    """One ``ScheduleLayer``."""
    body: dict[str, Any] = {
        "name": layer.name,
        "start": iso(layer.start),
        "rotation_virtual_start": iso(layer.virtual_start),
        "rotation_turn_length_seconds": layer.turn_seconds,
        "users": [{"user": user_ref(users[person])} for person in layer.users],
        "restrictions": [rule.to_api() for rule in layer.restrictions],
    }
    if layer.end is not None:
        body["end"] = iso(layer.end)
    if layer_id:
        body["id"] = layer_id
    return body


def override_body(want: Wanted, users: Mapping[str, str]) -> dict[str, Any]:
    """One override, in UTC."""
    return {
        "start": iso(from_micros(want.start)),
        "end": iso(from_micros(want.end)),
        "user": user_ref(users[want.person]),
        "time_zone": "UTC",
    }


def policy_body(want: WantPolicy, users: Mapping[str, str], schedules: Mapping[str, str]) -> dict[str, Any]:
    """An escalation policy; ``schedules`` maps opsrepo schedule ids to PagerDuty ids."""
    rules = []
    for rule in want.rules:
        targets = [
            {"id": schedules[ident], "type": "schedule_reference"}
            if kind == "schedule"
            else user_ref(users[ident])
            for kind, ident in rule.targets
        ]
        rules.append({"escalation_delay_in_minutes": rule.delay_minutes, "targets": targets})
    return {
        "type": "escalation_policy",
        "name": want.name,
        "description": want.description,
        "num_loops": want.num_loops,
        "escalation_rules": rules,
    }


def service_body(want: WantService, policy_id: str) -> dict[str, Any]:
    """A service and the policy it escalates with."""
    return {
        "type": "service",
        "name": want.name,
        "description": want.description,
        "escalation_policy": {"id": policy_id, "type": "escalation_policy_reference"},
    }
