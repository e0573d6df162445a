"""The schedule timeline's model: a row per layer, the overrides, and a final row that is the engine's final schedule."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, datetime, time, timedelta
from functools import cache
from itertools import pairwise
from zoneinfo import ZoneInfo

import pytest

from opsrepo.calendar.html import HUES, person_hue
from opsrepo.load.repo import load_repo
from opsrepo.model import Repo, Window
from opsrepo.oncall import final_shifts, handoffs, layer_turns, on_call, stretch_end
from opsrepo.oncall.status import in_coverage as covered
from opsrepo.site.shiftrule import join_shifts, join_spans, resumes
from opsrepo.site.timeline import GAP, OFF, Timeline, build_timeline
from opsrepo.site.views.oncall import off_hours
from tests.helpers import ROOT

BERLIN, LONDON = ZoneInfo("Europe/Berlin"), ZoneInfo("Europe/London")
START = datetime(2026, 12, 21, tzinfo=BERLIN)
END = START + timedelta(days=14)
TIMELINE_CSS = ROOT / "src" / "opsrepo" / "site" / "static" / "timeline.css"


@cache
def example() -> Repo:
    return load_repo(ROOT).repo


def _with_coverage(repo: Repo, schedule_id: str, windows: tuple[Window, ...]) -> Repo:
    schedules = dict(repo.schedules)
    schedules[schedule_id] = replace(schedules[schedule_id], coverage=windows, coverage_24x7=False)
    return replace(repo, schedules=schedules)


def _people(timeline: Timeline, kind: str) -> list[tuple[str | None, str, datetime, datetime]]:
    row = next(row for row in timeline.rows if row.kind == kind)
    return [(bar.person, bar.kind, bar.start, bar.end) for bar in row.bars]


def test_a_row_per_layer_then_the_overrides_then_the_final_schedule() -> None:
    timeline = build_timeline(example(), "payments-primary", START, END)
    assert [(row.kind, row.name) for row in timeline.rows] == [
        ("layer", "weekly-until-farid"), ("layer", "weekly"), ("overrides", "Overrides"),
        ("final", "Final schedule")]
    assert timeline.rows[0].bars == ()  # the layer ended on 2026-11-02: its row stays, empty


def test_a_layer_row_holds_the_layers_turns_clipped_to_the_window() -> None:
    timeline = build_timeline(example(), "payments-primary", START, END)
    weekly = [(bar.person, bar.start, bar.end) for bar in timeline.rows[1].bars]
    expected = [(t.person, max(t.start, START), min(t.end, END))
                for t in layer_turns(example(), "payments-primary", START, END) if t.layer == "weekly"]
    assert weekly == expected
    assert [person for person, _, _ in weekly] == ["dieter", "elena", "farid"]
    assert weekly[1][1:] == (datetime(2026, 12, 21, 9, tzinfo=BERLIN), datetime(2026, 12, 28, 9, tzinfo=BERLIN))


def test_the_override_row_holds_the_overrides_with_their_reasons() -> None:
    timeline = build_timeline(example(), "payments-primary", START, END)
    row = timeline.rows[2]
    assert [(b.person, b.kind, b.start, b.end) for b in row.bars] == [
        ("bruno", "override", datetime(2026, 12, 24, tzinfo=BERLIN), datetime(2026, 12, 26, tzinfo=BERLIN))]
    assert row.bars[0].source == ("Elena is in Sofia for Christmas; swapped for the start of Bruno's January week")


def test_the_final_row_is_the_engines_final_schedule_with_a_persons_pieces_joined() -> None:
    assert _people(build_timeline(example(), "payments-primary", START, END), "final") == [
        ("dieter", "layer", START, datetime(2026, 12, 21, 9, tzinfo=BERLIN)),
        ("elena", "layer", datetime(2026, 12, 21, 9, tzinfo=BERLIN), datetime(2026, 12, 24, tzinfo=BERLIN)),
        ("bruno", "override", datetime(2026, 12, 24, tzinfo=BERLIN), datetime(2026, 12, 26, tzinfo=BERLIN)),
        ("elena", "layer", datetime(2026, 12, 26, tzinfo=BERLIN), datetime(2026, 12, 28, 9, tzinfo=BERLIN)),
        ("farid", "layer", datetime(2026, 12, 28, 9, tzinfo=BERLIN), END),
    ]


@pytest.mark.parametrize("schedule_id", sorted(load_repo(ROOT).repo.schedules))
@pytest.mark.parametrize("offset", [0, 3, 40, 97])
def test_the_final_row_tiles_the_window_with_whoever_the_engine_puts_on_call(schedule_id: str,
                                                                             offset: int) -> None:
    start = datetime(2026, 11, 2, 5, 30, tzinfo=UTC) + timedelta(days=offset, hours=offset)
    end = start + timedelta(days=14)
    bars = build_timeline(example(), schedule_id, start, end).rows[-1].bars
    assert bars[0].start == start and bars[-1].end == end
    assert all(a.end == b.start for a, b in pairwise(bars))  # no overlap, no hole
    engine = final_shifts(example(), schedule_id, start, end)
    held = [(b.start, b.end, b.person) for b in bars if b.person is not None]
    assert held == [(s.start, s.end, s.person) for s in join_shifts(engine)]
    # and every instant of the engine's pieces has the same person in the row
    for shift in engine:
        bar = next(b for b in bars if b.start <= shift.start < b.end)
        assert (bar.person, bar.end >= shift.end) == (shift.person, True)
    # what nobody holds is off hours: none of the example's schedules has a gap in its coverage
    assert {b.kind for b in bars if b.person is None} <= {OFF}


def test_outside_declared_coverage_is_off_hours_and_inside_it_a_gap() -> None:
    weekdays = frozenset(range(5))
    # the layer covers 09:00-17:00 on weekdays; coverage from 08:00 leaves an hour's real gap each weekday
    repo = _with_coverage(example(), "data-business-hours", (Window(weekdays, time(8), time(17)),))
    monday = datetime(2026, 11, 23, tzinfo=LONDON)
    bars = build_timeline(repo, "data-business-hours", monday, monday + timedelta(days=1)).rows[-1].bars
    assert [(b.kind, b.person, b.start.astimezone(LONDON).strftime("%H:%M")) for b in bars] == [
        (OFF, None, "00:00"), (GAP, None, "08:00"), ("layer", "dev", "09:00"), (OFF, None, "17:00")]


def test_the_week_is_the_first_seven_days_of_the_two_weeks() -> None:
    whole = build_timeline(example(), "platform-primary", START, END)
    week = whole.clipped(START + timedelta(days=7))
    assert (week.start, week.end) == (START, START + timedelta(days=7))
    assert week == build_timeline(example(), "platform-primary", START, START + timedelta(days=7))


def test_pieces_of_one_person_join_into_one_shift_as_oncall_joins_them() -> None:
    assert join_spans([(0, 5, "a"), (5, 9, "a"), (9, 12, "b"), (13, 14, "b"), (14, 20, "a")]) == [
        (0, 9, "a"), (9, 12, "b"), (13, 14, "b"), (14, 20, "a")]


def test_off_hours_say_when_coverage_resumes_in_the_schedules_zone() -> None:
    schedule = example().schedules["data-business-hours"]
    friday_evening = datetime(2026, 11, 27, 18, tzinfo=LONDON)
    assert not covered(schedule, friday_evening)
    assert resumes(schedule, friday_evening) == datetime(2026, 11, 30, 9, tzinfo=LONDON)
    assert off_hours(schedule, friday_evening) == "off hours, coverage resumes Mon 09:00 GMT"
    monday_morning = datetime(2026, 11, 30, 10, tzinfo=LONDON)
    assert (covered(schedule, monday_morning), resumes(schedule, monday_morning)) == (True, None)
    assert off_hours(schedule, monday_morning) is None
    always = example().schedules["payments-primary"]
    assert (covered(always, friday_evening), off_hours(always, friday_evening)) == (True, None)


def test_every_persons_hue_has_its_class_in_the_timeline_stylesheet() -> None:
    css = TIMELINE_CSS.read_text(encoding="utf-8")
    assert sorted(int(h) for h in re.findall(r"\.hue-(\d+) \{ --hue: \1; \}", css)) == list(HUES)
    assert person_hue("alice") in HUES and person_hue("alice") == person_hue("alice")


@pytest.mark.parametrize("schedule_id", sorted(load_repo(ROOT).repo.schedules))
def test_the_sites_shifts_end_and_hand_off_where_oncall_says(schedule_id: str) -> None:
    """The one shift rule: a joined shift ends at ``stretch_end``; the next one starts at the next handoff."""
    repo = example()
    start, end = datetime(2026, 11, 20, tzinfo=UTC), datetime(2027, 1, 20, tzinfo=UTC)
    joined = join_shifts(final_shifts(repo, schedule_id, start, end))
    for hours in range(0, 24 * 40, 7):
        at = start + timedelta(days=3, hours=hours)
        current = next((s for s in joined if s.start <= at < s.end), None)
        shift = on_call(repo, schedule_id, at)
        assert (current.person if current else None) == (shift.person if shift else None)
        if shift is not None and current is not None:
            assert current.end == stretch_end(repo, shift)
        following = next(s for s in joined if s.start > at)
        assert following.start == handoffs(repo, schedule_id, at, 1)[0].start
