"""Pacing under PagerDuty's rate limit: a sliding minute, Retry-After, ratelimit-reset."""

from __future__ import annotations

import pytest

from opsrepo.pagerduty.pacing import Pacer, WaitTooLong


class Clock:
    def __init__(self) -> None:
        self.t = 1000.0
        self.sleeps: list[float] = []

    def now(self) -> float:
        return self.t

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.t += seconds


def test_no_more_than_the_limit_in_any_sixty_seconds() -> None:
    clock = Clock()
    pacer = Pacer(clock, per_minute=3)
    for _ in range(3):
        pacer.before()
        clock.t += 1
    pacer.before()
    assert clock.sleeps == [57.0]  # the first request leaves the window 60 s after it was sent


def test_a_429_waits_what_retry_after_says_else_ratelimit_reset_else_backs_off() -> None:
    clock = Clock()
    pacer = Pacer(clock)
    pacer.limited({"retry-after": "7"}, attempt=1)
    pacer.limited({"ratelimit-reset": "12"}, attempt=1)
    pacer.limited({}, attempt=2)
    assert clock.sleeps == [7.0, 12.0, 10.0]


def test_nothing_remaining_waits_for_the_reset_before_the_next_request() -> None:
    clock = Clock()
    pacer = Pacer(clock)
    pacer.observe({"ratelimit-remaining": "0", "ratelimit-reset": "30"})
    pacer.before()
    assert clock.sleeps == [30.0]
    pacer.before()
    assert clock.sleeps == [30.0]


def test_a_wait_beyond_max_wait_is_refused() -> None:
    pacer = Pacer(Clock(), max_wait=60)
    with pytest.raises(WaitTooLong):
        pacer.limited({"retry-after": "3600"}, attempt=1)
