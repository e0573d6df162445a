"""Staying under GitHub's limits: the clock, sliding windows and the pacer.

GitHub's documented limits for REST: the primary limit (``X-RateLimit-*``
headers, per hour), and secondary limits: at most 80 content-creating requests
per minute and 500 per hour, at most 900 points per minute (a GET costs 1, a
write 5). A sliding window (a log of recent requests) keeps "at most N in any
period" exactly, where a refilling token bucket would allow a burst of twice
the limit across a window edge. The clock is injected so tests never sleep.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Protocol

WRITE_METHODS = frozenset({"POST", "PATCH", "PUT", "DELETE"})


class Clock(Protocol):
    """Wall-clock seconds since the epoch, and a way to wait."""

    def now(self) -> float:
        """Seconds since the epoch (GitHub's reset times are epoch seconds)."""

    def sleep(self, seconds: float) -> None:
        """Wait ``seconds``."""


class SystemClock:
    """The real clock."""

    def now(self) -> float:
        """``time.time()``."""
        return time.time()

    def sleep(self, seconds: float) -> None:
        """``time.sleep()``."""
        time.sleep(seconds)


def system_clock() -> Clock:
    """The clock the CLI uses (tests replace this factory)."""
    return SystemClock()


@dataclass
class SlidingWindow:
    """At most ``limit`` units in any ``period`` seconds."""

    limit: float
    period: float
    log: deque[tuple[float, float]] = field(default_factory=deque)

    def delay(self, now: float, units: float) -> float:
        """Seconds to wait before ``units`` more fit."""
        while self.log and self.log[0][0] <= now - self.period:
            self.log.popleft()
        excess = sum(used for _, used in self.log) + units - self.limit
        if excess <= 0:
            return 0.0
        for at, used in self.log:
            excess -= used
            if excess <= 0:
                return max(at + self.period - now, 0.0)
        return 0.0  # more than the whole window at once: nothing to wait for

    def record(self, now: float, units: float) -> None:
        """Count ``units`` sent at ``now``."""
        self.log.append((now, units))


@dataclass(frozen=True)
class Limit:
    """One of GitHub's secondary limits: a window, what one request costs in it, and its name."""

    window: SlidingWindow
    cost: Callable[[str], float]
    name: str


def _writes(method: str) -> float:
    return 1.0 if method in WRITE_METHODS else 0.0


def _points(method: str) -> float:
    return 5.0 if method in WRITE_METHODS else 1.0


def default_limits() -> list[Limit]:
    """GitHub's documented secondary limits for REST."""
    return [Limit(SlidingWindow(80, 60), _writes, "80 content-creating requests a minute"),
            Limit(SlidingWindow(500, 3600), _writes, "500 content-creating requests an hour"),
            Limit(SlidingWindow(900, 60), _points, "900 points a minute")]


class WaitTooLong(Exception):
    """Pacing would wait longer than allowed; ``until`` is when it could go on (epoch seconds)."""

    def __init__(self, seconds: float, until: float, reason: str) -> None:
        super().__init__(reason)
        self.seconds = seconds
        self.until = until
        self.reason = reason


@dataclass
class Pacer:
    """Decides how long to wait before each request, and waits."""

    clock: Clock
    max_wait: float = 900.0
    limits: list[Limit] = field(default_factory=default_limits)
    notify: Callable[[str], None] = lambda line: None
    #: primary limit: requests left and when the window resets (epoch seconds)
    remaining: int | None = None
    reset_at: float | None = None
    waited: float = 0.0

    def before(self, method: str) -> None:
        """Wait until ``method`` may be sent under every limit, then count it."""
        now = self.clock.now()
        delay, reason = 0.0, ""
        for limit in self.limits:
            wait = limit.window.delay(now, limit.cost(method))
            if wait > delay:
                delay, reason = wait, f"GitHub's secondary rate limit ({limit.name})"
        exhausted = self.remaining is not None and self.remaining <= 0 and self.reset_at is not None
        if exhausted and self.reset_at is not None and self.reset_at + 1 - now > delay:
            delay, reason = self.reset_at + 1 - now, "GitHub's hourly rate limit to reset"
        self.wait(delay, reason)
        now = self.clock.now()
        for limit in self.limits:
            limit.window.record(now, limit.cost(method))
        if self.remaining is not None:
            self.remaining -= 1

    def observe(self, headers: Mapping[str, str]) -> None:
        """Learn the primary limit from a response's ``X-RateLimit-*`` headers."""
        if headers.get("x-ratelimit-resource", "core") != "core":
            return
        remaining, reset = headers.get("x-ratelimit-remaining"), headers.get("x-ratelimit-reset")
        if remaining is not None and remaining.strip().lstrip("-").isdigit():
            self.remaining = int(remaining)
        if reset is not None and reset.strip().isdigit():
            self.reset_at = float(reset)

    def wait(self, seconds: float, reason: str) -> None:
        """Sleep ``seconds`` (saying why when it is long); refuse beyond ``max_wait``."""
        if seconds <= 0:
            return
        if seconds > self.max_wait:
            raise WaitTooLong(seconds, self.clock.now() + seconds, reason)
        if seconds >= 5:
            self.notify(f"waiting {seconds:.0f} s for {reason}")
        self.clock.sleep(seconds)
        self.waited += seconds
