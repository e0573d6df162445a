"""How opsrepo uses the machine: the CPUs it may run on, when it may fork, pausing the cycle collector."""

from __future__ import annotations

import gc
import os
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")


def available_cpus() -> int:
    """The CPUs this process may run on (its affinity, where the system tells it)."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return os.cpu_count() or 1


def may_fork() -> bool:
    """Whether forking is safe: on Linux, while no other thread runs.

    A fork copies only the calling thread: a lock another thread held would stay locked in the child.
    """
    return sys.platform == "linux" and threading.active_count() == 1


@contextmanager
def gc_paused(*, freeze: bool = False) -> Iterator[None]:
    """Pause the cyclic garbage collector while building many long-lived objects.

    Loading a repo, running the rules or building the site allocates hundreds
    of thousands of objects that all stay alive and makes few reference
    cycles, so every collection would rescan them for nothing (a third of a
    large load; 80 ms at random points of a site rebuild). Forked workers
    inherit the pause.

    The first collection after a pause scans everything made during it (on a
    large repo, as long as the rules); ``freeze`` moves those objects out of
    the collector's sight instead (:func:`gc.freeze`), for a command whose
    results live until the process ends.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if freeze:
            gc.freeze()
        if was_enabled:
            gc.enable()


def in_two(work: Callable[[list[T]], list[R]], items: Sequence[T]) -> list[R]:
    """``work(items)``, with 9 of every 20 items (dealt in turn) done by a forked child meanwhile.

    For large batches of independent items, where :func:`may_fork` (the
    caller decides whether the batch is worth it). The child pickles its
    results into a pipe and leaves at once (``os._exit``: nothing of the copied
    heap is torn down), with none of a process pool's threads and queues; it
    does a little less, as this process unpickles what it hands over. A
    child that fails leaves its share to this process. The results come back
    in the items' order.
    """
    theirs = [item for index, item in enumerate(items) if index % 20 < 9]
    ours = [item for index, item in enumerate(items) if index % 20 >= 9]
    handed = _hand_over(work, theirs)
    mine = work(ours)
    received = handed()
    if received is None or len(received) != len(theirs):
        received = work(theirs)
    from_child, from_here = iter(received), iter(mine)
    return [next(from_child) if index % 20 < 9 else next(from_here) for index in range(len(items))]


def _hand_over(work: Callable[[list[T]], list[R]], items: list[T]) -> Callable[[], list[R] | None]:
    """Start ``work(items)`` in a forked child; the call returned waits for its results (None: it failed)."""
    import pickle  # here, not on every command's start path

    reading, writing = os.pipe()
    child = os.fork()
    if child == 0:  # pragma: no cover - runs in the child, which never returns
        try:
            os.close(reading)
            data = pickle.dumps(work(items), protocol=pickle.HIGHEST_PROTOCOL)
            with os.fdopen(writing, "wb") as pipe:
                pipe.write(data)
        finally:
            os._exit(0)
    os.close(writing)

    def received() -> list[R] | None:
        with os.fdopen(reading, "rb") as pipe:
            data = pipe.read()
        os.waitpid(child, 0)
        try:
            found: Any = pickle.loads(data) if data else None
        except (pickle.UnpicklingError, EOFError):
            return None
        return found if isinstance(found, list) else None

    return received
