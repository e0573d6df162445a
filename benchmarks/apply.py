"""Benchmark: ``opsrepo apply pagerduty`` against the fake PagerDuty, at three sizes.

    python benchmarks/apply.py [--sizes 30 100 300] [--quick]

For each size, writes a generated org (``benchmarks/genorg.py``), puts one
PagerDuty user per person in the fake PagerDuty of the tests (over real HTTP,
every request and answer checked against PagerDuty's API description; its
pacing clock is simulated, so rate-limit waits cost nothing), then runs in
this process: ``--plan`` on the empty account, the first ``apply``, a no-op
``apply``, ``--plan`` on the applied account and ``--check``. Prints requests,
writes, wall time, and how much of it the fake spent checking requests and
answers against PagerDuty's API description (openapi-core; it runs in this
process, so it adds to the wall time of every request; a real PagerDuty does
not do it). Budgets (issue 15): ``--plan`` for 300 schedules within 2 s
without the fake's checks; the no-op apply reads list pages only (at most
ceil(objects / 100) + 4 requests) and writes nothing. Exits 1 when a budget
is missed. The last column is the time without the fake's checks per object,
so growth shows. ``--quick``: 5 schedules: a smoke run.
"""

from __future__ import annotations

import argparse
import math
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import genorg  # noqa: E402

from opsrepo.pagerduty import pacing  # noqa: E402
from tests.fakevendors import pd_check  # noqa: E402
from tests.fakevendors.pd_server import FakePagerDuty  # noqa: E402
from tests.pagerduty_apply import NoSleep, load, run, seed_users  # noqa: E402

NOW = datetime(2026, 12, 1, 9, tzinfo=UTC)
PLAN_BUDGET = 2.0


CHECKED = [0.0]


def timed(function: Callable[..., Any]) -> Callable[..., Any]:
    """``function``, adding the seconds it takes to :data:`CHECKED`."""

    def run_timed(*args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            CHECKED[0] += time.perf_counter() - start

    return run_timed


def measure(fake: FakePagerDuty, root: Path, *args: str) -> tuple[int, int, float, int]:
    """(requests, writes, wall seconds, exit code) of one command."""
    before = len(fake.log)
    CHECKED[0] = 0.0
    start = time.perf_counter()
    result = run(fake, root, *args, now=NOW)
    wall = time.perf_counter() - start
    if result.exit_code not in (0, 1) or (result.exit_code and "--check" not in args):
        raise SystemExit(f"{' '.join(args)} failed: {result.output}")
    log = fake.log[before:]
    return len(log), sum(1 for r in log if r.write), wall, result.exit_code


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[30, 100, 300])
    parser.add_argument("--quick", action="store_true", help="5 schedules: a smoke run")
    args = parser.parse_args()
    if args.quick:
        args.sizes = [5]
    pd_check.check_request = timed(pd_check.check_request)  # type: ignore[assignment]
    pd_check.check_response = timed(pd_check.check_response)  # type: ignore[assignment]
    clock = NoSleep()
    pacing.system_clock = lambda: clock  # type: ignore[assignment]
    fake = FakePagerDuty(NOW)
    failed = False
    try:
        print(f"{'schedules':>9} {'objects':>7} {'step':<14} {'requests':>8} {'writes':>6} {'seconds':>8} "
              f"{'checks':>7} {'without':>8} {'ms/object':>9}")
        for size in args.sizes:
            fake.reset()
            with tempfile.TemporaryDirectory() as folder:
                root = Path(folder) / "org"
                genorg.generate(root, size, 0)
                repo = load(root)
                seed_users(fake, repo)
                objects = len(repo.schedules) + len(repo.policies) + len(repo.services) + len(repo.people)
                steps = [("plan (empty)", ("--plan",)), ("apply", ()), ("apply (no-op)", ()),
                         ("plan (applied)", ("--plan",)), ("check", ("--check",))]
                for name, argv in steps:
                    requests, writes, wall, code = measure(fake, root, *argv)
                    checks = CHECKED[0]
                    row = f"{size:>9} {objects:>7} {name:<14} {requests:>8} {writes:>6} {wall:>8.2f}"
                    row += f" {checks:>7.2f}"
                    print(f"{row} {wall - checks:>8.2f} {(wall - checks) * 1000 / objects:>9.2f}"
                          + ("  (drift!)" if code else ""))
                    sizes = (len(repo.people), len(repo.schedules), len(repo.policies), len(repo.services))
                    budget = sum(math.ceil(n / 100) for n in sizes)
                    if name == "apply (no-op)" and (writes or requests > budget + 4):
                        print(f"  over budget: {requests} requests (budget {budget} + 4), {writes} writes")
                        failed = True
                    if name.startswith("plan") and size >= 300 and wall - checks > PLAN_BUDGET:
                        print(f"  over budget: {wall - checks:.2f} s without the fake's checks "
                              f"(budget {PLAN_BUDGET} s)")
                        failed = True
                    if name == "check" and code:
                        failed = True
    finally:
        fake.stop()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
