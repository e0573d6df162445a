"""The zone clock's arithmetic gives what resolving each wall time gives (hypothesis), and so do the
turns and restriction windows computed with it."""

from __future__ import annotations

import importlib
from datetime import UTC, datetime, time, timedelta
from unittest.mock import patch

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from opsrepo import model as m
from opsrepo.oncall import zoneclock
from opsrepo.oncall.clock import DAY, MICRO, local_date, to_micros, wall_micros
from opsrepo.oncall.intervals import union
from opsrepo.oncall.rotation import (
    MIN_LENGTH,
    Turn,
    _progressed,
    _steady_turns,
    turn_index,
    turn_wall,
    turns,
    window_spans,
)
from opsrepo.oncall.zoneclock import naive_micros, zone_clock
from tests.unit.oncall.strategies import LENGTHS, ZONES, walls, windows

SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
#: clock changes at 02:00/03:00, by 30 minutes, at midnight, twice a year for Ramadan, across midnight
#: backwards (Goose Bay 2009), a skipped day (Apia 2011), none
ODD = ("Europe/Berlin", "Australia/Lord_Howe", "America/Santiago", "America/Havana", "Asia/Beirut",
       "Africa/Casablanca", "America/Goose_Bay", "Pacific/Apia", "Asia/Kolkata", "UTC", *ZONES)
YEARS = (1944, 2009, 2011, 2025, 2026, 2027, 2037)


@SETTINGS
@given(st.sampled_from(ODD), st.sampled_from(YEARS), st.integers(0, 366 * 24 * 4), st.integers(0, 14))
@example("Pacific/Apia", 2011, 363 * 96 + 40, 0)  # 2011-12-30, the day Samoa skipped
@example("America/Goose_Bay", 2009, 303 * 96 + 1, 0)  # 2009-11-01 00:15, before and after going back
def test_the_clock_resolves_wall_times_as_the_zone_does(zone: str, year: int, quarters: int, minute: int) -> None:
    wall = datetime(year, 1, 1) + timedelta(minutes=15 * quarters + minute)
    clock = zone_clock(zone, to_micros(datetime(year, 1, 1, tzinfo=UTC)), to_micros(datetime(year, 12, 31, tzinfo=UTC)))
    assert clock.covers(naive_micros(wall))
    assert clock.instant(naive_micros(wall)) == wall_micros(zone, wall)


@SETTINGS
@given(st.sampled_from(ODD), st.sampled_from(YEARS), st.integers(0, 360 * 24), st.sampled_from(LENGTHS),
       st.integers(1, 60))
