"""A stateful fake of Opsgenie's REST API v2 over real HTTP (see :mod:`tests.fakevendors.httpfake`).

Auth is ``Authorization: GenieKey <key>``: :data:`KEY` may do anything,
:data:`READ_ONLY_KEY` gets 403 on writes, :data:`NO_ACCESS_KEY` 403 on
everything (a key without the access rights the endpoints need), anything
else 401. ``GET /v2/users``
pages with ``offset``/``limit`` and ``paging`` links (``next`` only while more
remain) and ``totalCount``; the other lists are whole, as in Opsgenie. Timelines
and on-call answers come from :mod:`tests.fakevendors.og_render`; the clock is
:attr:`FakeOpsgenie.now`. Every request and answer is checked by
:mod:`tests.fakevendors.og_check`.
"""

from __future__ import annotations

import copy
import uuid
from datetime import UTC, datetime
from typing import Any

from tests.fakevendors import og_check
from tests.fakevendors.httpfake import WRITES, Answer, FakeServer, Refusal

NOW = datetime(2026, 6, 1, 9, 0, tzinfo=UTC)  # the fakes' clock unless a test sets ``now``
KEY = "eb243592-faa2-4ba2-a551q-1afdf565c889"
READ_ONLY_KEY = "00000000-read-only-0000-000000000000"
NO_ACCESS_KEY = "00000000-no-access-0000-000000000000"
KINDS = {"users": "user", "teams": "team", "schedules": "schedule", "escalations": "escalation"}


class FakeOpsgenie(FakeServer):
    name = "fake-opsgenie"

    def __init__(self, now: datetime = NOW) -> None:
        self.now = now
        self.objects: dict[str, dict[str, dict[str, Any]]] = {k: {} for k in KINDS.values()}
        self.overrides: dict[str, list[dict[str, Any]]] = {}  # schedule id -> overrides, creation order
        self._count = 0
        super().__init__()

    def reset(self) -> None:
        """An empty account, the default clock, no faults, hooks or findings."""
        with self.lock:
            self.now = NOW
            self.objects = {k: {} for k in KINDS.values()}
            self.overrides, self.log, self.violations, self.hooks = {}, [], [], []
            self.clear_faults()

    def new_id(self) -> str:
        self._count += 1
        return str(uuid.uuid5(uuid.NAMESPACE_URL, f"fake-opsgenie/{self._count}"))

    def load(self, account: dict[str, Any]) -> None:
        """Put an account in (as :mod:`tests.fakevendors.accounts` makes it for Opsgenie)."""
        for plural, kind in KINDS.items():
            for obj in account.get(plural, []):
                self.objects[kind][obj["id"]] = copy.deepcopy(obj)
        for sid, overrides in account.get("overrides", {}).items():
            self.overrides[sid] = copy.deepcopy(overrides)

    def find(self, kind: str, identifier: str, by: str | None = None) -> dict[str, Any]:
        key = {"user": "username"}.get(kind, "name") if by == "name" or kind == "user" else "id"
        for obj in self.objects[kind].values():
            if obj["id"] == identifier or obj.get(key) == identifier:
                return obj
        raise Refusal(404, f"{kind.capitalize()} with identifier [{identifier}] doesn't exist")

    def envelope(self, data: Any = None, status: int = 200, **extra: Any) -> Answer:
        body = {"took": 0.01, "requestId": str(uuid.uuid4()), **extra}
        if data is not None:
            body["data"] = data
        return Answer(status, body)

    # FakeServer parts ----------------------------------------------------------------------------
    def authorize(self, method: str, headers: dict[str, str]) -> Answer | None:
        given = headers.get("authorization", "")
        if given == f"GenieKey {NO_ACCESS_KEY}":
            return self.error(403, "You are not authorized for this action")
        if given == f"GenieKey {READ_ONLY_KEY}":
            return self.error(403, "You are not authorized for this action") if method in WRITES else None
        return None if given == f"GenieKey {KEY}" else self.error(401, "Could not authenticate")

    def route(self, method: str, path: str, query: dict[str, list[str]], body: Any) -> Answer:
        from tests.fakevendors.og_routes import ROUTES  # the routes import this module

        for route_method, pattern, view in ROUTES:
            match = pattern.fullmatch(path)
            if route_method == method and match:
                return view(self, match.groupdict(), query, body)
        raise Refusal(404, "Not Found")

    def error(self, status: int, message: str) -> Answer:
        return self.envelope(None, status, message=message)

    def check_request(self, method: str, path: str, query: dict[str, list[str]], headers: dict[str, str],
                      raw: bytes, body: Any) -> str | None:
        return og_check.check_request(method, path, query, body)

    def check_response(self, method: str, path: str, query: dict[str, list[str]], headers: dict[str, str],
                       raw: bytes, answer: Answer) -> str | None:
        return og_check.check_response(method, path, answer.status, answer.body)

    def documented(self, method: str, path: str, status: int) -> bool:
        return og_check.documented(method, path, status)
