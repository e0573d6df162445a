"""Benchmark: the worst repos of files of at most 1 MiB each, validated and built within a budget.

    python benchmarks/hostile.py [NAME-SUBSTRING ...] [--scales 0.25 0.5 1] [--timeout 120] [--no-search]
                                 [--quick]

Each worst case is a case of ``tests/fixtures/cases/budgets.yaml`` (the same
files the case test validates): it is written over the minimal fixture repo,
then ``opsrepo validate`` and ``opsrepo build`` run on it, each in a process
of its own. Prints the wall time and the peak resident memory of each (the
largest process of the command's tree: the build's forked workers and
Pagefind included). Budget (issue 19): 10 s and 500 MB for each, at scale 1.

Each case runs at three scales: every repeated part of its files (``times``)
repeated that fraction as often, so the files are about a quarter, half and
all of their size. The last column is validate's and build's time per
repeated item (a member, a layer, a link...): equal figures at each scale
mean linear growth (the start-up of each process weighs on small scales).
``--quick``: the first case at 1 % of its size, without the search index: a
smoke run.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.fixtures.cases import overlay_case  # noqa: E402
from tests.helpers import MINIMAL, NOW, copy_repo  # noqa: E402

CASES = ROOT / "tests" / "fixtures" / "cases" / "budgets.yaml"
BUDGET_SECONDS, BUDGET_MB = 10.0, 500.0


def measure(command: list[str], timeout: float) -> dict[str, float | int | str]:
    """Run ``command`` in a child that reports its tree's peak RSS: ``{seconds, mb, code}``."""
    child = [sys.executable, __file__, "--child", json.dumps(command), str(timeout)]
    done = subprocess.run(child, capture_output=True, text=True, check=False)
    try:
        found: dict[str, float | int | str] = json.loads(done.stdout.strip().splitlines()[-1])
    except (IndexError, ValueError):
        return {"seconds": float("nan"), "mb": float("nan"), "code": f"harness failed: {done.stderr[-300:]}"}
    return found


def child(command: list[str], timeout: float) -> None:
    """In the measuring process: run the command, print its wall time, peak RSS and exit code."""
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               start_new_session=True)  # its own group: a timeout ends its workers too
    try:
        code: int | str = process.wait(timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        code = "timeout"
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # kilobytes on Linux
    print(json.dumps({"seconds": round(seconds, 2), "mb": round(peak, 1), "code": code}))


def scaled(spec: Any, factor: float) -> Any:
    """A case's file specs with every ``times`` multiplied by ``factor`` (at least 1)."""
    if isinstance(spec, dict):
        return {key: max(1, round(value * factor)) if key == "times" and isinstance(value, int)
                else scaled(value, factor) for key, value in spec.items()}
    if isinstance(spec, list):
        return [scaled(item, factor) for item in spec]
    return spec


def repeats(spec: Any) -> int:
    """How many repeated items (``times``) a case's file specs hold in all."""
    if isinstance(spec, dict):
        own = spec["times"] if isinstance(spec.get("times"), int) else 0
        return own + sum(repeats(value) for key, value in spec.items() if key != "times")
    if isinstance(spec, list):
        return sum(repeats(item) for item in spec)
    return 0


def written_bytes(root: Path, files: dict[str, Any]) -> int:
    """The size of a case's files as written below ``root``."""
    return sum((root / relative).stat().st_size for relative in files
               if (root / relative).is_file() and not (root / relative).is_symlink())


def main() -> int:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child(json.loads(sys.argv[2]), float(sys.argv[3]))
        return 0
    import yaml

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help="only the cases whose name holds one of these")
    parser.add_argument("--timeout", type=float, default=120.0)
    parser.add_argument("--no-search", action="store_true", help="build without the Pagefind index")
    parser.add_argument("--scales", type=float, nargs="+", default=[0.25, 0.5, 1.0])
    parser.add_argument("--quick", action="store_true", help="the first case at 1 %% of its size")
    args = parser.parse_args()
    cases = [case for case in yaml.safe_load(CASES.read_text(encoding="utf-8"))
             if not args.names or any(name in case["name"] for name in args.names)]
    if args.quick:
        cases, args.scales, args.no_search = cases[:1], [0.01], True
    env = {**os.environ, "OPSREPO_NOW": NOW.isoformat()}
    os.environ.update(env)
    print(f"{'case':<52} {'scale':>5} {'items':>7} {'KB':>6} {'validate':>23} {'build':>23} {'us/item':>15}  "
          f"budget {BUDGET_SECONDS:.0f} s, {BUDGET_MB:.0f} MB at scale 1")
    over = 0
    for case, scale in ((case, scale) for case in cases for scale in args.scales):
        files = scaled(case["files"], scale)
        with tempfile.TemporaryDirectory(ignore_cleanup_errors=True) as tmp:
            root = copy_repo(MINIMAL, Path(tmp) / "repo")
            overlay_case(root, files)
            size = written_bytes(root, files)
            opsrepo = [str(Path(sys.executable).with_name("opsrepo"))]  # the console script, as users run it
            checked = measure([*opsrepo, "validate", "--repo", str(root), "--format", "json"], args.timeout)
            site = str(Path(tmp) / "site")
            build = [*opsrepo, "build", "--repo", str(root), "--out", site, "--allow-invalid"]
            built = measure(build + (["--no-search"] if args.no_search else []), args.timeout)
        cells = []
        for result in (checked, built):
            within = result["seconds"] <= BUDGET_SECONDS and result["mb"] <= BUDGET_MB  # type: ignore[operator]
            over += scale >= 1 and not within
            mark = "" if within or scale < 1 else " !"
            cells.append(f"{result['seconds']:>6.2f} s {result['mb']:>5.0f} MB{mark}")
            cells[-1] += f" exit {result['code']}"
        items = max(repeats(files), 1)
        per = [f"{float(result['seconds']) * 1e6 / items:.0f}" for result in (checked, built)]
        print(f"{case['name'][:52]:<52} {scale:>5.2f} {items:>7} {size / 1024:>6.0f} {cells[0]:>23} "
              f"{cells[1]:>23} {' / '.join(per):>15}", flush=True)
    print(f"{len(cases)} cases, {over} measurements over budget")
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
