"""Reading PagerDuty's v3 (shift-based) schedules: list, read, rotations, events, custom shifts, overrides.

The fake keeps v3 schedules as given (``FakePagerDuty.account.v3``: id -> a
``ScheduleResponse.schedule`` with ``rotations`` holding their ``events``, plus
``custom_shifts`` and ``overrides`` lists). It does not compute their
``final_schedule`` (RRULE events): a read asking for it gets none.
"""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING, Any

from tests.fakevendors.httpfake import Answer, Refusal
from tests.fakevendors.pd_routes import Query, one, route

if TYPE_CHECKING:
    from tests.fakevendors.pd_server import FakePagerDuty


def _schedule(fake: FakePagerDuty, sid: str) -> dict[str, Any]:
    found = fake.account.v3.get(sid)
    if found is None:
        raise Refusal(404, f"schedule {sid} not found")
    return found


def _public(schedule: dict[str, Any]) -> dict[str, Any]:
    return {k: copy.deepcopy(v) for k, v in schedule.items() if k not in ("custom_shifts", "overrides")}


@route("GET", r"/v3/schedules")
def list_v3(fake: FakePagerDuty, g: dict[str, str], query: Query, body: Any) -> Answer:
    limit, offset = int(one(query, "limit", "100") or 100), int(one(query, "offset", "0") or 0)
    items = [{"id": s["id"], "type": "schedule_v3_reference", "summary": s["name"],
              "self": f"{fake.account.base}/v3/schedules/{s['id']}"} for s in fake.account.v3.values()]
    return Answer(200, {"schedules": items[offset:offset + limit], "limit": limit, "offset": offset,
                        "more": offset + limit < len(items)})


@route("GET", r"/v3/schedules/{id}")
def read_v3(fake: FakePagerDuty, g: dict[str, str], query: Query, body: Any) -> Answer:
    return Answer(200, {"schedule": _public(_schedule(fake, g["id"]))})


@route("GET", r"/v3/schedules/{id}/rotations")
def list_rotations(fake: FakePagerDuty, g: dict[str, str], query: Query, body: Any) -> Answer:
    rotations = _schedule(fake, g["id"]).get("rotations", [])
    return Answer(200, {"rotations": copy.deepcopy(rotations)})


def _rotation(fake: FakePagerDuty, g: dict[str, str]) -> dict[str, Any]:
    for rotation in _schedule(fake, g["id"]).get("rotations", []):
        if rotation["id"] == g["rotation"]:
            return rotation
    raise Refusal(404, "rotation not found")


@route("GET", r"/v3/schedules/{id}/rotations/(?P<rotation>[A-Za-z0-9]+)")
def read_rotation(fake: FakePagerDuty, g: dict[str, str], query: Query, body: Any) -> Answer:
    return Answer(200, {"rotation": copy.deepcopy(_rotation(fake, g))})


@route("GET", r"/v3/schedules/{id}/rotations/(?P<rotation>[A-Za-z0-9]+)/events")
def list_events(fake: FakePagerDuty, g: dict[str, str], query: Query, body: Any) -> Answer:
    return Answer(200, {"events": copy.deepcopy(_rotation(fake, g).get("events", []))})


@route("GET", r"/v3/schedules/{id}/(?P<what>custom_shifts|overrides)")
def list_shifts(fake: FakePagerDuty, g: dict[str, str], query: Query, body: Any) -> Answer:
    return Answer(200, {g["what"]: copy.deepcopy(_schedule(fake, g["id"]).get(g["what"], []))})
