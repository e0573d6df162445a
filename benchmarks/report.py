"""Benchmark: ``opsrepo report`` on a large generated org with many post-mortems.

    python benchmarks/report.py [--sizes 500 1000 2000] [--repeat 3] [--quick]

For each size (post-mortems, with an org of 3 schedules per 20 of them:
300 schedules at 2000), generates the org with benchmarks/genorg.py (which writes no post-mortems),
adds N post-mortems spread over the last 12 months (random timelines, root
causes from a small set so repeats happen, related links, three action items
each) and a status file for half of the items, then times in this one run:
loading, the metrics without and with the on-call load (final shifts of every
schedule over 12 months), each renderer, the Reliability page's charts (SVG
and data tables) and the whole CLI as a process, each also per post-mortem,
so growth shows. The issue names no speed budget and no peer tool, so the
figures are printed without ratios. ``--quick``: 20 post-mortems, once: a
smoke run.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))
from genorg import TEAM_SIZE, generate

NOW = datetime(2026, 11, 23, 9, tzinfo=UTC)
CATEGORIES = [f"cause-{n}" for n in range(40)]


def postmortem(index: int, teams: int, rng: random.Random) -> tuple[str, str, list[dict[str, Any]]]:
    started = NOW - timedelta(minutes=rng.randrange(60, 360 * 24 * 60))
    steps = [rng.randrange(1, 90), rng.randrange(1, 30), rng.randrange(5, 240), rng.randrange(10, 600)]
    marks, at = [], started
    for step in steps:
        at += timedelta(minutes=step)
        marks.append(at)
    team = rng.randrange(teams)
    pm_id = f"pm-{index}"
    owner = f"p{team}-{rng.randrange(TEAM_SIZE)}"
    dues = [(marks[-1] + timedelta(days=14 * (k + 1))).date().isoformat() for k in range(3)]
    items = [{"id": f"a{k}", "owner": owner, "due": due} for k, due in enumerate(dues)]
    related = f"related: [pm-{index - 1}]\n" if index and rng.random() < 0.1 else ""
    timeline = "".join(f"  {name}: {mark.isoformat()}\n" for name, mark in
                       zip(("detected", "acknowledged", "mitigated", "resolved"), marks, strict=True))
    text = (
        f"---\nid: {pm_id}\ntitle: Incident {index}\nseverity: SEV{rng.randrange(4)}\n"
        f"services: [svc-{team}-0]\nstatus: published\npublished: {(marks[-1] + timedelta(days=5)).date()}\n"
        f"timeline:\n  started: {started.isoformat()}\n{timeline}"
        f"root_cause: {{category: {rng.choice(CATEGORIES)}, summary: why}}\n{related}action_items:\n"
        + "".join(f"  - {{id: {i['id']}, title: Fix {i['id']}, owner: {i['owner']}, due: {i['due']}, "
                  "priority: high, kind: prevent}\n" for i in items)
        + "---\n## Summary\n\nWhat happened.\n"
    )
    return pm_id, text, items


def add_postmortems(root: Path, count: int, teams: int) -> None:
    rng = random.Random(7)
    status = []
    for index in range(count):
        pm_id, text, items = postmortem(index, teams, rng)
        (root / "postmortems" / f"{pm_id}.md").write_text(text, encoding="utf-8")
        for item in items[: rng.randrange(4)]:
            closed = rng.random() < 0.7
            status.append({"postmortem": pm_id, "item": item["id"], "issue": len(status) + 1,
                           "url": f"https://github.com/o/r/issues/{len(status) + 1}",
                           "state": "closed" if closed else "open", "assignee": None,
                           "closed_at": NOW.isoformat() if closed else None, "due": item["due"],
                           "owner": item["owner"]})
    (root / "status").mkdir(exist_ok=True)
    (root / "status" / "actions.json").write_text(
        json.dumps({"generated_at": NOW.isoformat(), "repo": "o/r", "items": status}), encoding="utf-8")


def timed(label: str, action: Callable[[], Any], repeat: int, items: int) -> Any:
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = action()
        best = min(best, time.perf_counter() - start)
    print(f"  {label:<44} {best * 1000:9.0f} ms {best * 1000 / items:8.2f} ms/post-mortem")
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[500, 1000, 2000], help="post-mortems")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--quick", action="store_true", help="20 post-mortems, once: a smoke run")
    args = parser.parse_args()
    sizes, repeat = ([20], 1) if args.quick else (args.sizes, args.repeat)
    for size in sizes:
        measure(max(size * 3 // 20, 1), size, repeat)
    return 0


def measure(schedules: int, postmortems: int, repeat: int) -> None:
    """Print the figures of one generated org."""
    from opsrepo.load.repo import load_repo
    from opsrepo.oncall import shift_segments
    from opsrepo.report import ReportRequest, build_report
    from opsrepo.report.charts import charts
    from opsrepo.report.render import render
    from opsrepo.report.status import read_snapshot

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        generate(root, schedules, 0)
        teams = len(list((root / "teams").glob("*.yaml")))
        add_postmortems(root, postmortems, teams)
        print(f"{schedules} schedules, {teams} teams, {postmortems} post-mortems, "
              f"{3 * postmortems} action items; best of {repeat}")
        repo = timed("load the repo", lambda: load_repo(root).repo, repeat, postmortems)
        status = read_snapshot(root / "status" / "actions.json")
        timed("metrics without on-call load", lambda: build_report(repo, ReportRequest(NOW, status=status)),
              repeat, postmortems)
        # the engine keeps final shifts per repo object: each run gets a freshly loaded repo
        cold = iter([load_repo(root).repo for _ in range(repeat)])
        with_load = ReportRequest(NOW, status=status, shifts=shift_segments)
        report = timed("metrics with on-call load (12 months)", lambda: build_report(next(cold), with_load),
                       repeat, postmortems)
        for output_format in ("text", "md", "json"):
            timed(f"render {output_format}", lambda f=output_format: render(report, f), repeat, postmortems)
        timed("Reliability page charts (SVG + tables)", lambda: charts(report), repeat, postmortems)
        env = {"OPSREPO_NOW": NOW.isoformat(), "PATH": "/usr/bin:/bin"}
        timed("opsrepo report --format md (process)", lambda: subprocess.run(
            [sys.executable, "-m", "opsrepo", "report", "--repo", str(root), "--format", "md"],
            capture_output=True, check=True, env=env), 1, postmortems)


if __name__ == "__main__":
    raise SystemExit(main())
