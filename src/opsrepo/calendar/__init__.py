"""Calendars of the final schedule: iCalendar feeds and static HTML month views.

``write_calendars(repo, start, end, out_dir)`` writes, below ``out_dir``::

    index.html                       every schedule, team and person feed
    schedules/<id>.ics               one feed per schedule (its timezone)
    schedules/<id>/<yyyy-mm>.html    one page per month of the range
    teams/<id>.ics                   one feed per team with schedules (theirs, or the org's timezone)
    people/<id>.ics                  one feed per person (their timezone), reminding them before each shift

``opsrepo calendar`` and ``opsrepo build`` call it. (The site draws its own
month tables in :mod:`opsrepo.site.views.calendar`; sharing :func:`month_grid`
would need it to say when a shift starts exactly at a day's opening.)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, time
from pathlib import Path
from typing import TYPE_CHECKING

from opsrepo.calendar import html
from opsrepo.calendar.grid import month_grid, months_between
from opsrepo.model import Repo, Schedule
from opsrepo.oncall import Shift, whole_shifts
from opsrepo.timeutil import get_zone, resolve_wall_time
from opsrepo.workers import gc_paused

if TYPE_CHECKING:
    from opsrepo.calendar import ics

__all__ = ["DEFAULT_MONTHS", "Written", "default_range", "month_grid", "write_calendars"]

#: the default range: from the start of the current month, this many months (``calendar.months``)
DEFAULT_MONTHS = 6


@dataclass
class Written:
    """What :func:`write_calendars` produced (paths below ``out_dir``) and what it left as it was."""

    paths: list[Path] = field(default_factory=list)
    unchanged: int = 0
    #: folders known to exist (made once, not once per file)
    folders: set[Path] = field(default_factory=set)


def default_range(now: datetime, zone: str, months: int = DEFAULT_MONTHS) -> tuple[datetime, datetime]:
    """From the start of ``now``'s month in ``zone``, ``months`` calendar months."""
    local = now.astimezone(get_zone(zone))
    year, month = local.year, local.month
    end_year, end_month = year + (month - 1 + months) // 12, (month - 1 + months) % 12 + 1
    tz = get_zone(zone)
    return (resolve_wall_time(datetime.combine(local.date().replace(day=1), time()), tz),
            resolve_wall_time(datetime(end_year, end_month, 1), tz))


def write_calendars(repo: Repo, start: datetime, end: datetime, out_dir: Path) -> list[Path]:
    """Write every feed and month page for the shifts that meet ``[start, end)``; the paths written.

    Files that already hold the same bytes are left alone (their mtimes stay).
    """
    # Hundreds of thousands of shifts and event texts, none in a cycle: a collection in between frees nothing.
    with gc_paused():
        return _write_calendars(repo, start, end, out_dir)


def _write_calendars(repo: Repo, start: datetime, end: datetime, out_dir: Path) -> list[Path]:
    # icalendar (25 ms to import) only when feeds are written: the site's pages use html.person_hue alone
    from opsrepo.calendar import ics

    written, made = Written(), ics.Events()
    by_person: dict[str, list[Shift]] = {pid: [] for pid in repo.people}
    firsts: list[tuple[Schedule, str]] = []
    by_schedule: dict[str, list[Shift]] = {}
    for sid, schedule in sorted(repo.schedules.items()):
        shifts = by_schedule[sid] = whole_shifts(repo, sid, start, end)
        for shift in shifts:
            by_person.setdefault(shift.person, []).append(shift)
        firsts.append((schedule, _schedule_files(repo, schedule, shifts, start, end, out_dir, written, made)))
    teams = _team_feeds(repo, by_schedule, start, out_dir, written, made)
    for pid, shifts in sorted(by_person.items()):
        person = repo.people.get(pid)
        if person is not None:
            shifts.sort(key=lambda s: (s.start, s.schedule))
            feed = ics.person_feed(repo, person, shifts, start, made)
            _write(out_dir / "people" / f"{pid}.ics", feed, written)
    people = sorted(pid for pid in by_person if pid in repo.people)
    _write(out_dir / "index.html", html.index_page(repo, firsts, people, teams).encode("utf-8"), written)
    _write(out_dir / html.STYLESHEET, html.STYLE.encode("utf-8"), written)
    return written.paths


def _team_feeds(repo: Repo, by_schedule: dict[str, list[Shift]], start: datetime, out_dir: Path,
                written: Written, made: ics.Events) -> list[str]:
    """A feed per team that owns schedules: all their shifts, by start; the teams written."""
    from opsrepo.calendar import ics

    found: list[str] = []
    owners: dict[str, list[str]] = {}
    for sid in sorted(by_schedule):
        owners.setdefault(repo.schedules[sid].team, []).append(sid)
    for tid, team in sorted(repo.teams.items()):
        owned = owners.get(tid)
        if owned:
            shifts = [shift for sid in owned for shift in by_schedule[sid]]
            shifts.sort(key=lambda s: (s.start, s.schedule))
            _write(out_dir / "teams" / f"{tid}.ics", ics.team_feed(repo, team, shifts, start, made), written)
            found.append(tid)
    return found


def _schedule_files(repo: Repo, schedule: Schedule, shifts: list[Shift], start: datetime, end: datetime,
                    out_dir: Path, written: Written, made: ics.Events) -> str:
    """The schedule's feed and month pages; the name of its first month page."""
    from opsrepo.calendar import ics

    folder = out_dir / "schedules"
    _write(folder / f"{schedule.id}.ics", ics.schedule_feed(repo, schedule, shifts, start, made), written)
    # the months the range names (read in the org's zone, as --from/--to are): a schedule further west
    # must not get a page for the last hours of the month before
    months = months_between(start, end, repo.org.timezone)
    for year, month in months:
        text = html.month_page(repo, schedule, month_grid(shifts, year, month, schedule.timezone), months)
        _write(folder / schedule.id / f"{year:04d}-{month:02d}.html", text.encode("utf-8"), written)
    return f"{months[0][0]:04d}-{months[0][1]:02d}"


def _write(path: Path, content: bytes, written: Written) -> None:
    written.paths.append(path)
    try:
        if path.read_bytes() == content:
            written.unchanged += 1
            return
    except OSError:
        pass
    if path.parent not in written.folders:
        path.parent.mkdir(parents=True, exist_ok=True)
        written.folders.add(path.parent)
    path.write_bytes(content)
