"""Benchmark: life on the rota at three sizes of generated org (benchmarks/genorg.py).

    python benchmarks/rota.py [--sizes 75,150,300] [--repeat 3] [--quick]

Each size is a number of schedules (two people a schedule: 300 schedules are
600 people). Printed, best of ``--repeat``:

- ``report pay`` over a whole year: the computation on a loaded repo, and the
  whole ``opsrepo report pay --format json`` process (budget: 2 s for 300
  people, so the middle size, 304 people, is the budget row);
- ``slack sync`` (a user group per schedule, a topic per team) and ``notify
  handoffs --within 24h`` against the fake Slack and GitHub of the tests over
  real HTTP on 127.0.0.1 (their clocks simulated, so rate-limit waits cost
  nothing): the computation (load and plan), then a first run and a second,
  no-op run of each command in this process, with their requests (budget:
  1 s for 300 schedules, plus the requests).

The last column of each table is a cost per person or per schedule, so growth
shows. ``--quick``: 10 schedules, once: a smoke run.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))
from genorg import generate

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from opsrepo.load.repo import load_repo  # noqa: E402
from opsrepo.pay import PayPeriod, pay_report  # noqa: E402
from opsrepo.pay.render import render  # noqa: E402

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
WITHIN = timedelta(hours=24)


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
    found = shutil.which("opsrepo")
    command = [found] if found else [sys.executable, "-m", "opsrepo"]
    seconds, _ = best(repeat, lambda: subprocess.run([*command, *args], check=True, env=env,
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


def slack_settings(root: Path) -> None:
    """A user group per schedule, a topic per team (its first schedule), handoff reminders in one channel."""
    repo = load_repo(root, kinds=("team", "schedule")).repo
    firsts: dict[str, str] = {}
    for sid in sorted(repo.schedules, key=lambda s: int(s.split("-")[1])):
        firsts.setdefault(repo.schedules[sid].team, sid)
    lines = ["slack:", "  user_groups:"]
    lines += [f"    - {{handle: {sid}-oncall, schedules: [{sid}]}}" for sid in sorted(repo.schedules)]
    lines += ["  topics:"]
    lines += [f"    - {{channel: C{n + 2:08d}, schedules: [{sid}]}}" for n, sid in enumerate(firsts.values())]
    lines += ["  handoffs: {channel: C00000001}"]
    with (root / "opsrepo.yaml").open("a", encoding="utf-8") as out:
        out.write("\n".join(lines) + "\n")


def rota_figures(root: Path, repeat: int) -> dict[str, Any]:
    from click.testing import CliRunner

    from opsrepo.cli.main import cli
    from opsrepo.github import pacing
    from opsrepo.rota.handoffs import upcoming
    from opsrepo.rota.slackplan import plan_slack
    from opsrepo.slack import client as slack_client
    from tests.fakegithub import TOKEN as GITHUB_TOKEN
    from tests.fakegithub import FakeClock, FakeGitHub
    from tests.fakeslack import TOKEN as SLACK_TOKEN
    from tests.fakeslack import FakeSlack

    slack_settings(root)
    now = datetime.fromisoformat(NOW)

    def plans() -> tuple[int, int]:
        repo = load_repo(root, kinds=("team", "schedule")).repo
        groups, topics = plan_slack(repo, now)
        return len(groups) + len(topics), len(upcoming(repo, now, WITHIN))

    planned, (targets, handoffs) = best(repeat, plans)
    slack, github = FakeSlack(), FakeGitHub()
    repo = load_repo(root, kinds=("team", "schedule")).repo
    for pid in sorted(repo.people):
        slack.add_user(f"{pid}@example.com")
    for sid in sorted(repo.schedules):
        slack.add_group(f"{sid}-oncall")
    for _ in range(len(repo.org.slack.topics) + 1):
        slack.add_channel("c")
    clock = FakeClock()
    slack_client.system_clock = lambda: clock  # type: ignore[assignment]
    pacing.system_clock = lambda: clock  # type: ignore[assignment]
    env = {"OPSREPO_NOW": NOW, "SLACK_BOT_TOKEN": SLACK_TOKEN, "GITHUB_TOKEN": GITHUB_TOKEN}
    found: dict[str, Any] = {"planned": planned, "targets": targets, "handoffs": handoffs}
    for name, args, log in (
            ("slack", ["slack", "sync", "--base-url", slack.url], lambda: len(slack.log)),
            ("notify", ["notify", "handoffs", "--base-url", github.url, "--slack-base-url", slack.url,
                        "--repo-name", f"{github.owner}/{github.name}"],
             lambda: len(slack.log) + len(github.log))):
        for run in ("first", "again"):
            slack.log.clear()
            github.clear_log()
            began = time.perf_counter()
            result = CliRunner().invoke(cli, [*args, "--repo", str(root)], env=env)
            seconds = time.perf_counter() - began
            if result.exit_code != 0:
                raise SystemExit(f"{name}: {result.output}")
            found[f"{name}-{run}"] = (seconds, log())
    slack.stop()
    github.stop()
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="75,150,300")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--quick", action="store_true", help="10 schedules, once: a smoke run")
    args = parser.parse_args()
    sizes = [10] if args.quick else [int(size) for size in args.sizes.split(",")]
    if args.quick:
        args.repeat = 1
    print("report pay, one year (2026)")
    print(f"{'schedules':>9}  {'people':>6}  {'on call':>7}  {'compute':>8}  {'json':>7}  {'process':>8}  "
          f"{'compute/person':>14}")
    roots = {}
    with tempfile.TemporaryDirectory() as tmp:
        for size in sizes:
            root = roots[size] = make_org(Path(tmp) / f"org-{size}", size)
            pay = pay_figures(root, args.repeat)
            print(f"{size:>9}  {pay['people']:>6}  {pay['paid']:>7}  {pay['compute']:>7.2f}s"
                  f"  {pay['render']:>6.3f}s  {pay['process']:>7.2f}s  "
                  f"{pay['compute'] * 1000 / pay['people']:>11.2f} ms")
        print("\nslack sync and notify handoffs --within 24h (seconds, requests)")
        print(f"{'schedules':>9}  {'targets':>7}  {'handoffs':>8}  {'load+plan':>9}  {'sync 1st':>14}  "
              f"{'sync again':>14}  {'notify 1st':>14}  {'notify again':>14}  {'plan/schedule':>13}")
        for size in sizes:
            rota = rota_figures(roots[size], args.repeat)
            cells = "  ".join(f"{rota[k][0]:>8.2f}s {rota[k][1]:>4}"
                              for k in ("slack-first", "slack-again", "notify-first", "notify-again"))
            print(f"{size:>9}  {rota['targets']:>7}  {rota['handoffs']:>8}  {rota['planned']:>8.2f}s  "
                  f"{cells}  {rota['planned'] * 1000 / size:>10.2f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
