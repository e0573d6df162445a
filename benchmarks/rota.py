"""Benchmark: life on the rota at three sizes of generated org (benchmarks/genorg.py).

    python benchmarks/rota.py [--sizes 75,150,300] [--repeat 3]

Each size is a number of schedules (two people a schedule: 300 schedules are
600 people). Printed, best of ``--repeat``:

- ``report pay`` over a whole year: the computation on a loaded repo, and the
  whole ``opsrepo report pay --format json`` process (budget: 2 s for 300
  people, so the middle size, 304 people, is the budget row);
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))
from genorg import generate

from opsrepo.load.repo import load_repo
from opsrepo.pay import PayPeriod, pay_report
from opsrepo.pay.render import render

PAY = """pay:
  currency: EUR
  rules:
    - name: weekends on top
      schedules: [sched-0, sched-4, sched-8]
      overlap: each
      rates: {weekend: {per_shift: 50}}
    - name: standard
      rates:
        weekday: {per_hour: 2.5}
        weekday_night: {per_hour: 4}
        weekend: {per_hour: 5, per_shift: 20}
        holiday: {per_hour: 10}
"""
YEAR = PayPeriod(date(2026, 1, 1), date(2026, 12, 31))
NOW = "2026-11-23T09:00:00Z"


def best(repeat: int, run: Callable[[], Any]) -> tuple[float, Any]:
    """The fastest of ``repeat`` runs (seconds) and the last result."""
    times, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - started)
    return min(times), result


def make_org(root: Path, schedules: int) -> Path:
    generate(root, schedules, 0)
    with (root / "opsrepo.yaml").open("a", encoding="utf-8") as out:
        out.write(PAY)
    return root


def process(args: list[str], repeat: int) -> float:
    env = {**os.environ, "OPSREPO_NOW": NOW}
    seconds, _ = best(repeat, lambda: subprocess.run(["opsrepo", *args], check=True, env=env,
                                                     stdout=subprocess.DEVNULL))
    return seconds


def pay_figures(root: Path, repeat: int) -> dict[str, Any]:
    repo = load_repo(root).repo
    compute, report = best(repeat, lambda: pay_report(repo, YEAR))
    rendered, _ = best(repeat, lambda: render(report, "json"))
    whole = process(["report", "pay", "--repo", str(root), "--from", "2026-01-01", "--to", "2026-12-31",
                     "--format", "json"], repeat)
    return {"people": len(repo.people), "paid": len(report.people), "compute": compute, "render": rendered,
            "process": whole}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="75,150,300")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",")]
    print("report pay, one year (2026)")
    print(f"{'schedules':>9}  {'people':>6}  {'on call':>7}  {'compute':>8}  {'json':>7}  {'process':>8}")
    with tempfile.TemporaryDirectory() as tmp:
        for size in sizes:
            root = make_org(Path(tmp) / f"org-{size}", size)
            pay = pay_figures(root, args.repeat)
            print(f"{size:>9}  {pay['people']:>6}  {pay['paid']:>7}  {pay['compute']:>7.2f}s"
                  f"  {pay['render']:>6.3f}s  {pay['process']:>7.2f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
