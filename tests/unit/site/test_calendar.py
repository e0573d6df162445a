"""The month calendars of schedule pages: each day's entries, held once per distinct day."""

from __future__ import annotations

import calendar
import re
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from opsrepo.load.repo import load_repo
from opsrepo.model import Repo
from opsrepo.oncall import Shift
from opsrepo.site.state import SiteState
from opsrepo.site.urls import Linker, page_path
from opsrepo.site.views.calendar import month_grids
from opsrepo.site.views.common import person_ref
from opsrepo.timeutil import get_zone, resolve_wall_time
from tests.helpers import MINIMAL, ROOT, copy_repo, overlay
from tests.unit.site.test_builder import build

#: daily turns handed over at midnight, where midnight repeats (Havana, 1 Nov 2026), where it is skipped
#: (Santiago, 6 Sep 2026; Asuncion, 4 Oct 2026), and a 7 h turn that hands over at odd times of day
_MIDNIGHTS = {f"schedules/{zone.split('/')[1].lower()}.yaml": f"""id: {zone.split('/')[1].lower()}
name: {zone}
team: core
timezone: {zone}
coverage: 24x7
layers:
  - name: daily
    members: [ana, ben, cleo]
    start: "2026-01-05T00:00"
    length: 1d
  - name: odd
    members: [ben, nobody-known]
    start: "2026-08-03T05:30"
    length: 7h
    end: "2026-08-20T05:30"
overrides:
  - {{person: cleo, from: "2026-10-31T22:00", to: "2026-11-02T00:00", reason: swap}}
  - {{person: ana, from: "2026-09-05T23:00", to: "2026-09-06T02:00"}}
""" for zone in ("America/Havana", "America/Santiago", "America/Asuncion")}


@pytest.fixture(scope="module")
def example() -> Repo:
    return load_repo(ROOT).repo


@pytest.fixture(scope="module")
def midnights(tmp_path_factory: pytest.TempPathFactory) -> Repo:
    root = copy_repo(MINIMAL, Path(tmp_path_factory.mktemp("midnights")) / "repo")
    overlay(root, _MIDNIGHTS)
    return load_repo(root).repo


def _day_entries(state: SiteState, link: Linker, shifts: list[Shift], zone_name: str,
                 day: date) -> list[dict[str, Any]]:
    """A day's entries worked out on their own, with aware datetimes: the shifts that overlap it, clipped."""
    zone = get_zone(zone_name)
    start = resolve_wall_time(datetime.combine(day, datetime.min.time()), zone)
    end = resolve_wall_time(datetime.combine(day + timedelta(days=1), datetime.min.time()), zone)
    return [{"person": person_ref(state, link, s.person),
             "from": s.start.astimezone(zone).strftime("%H:%M") if s.start > start else "",
             "to": s.end.astimezone(zone).strftime("%H:%M") if s.end < end else "",
             "override": s.kind == "override"}
            for s in shifts if s.start < end and s.end > start]


# the weeks around both DST changes of Europe and North America, and an ordinary month
@pytest.mark.parametrize("now", [datetime(2026, 3, 20, 12, tzinfo=UTC), datetime(2026, 10, 20, 12, tzinfo=UTC),
                                 datetime(2026, 11, 23, 9, tzinfo=UTC)])
def test_every_day_shows_the_shifts_that_overlap_it(example: Repo, now: datetime) -> None:
    _check_every_day(example, now)


@pytest.mark.parametrize("now", [datetime(2026, 8, 10, 12, tzinfo=UTC), datetime(2026, 10, 15, 12, tzinfo=UTC)])
def test_days_around_a_midnight_that_repeats_or_is_skipped(midnights: Repo, now: datetime) -> None:
    _check_every_day(midnights, now)


