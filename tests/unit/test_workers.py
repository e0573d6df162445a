"""opsrepo.workers.in_two: a forked child does 9 of every 20 items; a child that fails leaves them to the parent."""

from __future__ import annotations

import os
import sys

import pytest

from opsrepo import workers
from opsrepo.workers import in_two, may_fork

linux_only = pytest.mark.skipif(sys.platform != "linux", reason="in_two forks, on Linux only")


@linux_only
def test_the_child_does_nine_of_every_twenty_items_and_the_results_keep_their_order() -> None:
    parent = os.getpid()
    found = in_two(lambda chunk: [(item * item, os.getpid() != parent) for item in chunk], list(range(100)))
    assert [value for value, _ in found] == [item * item for item in range(100)]
    assert [index for index, (_, in_child) in enumerate(found) if in_child] == \
        [index for index in range(100) if index % 20 < 9]


@linux_only
def test_a_child_that_fails_leaves_its_share_to_the_parent() -> None:
    parent = os.getpid()

    def work(chunk: list[int]) -> list[tuple[int, int]]:
        if os.getpid() != parent:
            raise RuntimeError("the child fails")
        return [(item, os.getpid()) for item in chunk]

    assert in_two(work, list(range(50))) == [(item, parent) for item in range(50)]


def test_no_fork_where_the_platform_has_none(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(workers.sys, "platform", "win32")
    assert may_fork() is False
    monkeypatch.setattr(workers.sys, "platform", "darwin")  # fork there is unsafe with system frameworks
    assert may_fork() is False
