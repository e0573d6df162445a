"""A fixture account (:mod:`tests.fakevendors.accounts`) as Opsgenie objects, for ``FakeOpsgenie.load``."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from tests.fakevendors.accounts import Account, Layer, Window

WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]


def oid(kind: str, key: int) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"opsgenie-fixture/{kind}/{key}"))


def utc(instant: datetime) -> str:
    return instant.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def clock(minutes: int) -> tuple[int, int]:
    return (minutes // 60) % 24, minutes % 60


def time_restriction(windows: list[Window]) -> dict[str, Any] | None:
    if not windows:
        return None
    if windows[0].day is None:  # time-of-day takes one window a day
        hour, minute = map(int, windows[0].start.split(":"))
        end = clock(hour * 60 + minute + int(windows[0].hours * 60))
        return {"type": "time-of-day", "restriction": {"startHour": hour, "startMin": minute, "endHour": end[0],
                                                       "endMin": end[1]}}
    rules = []
    for window in windows:
        hour, minute = map(int, window.start.split(":"))
        start = (window.day - 1) * 1440 + hour * 60 + minute
        end = start + int(window.hours * 60)
        rules.append({"startDay": WEEKDAYS[window.day - 1], "startHour": hour, "startMin": minute,
                      "endDay": WEEKDAYS[(end // 1440) % 7], "endHour": clock(end)[0], "endMin": clock(end)[1]})
    return {"type": "weekday-and-time-of-day", "restrictions": rules}


def user_recipient(account: Account, key: int) -> dict[str, Any]:
    return {"type": "user", "id": oid("user", key), "username": account.people[key].email}


def rotation(account: Account, schedule_key: int, index: int, spec: Layer) -> dict[str, Any]:
    kind, length = {"weekly": ("weekly", spec.hours // 168), "daily": ("daily", spec.hours // 24),
                    "hourly": ("hourly", spec.hours)}[spec.kind]
    out = {"id": oid("rotation", schedule_key * 10 + index), "name": f"Rotation {index + 1}",
           "startDate": utc(spec.handoff), "type": kind, "length": length,
           "participants": [user_recipient(account, p) for p in spec.people]}
    restriction = time_restriction(spec.windows)
    return out | ({"timeRestriction": restriction} if restriction else {})


def to_opsgenie(account: Account) -> dict[str, Any]:
    """``users``, ``teams``, ``schedules`` (with rotations), ``escalations`` and ``overrides`` by schedule id."""
    users = []
    for person in account.live:
        user = {"id": oid("user", person.key), "username": person.email, "fullName": person.name,
                "role": {"id": "Admin" if person.key == 0 else "User", "name": "Admin" if person.key == 0 else "User"},
                "locale": "en_US", "blocked": False, "verified": True, "createdAt": "2025-01-06T09:00:00Z"}
        if person.zone:
            user["timeZone"] = person.zone
        users.append(user)
    teams = [{"id": oid("team", key), "name": name, "description": f"{name} team ({key})",
              "members": [{"user": {"id": oid("user", p), "username": account.people[p].email},
                           "role": "admin" if i == 0 else "user"} for i, p in enumerate(people)]}
             for key, (name, people) in enumerate(account.teams)]
    schedules, overrides = [], {}
    for s in account.schedules:
        sid = oid("schedule", s.key)
        rotations = [rotation(account, s.key, i, spec) for i, spec in enumerate(s.layers)]
        schedules.append({"id": sid, "name": s.name, "description": s.description, "timezone": s.zone,
                          "enabled": True, "ownerTeam": {"id": oid("team", s.team), "name": account.teams[s.team][0]},
                          "rotations": rotations})
        if s.overrides:
            overrides[sid] = [{"alias": oid("override", s.key * 10 + i), "user": user_recipient(account, o.person),
                               "startDate": utc(o.start), "endDate": utc(o.end),
                               "rotations": [] if o.layer is None else [
                                   {"id": rotations[o.layer]["id"], "name": rotations[o.layer]["name"]}]}
                              for i, o in enumerate(s.overrides)]
    escalations = []
    for p in account.policies:
        rules, waited = [], 0
        for delay, targets in p.rules:  # Opsgenie counts each rule's delay from the alert's creation
            for kind, key in targets:
                recipient = (user_recipient(account, key) if kind == "user" else
                             {"type": "schedule", "id": oid("schedule", key), "name": account.schedules[key].name})
                rules.append({"condition": "if-not-acked", "notifyType": "default",
                              "delay": {"timeAmount": waited, "timeUnit": "minutes"}, "recipient": recipient})
            waited += delay
        escalation = {"id": oid("escalation", p.key), "name": p.name, "description": "",
                      "ownerTeam": {"id": oid("team", p.team), "name": account.teams[p.team][0]}, "rules": rules}
        if p.loops:
            escalation["repeat"] = {"waitInterval": 10, "count": p.loops, "resetRecipientStates": False,
                                    "closeAlertAfterAll": False}
        escalations.append(escalation)
    return {"users": users, "teams": teams, "schedules": schedules, "escalations": escalations,
            "overrides": overrides}
