"""Benchmark: requests ``opsrepo actions sync`` makes, counted by the fake GitHub server, at three sizes.

    python benchmarks/sync.py [--sizes 100 300 1000] [--quick]

For each size N, writes an ops repo with N action items (10 per post-mortem,
owners spread over three people, 40 due dates), then runs in this process,
against the fake GitHub of the tests over real HTTP (its clock is simulated,
so pacing waits cost nothing): the first sync, a no-op sync, and ``actions
status``. Prints requests, writes, simulated pacing time and wall time of
each, and per action item (so growth shows). Budget (issue 6): the no-op
sync makes at most ceil(N/100) + 1 requests and no writes. Exits 1 when it
does not. ``--quick``: 10 items, a smoke run.
"""

from __future__ import annotations

import argparse
import math
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from opsrepo.github import pacing  # noqa: E402
from tests.fakegithub import TOKEN, FakeGitHub  # noqa: E402
from tests.fakegithub.cli import actions  # noqa: E402
from tests.fakegithub.opsrepos import ASSIGNABLE, item, postmortem, write_ops_repo  # noqa: E402


def write_org(root: Path, count: int) -> Path:
    owners = ("ana", "ben", "cleo")
    items = [item(f"item-{n}", owners[n % 3], f"2027-{n % 40 // 4 + 1:02d}-{n % 4 * 7 + 1:02d}",
                  priority=("critical", "high", "medium", "low")[n % 4],
                  kind=("prevent", "detect", "mitigate", "process")[n % 4 - 1]) for n in range(count)]
    fronts = [postmortem(f"2026-{n // 28 % 12 + 1:02d}-{n % 28 + 1:02d}-incident-{n}",
                         items[n * 10:n * 10 + 10], ("SEV1", "SEV2", "SEV3")[n % 3])
              for n in range(math.ceil(count / 10))]
    return write_ops_repo(root, fronts)


def run(fake: FakeGitHub, root: Path, *args: str) -> tuple[int, int, float, float]:
    """(requests, writes, simulated seconds, wall seconds) of one command."""
    fake.clear_log()
    simulated = fake.clock.now()
    start = time.perf_counter()
    result = actions(fake, root, *args)
    wall = time.perf_counter() - start
    if result.exit_code != 0:
        raise SystemExit(f"{' '.join(args)} failed: {result.output}")
    return len(fake.log), len(fake.writes()), fake.clock.now() - simulated, wall


def measure(count: int) -> tuple[list[tuple[str, tuple[int, int, float, float]]], int]:
    """The three commands' figures for ``count`` action items, and the secondary-limit refusals."""
    fake = FakeGitHub()
    pacing.system_clock = lambda: fake.clock  # type: ignore[assignment]
    fake.reset(assignable=set(ASSIGNABLE))
    fake.writes_per_minute = 80  # GitHub's secondary limit, enforced
    try:
        with tempfile.TemporaryDirectory() as temporary:
            root = write_org(Path(temporary) / "ops", count)
            rows = [("first sync", run(fake, root, "sync", "--max-wait", "1h")),
                    ("no-op sync", run(fake, root, "sync")), ("status", run(fake, root, "status"))]
    finally:
        fake.stop()
    return rows, fake.secondary_refusals


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 300, 1000], help="action items")
    parser.add_argument("--quick", action="store_true", help="10 action items only: a smoke run")
    args = parser.parse_args()
    import os

    os.environ["GITHUB_TOKEN"] = TOKEN
    failed = False
    print(f"{'items':>6} {'':12} {'requests':>9} {'writes':>7} {'paced (simulated)':>18} {'wall':>8} "
          f"{'requests/item':>14} {'ms/item':>8}")
    for count in [10] if args.quick else args.sizes:
        rows, refusals = measure(count)
        for name, (requests, writes, simulated, wall) in rows:
            print(f"{count:>6} {name:12} {requests:9d} {writes:7d} {simulated / 60:14.1f} min {wall:7.2f}s "
                  f"{requests / count:>14.2f} {wall * 1000 / count:>8.2f}")
        budget = math.ceil(count / 100) + 1
        requests, writes = rows[1][1][:2]
        ok = requests <= budget and writes == 0 and refusals == 0
        failed |= not ok
        print(f"{count:>6} no-op budget: at most {budget} requests and 0 writes, no secondary-limit refusal "
              f"({refusals}): {'ok' if ok else 'EXCEEDED'}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
