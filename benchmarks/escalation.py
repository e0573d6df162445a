"""Benchmark: the escalation and severity rules (OPS4xx) and ``opsrepo escalate`` on a large org.

    python benchmarks/escalation.py [--schedules 3000] [--repeat 3]

Generates an org (benchmarks/genorg.py), loads it once, then times: the OPS4xx
rules alone with the on-call engine's cache cold (they compute every final
schedule over the horizon themselves) and warm (after the schedule rules, as
in ``opsrepo validate``); one chain planned in process; and ``opsrepo
escalate`` as a whole process (start-up, load, plan, render).
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
    parser.add_argument("--schedules", type=int, default=3000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "org"
        generate(root, args.schedules, runbooks=0)
        repo = load_repo(root).repo
        print(f"org: {len(repo.schedules)} schedules, {len(repo.policies)} policies, "
              f"{len(repo.services)} services, {len(repo.alerts)} alerts")

        cold, found = min(run_rules(root, "OPS4") for _ in range(args.repeat))
        print(f"OPS4xx rules, engine cache cold: {cold:.2f} s ({found} diagnostics)")
        warm, _ = min(run_rules(root, "OPS4", after="OPS3") for _ in range(args.repeat))
        schedules, _ = min(run_rules(root, "OPS3") for _ in range(args.repeat))
        print(f"OPS4xx rules after the schedule rules (cache warm): {warm:.3f} s "
              f"(the OPS3xx rules themselves: {schedules:.2f} s)")

        service = sorted(repo.services)[0]
        request = EscalationRequest(now=NOW, service=service, at="2026-11-30T08:50")
        seconds, chain = best_of(args.repeat, lambda: plan(repo, request, oncall_resolver(repo)))
        count = len(chain.notifications)
        print(f"plan one chain ({count} notifications) in process: {seconds * 1000:.1f} ms")

        opsrepo = shutil.which("opsrepo")
        if opsrepo:
            command = [opsrepo, "escalate", "--repo", str(root), "--service", service,
                       "--at", "2026-11-30T08:50"]
            seconds, _ = best_of(args.repeat,
                                 lambda: subprocess.run(command, capture_output=True, check=True))
            print(f"opsrepo escalate (whole process): {seconds:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
