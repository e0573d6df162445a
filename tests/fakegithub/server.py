"""A stateful fake of GitHub's REST API for the endpoints the sync uses, over real HTTP.

Threaded ``http.server`` on 127.0.0.1 with a random port. It keeps a request
log, answers with GitHub's headers (``X-RateLimit-*``, ``Link``) and error
bodies, enforces the primary rate limit and, when asked, the secondary one
(80 content-creating requests a minute), and injects faults: 5xx answers,
secondary-limit refusals with ``Retry-After``, connections dropped after a
request was carried out, and a server that goes dead after request k (a
killed run). Every answer it sends is checked against GitHub's published
description of the operation it serves (:mod:`tests.fakegithub.operations`).
"""

from __future__ import annotations

import json
import re
import threading
from dataclasses import dataclass, field, replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

from tests.fakegithub import operations, shapes
from tests.fakegithub.faults import SECONDARY, Fault, Faults
from tests.fakegithub.routes import ROUTES, Answer
from tests.fakegithub.state import Refusal, Repo

WRITES = frozenset({"POST", "PATCH", "PUT", "DELETE"})
TOKEN = "ghp_fake0123456789abcdefFAKEtoken"


class FakeClock:
    """Shared by the fake and the client under test: sleeping moves time on at once."""

    def __init__(self, start: float = 1_795_424_400.0) -> None:  # 2026-11-23T09:00:00Z, the tests' now
        self.t = start
        self.sleeps: list[float] = []

    def now(self) -> float:
        return self.t

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.t += seconds


@dataclass(frozen=True)
class Request:
    """One request as the fake saw it."""

    seq: int
    method: str
    path: str
    query: dict[str, str]
    body: Any
    status: int
    answered: bool = True
    #: request headers, lower-case names (the token shown as ***)
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def write(self) -> bool:
        return self.method in WRITES


@dataclass
class RateLimit:
    limit: int = 5000
    remaining: int = 5000
    reset: float = 0.0


