"""A stateful fake of PagerDuty's REST API v2 over real HTTP (see :mod:`tests.fakevendors.httpfake`).

Auth is ``Authorization: Token token=...``: :data:`TOKEN` may do anything,
:data:`READ_ONLY_TOKEN` gets 403 on writes, :data:`NO_ACCESS_TOKEN` 403 on
everything (a key the account refuses access, e.g. from an IP it does not
allow), anything else 401. Lists page with
``limit``/``offset``/``more``/``total`` (``total`` only with ``total=true``).
Schedules render with :mod:`tests.fakevendors.pd_render`; the clock is
:attr:`FakePagerDuty.now` (settable). Every request and answer is checked by
:mod:`tests.fakevendors.pd_check`.
"""

from __future__ import annotations

import copy
from datetime import UTC, datetime
from typing import Any

from tests.fakevendors import pd_check, pd_v3
from tests.fakevendors.httpfake import WRITES, Answer, FakeServer, Refusal
from tests.fakevendors.pd_routes import ROUTES
from tests.fakevendors.pd_state import PagerDutyAccount

NOW = datetime(2026, 6, 1, 9, 0, tzinfo=UTC)  # the fakes' clock unless a test sets ``now``
TOKEN = "y_NbAkKc66ryYTWUXYEu"
READ_ONLY_TOKEN = "u+readonlyFAKEtoken0"
NO_ACCESS_TOKEN = "u+noaccessFAKEtoken0"
CODES = {400: 2001, 401: 2006, 403: 2010, 404: 2100, 429: 2020}
KEEP = {"user": ("name", "email", "time_zone", "role", "job_title", "color", "description"),
        "team": ("name", "description", "default_role"),
        "service": ("name", "description", "status", "acknowledgement_timeout", "auto_resolve_timeout"),
        "escalation_policy": ("name", "description", "num_loops", "on_call_handoff_notifications"),
        "schedule": ("name", "description", "time_zone")}
LAYER_KEEP = ("id", "name", "start", "end", "rotation_virtual_start", "rotation_turn_length_seconds", "restrictions")
assert pd_v3  # its routes register themselves in ROUTES


class FakePagerDuty(FakeServer):
    name = "fake-pagerduty"

    def __init__(self, now: datetime = NOW) -> None:
        self.now = now
        self.account = PagerDutyAccount()
        super().__init__()
        self.account.base = self.url

    def reset(self) -> None:
        """An empty account, the default clock, no faults, hooks or findings."""
        with self.lock:
            self.now = NOW
            self.account = PagerDutyAccount(base=self.url)
            self.log, self.violations, self.hooks = [], [], []
            self.clear_faults()

    def load(self, objects: dict[str, list[dict[str, Any]]]) -> None:
        """Put an account in (kinds as in :mod:`tests.fakevendors.accounts`: users, teams, ...)."""
        acc = self.account
        for kind, plural in (("user", "users"), ("team", "teams"), ("escalation_policy", "escalation_policies"),
                             ("service", "services"), ("schedule", "schedules")):
            for obj in objects.get(plural, []):
                acc.add(kind, {"id": obj["id"], **self.stored(kind, obj)})
        for team, members in objects.get("members", {}).items():
            acc.members[team] = dict(members)
        for sid, overrides in objects.get("overrides", {}).items():
            acc.overrides[sid] = copy.deepcopy(overrides)
        for uid, name in objects.get("deleted", {}).items():
            acc.deleted[uid] = name
        for schedule in objects.get("v3_schedules", []):
            acc.v3[schedule["id"]] = copy.deepcopy(schedule)

    def stored(self, kind: str, body: dict[str, Any]) -> dict[str, Any]:
        """What the fake keeps of a body sent for ``kind`` (read-only and view fields dropped)."""
        out = {k: copy.deepcopy(body[k]) for k in KEEP[kind] if body.get(k) is not None}
        if kind in ("schedule", "escalation_policy"):
            out["_teams"] = [t["id"] for t in body.get("teams", [])]
        if kind == "service":
            out["_policy"] = body["escalation_policy"]["id"]
            self.account.get("escalation_policy", out["_policy"])
        if kind == "escalation_policy":
            out["escalation_rules"] = [{"id": rule.get("id") or self.account.new_id(),
                                        "escalation_delay_in_minutes": rule["escalation_delay_in_minutes"],
                                        "targets": [{"id": t["id"], "type": _target(t["type"])}
                                                    for t in rule["targets"]]}
                                       for rule in body["escalation_rules"]]
        if kind == "schedule":
            layers = body.get("schedule_layers") or []
            if not layers:
                raise Refusal(400, "Schedule must have at least one layer")
            out["schedule_layers"] = []
            for number, layer in enumerate(layers, start=1):
                kept = {k: copy.deepcopy(layer[k]) for k in LAYER_KEEP if layer.get(k) is not None}
                kept.setdefault("id", self.account.new_id())
                kept.setdefault("name", f"Layer {number}")
                kept["users"] = [{"user": {"id": u["user"]["id"], "type": "user_reference"}} for u in layer["users"]]
                out["schedule_layers"].append(kept)
        return out

    # FakeServer parts ----------------------------------------------------------------------------
    def authorize(self, method: str, headers: dict[str, str]) -> Answer | None:
        given = headers.get("authorization", "")
        if given == f"Token token={NO_ACCESS_TOKEN}":
            return self.error(403, "Access Denied")
        if given == f"Token token={READ_ONLY_TOKEN}":
            return self.error(403, "Access Denied") if method in WRITES else None
        return None if given == f"Token token={TOKEN}" else self.error(401, "Authentication required")

    def route(self, method: str, path: str, query: dict[str, list[str]], body: Any) -> Answer:
        for route_method, pattern, view in ROUTES:
            match = pattern.fullmatch(path)
            if route_method == method and match:
                return view(self, match.groupdict(), query, body)
        raise Refusal(404, "Not Found")

    def error(self, status: int, message: str) -> Answer:
        return Answer(status, {"error": {"code": CODES.get(status, 2000), "message": message}})

    def check_request(self, method: str, path: str, query: dict[str, list[str]], headers: dict[str, str],
                      raw: bytes, body: Any) -> str | None:
        return pd_check.check_request(method, path, query, headers, raw)

    def check_response(self, method: str, path: str, query: dict[str, list[str]], headers: dict[str, str],
                       raw: bytes, answer: Answer) -> str | None:
        return pd_check.check_response(method, path, query, headers, raw, answer.status, answer.body)

    def documented(self, method: str, path: str, status: int) -> bool:
        return pd_check.documented(method, path, status)


def _target(kind: str) -> str:
    return kind if kind.endswith("_reference") else f"{kind}_reference"
