"""Benchmark: the escalation and severity rules (OPS4xx) and ``opsrepo escalate``, at three org sizes.

    python benchmarks/escalation.py [--sizes 750 1500 3000] [--repeat 3] [--quick]

For each size (schedules), generates an org (benchmarks/genorg.py), loads it
once, then times: the OPS4xx rules alone with the on-call engine's cache cold
(they compute every final schedule over the horizon themselves) and warm
(after the schedule rules, as in ``opsrepo validate``); one chain planned in
process; and ``opsrepo escalate`` as a whole process (start-up, load, plan,
render). Rule times are also given per schedule, so growth shows.
``--quick``: 20 schedules, once: a smoke run.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))
from genorg import generate

from opsrepo.escalation import EscalationRequest, plan
from opsrepo.escalation.engine import oncall_resolver
from opsrepo.load.repo import load_repo
from opsrepo.rules import Context, catalog

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def best_of(repeat: int, run: Callable[[], Any]) -> tuple[float, Any]:
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = run()
        best = min(best, time.perf_counter() - start)
    return best, result


def run_rules(root: Path, prefix: str, after: str | None = None) -> tuple[float, int]:
    """Seconds for the rules whose code starts with ``prefix`` on a freshly loaded repo.

    A fresh repo object starts with the on-call engine's cache cold; ``after``
    runs another family first, untimed (as ``opsrepo validate`` does).
    """
    context = Context(load_repo(root).repo, NOW)
    if after is not None:
        _check(context, after)
    start = time.perf_counter()
    found = _check(context, prefix)
    return time.perf_counter() - start, found


def _check(context: Context, prefix: str) -> int:
    return sum(len(list(entry.check(context))) for entry in catalog()
               if entry.check is not None and entry.code.startswith(prefix))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[750, 1500, 3000], help="schedules")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--quick", action="store_true", help="20 schedules, once: a smoke run")
    args = parser.parse_args()
    sizes, repeat = ([20], 1) if args.quick else (args.sizes, args.repeat)
    for size in sizes:
        measure(size, repeat)
    return 0


def measure(size: int, repeat: int) -> None:
    """Print the figures of one org of ``size`` schedules."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "org"
        generate(root, size, runbooks=0)
        repo = load_repo(root).repo
        count = len(repo.schedules)
        print(f"org: {count} schedules, {len(repo.policies)} policies, "
              f"{len(repo.services)} services, {len(repo.alerts)} alerts")

        cold, found = min(run_rules(root, "OPS4") for _ in range(repeat))
        print(f"  OPS4xx rules, engine cache cold: {cold:.2f} s ({cold * 1000 / count:.2f} ms/schedule; "
              f"{found} diagnostics)")
        warm, _ = min(run_rules(root, "OPS4", after="OPS3") for _ in range(repeat))
        schedules, _ = min(run_rules(root, "OPS3") for _ in range(repeat))
        print(f"  OPS4xx rules after the schedule rules (cache warm): {warm:.3f} s "
              f"({warm * 1000 / count:.3f} ms/schedule; the OPS3xx rules themselves: {schedules:.2f} s, "
              f"{schedules * 1000 / count:.2f} ms/schedule)")

        service = sorted(repo.services)[0]
        request = EscalationRequest(now=NOW, service=service, at="2026-11-30T08:50")
        seconds, chain = best_of(repeat, lambda: plan(repo, request, oncall_resolver(repo)))
        notified = len(chain.notifications)
        print(f"  plan one chain ({notified} notifications) in process: {seconds * 1000:.1f} ms")

        opsrepo = shutil.which("opsrepo")
        command = [opsrepo] if opsrepo else [sys.executable, "-m", "opsrepo"]
        command += ["escalate", "--repo", str(root), "--service", service, "--at", "2026-11-30T08:50"]
        seconds, _ = best_of(repeat, lambda: subprocess.run(command, capture_output=True, check=True))
        print(f"  opsrepo escalate (whole process): {seconds:.2f} s")


if __name__ == "__main__":
    sys.exit(main())
