"""How opsrepo uses the machine: the CPUs it may run on, when it may fork, pausing the cycle collector."""

from __future__ import annotations

import gc
import os
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager


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
