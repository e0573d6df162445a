"""Benchmark: ``opsrepo validate`` (every check) vs check-jsonschema (schemas only), two org shapes.

    python benchmarks/validate.py [--sizes 1000 2000 4000] [--profiles default realistic]
                                  [--repeat 2] [--horizons 30 90 365] [--horizon-size 1000]
    python benchmarks/validate.py --quick   # a smoke run: 8 schedules, once, horizons at 8 schedules

For each profile of benchmarks/genorg.py (``default``: one three-layer shape
repeated; ``realistic``: varied shapes, see benchmarks/realistic.py) and each
size, generates the org and times, in this one run and on the same files:
``opsrepo validate`` as a whole process (every check, the burnout and fairness
defaults on) and check-jsonschema validating the same YAML files against the
same schemas (exported with ``opsrepo schema export``), one process per kind.
Runs alternate, the best of ``--repeat`` of each is kept, both as wall time
and as CPU time (the processes' user + system, children included: steadier
than wall time on a shared machine). Budget (issues 2, 16, 20): opsrepo at
least 10x faster on both profiles.

Then the rules alone (everything ``validate`` does after loading), in CPU time
per schedule, at horizons of 30, 90 and 365 days, and what each further day of
horizon adds between them: their cost must grow linearly with the horizon.
``validate`` runs at a pinned instant (``OPSREPO_NOW``), the one the generator
dates time off and overrides from. Both tools run byte-compiled, as installed:
opsrepo's package is compiled first (an editable install under
``PYTHONDONTWRITEBYTECODE`` would otherwise compile ~70 modules in every run,
0.15 s of CPU that check-jsonschema, compiled by pip, never pays).
"""

from __future__ import annotations

import argparse
import compileall
import math
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from genorg import PROFILES, generate
from realistic import NOW

KIND_FOLDERS = {"team": "teams", "schedule": "schedules", "escalation": "policies/escalation"}
ENV = {**os.environ, "OPSREPO_NOW": NOW.isoformat() + "+00:00"}


def timed(command: list[str], cwd: Path) -> tuple[float, float, subprocess.CompletedProcess[str]]:
    """Wall and CPU seconds (user + system, every descendant) of one process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False, env=ENV)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, done


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load {one:.1f} {five:.1f} {fifteen:.1f}"


@dataclass
class Figures:
    """Best wall and CPU seconds of each tool on one org."""

    files: int = 0
    summary: str = ""
    ours: tuple[float, float] = (math.inf, math.inf)
    theirs: tuple[float, float] = (math.inf, math.inf)

    def row(self, size: int) -> str:
        (wall, cpu), (their_wall, their_cpu) = self.ours, self.theirs
        return (f"| {size} | {self.files} | {wall:.2f} / {cpu:.2f} | {their_wall:.2f} / {their_cpu:.2f} "
                f"| {their_wall / wall:.1f}x | {their_cpu / cpu:.1f}x | {cpu / size * 1000:.2f} ms |")


def _best(one: tuple[float, float], other: tuple[float, float]) -> tuple[float, float]:
    return min(one[0], other[0]), min(one[1], other[1])


def compare(opsrepo: str, checker: str, root: Path, schemas: Path, repeat: int) -> Figures:
    """Both tools on the org at ``root``, runs alternating."""
    files = {kind: sorted(str(p) for p in (root / folder).glob("*.yaml"))
             for kind, folder in KIND_FOLDERS.items()}
    figures = Figures(files=sum(len(paths) for paths in files.values()))
    for _ in range(repeat):
        wall, cpu, done = timed([opsrepo, "validate", "--repo", str(root)], root)
        if done.returncode not in (0, 1) or not done.stdout.strip():
            raise SystemExit(f"opsrepo validate failed: {done.stderr[-500:]}")
        figures.ours = _best(figures.ours, (wall, cpu))
        figures.summary = done.stdout.strip().splitlines()[-1]
        wall = cpu = 0.0
        for kind, paths in files.items():
            schema = str(schemas / f"{kind}.schema.json")
            one_wall, one_cpu, done = timed([checker, "--schemafile", schema, *paths], root)
            if done.returncode != 0:
                raise SystemExit(f"check-jsonschema failed on {kind}: {done.stdout[-500:]}")
            wall, cpu = wall + one_wall, cpu + one_cpu
        figures.theirs = _best(figures.theirs, (wall, cpu))
    return figures


def byte_compile() -> None:
    """Compile opsrepo's modules, as pip does on install (an editable install is compiled on first import)."""
    import opsrepo

    compileall.compile_dir(Path(opsrepo.__file__).parent, quiet=1)