def _check_every_day(example: Repo, now: datetime) -> None:
    state = SiteState(example, now, history={})
    for schedule in example.schedules.values():
        link = Linker(page_path("schedule", schedule.id))
        shifts = state.shifts(schedule.id)
        grids = month_grids(state, link, schedule)
        cells = grids["cells"]
        today = now.astimezone(get_zone(schedule.timezone)).date()
        first = today.replace(day=1)
        months = [first, (first + timedelta(days=32)).replace(day=1)]
        assert [m["title"] for m in grids["months"]] == [f"{calendar.month_name[m.month]} {m.year}" for m in months]
        for grid, month in zip(grids["months"], months, strict=True):
            weeks = calendar.Calendar(firstweekday=0).monthdatescalendar(month.year, month.month)
            assert [[d["day"] for d in week] for week in grid["weeks"]] == [[d.day for d in week] for week in weeks]
            for week, days in zip(grid["weeks"], weeks, strict=True):
                for shown, day in zip(week, days, strict=True):
                    assert shown["outside"] is (day.month != month.month)
                    assert shown["today"] is (day == today)
                    assert cells[shown["cell"]] == _day_entries(state, link, shifts, schedule.timezone, day), \
                        (schedule.id, day)
        used = {d["cell"] for grid in grids["months"] for week in grid["weeks"] for d in week}
        assert used == set(range(len(cells)))  # every cell is some day's
        assert len({repr(cell) for cell in cells}) == len(cells)  # and each distinct day is held once


def month_as_drawn(page_html: str, caption: str) -> dict[int, tuple[str, list[str]]]:
    """Each day of a month's table as the page draws it: its classes, and its entries as text
    (``*`` before an override's), read from the HTML."""
    table = page_html.split(f"<caption>{caption}</caption>")[1].split("</table>")[0]
    days = {}
    for classes, day, body in re.findall(r'<td class="([^"]*)"><span class="date">(\d+)</span>\n(.*?)</td>',
                                         table, re.S):
        entries = re.findall(r'<span class="entry( override)?">(.*?)</span>', body)
        drawn = [("*" if override else "") + re.sub(r"<[^>]+>", "", text) for override, text in entries]
        if "outside" not in classes:
            days[int(day)] = (classes, drawn)
    return days


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return copy_repo(MINIMAL, tmp_path / "repo")


def schedule_file(root: Path) -> str:
    return (root / "schedules/core-primary.yaml").read_text()


def test_the_page_draws_each_day_its_own_entries(root: Path, tmp_path: Path) -> None:
    overlay(root, {"schedules/core-primary.yaml": schedule_file(root) + (
        'overrides:\n  - {person: cleo, from: "2026-11-18T12:00", to: "2026-11-18T20:00", reason: dentist}\n')})
    out = tmp_path / "site"
    build(root, out, datetime(2026, 11, 23, 9, tzinfo=UTC))
    november = month_as_drawn((out / "schedules/core-primary.html").read_text(), "November 2026")
    assert sorted(november) == list(range(1, 31))
    assert november[2] == ("", ["Ana Silva → 09:00", "09:00 Ben Okafor"])  # a handoff
    assert november[3] == ("", ["Ben Okafor"])  # a whole day
    assert november[17] == ("", ["Ana Silva"])
    assert november[18] == ("", ["Ana Silva → 12:00", "*12:00 Cleo Park → 20:00", "20:00 Ana Silva"])  # override
    assert november[19] == ("", ["Ana Silva"])
    assert november[23] == (" today", ["Ana Silva → 09:00", "09:00 Ben Okafor"])
    assert november[24] == ("", ["Ben Okafor"])


def test_a_schedule_ahead_of_its_org_shows_its_own_months_and_follows_its_own_date(root: Path,
                                                                                    tmp_path: Path) -> None:
    # Auckland is on 1 December while the org (Berlin) is on 30 November
    overlay(root, {"schedules/core-primary.yaml": schedule_file(root).replace("Europe/Berlin", "Pacific/Auckland")})
    out, page = tmp_path / "site", tmp_path / "site/schedules/core-primary.html"
    build(root, out, datetime(2026, 11, 30, 10, tzinfo=UTC))  # 23:00 on 30 November in Auckland
    before = page.read_text()
    assert re.findall(r"<caption>(.*?)</caption>", before)[:2] == ["November 2026", "December 2026"]
    build(root, out, datetime(2026, 11, 30, 12, tzinfo=UTC))  # 01:00 on 1 December there: made again
    after = page.read_text()
    assert re.findall(r"<caption>(.*?)</caption>", after)[:2] == ["December 2026", "January 2027"]
    january = month_as_drawn(after, "January 2027")
    assert sorted(january) == list(range(1, 32))
    assert [day for day, (_, entries) in january.items() if not entries] == []  # the shifts reach its end
