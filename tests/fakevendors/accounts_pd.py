"""A fixture account (:mod:`tests.fakevendors.accounts`) as PagerDuty objects, for ``FakePagerDuty.load``."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from tests.fakevendors.accounts import SERVICES, Account, Layer, Window


def pid(prefix: str, key: int) -> str:
    digits, n = "", key
    for _ in range(5):
        n, r = divmod(n, 36)
        digits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"[r] + digits
    return prefix + digits


def utc(instant: datetime) -> str:
    return instant.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def restriction(window: Window) -> dict[str, Any]:
    out: dict[str, Any] = {"type": "daily_restriction" if window.day is None else "weekly_restriction",
                           "start_time_of_day": f"{window.start}:00", "duration_seconds": int(window.hours * 3600)}
    if window.day is not None:
        out["start_day_of_week"] = window.day
    return out


def layer(schedule_key: int, index: int, spec: Layer) -> dict[str, Any]:
    start = spec.handoff + timedelta(days=7 * index)  # later layers begin a week after the first
    return {"id": pid("PL", schedule_key * 10 + index), "name": f"Layer {index + 1}", "start": utc(start),
            "rotation_virtual_start": spec.handoff.isoformat(), "rotation_turn_length_seconds": spec.hours * 3600,
            "users": [{"user": {"id": pid("PU", p), "type": "user_reference"}} for p in spec.people],
            "restrictions": [restriction(w) for w in spec.windows]}


def to_pagerduty(account: Account) -> dict[str, Any]:
    """Objects by plural kind, plus ``members``, ``overrides`` (by schedule id) and ``deleted`` (id -> name)."""
    users = []
    for person in account.live:
        user = {"id": pid("PU", person.key), "type": "user", "name": person.name, "email": person.email,
                "role": "admin" if person.key == 0 else "user", "color": "green"}
        if person.zone:
            user["time_zone"] = person.zone
        users.append(user)
    teams = [{"id": pid("PT", key), "type": "team", "name": name, "description": f"{name} team ({key})"}
             for key, (name, _) in enumerate(account.teams)]
    members = {pid("PT", key): {pid("PU", p): "manager" if i == 0 else "responder" for i, p in enumerate(people)}
               for key, (_, people) in enumerate(account.teams)}
    schedules, overrides = [], {}
    for s in account.schedules:
        sid = pid("PS", s.key)
        schedules.append({"id": sid, "type": "schedule", "name": s.name, "time_zone": s.zone,
                          "description": s.description, "teams": [{"id": pid("PT", s.team), "type": "team_reference"}],
                          "schedule_layers": [layer(s.key, i, spec) for i, spec in enumerate(s.layers)]})
        if s.overrides:
            overrides[sid] = [{"id": pid("Q", s.key * 10 + i), "start": utc(o.start), "end": utc(o.end),
                               "user": {"id": pid("PU", o.person), "type": "user_reference"}}
                              for i, o in enumerate(s.overrides)]
    policies, services = [], []
    for p in account.policies:
        rules = [{"id": pid("PR", p.key * 10 + i), "escalation_delay_in_minutes": delay,
                  "targets": [{"id": pid("PS" if kind == "schedule" else "PU", key), "type": f"{kind}_reference"}
                              for kind, key in targets]}
                 for i, (delay, targets) in enumerate(p.rules)]
        policies.append({"id": pid("PE", p.key), "type": "escalation_policy", "name": p.name, "num_loops": p.loops,
                         "on_call_handoff_notifications": "if_has_services", "escalation_rules": rules,
                         "teams": [{"id": pid("PT", p.team), "type": "team_reference"}]})
        services.append({"id": pid("PV", p.key), "type": "service", "name": f"{SERVICES[p.key % len(SERVICES)]} {p.key}",
                         "status": "active", "escalation_policy": {"id": pid("PE", p.key),
                                                                   "type": "escalation_policy_reference"}})
    deleted = {pid("PU", p.key): p.name for p in account.people if p.deleted}
    return {"users": users, "teams": teams, "members": members, "schedules": schedules,
            "escalation_policies": policies, "services": services, "overrides": overrides, "deleted": deleted}