def rules_seconds(root: Path) -> float:
    """CPU seconds of the rules in a fresh process (run by ``--rules-only``)."""
    command = [sys.executable, __file__, "--rules-only", str(root)]
    done = subprocess.run(command, capture_output=True, text=True, check=True, env=ENV)
    return float(done.stdout.split()[-1])


def rules_only(root: Path) -> None:
    """Print the CPU seconds ``opsrepo validate``'s rules take on the org at ``root``."""
    from opsrepo.cli.common import now
    from opsrepo.load.repo import load_repo
    from opsrepo.rules import run_rules

    repo = load_repo(root).repo
    start = time.process_time()
    run_rules(repo, now())
    print(f"{time.process_time() - start:.4f}")


def horizons(profile: str, size: int, days: list[int], repeat: int, tmp: Path) -> None:
    """The rules' CPU time a schedule at each horizon, and what each further day adds."""
    print(f"\nprofile {profile}: the rules alone, {size} schedules, CPU time (best of {repeat})")
    print("| horizon | rules | a schedule | each further day, a schedule |")
    print("| ---: | ---: | ---: | ---: |")
    previous: tuple[int, float] | None = None
    for horizon in days:
        root = tmp / f"{profile}-h{horizon}"
        generate(root, size, 0, profile, horizon)
        seconds = min(rules_seconds(root) for _ in range(repeat))
        growth = "" if previous is None else \
            f"{(seconds - previous[1]) / size / (horizon - previous[0]) * 1e6:.1f} µs"
        print(f"| {horizon} d | {seconds:.2f} s | {seconds / size * 1000:.3f} ms | {growth} |  ({load()})",
              flush=True)
        previous = (horizon, seconds)
        shutil.rmtree(root)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 2000, 4000])
    parser.add_argument("--profiles", nargs="+", choices=PROFILES, default=list(PROFILES))
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--horizons", type=int, nargs="*", default=[30, 90, 365])
    parser.add_argument("--horizon-size", type=int, default=1000)
    parser.add_argument("--quick", action="store_true", help="the smallest org once (a smoke run)")
    parser.add_argument("--rules-only", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.quick:
        args.sizes, args.repeat, args.horizon_size = [8], 1, 8
    if args.rules_only:
        rules_only(args.rules_only)
        return 0
    opsrepo, checker = shutil.which("opsrepo"), shutil.which("check-jsonschema")
    if not opsrepo or not checker:
        print("needs opsrepo and check-jsonschema on PATH (pip install '.[bench]')")
        return 2
    byte_compile()
    print(f"{os.cpu_count()} CPUs, {load()} at the start; best of {args.repeat}, runs alternating")
    with tempfile.TemporaryDirectory() as tmp:
        schemas = Path(tmp) / "schemas"
        subprocess.run([opsrepo, "schema", "export", str(schemas)], check=True, capture_output=True)
        for profile in args.profiles:
            print(f"\nprofile {profile}: whole processes, seconds (wall / CPU)")
            print("| schedules | YAML files | opsrepo validate | check-jsonschema | ratio wall | ratio CPU "
                  "| opsrepo CPU a schedule |")
            print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
            for size in args.sizes:
                root = Path(tmp) / f"{profile}-{size}"
                generate(root, size, 0, profile)
                figures = compare(opsrepo, checker, root, schemas, args.repeat)
                print(f"{figures.row(size)}  ({figures.summary}; {load()})", flush=True)
                shutil.rmtree(root)
            if args.horizons:
                horizons(profile, args.horizon_size, args.horizons, args.repeat, Path(tmp))
    print(f"\n{load()} at the end")
    return 0


if __name__ == "__main__":
    sys.exit(main())
