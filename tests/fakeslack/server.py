"""A stateful fake of Slack's Web API for the methods opsrepo calls, over real HTTP on 127.0.0.1.

Users (found by email), user groups with their members, channels with their
topics and the messages posted to them. It answers like Slack: HTTP 200 with
``ok: false`` and an error code for a failed call, HTTP 429 with
``Retry-After`` when rate limited (Slack's limits are per method, so a test
limits one method at a time), and a bot token in ``Authorization: Bearer``.
Every request and answer is checked against Slack's published description
(:mod:`tests.fakeslack.spec`); a mismatch is recorded in ``drift`` and the
test fixture fails on it.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from tests.fakeslack import spec

TOKEN = "xoxb-fake-0123456789-FAKEtoken"
TEAM = "T0FAKE0001"
BOT = "U0BOTFAKE01"
BOT_ID = "B0BOTFAKE1"


@dataclass(frozen=True)
class Call:
    """One request as the fake saw it."""

    method: str
    params: dict[str, Any]
    status: int
    error: str | None


@dataclass
class Group:
    id: str
    handle: str
    name: str
    users: list[str]
    enabled: bool = True
    updated: int = 1_700_000_000


@dataclass
class Channel:
    id: str
    name: str
    member: bool = True
    topic: str = ""
    topic_set: int = 0
    messages: list[str] = field(default_factory=list)


@dataclass
class FakeSlack:
    """The server; ``reset()`` empties the workspace."""

    token: str = TOKEN
    log: list[Call] = field(default_factory=list)
    drift: list[str] = field(default_factory=list)
    #: method -> answers still to refuse with 429 (and the Retry-After they carry)
    limited: dict[str, list[int]] = field(default_factory=dict)
    #: method -> errors still to answer with (ok: false), one per call
    failures: dict[str, list[str]] = field(default_factory=dict)
    users: dict[str, str] = field(default_factory=dict)  # email -> user id
    groups: dict[str, Group] = field(default_factory=dict)  # id -> group
    channels: dict[str, Channel] = field(default_factory=dict)  # id -> channel
    clock: float = 1_795_424_400.0

    def __post_init__(self) -> None:
        self.lock = threading.Lock()
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/api/"
        threading.Thread(target=self.httpd.serve_forever, name="fake-slack", daemon=True).start()

    def reset(self) -> None:
        with self.lock:
            self.log, self.drift, self.limited, self.failures = [], [], {}, {}
            self.users, self.groups, self.channels = {}, {}, {}

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    # building a workspace -----------------------------------------------------------------
    def add_user(self, email: str) -> str:
        ident = f"U{len(self.users) + 1:08d}"
        self.users[email] = ident
        return ident

    def add_group(self, handle: str, users: list[str] | None = None, enabled: bool = True) -> Group:
        group = Group(f"S{len(self.groups) + 1:08d}", handle, handle.replace("-", " ").title(), list(users or []),
                      enabled)
        self.groups[group.id] = group
        return group

    def add_channel(self, name: str, member: bool = True) -> Channel:
        channel = Channel(f"C{len(self.channels) + 1:08d}", name, member)
        self.channels[channel.id] = channel
        return channel

    def group(self, handle: str) -> Group:
        return next(g for g in self.groups.values() if g.handle == handle)

    def calls(self, method: str | None = None) -> list[Call]:
        return [c for c in self.log if method is None or c.method == method]

    def writes(self) -> list[Call]:
        return [c for c in self.log if c.method in WRITES and c.status == 200 and c.error is None]

    # serving ------------------------------------------------------------------------------
    def handle(self, verb: str, method: str, headers: dict[str, str], params: dict[str, Any],
               ) -> tuple[int, dict[str, Any], dict[str, str]]:
        with self.lock:
            status, body, extra = self._answer(verb, method, headers, params)
            self.log.append(Call(method, params, status, None if body.get("ok") else str(body.get("error"))))
            return status, body, extra

    def _answer(self, verb: str, method: str, headers: dict[str, str], params: dict[str, Any],
                ) -> tuple[int, dict[str, Any], dict[str, str]]:
        if method not in VIEWS:
            return 404, {"ok": False, "error": "unknown_method"}, {}
        try:
            spec.check_request(method, params)
        except spec.Drift as exc:
            self.drift.append(str(exc))
        if headers.get("authorization") != f"Bearer {self.token}":
            return 200, {"ok": False, "error": "invalid_auth"}, {}
        waits = self.limited.get(method)
        if waits:
            return 429, {"ok": False, "error": "ratelimited"}, {"Retry-After": str(waits.pop(0))}
        failures = self.failures.get(method)
        if failures:
            return 200, {"ok": False, "error": failures.pop(0)}, {}
        return 200, VIEWS[method](self, params), {}

    # views --------------------------------------------------------------------------------
    def subteam(self, group: Group, users: bool) -> dict[str, Any]:
        found = {
            "id": group.id, "team_id": TEAM, "is_usergroup": True, "is_subteam": True, "name": group.name,
            "description": f"{group.name} (kept by opsrepo)", "handle": group.handle, "is_external": False,
            "date_create": 1_600_000_000, "date_update": group.updated, "date_delete": 0 if group.enabled else group.updated,
            "auto_type": None, "auto_provision": False, "enterprise_subteam_id": "", "created_by": BOT,
            "updated_by": BOT, "deleted_by": None, "prefs": {"channels": [], "groups": []},
            "user_count": len(group.users),
        }
        if users:
            found["users"] = list(group.users)
        return found

    def usergroups_list(self, params: dict[str, Any]) -> dict[str, Any]:
        disabled = _true(params.get("include_disabled"))
        return {"ok": True, "usergroups": [self.subteam(g, _true(params.get("include_users")))
                                           for g in self.groups.values() if g.enabled or disabled]}

    def users_lookup(self, params: dict[str, Any]) -> dict[str, Any]:
        email = str(params.get("email", ""))
        ident = next((u for e, u in self.users.items() if e.casefold() == email.casefold()), None)
        if ident is None:
            return {"ok": False, "error": "users_not_found"}
        name = email.split("@", 1)[0]
        profile = {"real_name": name.title(), "display_name": name, "avatar_hash": "g0123456789a",
                   "real_name_normalized": name.title(), "display_name_normalized": name, "email": email,
                   "team": TEAM}
        return {"ok": True, "user": {"id": ident, "team_id": TEAM, "name": name, "deleted": False,
                                     "profile": profile, "is_bot": False, "is_app_user": False,
                                     "updated": 1_700_000_000, "tz": "Europe/Berlin"}}

    def usergroups_users_update(self, params: dict[str, Any]) -> dict[str, Any]:
        group = self.groups.get(str(params.get("usergroup")))
        if group is None:
            return {"ok": False, "error": "permission_denied"}
        users = [u for u in str(params.get("users", "")).split(",") if u]
        if not users:
            return {"ok": False, "error": "invalid_arg_name"}
        group.users, group.enabled, group.updated = users, True, int(self.clock)
        return {"ok": True, "usergroup": self.subteam(group, True)}

    def set_topic(self, params: dict[str, Any]) -> dict[str, Any]:
        channel = self.channels.get(str(params.get("channel")))
        if channel is None:
            return {"ok": False, "error": "channel_not_found"}
        if not channel.member:
            return {"ok": False, "error": "not_in_channel"}
        topic = str(params.get("topic", ""))
        if len(topic) > 250:
            return {"ok": False, "error": "too_long"}
        channel.topic, channel.topic_set = topic, int(self.clock)
        return {"ok": True, "channel": self.conversation(channel)}

    def conversation(self, channel: Channel) -> dict[str, Any]:
        empty = {"value": "", "creator": "", "last_set": 0}
        return {"id": channel.id, "name": channel.name, "created": 1_600_000_000, "creator": BOT,
                "is_archived": False, "is_channel": True, "is_general": False, "is_mpim": False, "is_group": False,
                "is_org_shared": False, "is_im": False, "is_shared": False, "is_private": False,
                "name_normalized": channel.name, "is_member": channel.member,
                "topic": {"value": channel.topic, "creator": BOT, "last_set": channel.topic_set}, "purpose": empty}

    def post_message(self, params: dict[str, Any]) -> dict[str, Any]:
        channel = self.channels.get(str(params.get("channel")))
        if channel is None:
            return {"ok": False, "error": "channel_not_found"}
        if not channel.member:
            return {"ok": False, "error": "not_in_channel"}
        text = str(params.get("text") or "")
        if not text:
            return {"ok": False, "error": "no_text"}
        channel.messages.append(text)
        ts = f"{int(self.clock) + len(channel.messages)}.{len(channel.messages):06d}"
        return {"ok": True, "channel": channel.id, "ts": ts,
                "message": {"type": "message", "text": text, "user": BOT, "bot_id": BOT_ID, "ts": ts, "team": TEAM}}


WRITES = frozenset({"usergroups.users.update", "conversations.setTopic", "chat.postMessage"})
VIEWS: dict[str, Any] = {
    "usergroups.list": FakeSlack.usergroups_list, "users.lookupByEmail": FakeSlack.users_lookup,
    "usergroups.users.update": FakeSlack.usergroups_users_update, "conversations.setTopic": FakeSlack.set_topic,
    "chat.postMessage": FakeSlack.post_message,
}


def _true(value: Any) -> bool:
    return str(value).lower() in ("1", "true")


def _handler(fake: FakeSlack) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True

        def log_message(self, format: str, *args: Any) -> None:
            """Silent."""

        def _any(self) -> None:
            parts = urlsplit(self.path)
            method = parts.path.removeprefix("/api/")
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            headers = {k.lower(): v for k, v in self.headers.items()}
            params: dict[str, Any] = dict(parse_qsl(parts.query))
            if raw and headers.get("content-type", "").startswith("application/json"):
                params.update(json.loads(raw))
            elif raw:
                params.update(parse_qsl(raw.decode()))
            status, body, extra = fake.handle(self.command, method, headers, params)
            try:
                spec.check_answer(method, status, body)
            except Exception as exc:
                fake.drift.append(f"{self.command} {method}: {exc}")
            payload = json.dumps(body).encode()
            self.send_response(status)
            for name, value in extra.items():
                self.send_header(name, value)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        do_GET = do_POST = _any

    return Handler
