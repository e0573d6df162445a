"""The fake PagerDuty's account: objects kept as the API shows them, and the references between them."""

from __future__ import annotations

import copy
import itertools
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from tests.fakevendors import pd_render
from tests.fakevendors.httpfake import Refusal

PLURAL = {"user": "users", "team": "teams", "service": "services", "escalation_policy": "escalation_policies",
          "schedule": "schedules"}
ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ0123456789"


def iso(instant: datetime, zone: str = "UTC") -> str:
    text = instant.astimezone(ZoneInfo(zone)).isoformat()
    return text.replace("+00:00", "Z") if zone == "UTC" else text


@dataclass
class PagerDutyAccount:
    """Objects by kind and id; ``overrides`` by schedule id in creation order; ``names`` of deleted users."""

    base: str = "https://api.pagerduty.com"
    objects: dict[str, dict[str, dict[str, Any]]] = field(default_factory=lambda: {k: {} for k in PLURAL})
    overrides: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    members: dict[str, dict[str, str]] = field(default_factory=dict)  # team id -> user id -> role
    deleted: dict[str, str] = field(default_factory=dict)  # user id -> name it had
    v3: dict[str, dict[str, Any]] = field(default_factory=dict)
    me: str | None = None
    cache: dict[Any, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._ids = itertools.count(1)

    def new_id(self, prefix: str = "P") -> str:
        n, out = next(self._ids) * 7919, ""
        for _ in range(6):
            n, r = divmod(n, len(ALPHABET))
            out += ALPHABET[r]
        return prefix + out

    # references ----------------------------------------------------------------------------------
    def ref(self, kind: str, oid: str) -> dict[str, Any]:
        obj = self.objects[kind].get(oid)
        name = obj.get("name") if obj else self.deleted.get(oid, oid)
        plural = PLURAL[kind]
        return {"id": oid, "type": f"{kind}_reference", "summary": name, "self": f"{self.base}/{plural}/{oid}",
                "html_url": f"https://fake.pagerduty.com/{plural}/{oid}"}

    def get(self, kind: str, oid: str) -> dict[str, Any]:
        obj = self.objects[kind].get(oid)
        if obj is None:
            raise Refusal(404, f"{kind} {oid} not found")
        return obj

    def add(self, kind: str, obj: dict[str, Any]) -> dict[str, Any]:
        obj = copy.deepcopy(obj)
        obj.setdefault("id", self.new_id())
        obj["type"] = kind
        self.objects[kind][obj["id"]] = obj
        return obj

    def delete_user(self, uid: str) -> None:
        user = self.get("user", uid)
        self.deleted[uid] = user["name"]
        del self.objects["user"][uid]
        for team in self.members.values():
            team.pop(uid, None)

    # views: objects as the API answers them --------------------------------------------------------
    def view(self, kind: str, obj: dict[str, Any]) -> dict[str, Any]:
        out = {k: v for k, v in copy.deepcopy(obj).items() if not k.startswith("_")}
        plural = PLURAL[kind]
        out.update(summary=obj.get("name", obj["id"]), self=f"{self.base}/{plural}/{obj['id']}",
                   html_url=f"https://fake.pagerduty.com/{plural}/{obj['id']}")
        if kind == "user":
            out["teams"] = [self.ref("team", t) for t, m in self.members.items() if obj["id"] in m]
        elif kind in ("schedule", "escalation_policy"):
            out["teams"] = [self.ref("team", t) for t in obj.get("_teams", [])]
        if kind == "escalation_policy":
            out["services"] = [self.ref("service", s["id"]) for s in self.objects["service"].values()
                               if s["_policy"] == obj["id"]]
            for rule in out["escalation_rules"]:
                rule["targets"] = [self.ref(t["type"].removesuffix("_reference"), t["id"]) for t in rule["targets"]]
        if kind == "service":
            out["escalation_policy"] = self.ref("escalation_policy", obj["_policy"])
            out["teams"] = self.view("escalation_policy", self.get("escalation_policy", obj["_policy"]))["teams"]
        return out

    def schedule_view(self, obj: dict[str, Any], since: datetime | None, until: datetime | None,
                      zone: str | None = None, overflow: bool = False) -> dict[str, Any]:
        """A schedule as GET /schedules/{id} answers, rendered over ``[since, until)`` when both are given."""
        out = self.view("schedule", obj)
        user_ids = []
        for layer in out["schedule_layers"]:
            for entry in layer["users"]:
                entry["user"] = self.ref("user", entry["user"]["id"])
                user_ids.append(entry["user"]["id"])
        out["users"] = [self.ref("user", u) for u in dict.fromkeys(user_ids)]
        out["escalation_policies"] = [self.ref("escalation_policy", p["id"])
                                      for p in self.objects["escalation_policy"].values()
                                      if any(t["id"] == obj["id"] for r in p["escalation_rules"] for t in r["targets"])]
        if since is None or until is None:
            return out
        zone = zone or obj["time_zone"]
        rendered = pd_render.render(obj, self.overrides.get(obj["id"], []), since, until, overflow)

        def entries(spans: list[pd_render.Span[str]]) -> list[dict[str, Any]]:
            return [{"start": iso(s.start, zone), "end": iso(s.end, zone), "user": self.ref("user", s.who)}
                    for s in spans]

        for layer, spans in zip(out["schedule_layers"], rendered.layers, strict=True):
            layer.update(rendered_schedule_entries=entries(spans), rendered_coverage_percentage=rendered.coverage(spans))
        out["overrides_subschedule"] = {"name": "Overrides", "rendered_schedule_entries": entries(rendered.overrides),
                                        "rendered_coverage_percentage": rendered.coverage(rendered.overrides)}
        out["final_schedule"] = {"name": "Final Schedule", "rendered_schedule_entries": entries(rendered.final),
                                 "rendered_coverage_percentage": rendered.coverage(rendered.final)}
        return out

    def override_view(self, override: dict[str, Any], zone: str = "UTC") -> dict[str, Any]:
        return {"id": override["id"], "start": iso(pd_render.parse(override["start"]), zone),
                "end": iso(pd_render.parse(override["end"]), zone), "user": self.ref("user", override["user"]["id"])}

    def oncalls(self, since: datetime, until: datetime) -> list[dict[str, Any]]:
        """Who is on call for each escalation policy level over ``[since, until)``."""
        found = []
        for policy in self.objects["escalation_policy"].values():
            for level, rule in enumerate(policy["escalation_rules"], start=1):
                for target in rule["targets"]:
                    base = {"escalation_policy": self.ref("escalation_policy", policy["id"]), "escalation_level": level}
                    if target["type"].startswith("user"):
                        found.append({**base, "user": self.ref("user", target["id"])})
                        continue
                    schedule = self.objects["schedule"].get(target["id"])
                    if schedule is None:
                        continue
                    rendered = pd_render.render(schedule, self.overrides.get(target["id"], []), since,
                                                max(until, since + timedelta(seconds=1)))
                    for span in rendered.final:
                        found.append({**base, "schedule": self.ref("schedule", target["id"]),
                                      "user": self.ref("user", span.who), "start": iso(span.start),
                                      "end": iso(span.end)})
        return found


def now_utc() -> datetime:
    return datetime.now(UTC)
