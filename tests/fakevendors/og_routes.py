"""The fake Opsgenie's endpoints: ``ROUTES`` maps (method, path pattern) to a view."""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from tests.fakevendors import og_render
from tests.fakevendors.httpfake import Answer, Refusal
from tests.fakevendors.og_server import KINDS, FakeOpsgenie

Query = dict[str, list[str]]
View = Callable[[FakeOpsgenie, dict[str, str], Query, Any], Answer]
ROUTES: list[tuple[str, re.Pattern[str], View]] = []
IDENT = r"(?P<ident>[^/]+)"
MONTH = timedelta(days=30)


def route(method: str, pattern: str) -> Callable[[View], View]:
    def register(view: View) -> View:
        ROUTES.append((method, re.compile(pattern.replace("{ident}", IDENT)), view))
        return view
    return register


def one(query: Query, name: str, default: str | None = None) -> str | None:
    values = query.get(name)
    return values[0] if values else default


def iso(instant: Any) -> str:
    return instant.astimezone(og_render.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def schedule_of(fake: FakeOpsgenie, g: dict[str, str], query: Query) -> dict[str, Any]:
    by = one(query, "identifierType") or one(query, "scheduleIdentifierType")
    return fake.find("schedule", g["ident"], by)


def resolve(fake: FakeOpsgenie, recipient: dict[str, Any]) -> dict[str, Any]:
    """A user recipient named by id or username, given both (as Opsgenie answers it)."""
    if recipient.get("type") == "user":
        user = fake.find("user", recipient.get("id") or recipient["username"])
        recipient.update(id=user["id"], username=user["username"])
    return recipient


def public(obj: dict[str, Any]) -> dict[str, Any]:
    return {k: copy.deepcopy(v) for k, v in obj.items() if not k.startswith("_")}


@route("GET", r"/v2/users")
def list_users(fake: FakeOpsgenie, g: dict[str, str], query: Query, body: Any) -> Answer:
    users = sorted(fake.objects["user"].values(), key=lambda u: u["username"])
    limit, offset = int(one(query, "limit", "100") or 100), int(one(query, "offset", "0") or 0)
    base = f"{fake.url}/v2/users?limit={limit}&offset="
    paging = {"first": f"{base}0", "last": f"{base}{max(len(users) - 1, 0) // limit * limit}"}
    if offset + limit < len(users):
        paging["next"] = f"{base}{offset + limit}"
    if offset > 0:
        paging["prev"] = f"{base}{max(offset - limit, 0)}"
    return fake.envelope([public(u) for u in users[offset:offset + limit]], paging=paging, totalCount=len(users))


@route("GET", r"/v2/(?P<plural>teams|escalations)")
def list_objects(fake: FakeOpsgenie, g: dict[str, str], query: Query, body: Any) -> Answer:
    items = [public(o) for o in fake.objects[KINDS[g["plural"]]].values()]
    return fake.envelope(items, **({"expandable": []} if g["plural"] == "teams" else {}))


@route("GET", r"/v2/schedules")
def list_schedules(fake: FakeOpsgenie, g: dict[str, str], query: Query, body: Any) -> Answer:
    expand = "rotation" in (one(query, "expand") or "").split(",")
    items = [public(o) if expand else {k: v for k, v in public(o).items() if k != "rotations"}
             for o in fake.objects["schedule"].values()]
    return fake.envelope(items, expandable=["rotation"])


@route("GET", r"/v2/(?P<plural>users|teams|schedules|escalations)/{ident}")
def read_object(fake: FakeOpsgenie, g: dict[str, str], query: Query, body: Any) -> Answer:
    obj = fake.find(KINDS[g["plural"]], g["ident"], one(query, "identifierType"))
    return fake.envelope(public(obj), **({"expandable": []} if g["plural"] == "users" else {}))


@route("POST", r"/v2/(?P<plural>users|teams|schedules|escalations)")
def create_object(fake: FakeOpsgenie, g: dict[str, str], query: Query, body: Any) -> Answer:
    kind = KINDS[g["plural"]]
    obj = {"id": fake.new_id(), **copy.deepcopy(body)}
    if kind == "schedule":
        obj.setdefault("enabled", True)
        for rotation in obj.get("rotations", []):
            rotation["id"] = fake.new_id()
            rotation["participants"] = [resolve(fake, p) for p in rotation["participants"]]
    if kind == "user":
        obj["role"] = {"id": body.get("role", {}).get("name", "User"), "name": body.get("role", {}).get("name", "User")}
    fake.objects[kind][obj["id"]] = obj
    name = obj.get("name") or obj.get("username")
    meta = {"id": obj["id"], "name": name} | ({"enabled": obj["enabled"]} if kind == "schedule" else {})
    return fake.envelope(meta, 201, result="Created")


@route("PATCH", r"/v2/(?P<plural>users|teams|schedules|escalations)/{ident}")
def update_object(fake: FakeOpsgenie, g: dict[str, str], query: Query, body: Any) -> Answer:
    kind = KINDS[g["plural"]]
    obj = fake.find(kind, g["ident"], one(query, "identifierType"))
    obj.update(copy.deepcopy(body or {}))
    for rotation in obj.get("rotations", []) if kind == "schedule" else []:
        rotation.setdefault("id", fake.new_id())
    meta = {"id": obj["id"], "name": obj.get("name") or obj.get("username")}
    if kind == "schedule":
        return fake.envelope({**meta, "enabled": obj.get("enabled", True)})
    return fake.envelope(meta, result="Updated")


@route("DELETE", r"/v2/(?P<plural>users|teams|schedules|escalations)/{ident}")
def delete_object(fake: FakeOpsgenie, g: dict[str, str], query: Query, body: Any) -> Answer:
    kind = KINDS[g["plural"]]
    obj = fake.find(kind, g["ident"], one(query, "identifierType"))
    del fake.objects[kind][obj["id"]]
    fake.overrides.pop(obj["id"], None)
    return fake.envelope(None, result="Deleted")


@route("GET", r"/v2/schedules/{ident}/rotations")
def list_rotations(fake: FakeOpsgenie, g: dict[str, str], query: Query, body: Any) -> Answer:
    return fake.envelope(copy.deepcopy(schedule_of(fake, g, query).get("rotations", [])))


@route("GET", r"/v2/schedules/{ident}/overrides")
def list_overrides(fake: FakeOpsgenie, g: dict[str, str], query: Query, body: Any) -> Answer:
    schedule = schedule_of(fake, g, query)
    return fake.envelope([override_view(schedule, o) for o in fake.overrides.get(schedule["id"], [])])


def override_view(schedule: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    parent = {"id": schedule["id"], "name": schedule["name"], "enabled": schedule.get("enabled", True)}
    return {"_parent": parent, **copy.deepcopy(override)}


@route("POST", r"/v2/schedules/{ident}/overrides")
def create_override(fake: FakeOpsgenie, g: dict[str, str], query: Query, body: Any) -> Answer:
    schedule = schedule_of(fake, g, query)
    if og_render.parse(body["endDate"]) <= og_render.parse(body["startDate"]):
        raise Refusal(422, "End date should be later than start date")
    override = {"alias": body.get("alias") or fake.new_id(), "user": resolve(fake, copy.deepcopy(body["user"])),
                "startDate": body["startDate"], "endDate": body["endDate"],
                "rotations": copy.deepcopy(body.get("rotations", []))}
    fake.overrides.setdefault(schedule["id"], []).append(override)
    return fake.envelope({"alias": override["alias"]}, 201, result="Created")


@route("DELETE", r"/v2/schedules/{ident}/overrides/(?P<alias>[^/]+)")
def delete_override(fake: FakeOpsgenie, g: dict[str, str], query: Query, body: Any) -> Answer:
    overrides = fake.overrides.get(schedule_of(fake, g, query)["id"], [])
    found = next((o for o in overrides if o["alias"] == g["alias"]), None)
    if found is None:
        raise Refusal(404, "Override not found")
    overrides.remove(found)
    return fake.envelope(None, result="Deleted")


def lines_for(fake: FakeOpsgenie, schedule: dict[str, Any], lo: Any, hi: Any) -> list[og_render.RotationLine]:
    return og_render.render(schedule, fake.overrides.get(schedule["id"], []), lo, hi)


def timeline(lines: list[og_render.RotationLine], which: str) -> dict[str, Any]:
    rotations = []
    for line in lines:
        spans = [(s, False) for s in line.base] if which == "base" else line.final
        periods = [{"startDate": iso(s.start), "endDate": iso(s.end), "type": "override" if o else "default",
                    "recipient": {"id": s.who[1], "type": s.who[0], "name": s.who[2]}}
                   for s, o in spans if s.who[0] != "none" and (which != "override" or o)]
        rotations.append({"id": line.id, "name": line.name, "order": float(line.order), "periods": periods})
    return {"rotations": rotations}


@route("GET", r"/v2/schedules/{ident}/timeline")
def read_timeline(fake: FakeOpsgenie, g: dict[str, str], query: Query, body: Any) -> Answer:
    schedule = schedule_of(fake, g, query)
    start = og_render.parse(one(query, "date")) if one(query, "date") else fake.now
    unit = {"days": timedelta(days=1), "weeks": timedelta(weeks=1), "months": MONTH}[one(query, "intervalUnit", "weeks") or "weeks"]
    end = start + int(one(query, "interval", "1") or 1) * unit
    lines = lines_for(fake, schedule, start, end)
    expand = (one(query, "expand") or "").split(",")
    data = {"_parent": {"id": schedule["id"], "name": schedule["name"], "enabled": schedule.get("enabled", True)},
            "startDate": iso(start), "endDate": iso(end), "finalTimeline": timeline(lines, "final")}
    for name in ("base", "override"):
        if name in expand:
            data[f"{name}Timeline"] = timeline(lines, name)
    return fake.envelope(data, expandable=["base", "forwarding", "override"])


def on_calls(fake: FakeOpsgenie, schedule: dict[str, Any], query: Query) -> dict[str, Any]:
    instant = og_render.parse(one(query, "date")) if one(query, "date") else fake.now
    who = og_render.on_call(lines_for(fake, schedule, instant, instant + timedelta(seconds=1)), instant)
    parent = {"id": schedule["id"], "name": schedule["name"], "enabled": schedule.get("enabled", True)}
    if one(query, "flat") == "true":
        return {"_parent": parent, "onCallRecipients": [w[2] for w in who]}
    return {"_parent": parent, "onCallParticipants": [{"id": w[1], "name": w[2], "type": w[0]} for w in who]}


@route("GET", r"/v2/schedules/on-calls")
def all_on_calls(fake: FakeOpsgenie, g: dict[str, str], query: Query, body: Any) -> Answer:
    return fake.envelope([on_calls(fake, s, query) for s in fake.objects["schedule"].values()])


@route("GET", r"/v2/schedules/{ident}/on-calls")
def schedule_on_calls(fake: FakeOpsgenie, g: dict[str, str], query: Query, body: Any) -> Answer:
    return fake.envelope(on_calls(fake, schedule_of(fake, g, query), query))


ROUTES.sort(key=lambda r: "(?P<ident>" in r[1].pattern)  # /v2/schedules/on-calls before /v2/schedules/{ident}