def test_a_progression_of_walls_is_resolved_wall_by_wall(zone: str, year: int, hours: int, step: timedelta,
                                                         count: int) -> None:
    origin = datetime(year, 1, 1) + timedelta(hours=hours)
    start = to_micros(datetime(year, 1, 1, tzinfo=UTC))
    clock = zone_clock(zone, start, start + 370 * DAY)
    stepped = [origin + k * step for k in range(count)]
    # every wall below the end, in order; None exactly where the clock does not cover the wall
    assert list(clock.progression(naive_micros(origin), step // MICRO, 0, naive_micros(origin + count * step))) \
        == [(k, wall_micros(zone, wall) if clock.covers(naive_micros(wall)) else None)
            for k, wall in enumerate(stepped)]


def reference_turns(zone: str, first: datetime, length: timedelta, stop: datetime | None,
                    start: int, end: int) -> tuple[Turn, ...]:
    """``rotation.turns`` before the zone clock: each boundary resolved on its own."""
    if length < MIN_LENGTH:
        return ()
    start = max(start, wall_micros(zone, first))
    if stop is not None:
        end = min(end, wall_micros(zone, stop))
    if start >= end:
        return ()
    index = turn_index(zone, first, length, start)
    found: list[Turn] = []
    begin = wall_micros(zone, turn_wall(first, length, index))
    while begin < end:
        following = wall_micros(zone, turn_wall(first, length, index + 1))
        low, high = max(begin, start), min(following, end)
        if low < high:
            found.append(Turn(low, high, index))
        index, begin = index + 1, following
    return tuple(found)


def reference_windows(zone: str, chosen: tuple[m.Window, ...], start: int, end: int) -> tuple[tuple[int, int], ...]:
    """``rotation.window_spans`` before the zone clock."""
    if start >= end:
        return ()
    day, last = local_date(zone, start) - timedelta(days=1), local_date(zone, end - 1)
    spans = []
    while day <= last:
        for window in chosen:
            if day.weekday() in window.days:
                closing = day if window.end > window.start else day + timedelta(days=1)
                spans.append((wall_micros(zone, datetime.combine(day, window.start)),
                              wall_micros(zone, datetime.combine(closing, window.end))))
        day += timedelta(days=1)
    return tuple((max(low, start), min(high, end)) for low, high in union(spans) if low < end and high > start)


#: the module (``opsrepo.oncall.rotation`` as an attribute is the package's function of that name)
rotation_module = importlib.import_module("opsrepo.oncall.rotation")
RANGES = st.tuples(st.integers(0, 500 * 96), st.integers(1, 60 * 96))


@SETTINGS
@given(st.sampled_from(ODD), walls(), st.sampled_from(LENGTHS), st.one_of(st.none(), walls()), RANGES)
def test_turns_are_those_resolved_boundary_by_boundary(zone: str, first: datetime, length: timedelta,
                                                       stop: datetime | None, span: tuple[int, int]) -> None:
    start = to_micros(datetime(2025, 8, 1, tzinfo=UTC)) + span[0] * 15 * 60_000_000
    end = start + span[1] * 15 * 60_000_000
    assert turns.__wrapped__(zone, first, length, stop, start, end) == reference_turns(zone, first, length, stop,
                                                                                        start, end)


@SETTINGS
@given(st.sampled_from(ODD), st.lists(windows, min_size=1, max_size=3), RANGES, st.sampled_from(YEARS))
def test_windows_are_those_resolved_one_by_one(zone: str, chosen: list[m.Window], span: tuple[int, int],
                                              year: int) -> None:
    start = to_micros(datetime(year, 1, 1, tzinfo=UTC)) + span[0] * 15 * 60_000_000
    end = start + span[1] * 15 * 60_000_000
    assert window_spans.__wrapped__(zone, tuple(chosen), start, end) == reference_windows(zone, tuple(chosen),
                                                                                          start, end)


def test_a_clock_over_a_skipped_day() -> None:
    clock = zone_clock("Pacific/Apia", to_micros(datetime(2011, 12, 1, tzinfo=UTC)),
                       to_micros(datetime(2012, 1, 10, tzinfo=UTC)))
    wall = naive_micros(datetime(2011, 12, 30, 12))
    assert clock.instant(wall) == wall_micros("Pacific/Apia", datetime(2011, 12, 30, 12))
    assert clock.instant(naive_micros(datetime(2011, 12, 31))) == clock.instant(wall)  # the whole day is a gap


def test_a_clock_is_searched_over_the_range_asked_for_then_over_whole_years(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(zoneclock, "_CLOCKS", {})
    start = to_micros(datetime(2026, 12, 7, 9, tzinfo=UTC))
    first = zone_clock("Europe/Berlin", start, start + 90 * DAY)
    assert (first.low, first.high) == (start - 4 * DAY, start + 94 * DAY)
    assert zone_clock("Europe/Berlin", start + DAY, start + 30 * DAY) is first  # inside: the same clock
    later = zone_clock("Europe/Berlin", start + 200 * DAY, start + 210 * DAY)
    assert (later.low, later.high) == (to_micros(datetime(2026, 1, 1, tzinfo=UTC)),
                                       to_micros(datetime(2028, 1, 1, tzinfo=UTC)))
    for wall in (datetime(2026, 12, 7, 9), datetime(2027, 3, 28, 2, 30), datetime(2027, 10, 31, 2, 30),
                 datetime(2027, 6, 30, 12)):
        assert later.covers(naive_micros(wall))
        assert later.instant(naive_micros(wall)) == wall_micros("Europe/Berlin", wall)
    assert not first.covers(naive_micros(datetime(2027, 3, 28, 2, 30)))  # past its range: callers convert


@SETTINGS
@given(st.sampled_from(ODD), st.sampled_from(YEARS), st.integers(-30 * 96, 330 * 96), st.integers(0, 14),
       st.booleans())
@example("Europe/Berlin", 2026, 56 * 96 + 9, 0, True)  # 2026-03-29 02:15, in the gap: the instant clocks jump at
@example("Europe/Berlin", 2026, 266 * 96 + 9, 0, True)  # 2026-10-25 02:15, twice: the first
def test_a_wall_read_by_a_clock_made_already_is_the_wall_resolved(zone: str, year: int, quarters: int, minute: int,
                                                                   made: bool) -> None:
    """``known_instant`` (overrides' walls) uses a clock only where one covers the wall, and makes none."""
    with patch.object(zoneclock, "_CLOCKS", {}), patch.object(zoneclock, "_KNOWN", {}):
        start = to_micros(datetime(year, 2, 1, tzinfo=UTC))
        if made:
            zone_clock(zone, start, start + 300 * DAY)  # walls before and after it too
        wall = datetime(year, 2, 1) + timedelta(minutes=15 * quarters + minute)
        assert zoneclock.known_instant(zone, wall) == wall_micros(zone, wall)
        assert zoneclock.known_instant(zone, wall) == wall_micros(zone, wall)  # kept: the same again
        assert list(zoneclock._CLOCKS) == ([zone] if made else [])


@SETTINGS
@given(st.sampled_from(ODD), walls(), st.sampled_from(LENGTHS), RANGES, st.sampled_from(YEARS))
@example("Europe/Berlin", datetime(2026, 12, 7, 9), timedelta(days=1), (0, 90 * 96), 2026)  # steady all along
@example("Europe/Berlin", datetime(2026, 3, 2, 9), timedelta(hours=8), (80 * 96, 30 * 96), 2026)  # a change
def test_turns_where_one_offset_holds_are_those_read_off_the_progression(
        zone: str, first: datetime, length: timedelta, span: tuple[int, int], year: int) -> None:
    """Two ranges of bounds, where the offset holds from the first turn to the last: turn by turn, else."""
    start = to_micros(datetime(year, 1, 1, tzinfo=UTC)) + span[0] * 15 * 60_000_000
    end = start + span[1] * 15 * 60_000_000
    start = max(start, wall_micros(zone, first))
    if start >= end or length < MIN_LENGTH:
        return
    index, step = turn_index(zone, first, length, start), length // MICRO
    clock = zone_clock(zone, start, end)
    steady = _steady_turns(clock, naive_micros(first) + index * step, step, index, start, end)
    progressed = _progressed(clock, first, length, index, start, end)
    assert steady is None or steady == progressed
    assert steady is None or all(type(turn) is Turn for turn in steady)
    if not clock.changes_within(start - 3 * DAY, end + 3 * DAY) and clock.covers(naive_micros(first) + index * step):
        assert steady is not None  # refused only near a change


def test_turns_over_a_horizon_without_a_change_are_two_ranges() -> None:
    start = to_micros(datetime(2026, 12, 7, 9, tzinfo=UTC))
    clock = zone_clock("Europe/Berlin", start, start + 90 * DAY)
    first = datetime(2026, 12, 1, 9)
    steady = _steady_turns(clock, naive_micros(first) + 6 * DAY, DAY, 6, start, start + 90 * DAY)
    assert steady is not None and len(steady) == 91
    assert steady[0] == Turn(start, naive_micros(datetime(2026, 12, 8, 8)), 6)  # 09:00 in Berlin is 08:00 UTC
    assert steady[-1] == Turn(naive_micros(datetime(2027, 3, 7, 8)), start + 90 * DAY, 96)


@SETTINGS
@given(st.sampled_from(("UTC", "Asia/Kolkata", "Asia/Tokyo", "Europe/Berlin")), st.lists(windows, min_size=1, max_size=3),
       RANGES)
@example("UTC", [m.Window(frozenset(range(7)), time(0), time(0))], (0, 20 * 96))  # 24 h windows: each touches the next
@example("UTC", [m.Window(frozenset({0}), time(22), time(6)), m.Window(frozenset({1}), time(5), time(9))], (0, 20 * 96))
def test_windows_where_one_offset_holds_are_ranges_merged_as_the_days_are(zone: str, chosen: list[m.Window],
                                                                          span: tuple[int, int]) -> None:
    """Where the offset holds (Berlin in winter), each window's weekdays are ranges of instants (made in C)."""
    start = to_micros(datetime(2026, 11, 2, tzinfo=UTC)) + span[0] % (40 * 96) * 15 * 60_000_000
    end = start + span[1] % (60 * 96) * 15 * 60_000_000 + 1
    with patch.object(rotation_module, "_steady_windows", wraps=rotation_module._steady_windows) as steady:
        found = window_spans.__wrapped__(zone, tuple(chosen), start, end)
    assert steady.called
    assert found == reference_windows(zone, tuple(chosen), start, end)


@SETTINGS
@given(st.sampled_from(ODD), walls(), st.sampled_from(LENGTHS), st.integers(0, 500 * 96), st.sampled_from(YEARS))
def test_the_turn_running_at_an_instant_is_found_alike_with_and_without_a_clock(
        zone: str, first: datetime, length: timedelta, quarters: int, year: int) -> None:
    instant = to_micros(datetime(year, 1, 1, tzinfo=UTC)) + quarters * 15 * 60_000_000
    clock = zone_clock(zone, instant - 30 * DAY, instant + 30 * DAY)
    assert turn_index(zone, first, length, instant, clock) == turn_index(zone, first, length, instant)
