"""Benchmark: ``opsrepo report`` on a large generated org with many post-mortems.

    python benchmarks/report.py [--schedules 300] [--postmortems 2000] [--repeat 3]

Generates the org with benchmarks/genorg.py (which writes no post-mortems),
adds N post-mortems spread over the last 12 months (random timelines, root
causes from a small set so repeats happen, related links, three action items
each) and a status file for half of the items, then times in this one run:
loading, the metrics without and with the on-call load (final shifts of every
schedule over 12 months), each renderer, the Reliability page's charts (SVG
and data tables) and the whole CLI as a process. The issue names no speed
budget and no peer tool, so the figures are printed without ratios.
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


def timed(label: str, action: Callable[[], Any], repeat: int) -> Any:
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = action()
        best = min(best, time.perf_counter() - start)
    print(f"{label:<44} {best * 1000:9.0f} ms")
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--schedules", type=int, default=300)
    parser.add_argument("--postmortems", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    from opsrepo.load.repo import load_repo
    from opsrepo.oncall import shift_segments
    from opsrepo.report import ReportRequest, build_report
    from opsrepo.report.charts import charts
    from opsrepo.report.render import render
    from opsrepo.report.status import read_snapshot

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        generate(root, args.schedules, 0)
        teams = len(list((root / "teams").glob("*.yaml")))
        add_postmortems(root, args.postmortems, teams)
        print(f"{args.schedules} schedules, {teams} teams, {args.postmortems} post-mortems, "
              f"{3 * args.postmortems} action items; best of {args.repeat}")
        repo = timed("load the repo", lambda: load_repo(root).repo, args.repeat)
        status = read_snapshot(root / "status" / "actions.json")
        timed("metrics without on-call load", lambda: build_report(repo, ReportRequest(NOW, status=status)),
              args.repeat)
        # the engine keeps final shifts per repo object: each run gets a freshly loaded repo
        cold = iter([load_repo(root).repo for _ in range(args.repeat)])
        with_load = ReportRequest(NOW, status=status, shifts=shift_segments)
        report = timed("metrics with on-call load (12 months)", lambda: build_report(next(cold), with_load),
                       args.repeat)
        for output_format in ("text", "md", "json"):
            timed(f"render {output_format}", lambda f=output_format: render(report, f), args.repeat)
        timed("Reliability page charts (SVG + tables)", lambda: charts(report), args.repeat)
        env = {"OPSREPO_NOW": NOW.isoformat(), "PATH": "/usr/bin:/bin"}
        timed("opsrepo report --format md (process)", lambda: subprocess.run(
            [sys.executable, "-m", "opsrepo", "report", "--repo", str(root), "--format", "md"],
            capture_output=True, check=True, env=env), 1)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
