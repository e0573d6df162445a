"""Staying under PagerDuty's REST API rate limits: the clock, a sliding window, and the waits.

PagerDuty limits REST API requests per token per minute (960 by default,
support.pagerduty.com/docs/rest-api-rate-limits and the limits table it
links) and answers 429 beyond it; it recommends making requests serially and
reading the ``ratelimit-remaining`` and ``ratelimit-reset`` headers ("how many
seconds to wait before retrying"). opsrepo sends one request at a time, keeps
below :data:`PER_MINUTE` in any 60 seconds, and waits out a 429 for its
``Retry-After`` or ``ratelimit-reset``. The clock is injected so tests never sleep.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Protocol

#: requests in any 60 seconds: under PagerDuty's default of 960, leaving room for other clients of the token
PER_MINUTE = 900
#: a 429 without either header is waited out this long at first, doubling
DEFAULT_WAIT = 5.0


class Clock(Protocol):
    """Seconds on a monotonic clock, and a way to wait."""

    def now(self) -> float:
        """Seconds."""

    def sleep(self, seconds: float) -> None:
        """Wait ``seconds``."""


class SystemClock:
    """The real clock."""

    def now(self) -> float:
        """``time.monotonic()``."""
        return time.monotonic()

    def sleep(self, seconds: float) -> None:
        """``time.sleep()``."""
        time.sleep(seconds)


def system_clock() -> Clock:
    """The clock the CLI uses (tests replace this factory)."""
    return SystemClock()


class WaitTooLong(Exception):
    """A wait longer than allowed; ``seconds`` is how long it would have been."""

    def __init__(self, seconds: float, reason: str) -> None:
        super().__init__(reason)
        self.seconds = seconds
        self.reason = reason


@dataclass
class Pacer:
    """Decides how long to wait before each request, and waits."""

    clock: Clock
    max_wait: float = 900.0
    per_minute: int = PER_MINUTE
    notify: Callable[[str], None] = lambda line: None
    sent: deque[float] = field(default_factory=deque)
    #: when the server said the window resets (clock seconds), after it said nothing remains
    blocked_until: float | None = None
    waited: float = 0.0

    def before(self) -> None:
        """Wait until one more request fits, then count it."""
        now = self.clock.now()
        while self.sent and self.sent[0] <= now - 60:
            self.sent.popleft()
        delay = self.sent[0] + 60 - now if len(self.sent) >= self.per_minute else 0.0
        if self.blocked_until is not None and self.blocked_until - now > delay:
            delay = self.blocked_until - now
        self.wait(delay, "PagerDuty's rate limit")
        self.blocked_until = None
        self.sent.append(self.clock.now())

    def observe(self, headers: Mapping[str, str]) -> None:
        """Learn from ``ratelimit-remaining`` / ``ratelimit-reset`` (lower-case names)."""
        remaining, reset = headers.get("ratelimit-remaining"), _seconds(headers.get("ratelimit-reset"))
        if remaining is not None and remaining.strip() == "0" and reset is not None:
            self.blocked_until = self.clock.now() + reset

    def limited(self, headers: Mapping[str, str], attempt: int) -> None:
        """After a 429: wait what the server asks (``Retry-After``, else ``ratelimit-reset``) or back off."""
        asked = _seconds(headers.get("retry-after"))
        if asked is None:
            asked = _seconds(headers.get("ratelimit-reset"))
        self.wait(
            asked if asked is not None else DEFAULT_WAIT * 2 ** (attempt - 1), "PagerDuty's rate limit (429)"
        )

    def wait(self, seconds: float, reason: str) -> None:
        """Sleep ``seconds`` (saying why when it is long); refuse beyond ``max_wait``."""
        if seconds <= 0:
            return
        if seconds > self.max_wait:
            raise WaitTooLong(seconds, reason)
        if seconds >= 5:
            self.notify(f"waiting {seconds:.0f} s for {reason}")
        self.clock.sleep(seconds)
        self.waited += seconds


def _seconds(value: str | None) -> float | None:
    if value is None:
        return None
    try:
        seconds = float(value.strip())
    except ValueError:
        return None
    return max(seconds, 0.0)