@dataclass
class FakeGitHub:
    """The server; ``reset()`` gives each test a fresh repository."""

    owner: str = "kestrel-eng"
    name: str = "ops"
    clock: FakeClock = field(default_factory=FakeClock)
    token: str = TOKEN
    log: list[Request] = field(default_factory=list)
    drift: list[str] = field(default_factory=list)
    faults: Faults = field(default_factory=Faults)
    rate: RateLimit = field(default_factory=RateLimit)
    #: when set, more than this many writes in 60 s (fake clock) get a secondary-limit refusal
    writes_per_minute: int | None = None
    secondary_refusals: int = 0
    write_times: list[float] = field(default_factory=list)
    #: requests a ``late`` fault holds back: (fake time to carry them out, method, path, query, body)
    held: list[tuple[float, str, str, dict[str, str], Any]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.lock = threading.Lock()
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.repo = Repo(self.owner, self.name, self.url)
        self.thread = threading.Thread(target=self.httpd.serve_forever, name="fake-github", daemon=True)
        self.thread.start()
        self.reset()

    def reset(self, assignable: set[str] | None = None, due_on_style: str = "pacific") -> None:
        with self.lock:
            self.repo = Repo(self.owner, self.name, self.url, set(assignable or ()), due_on_style)
            self.log, self.drift, self.faults = [], [], Faults()
            self.rate = RateLimit(reset=self.clock.now() + 3600)
            self.writes_per_minute, self.secondary_refusals, self.write_times = None, 0, []
            self.held = []

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    # what tests look at -------------------------------------------------------------------
    def requests(self, method: str | None = None) -> list[Request]:
        return [r for r in self.log if method is None or r.method == method]

    def writes(self) -> list[Request]:
        return [r for r in self.log if r.write]

    def clear_log(self) -> None:
        with self.lock:
            self.log = []

    def inject(self, fault: Fault) -> None:
        with self.lock:
            self.faults.add(fault)

    # serving --------------------------------------------------------------------------------
    def handle(self, method: str, target: str, headers: dict[str, str], raw: bytes) -> Answer | None:
        """The answer to one request, or ``None`` to drop the connection without one."""
        with self.lock:
            parts = urlsplit(target)
            query = dict(parse_qsl(parts.query))
            body = json.loads(raw) if raw else None
            seq = len(self.log) + 1
            self._release_held()
            fault = self.faults.take(seq, method, parts.path)
            if fault is not None and fault.kind == "late":
                self.held.append((self.clock.now() + fault.delay, method, parts.path, query, body))
                answer = fault.answer(self)
                self._record(Request(seq, method, parts.path, query, body, 0), answer, headers)
                return answer
            if fault is not None and fault.before:
                answer = fault.answer(self)
                self._record(Request(seq, method, parts.path, query, body, 0), answer, headers)
                return answer
            answer = self._serve(method, parts.path, query, headers, body)
            if fault is not None:
                answer = fault.answer(self)  # carried out, then the answer is lost or replaced
            self._record(Request(seq, method, parts.path, query, body, 0), answer, headers)
            return answer

    def _release_held(self) -> None:
        """Carry out the held requests whose time has come (their answers went out long ago)."""
        due = [held for held in self.held if held[0] <= self.clock.now()]
        self.held = [held for held in self.held if held[0] > self.clock.now()]
        for _, method, path, query, body in due:
            self._serve(method, path, query, {"authorization": f"token {self.token}"}, body)

    def _record(self, request: Request, answer: Answer | None, headers: dict[str, str]) -> None:
        shown = {k: ("***" if k == "authorization" else v) for k, v in headers.items()}
        self.log.append(replace(request, status=answer.status if answer else 0, answered=answer is not None,
                                headers=shown))

    def _serve(self, method: str, path: str, query: dict[str, str], headers: dict[str, str], body: Any) -> Answer:
        counted = path != "/rate_limit"
        refusal = self._refuse(method, headers, counted)
        if refusal is not None:
            return refusal
        for route_method, pattern, view in ROUTES:
            match = re.fullmatch(pattern, path)
            if route_method == method and match:
                try:
                    return view(self, match.groupdict(), query, body)
                except Refusal as exc:
                    return Answer(exc.status, exc.body, exc.shape)
        return Answer(404, shapes.error("Not Found", 404), "error")

    def _refuse(self, method: str, headers: dict[str, str], counted: bool) -> Answer | None:
        if headers.get("authorization") not in (f"token {self.token}", f"Bearer {self.token}"):
            return Answer(401, shapes.error("Bad credentials", 401), "error")
        if headers.get("x-github-api-version", "2022-11-28") not in ("2022-11-28", "2026-03-10"):
            return Answer(400, shapes.error("Unsupported API version", 400), "error")
        now = self.clock.now()
        if now >= self.rate.reset:
            self.rate.remaining, self.rate.reset = self.rate.limit, now + 3600
        if counted and self.rate.remaining <= 0:
            return Answer(403, shapes.error("API rate limit exceeded for user ID 1.", 403), "error")
        if counted:
            self.rate.remaining -= 1
        limit = self.writes_per_minute
        if method in WRITES and limit is not None and sum(1 for t in self.write_times if t > now - 60) >= limit:
                self.secondary_refusals += 1
                return Answer(403, shapes.error(SECONDARY, 403), "error", {"Retry-After": "60"})
        if method in WRITES:
            self.write_times.append(now)
        return None

    def rate_headers(self) -> dict[str, str]:
        return {"X-RateLimit-Limit": str(self.rate.limit), "X-RateLimit-Remaining": str(self.rate.remaining),
                "X-RateLimit-Reset": str(int(self.rate.reset)), "X-RateLimit-Used": str(self.rate.limit
                                                                                      - self.rate.remaining),
                "X-RateLimit-Resource": "core"}

    def link(self, path: str, query: dict[str, str], page: int, last: int) -> str | None:
        links = []
        for rel, number in (("prev", page - 1), ("next", page + 1), ("last", last), ("first", 1)):
            if 1 <= number <= last and number != page:
                links.append(f'<{self.url}{path}?{urlencode({**query, "page": str(number)})}>; rel="{rel}"')
        return ", ".join(links) or None


def _handler(fake: FakeGitHub) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True  # else each answer waits 40 ms for a delayed ACK

        def log_message(self, format: str, *args: Any) -> None:
            """Silent."""

        def _any(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            headers = {k.lower(): v for k, v in self.headers.items()}
            answer = fake.handle(self.command, self.path, headers, raw)
            if answer is None:
                self.close_connection = True
                return
            self._send(answer)

        def _send(self, answer: Answer) -> None:
            if answer.shape == "garbled":  # a fault: not GitHub's answer, sent as it is
                self._raw(answer.status, answer.body.encode(), "text/html; charset=utf-8")
                return
            try:
                operations.check(self.command, urlsplit(self.path).path, answer.status, answer.body, ROUTES)
                if answer.body is not None:
                    shapes.check(answer.shape, answer.body)
            except Exception as exc:
                fake.drift.append(f"{self.command} {self.path}: {exc}")
                answer = Answer(500, shapes.error("fake GitHub sent a body GitHub never would", 500), "error")
            payload = b"" if answer.body is None else json.dumps(answer.body).encode()
            self.send_response(answer.status)
            for name, value in {**fake.rate_headers(), **answer.headers}.items():
                self.send_header(name, value)
            if answer.body is not None:
                self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def _raw(self, status: int, payload: bytes, content_type: str) -> None:
            self.send_response(status)
            for name, value in fake.rate_headers().items():
                self.send_header(name, value)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        do_GET = do_POST = do_PATCH = do_PUT = do_DELETE = _any

    return Handler

