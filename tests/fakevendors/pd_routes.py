"""The fake PagerDuty's endpoints: ``ROUTES`` maps (method, path pattern) to a view."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from tests.fakevendors.httpfake import Answer, Refusal
from tests.fakevendors.pd_render import parse
from tests.fakevendors.pd_state import PLURAL, iso

if TYPE_CHECKING:
    from tests.fakevendors.pd_server import FakePagerDuty

Query = dict[str, list[str]]
View = Callable[["FakePagerDuty", dict[str, str], Query, Any], Answer]
ROUTES: list[tuple[str, re.Pattern[str], View]] = []
KINDS = {v: k for k, v in PLURAL.items()}
ID = r"(?P<id>[A-Za-z0-9]+)"


def route(method: str, pattern: str) -> Callable[[View], View]:
    def register(view: View) -> View:
        ROUTES.append((method, re.compile(pattern.replace("{id}", ID)), view))
        return view
    return register


def one(query: Query, name: str, default: str | None = None) -> str | None:
    values = query.get(name)
    return values[0] if values else default


def page(fake: FakePagerDuty, key: str, items: list[dict[str, Any]], query: Query) -> Answer:
    limit = min(int(one(query, "limit", "25") or 25), 100)
    offset = int(one(query, "offset", "0") or 0)
    chunk = items[offset:offset + limit]
    total = len(items) if one(query, "total") == "true" else None
    return Answer(200, {key: chunk, "limit": limit, "offset": offset, "more": offset + limit < len(items),
                        "total": total})


def matches(obj: dict[str, Any], query: Query) -> bool:
    text = (one(query, "query") or "").lower()
    return not text or text in obj.get("name", "").lower() or text in obj.get("email", "").lower()


# users, teams, services, escalation policies: list, create, read, update, delete -----------------------
@route("GET", r"/(?P<plural>users|teams|services|escalation_policies)")
def list_objects(fake: FakePagerDuty, g: dict[str, str], query: Query, body: Any) -> Answer:
    kind, acc = KINDS[g["plural"]], fake.account
    items = [acc.view(kind, o) for o in sorted(acc.objects[kind].values(), key=lambda o: o.get("name", "").lower())
             if matches(o, query)]
    teams = set(query.get("team_ids[]", []))
    if teams:
        items = [i for i in items if teams & {t["id"] for t in i.get("teams", [])}]
    return page(fake, g["plural"], items, query)


@route("POST", r"/(?P<plural>users|teams|services|escalation_policies)")
def create_object(fake: FakePagerDuty, g: dict[str, str], query: Query, body: Any) -> Answer:
    kind = KINDS[g["plural"]]
    obj = fake.account.add(kind, fake.stored(kind, body[kind]))
    return Answer(201, {kind: fake.account.view(kind, obj)})


@route("GET", r"/users/me")
def me(fake: FakePagerDuty, g: dict[str, str], query: Query, body: Any) -> Answer:
    uid = fake.account.me or next(iter(fake.account.objects["user"]))
    return Answer(200, {"user": fake.account.view("user", fake.account.get("user", uid))})


@route("GET", r"/(?P<plural>users|teams|services|escalation_policies)/{id}")
def read_object(fake: FakePagerDuty, g: dict[str, str], query: Query, body: Any) -> Answer:
    kind = KINDS[g["plural"]]
    return Answer(200, {kind: fake.account.view(kind, fake.account.get(kind, g["id"]))})


@route("PUT", r"/(?P<plural>users|teams|services|escalation_policies)/{id}")
def update_object(fake: FakePagerDuty, g: dict[str, str], query: Query, body: Any) -> Answer:
    kind = KINDS[g["plural"]]
    obj = fake.account.get(kind, g["id"])
    obj.update(fake.stored(kind, {**fake.account.view(kind, obj), **body[kind]}))
    return Answer(200, {kind: fake.account.view(kind, obj)})


@route("DELETE", r"/(?P<plural>users|teams|services|escalation_policies)/{id}")
def delete_object(fake: FakePagerDuty, g: dict[str, str], query: Query, body: Any) -> Answer:
    kind, acc = KINDS[g["plural"]], fake.account
    acc.get(kind, g["id"])
    if kind == "escalation_policy" and any(s["_policy"] == g["id"] for s in acc.objects["service"].values()):
        raise Refusal(400, "Escalation policy is in use by a service")
    if kind == "user":
        acc.delete_user(g["id"])
    else:
        del acc.objects[kind][g["id"]]
    return Answer(204)


@route("GET", r"/teams/{id}/members")
def team_members(fake: FakePagerDuty, g: dict[str, str], query: Query, body: Any) -> Answer:
    fake.account.get("team", g["id"])
    members = [{"user": fake.account.ref("user", u), "role": r}
               for u, r in fake.account.members.get(g["id"], {}).items()]
    return page(fake, "members", members, query)


@route("PUT", r"/teams/{id}/users/(?P<user>[A-Za-z0-9]+)")
def add_member(fake: FakePagerDuty, g: dict[str, str], query: Query, body: Any) -> Answer:
    fake.account.get("team", g["id"]), fake.account.get("user", g["user"])
    fake.account.members.setdefault(g["id"], {})[g["user"]] = (body or {}).get("role", "responder")
    return Answer(204)


@route("DELETE", r"/teams/{id}/users/(?P<user>[A-Za-z0-9]+)")
def remove_member(fake: FakePagerDuty, g: dict[str, str], query: Query, body: Any) -> Answer:
    if fake.account.members.get(g["id"], {}).pop(g["user"], None) is None:
        raise Refusal(404, "not a member")
    return Answer(204)


# schedules -------------------------------------------------------------------------------------------
def window(fake: FakePagerDuty, query: Query) -> tuple[Any, Any]:
    since = parse(one(query, "since")) if one(query, "since") else fake.now
    until = parse(one(query, "until")) if one(query, "until") else since + timedelta(days=14)
    if until < since:
        raise Refusal(400, "until must be after since")
    return since, until


@route("GET", r"/schedules")
def list_schedules(fake: FakePagerDuty, g: dict[str, str], query: Query, body: Any) -> Answer:
    acc = fake.account
    include = query.get("include[]", [])
    # the rendered subschedules of include[] need a window (since/until, as for one schedule)
    since, until = window(fake, query) if {"overrides_subschedule", "final_schedule"} & set(include) else (None, None)
    found = [obj for obj in sorted(acc.objects["schedule"].values(), key=lambda o: o["name"].lower())
             if matches(obj, query)]
    answer = page(fake, "schedules", found, query)
    views = []
    for obj in answer.body["schedules"]:  # only this page's schedules are rendered
        view = acc.schedule_view(obj, since, until, one(query, "time_zone"))
        for key in ("schedule_layers", "overrides_subschedule", "final_schedule"):
            if key not in include:
                view.pop(key, None)
        views.append(view)
    answer.body["schedules"] = views
    return answer


@route("GET", r"/schedules/{id}")
def read_schedule(fake: FakePagerDuty, g: dict[str, str], query: Query, body: Any) -> Answer:
    since, until = window(fake, query)
    obj = fake.account.get("schedule", g["id"])
    return Answer(200, {"schedule": fake.account.schedule_view(obj, since, until, one(query, "time_zone"),
                                                               one(query, "overflow") == "true")})


@route("POST", r"/schedules")
def create_schedule(fake: FakePagerDuty, g: dict[str, str], query: Query, body: Any) -> Answer:
    obj = fake.account.add("schedule", fake.stored("schedule", body["schedule"]))
    return Answer(201, {"schedule": fake.account.schedule_view(obj, None, None)})


@route("POST", r"/schedules/preview")
def preview_schedule(fake: FakePagerDuty, g: dict[str, str], query: Query, body: Any) -> Answer:
    since, until = window(fake, query)
    obj = {"id": "PREVIEW", **fake.stored("schedule", body["schedule"])}
    return Answer(200, {"schedule": fake.account.schedule_view(obj, since, until)})


@route("PUT", r"/schedules/{id}")
def update_schedule(fake: FakePagerDuty, g: dict[str, str], query: Query, body: Any) -> Answer:
    acc = fake.account
    obj = acc.get("schedule", g["id"])
    new = fake.stored("schedule", {**acc.schedule_view(obj, None, None), **body["schedule"]})
    kept = {layer["id"] for layer in new["schedule_layers"]}
    for layer in obj["schedule_layers"]:  # a layer is never removed, only ended (PagerDuty's rule)
        if layer["id"] not in kept and (not layer.get("end") or parse(layer["end"]) > fake.now):
            new["schedule_layers"].insert(0, {**layer, "end": iso(fake.now)})
    obj.update(new)
    return Answer(200, {"schedule": acc.schedule_view(obj, None, None)})


@route("DELETE", r"/schedules/{id}")
def delete_schedule(fake: FakePagerDuty, g: dict[str, str], query: Query, body: Any) -> Answer:
    acc = fake.account
    acc.get("schedule", g["id"])
    if acc.schedule_view(acc.objects["schedule"][g["id"]], None, None)["escalation_policies"]:
        raise Refusal(400, "Schedule is in use by an escalation policy")
    del acc.objects["schedule"][g["id"]]
    acc.overrides.pop(g["id"], None)
    return Answer(204)


@route("GET", r"/schedules/{id}/users")
def schedule_users(fake: FakePagerDuty, g: dict[str, str], query: Query, body: Any) -> Answer:
    acc = fake.account
    since, until = window(fake, query)
    final = acc.schedule_view(acc.get("schedule", g["id"]), since, until)["final_schedule"]
    ids = dict.fromkeys(e["user"]["id"] for e in final["rendered_schedule_entries"])
    return Answer(200, {"users": [acc.view("user", acc.objects["user"][u]) for u in ids if u in acc.objects["user"]]})


@route("GET", r"/schedules/{id}/overrides")
def list_overrides(fake: FakePagerDuty, g: dict[str, str], query: Query, body: Any) -> Answer:
    acc = fake.account
    obj = acc.get("schedule", g["id"])
    since, until = window(fake, query)
    found = [acc.override_view(o, obj["time_zone"]) for o in acc.overrides.get(g["id"], [])
             if parse(o["start"]) < until and parse(o["end"]) > since]
    return Answer(200, {"overrides": sorted(found, key=lambda o: parse(o["start"]))})


@route("POST", r"/schedules/{id}/overrides")
def create_overrides(fake: FakePagerDuty, g: dict[str, str], query: Query, body: Any) -> Answer:
    acc = fake.account
    acc.get("schedule", g["id"])
    results = []
    for item in body.get("overrides") or [body.get("override")]:
        if not item or parse(item["end"]) <= parse(item["start"]):
            raise Refusal(400, "override end must be after its start")
        acc.get("user", item["user"]["id"])
        override = {"id": acc.new_id("Q"), "start": item["start"], "end": item["end"],
                    "user": {"id": item["user"]["id"]}}
        acc.overrides.setdefault(g["id"], []).append(override)
        results.append({"status": 201, "override": acc.override_view(override)})
    return Answer(201, results)


@route("DELETE", r"/schedules/{id}/overrides/(?P<override>[A-Za-z0-9]+)")
def delete_override(fake: FakePagerDuty, g: dict[str, str], query: Query, body: Any) -> Answer:
    overrides = fake.account.overrides.get(g["id"], [])
    found = next((o for o in overrides if o["id"] == g["override"]), None)
    if found is None:
        raise Refusal(404, "override not found")
    if parse(found["end"]) <= fake.now:
        raise Refusal(400, "You cannot remove a past override")
    if parse(found["start"]) < fake.now:  # running: truncated to now (PagerDuty answers 200)
        found["end"] = iso(fake.now)
        return Answer(200)
    overrides.remove(found)
    return Answer(204)


@route("GET", r"/oncalls")
def list_oncalls(fake: FakePagerDuty, g: dict[str, str], query: Query, body: Any) -> Answer:
    since, until = window(fake, {"since": query.get("since", []), "until": query.get("until") or query.get("since")})
    key = ("oncalls", since, until)  # worked out on a listing's first page, reused by its next pages
    if one(query, "offset", "0") in ("0", None) or key not in fake.account.cache:
        fake.account.cache[key] = fake.account.oncalls(since, until)
    found = fake.account.cache[key]
    for name, key in (("schedule_ids[]", "schedule"), ("user_ids[]", "user"),
                      ("escalation_policy_ids[]", "escalation_policy")):
        wanted = set(query.get(name, []))
        if wanted:
            found = [o for o in found if key in o and o[key]["id"] in wanted]
    if one(query, "earliest") == "true":
        seen: set[tuple[str, int, str]] = set()
        found = [o for o in found if (key := (o["escalation_policy"]["id"], o["escalation_level"], o["user"]["id"]))
                 not in seen and not seen.add(key)]
    return page(fake, "oncalls", found, query)
