"""Time ``opsrepo diff`` between two revisions of a large generated org.

    python benchmarks/diff.py [--sizes 75 150 300] [--runs 3] [--quick]

For each size (schedules), builds the org with benchmarks/genorg.py in a temporary git repository, commits
it, then commits a change, and times the whole command (a fresh process, as CI
runs it) for three changes over the default 60-day horizon:

- typical: one team's rotation gains a member, one override, one escalation level;
- wide: every schedule's base rotation is re-dealt (the worst case: nothing is shared);
- none: a README edit (every schedule is unchanged and skipped).

Each line also gives the time of ``--format markdown`` (what ``opsrepo pr
comment`` posts) and, as the peer, ``git diff HEAD~1 HEAD`` on the same
commits in the same process: what a reviewer sees without opsrepo (the
textual change, not who it moves).

Each line gives the time per schedule too, so growth shows across sizes.
Budget (issue 8): under 3 s for 300 schedules. ``--quick``: the typical change
to 10 schedules, one run: a smoke run.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).parent
BUDGET = 3.0
ENV = {**os.environ, "OPSREPO_NOW": "2026-11-23T09:00:00Z", "GIT_AUTHOR_NAME": "bench",
       "GIT_AUTHOR_EMAIL": "bench@example.com", "GIT_COMMITTER_NAME": "bench",
       "GIT_COMMITTER_EMAIL": "bench@example.com", "GIT_CONFIG_GLOBAL": os.devnull}


def git(root: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=root, check=True, env=ENV, capture_output=True)


def commit(root: Path, message: str) -> None:
    git(root, "add", "-A")
    git(root, "commit", "-q", "--allow-empty", "-m", message)


def typical(root: Path) -> None:
    """One rotation re-dealt, one override, one escalation level."""
    path = root / "schedules/sched-0.yaml"
    text = path.read_text(encoding="utf-8")
    base = re.search(r"members: \[([^\]]*)\]", text)
    assert base is not None
    extra = "p0-7" if "p0-7" not in base.group(1) else "p0-6"
    text = text.replace(base.group(0), f"members: [{base.group(1)}, {extra}]", 1)
    path.write_text(text.replace("overrides:\n", 'overrides:\n  - {person: p0-0, from: "2026-12-01T09:00", '
                                                 'to: "2026-12-02T09:00"}\n'), encoding="utf-8")
    policy = root / "policies/escalation/policy-1.yaml"
    policy.write_text(policy.read_text(encoding="utf-8").replace(
        "levels:\n", "levels:\n  - {targets: [person:p1-0], escalate_after: 2m}\n"), encoding="utf-8")


def wide(root: Path) -> None:
    """Every schedule's base rotation starts a week later: all turns move."""
    for path in sorted((root / "schedules").glob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace('start: "2026-01-05T09:00"\n    length: 1w',
                                     'start: "2026-01-12T09:00"\n    length: 1w', 1), encoding="utf-8")


def readme(root: Path) -> None:
    """Nothing opsrepo reads."""
    (root / "README.md").write_text("# generated\n", encoding="utf-8")


def best_of(runs: int, command: list[str], root: Path) -> tuple[float, int]:
    """Best wall time of ``command`` in ``root`` and the size of its output."""
    best, size = float("inf"), 0
    for _ in range(runs):
        began = time.perf_counter()
        done = subprocess.run(command, cwd=root, env=ENV, check=True, capture_output=True)
        best = min(best, time.perf_counter() - began)
        size = len(done.stdout)
    return best, size


def opsrepo_diff(output_format: str) -> list[str]:
    return [sys.executable, "-m", "opsrepo", "diff", "HEAD~1", "HEAD", "--format", output_format]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[75, 150, 300], help="schedules")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--quick", action="store_true", help="10 schedules, one run: a smoke run")
    args = parser.parse_args()
    sizes, runs = ([10], 1) if args.quick else (args.sizes, args.runs)
    failed = False
    # a shared machine makes every figure slower: say how busy it was
    print("load average before: {:.1f} {:.1f} {:.1f}".format(*os.getloadavg()))
    for schedules in sizes:
        changes = (("typical", typical), ("wide", wide), ("none", readme))
        for name, change in changes[:1] if args.quick else changes:
            seconds, size, markdown, peer = measure(schedules, change, runs)
            slowest = max(seconds, markdown)
            over = schedules >= 300 and slowest >= BUDGET
            failed |= over
            verdict = "OVER BUDGET" if over else "ok"
            budget = f"; budget {BUDGET:.0f} s: {verdict}" if schedules >= 300 else ""
            print(f"diff {schedules} schedules, 60 days, {name:8s} change: {seconds:5.2f} s JSON "
                  f"({size} bytes; {seconds * 1000 / schedules:.2f} ms/schedule), "
                  f"{markdown:5.2f} s Markdown; git diff {peer:5.3f} s (x{seconds / peer:.0f}); "
                  f"best of {runs}{budget}")
    return 1 if failed else 0


def measure(schedules: int, change: Callable[[Path], None], runs: int) -> tuple[float, int, float, float]:
    """(JSON seconds, JSON bytes, Markdown seconds, git diff seconds) of one change to a generated org."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        subprocess.run([sys.executable, str(HERE / "genorg.py"), tmp, "--schedules", str(schedules)],
                       check=True, capture_output=True)
        git(root, "init", "-q", "-b", "main")
        commit(root, "generated org")
        change(root)
        commit(root, change.__name__)
        seconds, size = best_of(runs, opsrepo_diff("json"), root)
        markdown, _ = best_of(runs, opsrepo_diff("markdown"), root)
        peer, _ = best_of(runs, ["git", "diff", "HEAD~1", "HEAD"], root)
    return seconds, size, markdown, peer


if __name__ == "__main__":
    sys.exit(main())
