"""Benchmark: the site's Reliability page made in one piece against made from parts, at three sizes.

    python benchmarks/reliability.py [--sizes 2000,5000,10000] [--repeat 2]
    python benchmarks/reliability.py --quick   # a smoke run: 20, 40 and 80 schedules, once

For each number of schedules, an org from benchmarks/genorg.py (default
profile, no runbooks) is loaded once, and each measurement runs in a fresh
forked process (so that no cache one of them warms serves the other), pinned
at 2026-12-07 09:00 UTC:

- one piece: the page as a build made it before parts (``reliability_page``:
  a year of every schedule's shifts and each person's load, in one process);
- parts: every team's part (``LoadParts.make``), the CPU they take in all
  (a build shares them among its workers, a few teams at a time), and the
  largest part;
- assembly: the page put together from the parts (what the build's own
  process does at the end, while the workers make pages), and the bytes of
  the parts a build keeps for the next one.

CPU seconds (user + system of the measuring process) are the figures to
compare on a shared machine (each the least of ``--repeat`` runs, the two
ways taking turns); the page must be the same both ways (checked).
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))
from genorg import generate

NOW = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)
_STATE: Any = None


def in_child(work: Callable[[], Any]) -> Any:
    """``work()`` in a forked process (inheriting the loaded repo): its result."""
    with multiprocessing.get_context("fork").Pool(1) as pool:
        return pool.apply(work)


def one_piece() -> tuple[float, dict[str, Any]]:
    from opsrepo.site.reliability import reliability_page

    start = time.process_time()
    page = reliability_page(_STATE, None)
    return time.process_time() - start, dict(page.data)


def from_parts() -> tuple[float, float, str, float, int, dict[str, Any]]:
    from opsrepo.site.reliability import LoadParts

    parts = LoadParts(_STATE, None, {"org": "", "team": "", "schedule": ""})
    data, times = {}, {}
    for name in parts.part_keys():
        start = time.process_time()
        data[name] = parts.make(name)
        times[name] = time.process_time() - start
    kept = len(json.dumps(data, separators=(",", ":")))
    data = json.loads(json.dumps(data))  # as a later build reads them
    start = time.process_time()
    page = parts.assemble(data)
    assembly = time.process_time() - start
    largest = max(times, key=lambda name: times[name])
    return sum(times.values()), times[largest], largest, assembly, kept, dict(page.data)


def main() -> int:
    global _STATE
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="2000,5000,10000",
                        help="schedules, comma-separated [2000,5000,10000]")
    parser.add_argument("--repeat", type=int, default=2, help="runs of each way; the least CPU counts")
    parser.add_argument("--quick", action="store_true", help="a smoke run: 20, 40 and 80 schedules, once")
    args = parser.parse_args()
    if args.quick:
        args.sizes, args.repeat = "20,40,80", 1
    from opsrepo.load.repo import load_repo
    from opsrepo.site.state import SiteState

    for schedules in (int(size) for size in args.sizes.split(",")):
        with tempfile.TemporaryDirectory() as tmp:
            generate(Path(tmp), schedules, 0)
            repo = load_repo(Path(tmp)).repo
        _STATE = SiteState(repo, NOW, {})
        wholes, made = [], []
        for _ in range(args.repeat):
            wholes.append(in_child(one_piece))
            made.append(in_child(from_parts))
        whole, page = min(wholes, key=lambda run: run[0])
        parts, largest, name, assembly, kept, assembled = min(made, key=lambda run: run[0] + run[3])
        assert assembled == page, "the page from parts differs from the page made in one piece"
        teams = len({s.team for s in repo.schedules.values()})
        per = 1000 / schedules  # ms a schedule per s
        print(f"{schedules} schedules ({teams} teams, {len(repo.people)} people): "
              f"one piece {whole:.2f} s CPU ({whole * per:.2f} ms/schedule); "
              f"parts {parts:.2f} s CPU in all ({parts * per:.2f} ms/schedule; "
              f"the largest {largest * 1000:.0f} ms: {name}); "
              f"assembly {assembly:.2f} s CPU ({assembly * per:.2f} ms/schedule); "
              f"parts kept {kept / 1e6:.1f} MB; the same page")
    return 0


if __name__ == "__main__":
    sys.exit(main())
