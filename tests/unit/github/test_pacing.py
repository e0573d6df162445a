from __future__ import annotations

import pytest

from opsrepo.github.pacing import Pacer, SlidingWindow, WaitTooLong
from tests.fakegithub import FakeClock


def max_in_any_window(times: list[float], period: float) -> int:
    return max(sum(1 for t in times if start <= t < start + period) for start in times)


def test_a_window_admits_its_limit_then_waits_for_the_oldest_to_leave() -> None:
    window = SlidingWindow(3, 60)
    for at in (0.0, 10.0, 20.0):
        assert window.delay(at, 1) == 0.0
        window.record(at, 1)
    assert window.delay(30.0, 1) == 30.0  # the request at 0 leaves the window at 60
    assert window.delay(60.0, 1) == 0.0
    assert window.delay(60.0, 2) == 10.0  # two must leave: the one at 10 goes at 70


def test_weighted_units() -> None:
    window = SlidingWindow(10, 60)
    window.record(0, 5)
    window.record(1, 5)
    assert window.delay(2, 1) == 58.0
    assert window.delay(2, 11) == 0.0  # more than the whole window at once: no wait helps


def test_at_most_80_writes_in_any_minute_and_500_in_any_hour() -> None:
    clock = FakeClock(0)
    pacer = Pacer(clock, max_wait=3600)
    sent = []
    for _ in range(600):
        pacer.before("POST")
        sent.append(clock.now())
    assert max_in_any_window(sent, 60) == 80
    assert max_in_any_window(sent, 3600) == 500
    assert sent[79] == 0 and sent[80] == 60  # a burst, then the window slides
    assert sent[500] == 3600


def test_reads_do_not_count_as_writes_but_count_points() -> None:
    clock = FakeClock(0)
    pacer = Pacer(clock)
    for _ in range(900):
        pacer.before("GET")
    assert clock.now() == 0
    pacer.before("GET")
    assert clock.now() == 60  # 900 points a minute


def test_an_exhausted_primary_limit_waits_for_its_reset() -> None:
    clock = FakeClock(1000)
    pacer = Pacer(clock)
    pacer.observe({"x-ratelimit-remaining": "0", "x-ratelimit-reset": "1300", "x-ratelimit-resource": "core"})
    lines: list[str] = []
    pacer.notify = lines.append
    pacer.before("GET")
    assert clock.now() == 1301
    assert lines == ["waiting 301 s for GitHub's hourly rate limit to reset"]
    assert pacer.waited == 301


def test_other_resources_do_not_move_the_core_limit() -> None:
    pacer = Pacer(FakeClock(0))
    pacer.observe({"x-ratelimit-remaining": "0", "x-ratelimit-reset": "99", "x-ratelimit-resource": "search"})
    assert (pacer.remaining, pacer.reset_at) == (None, None)
    pacer.observe({"x-ratelimit-remaining": "junk", "x-ratelimit-reset": "1.5"})
    assert (pacer.remaining, pacer.reset_at) == (None, None)


def test_a_wait_beyond_max_wait_is_refused_with_when() -> None:
    clock = FakeClock(1000)
    pacer = Pacer(clock, max_wait=60)
    pacer.observe({"x-ratelimit-remaining": "0", "x-ratelimit-reset": "4600"})
    with pytest.raises(WaitTooLong) as caught:
        pacer.before("GET")
    assert (caught.value.seconds, caught.value.until, caught.value.reason) == (
        3601, 4601, "GitHub's hourly rate limit to reset")
    assert clock.sleeps == []


def test_short_waits_are_quiet() -> None:
    lines: list[str] = []
    pacer = Pacer(FakeClock(0), notify=lines.append)
    pacer.wait(4.9, "x")
    pacer.wait(0, "y")
    assert lines == []
    pacer.wait(5, "z")
    assert lines == ["waiting 5 s for z"]
