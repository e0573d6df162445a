"""Faults the fake injects: wrong answers, lost answers, and a server that dies after request k."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from tests.fakegithub import shapes
from tests.fakegithub.routes import Answer

if TYPE_CHECKING:
    from tests.fakegithub.server import FakeGitHub

SECONDARY = ("You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you "
             "reach out to GitHub Support for help, please include the request ID 0000:FAKE.")


@dataclass
class Fault:
    """Applies to the next ``times`` requests that match ``method`` and the ``path`` pattern.

    ``kind``: ``status`` (answer ``status`` instead), ``secondary`` (a
    secondary-limit refusal, ``Retry-After: retry_after`` unless None),
    ``drop`` (close the connection without an answer), ``garbled`` (200 with
    an HTML page for a body, as a proxy in the way sends), ``late`` (answer
    ``status``, and carry the request out ``delay`` seconds later: GitHub
    once applied a create 31 s after answering 502). ``before``: the request
    is refused before it is carried out; otherwise it is carried out and only
    its answer is replaced or lost (GitHub sometimes creates an issue and
    answers 502).
    """

    kind: str
    status: int = 502
    times: int = 1
    method: str | None = None
    path: str | None = None
    before: bool = True
    retry_after: int | None = 60
    #: only from this request number on (1-based)
    from_seq: int = 1
    #: ``late``: seconds (fake clock) until the request is carried out
    delay: float = 0.0

    def matches(self, seq: int, method: str, path: str) -> bool:
        return (self.times > 0 and seq >= self.from_seq and (self.method is None or self.method == method)
                and (self.path is None or re.search(self.path, path) is not None))

    def answer(self, fake: FakeGitHub) -> Answer | None:
        if self.kind == "drop":
            return None
        if self.kind == "garbled":
            return Answer(200, GARBLED, "garbled")
        if self.kind == "secondary":
            headers = {"Retry-After": str(self.retry_after)} if self.retry_after is not None else {}
            return Answer(self.status if self.status in (403, 429) else 403, shapes.error(SECONDARY, 403), "error",
                          headers)
        return Answer(self.status, shapes.error(_REASONS.get(self.status, "Server Error"), self.status), "error")


GARBLED = "<!DOCTYPE html><html><head><title>Unicorn!</title></head><body>This page is taking too long</body></html>"
_REASONS = {500: "Server Error", 502: "Server Error", 503: "Service Unavailable", 504: "Gateway Timeout"}


@dataclass
class Faults:
    """The pending faults, and the request after which the server plays dead."""

    pending: list[Fault] = field(default_factory=list)
    #: every request after this one is dropped before it is carried out
    dead_after: int | None = None

    def add(self, fault: Fault) -> None:
        self.pending.append(fault)

    def take(self, seq: int, method: str, path: str) -> Fault | None:
        if self.dead_after is not None and seq > self.dead_after:
            return Fault("drop", before=True)
        for fault in self.pending:
            if fault.matches(seq, method, path):
                fault.times -= 1
                return fault
        return None
