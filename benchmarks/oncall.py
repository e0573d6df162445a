"""Benchmark: the on-call engine and calendars on a large org, and ``opsrepo oncall`` as a whole process.

    python benchmarks/oncall.py [--sizes 75 150 300] [--repeat 5] [--runs 15] [--process] [--quick]

For each size (schedules), generates an org (benchmarks/genorg.py: schedules of three layers -- weekly
base, weekday business hours, weekend days -- two overrides each, and time off
that the ``skip`` rule covers), then, in a fresh Python process per repeat
(caches cold), times for one year (2026):

* the final schedule of every schedule (``whole_shifts``);
* every iCalendar feed, one per schedule and one per person, built and written;
* the month pages too, as ``opsrepo calendar`` writes them (``write_calendars``).

The peer is ``icalendar`` itself: the same events built as ``icalendar.Event``
objects and serialised with ``to_ical()`` (what the feeds did before they
wrote event text directly; tests check the bytes are identical), for a sample
of the schedules, as a cost per event and a ratio.

Each size prints one line per figure with its cost per shift, so growth
shows; the details follow for the largest size. Then ``opsrepo oncall --at T
--schedule ID`` runs ``--runs`` times as a whole process (start-up, load,
answer, render) on the largest org and on an org of one
schedule, next to ``python -c pass`` for the interpreter's own start-up
(``--process``: only this part). The processes run the installed console
script with bytecode cached in a temporary folder after one untimed run, as
an installed package runs (pip compiles it): with PYTHONDONTWRITEBYTECODE set,
every edited module would otherwise be compiled again on each run.

Budgets (issue 3): final schedules plus all ICS files under 2 s in one
process (300 schedules); ``opsrepo oncall`` for one schedule under 150 ms as
a whole process. ``--quick``: 10 schedules, one repeat, two runs: a smoke run.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from genorg import generate

START, END = datetime(2026, 1, 1, tzinfo=UTC), datetime(2027, 1, 1, tzinfo=UTC)
AT = "2026-11-23T09:00"
#: schedules whose feeds the peer (icalendar objects) renders
PEER_SAMPLE = 20
#: at most this many of their events (the figure is a cost per event)
PEER_EVENTS = 2000


def inner(root: Path) -> dict[str, float]:
    """One cold run in this process: load, final schedules, feeds, month pages, the peer."""
    from icalendar import Event

    from opsrepo.calendar import ics, write_calendars
    from opsrepo.load.repo import load_repo
    from opsrepo.oncall import Shift, whole_shifts
    from opsrepo.timeutil import get_zone

    began = time.perf_counter()
    repo = load_repo(root).repo
    gc.disable()  # as write_calendars does: nothing made here is in a cycle
    loaded = time.perf_counter()

    shifts = {sid: whole_shifts(repo, sid, START, END) for sid in sorted(repo.schedules)}
    engine = time.perf_counter()

    by_person: dict[str, list[Shift]] = {}
    made = ics.Events()  # as write_calendars: a person's feed reuses their schedules' event texts
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        (out / "schedules").mkdir()
        (out / "people").mkdir()
        for sid, found in shifts.items():
            feed = ics.schedule_feed(repo, repo.schedules[sid], found, START, made)
            (out / "schedules" / f"{sid}.ics").write_bytes(feed)
            for shift in found:
                by_person.setdefault(shift.person, []).append(shift)
        for pid, found in sorted(by_person.items()):
            found.sort(key=lambda s: (s.start, s.schedule))
            feed = ics.person_feed(repo, repo.people[pid], found, START, made)
            (out / "people" / f"{pid}.ics").write_bytes(feed)
        feeds = time.perf_counter()
        del made

        written = write_calendars(repo, START, END, out / "all")
        pages = time.perf_counter()

    # cost follows the shifts, not the minutes: one schedule over a year and over twenty, in ranges
    # nothing has computed yet (every cache cold)
    sid = sorted(shifts)[-1]
    scaling = {}
    for years, first in ((1, 2030), (20, 2031)):
        fresh, low = load_repo(root).repo, START.replace(year=first)
        began_scan = time.perf_counter()
        count = len(whole_shifts(fresh, sid, low, low.replace(year=first + years)))
        scaling[years] = (count, time.perf_counter() - began_scan)

    sample = [s for sid in sorted(shifts)[:PEER_SAMPLE] for s in shifts[sid]][:PEER_EVENTS]
    ours_began = time.perf_counter()
    stamped = f"DTSTAMP:{START:%Y%m%dT%H%M%SZ}"
    for shift in sample:
        zone = repo.schedules[shift.schedule].timezone
        title, text = ics.summary(repo, shift), ics.description(repo, shift)
        ics.event_text(shift, get_zone(zone), zone, stamped, title, text)
    ours = time.perf_counter() - ours_began
    peer_began = time.perf_counter()
    for shift in sample:
        tz = get_zone(repo.schedules[shift.schedule].timezone)
        event = Event()
        event.add("summary", ics.summary(repo, shift))
        event.add("dtstart", shift.start.astimezone(tz))
        event.add("dtend", shift.end.astimezone(tz))
        event.add("dtstamp", START)
        event.add("uid", ics.uid(shift))
        event.add("categories", ["on-call"])
        event.add("description", ics.description(repo, shift))
        event.add("transp", "TRANSPARENT")
        event.to_ical()
    peer = time.perf_counter() - peer_began

    return {
        "load": loaded - began, "engine": engine - loaded, "feeds": feeds - engine, "pages": pages - feeds,
        "schedules": len(shifts), "shifts": sum(map(len, shifts.values())), "people": len(by_person),
        "files": len(written), "sample": len(sample), "ours": ours, "peer": peer,
        "year_shifts": scaling[1][0], "year_seconds": scaling[1][1],
        "years_shifts": scaling[20][0], "years_seconds": scaling[20][1],
    }


def command_line() -> list[str]:
    """The installed console script, else the module."""
    found = shutil.which("opsrepo")
    return [found] if found else [sys.executable, "-m", "opsrepo"]


def whole_process(command: list[str], runs: int, env: dict[str, str]) -> tuple[float, float]:
    """Best and median seconds of ``runs`` runs of ``command``, after one untimed run."""
    subprocess.run(command, capture_output=True, check=True, env=env)
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        subprocess.run(command, capture_output=True, check=True, env=env)
        times.append(time.perf_counter() - began)
    return min(times), statistics.median(times)


def process_env(cache: Path) -> dict[str, str]:
    """This environment, with bytecode written to (and read from) ``cache``."""
    env = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(cache)
    return env


def report_processes(root: Path, single: Path, schedules: int, runs: int, cache: Path) -> None:
    """``python -c pass`` and ``opsrepo oncall --schedule`` on both orgs, as whole processes."""
    env = process_env(cache)
    command = command_line()
    python = whole_process([sys.executable, "-c", "pass"], runs, env)
    print(f"whole process, best / median of {runs} runs ({command[-1]}):")
    print(f"  python -c pass (interpreter start-up): {python[0] * 1000:.0f} / {python[1] * 1000:.0f} ms")
    for label, where in (("one-schedule org", single), (f"{schedules}-schedule org", root)):
        best, median = whole_process([*command, "oncall", "--repo", str(where), "--schedule", "sched-0",
                                      "--at", AT], runs, env)
        verdict = "met" if median < 0.150 else "MISSED"
        print(f"  opsrepo oncall --at T, {label}: {best * 1000:.0f} / {median * 1000:.0f} ms "
              f"(budget 150 ms, median: {verdict})")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[75, 150, 300], help="schedules")
    parser.add_argument("--repeat", type=int, default=5, help="cold in-process runs (best is reported)")
    parser.add_argument("--runs", type=int, default=15, help="whole-process runs of opsrepo oncall")
    parser.add_argument("--process", action="store_true", help="only the whole-process runs")
    parser.add_argument("--quick", action="store_true", help="10 schedules, one repeat, two runs")
    parser.add_argument("--inner", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.inner is not None:
        print(json.dumps(inner(args.inner)))
        return 0
    sizes, repeat, runs = ([10], 1, 2) if args.quick else (args.sizes, args.repeat, args.runs)
    with tempfile.TemporaryDirectory() as tmp:
        single = Path(tmp) / "one"
        generate(single, 1, runbooks=0)
        roots = {size: Path(tmp) / f"org-{size}" for size in sizes}
        if args.process:
            generate(roots[sizes[-1]], sizes[-1], runbooks=0)
            report_processes(roots[sizes[-1]], single, sizes[-1], runs, Path(tmp) / "pycache")
            return 0
        print(f"{'schedules':>9} {'shifts':>7} {'final schedules':>22} {'+ all ICS feeds':>22} "
              f"{'calendar files':>22}  (best of {repeat} cold processes, one year)")
        best = {}
        for size, root in roots.items():
            generate(root, size, runbooks=0)
            best = cold_runs(root, repeat)
            cells = [f"{best[key]:6.2f} s {best[key] / best['shifts'] * 1e6:6.1f} us/shift"
                     for key in ("engine", "feeds", "pages")]
            print(f"{size:>9} {best['shifts']:>7} " + " ".join(f"{cell:>22}" for cell in cells))
        details(best, repeat)
        report_processes(roots[sizes[-1]], single, sizes[-1], runs, Path(tmp) / "pycache")
    return 0


def cold_runs(root: Path, repeat: int) -> dict[str, float]:
    """The best of ``repeat`` runs of :func:`inner`, each in a fresh process."""
    runs = []
    for _ in range(repeat):
        child = subprocess.run([sys.executable, __file__, "--inner", str(root)],
                               capture_output=True, text=True, check=True)
        runs.append(json.loads(child.stdout))
    found: dict[str, float] = min(runs, key=lambda r: r["engine"] + r["feeds"])
    return found


def details(best: dict[str, float], repeat: int) -> None:
    """The figures of the largest org, one a line."""
    total = best["engine"] + best["feeds"]
    print(f"org: {best['schedules']:.0f} schedules x 3 layers, overrides and time off; one year: "
          f"{best['shifts']:.0f} shifts, {best['people']:.0f} people (best of {repeat} cold processes)")
    print(f"  load the repo (not in the budget):       {best['load']:.2f} s")
    print(f"  final schedules (every schedule):        {best['engine']:.2f} s "
          f"({best['engine'] / best['shifts'] * 1e6:.1f} us a shift)")
    print(f"  all ICS feeds ({best['schedules']:.0f} schedule + {best['people']:.0f} person), written: "
          f"{best['feeds']:.2f} s")
    print(f"  final schedules + all ICS files:         {total:.2f} s  (budget 2 s at 300 schedules: "
          f"{'met' if total < 2 else 'MISSED'})")
    print(f"  opsrepo calendar's files ({best['files']:.0f}, with month pages, engine warm): "
          f"{best['pages']:.2f} s")
    one, twenty = (best["year_seconds"] / best["year_shifts"] * 1e6,
                   best["years_seconds"] / best["years_shifts"] * 1e6)
    print(f"  one schedule, 1 year: {best['year_shifts']:.0f} shifts, {one:.1f} us a shift; 20 years: "
          f"{best['years_shifts']:.0f} shifts, {twenty:.1f} us a shift")
    ours, peer = best["ours"] / best["sample"] * 1e6, best["peer"] / best["sample"] * 1e6
    print(f"  one VEVENT's text ({best['sample']:.0f} events, uncached): ours {ours:.1f} us, "
          f"icalendar Event.to_ical() {peer:.1f} us (icalendar / ours = {peer / ours:.1f})")


if __name__ == "__main__":
    sys.exit(main())
