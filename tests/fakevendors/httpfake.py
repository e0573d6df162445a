"""What the two fake vendor servers share: threads, request log, faults and the schema checks.

A threaded ``http.server`` on 127.0.0.1 with a port the system picks, serving
until :meth:`FakeServer.stop`. Every request is checked against the vendor's API
description before it is served and every answer before it is sent; a finding
is kept in :attr:`FakeServer.violations` (the request is answered 400, a wrong
answer is replaced by a 500 naming the finding) and the pytest fixtures fail
the test at teardown when any was kept. Faults the tests set:

* ``rate_limit(n, retry_after)``: the next ``n`` requests get 429 with ``Retry-After``;
* ``server_errors(n, status)``: the next ``n`` requests get ``status`` (5xx);
* ``dead_after = k``: requests after the k-th get no answer (the connection is
  closed), as if the server, or the run, died at request k;
* ``hooks``: callables run with each logged request after it was served (a
  client test can stop itself at request k from there).
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

WRITES = frozenset({"POST", "PUT", "PATCH", "DELETE"})


@dataclass
class Answer:
    status: int
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Logged:
    """One request as the fake saw it, and the status it answered (0: no answer)."""

    seq: int
    method: str
    path: str
    query: dict[str, list[str]]
    body: Any
    status: int

    @property
    def write(self) -> bool:
        return self.method in WRITES


class Refusal(Exception):
    """Raised by a route to answer an error status."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status, self.message = status, message


class FakeServer:
    """Base of :class:`FakePagerDuty` and :class:`FakeOpsgenie`; subclasses give the vendor's parts."""

    name = "fake"

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.log: list[Logged] = []
        self.violations: list[str] = []
        self.hooks: list[Callable[[Logged], None]] = []
        self.dead_after: int | None = None
        self._limited: list[int] = []  # Retry-After of each pending 429
        self._errors: list[int] = []  # status of each pending 5xx
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, name=self.name, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    # knobs ---------------------------------------------------------------------------------------
    def rate_limit(self, times: int = 1, retry_after: int = 1) -> None:
        with self.lock:
            self._limited += [retry_after] * times

    def server_errors(self, times: int = 1, status: int = 503) -> None:
        with self.lock:
            self._errors += [status] * times

    def clear_faults(self) -> None:
        with self.lock:
            self._limited, self._errors, self.dead_after = [], [], None

    def requests(self, method: str | None = None) -> list[Logged]:
        return [r for r in self.log if method is None or r.method == method]

    # what subclasses give ------------------------------------------------------------------------
    def authorize(self, method: str, headers: dict[str, str]) -> Answer | None:
        raise NotImplementedError

    def route(self, method: str, path: str, query: dict[str, list[str]], body: Any) -> Answer:
        raise NotImplementedError

    def error(self, status: int, message: str) -> Answer:
        raise NotImplementedError

    def check_request(self, method: str, path: str, query: dict[str, list[str]], headers: dict[str, str],
                      raw: bytes, body: Any) -> str | None:
        raise NotImplementedError

    def check_response(self, method: str, path: str, query: dict[str, list[str]], headers: dict[str, str],
                       raw: bytes, answer: Answer) -> str | None:
        raise NotImplementedError

    def documented(self, method: str, path: str, status: int) -> bool:
        raise NotImplementedError

    # serving -------------------------------------------------------------------------------------
    def handle(self, method: str, target: str, headers: dict[str, str], raw: bytes) -> Answer | None:
        parts = urlsplit(target)
        path, query = parts.path, parse_qs(parts.query, keep_blank_values=True)
        with self.lock:
            seq = len(self.log) + 1
            try:
                body = json.loads(raw) if raw else None
            except ValueError:
                body = raw.decode("utf-8", "replace")
            if self.dead_after is not None and seq > self.dead_after:
                self.log.append(Logged(seq, method, path, query, body, 0))
                return None
            answer, fault = self._answer(method, path, query, headers, raw, body)
            if not fault or self.documented(method, path, answer.status):
                finding = self.check_response(method, path, query, headers, raw, answer)
                if finding is not None:
                    self.violations.append(f"answer to {method} {target} ({answer.status}): {finding}")
                    answer = self.error(500, f"the fake sent an answer its API description forbids: {finding}")
            logged = Logged(seq, method, path, query, body, answer.status)
            self.log.append(logged)
        for hook in list(self.hooks):
            hook(logged)
        return answer

    def _answer(self, method: str, path: str, query: dict[str, list[str]], headers: dict[str, str], raw: bytes,
                body: Any) -> tuple[Answer, bool]:
        """The answer, and whether it is an injected fault (whose status may be undocumented)."""
        refusal = self.authorize(method, headers)
        if refusal is not None:
            return refusal, False
        if self._limited:
            retry_after = self._limited.pop(0)
            answer = self.error(429, "Rate Limit Exceeded")
            answer.headers["Retry-After"] = str(retry_after)
            return answer, True
        if self._errors:
            status = self._errors.pop(0)
            return self.error(status, "Internal Server Error"), True
        finding = self.check_request(method, path, query, headers, raw, body)
        if finding is not None:
            self.violations.append(f"request {method} {path}: {finding}")
            return self.error(400, f"Invalid request: {finding}"), False
        try:
            return self.route(method, path, query, body), False
        except Refusal as exc:
            return self.error(exc.status, exc.message), False


def _handler(fake: FakeServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True

        def log_message(self, format: str, *args: Any) -> None:
            """Silent."""

        def _any(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            headers = {k.lower(): v for k, v in self.headers.items()}
            try:
                answer = fake.handle(self.command, self.path, headers, raw)
            except Exception as exc:  # a bug of the fake: fail the test, answer 500
                fake.violations.append(f"the fake crashed on {self.command} {self.path}: {exc!r}")
                answer = Answer(500, {"message": f"fake crashed: {exc!r}"})
            if answer is None:
                self.close_connection = True
                return
            payload = b"" if answer.body is None else json.dumps(answer.body).encode()
            self.send_response(answer.status)
            for name, value in answer.headers.items():
                self.send_header(name, value)
            if answer.body is not None:
                self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _any

    return Handler
