"""opsrepo layers as PagerDuty layers: what maps one to one, and what is left to overrides."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from opsrepo import model as m
from opsrepo.apply.layers import clock_difference, restrictions, schedule_layers
from opsrepo.apply.overrides import Horizon, corrections
from opsrepo.apply.pdmodel import DAILY, WEEKLY, Restriction
from tests.unit.oncall.builders import layer, person, repo, schedule, window


def test_a_window_on_every_day_is_a_daily_restriction_others_one_weekly_restriction_a_day() -> None:
    assert restrictions((window("", "09:00", "17:00"),), timedelta(0)) == (Restriction(DAILY, time(9), 28800),)
    assert restrictions((window("fri", "22:00", "06:00"),), timedelta(0)) == (
        Restriction(WEEKLY, time(22), 8 * 3600, 5),)
    assert restrictions((window("sat sun", "00:00", "00:00"),), timedelta(0)) == (
        Restriction(WEEKLY, time(0), 86400, 6), Restriction(WEEKLY, time(0), 86400, 7))


def test_a_window_in_a_zone_ahead_moves_back_by_the_difference_days_included() -> None:
    # Sydney 08:00 Monday is 23:00 Sunday in London when Sydney is 9 hours ahead
    assert restrictions((window("mon", "08:00", "18:00"),), timedelta(hours=9)) == (
        Restriction(WEEKLY, time(23), 10 * 3600, 7),)


def test_the_usual_clock_difference_is_the_one_most_of_the_year_has() -> None:
    sydney = layer("apac", "a", "2026-01-05T08:00", "1w", "Australia/Sydney")
    assert clock_difference("Europe/London", sydney)[0] == timedelta(hours=9)
    new_york = layer("am", "a", "2026-01-05T09:00", "1w", "America/New_York")
    assert clock_difference("Europe/London", new_york)[0] == timedelta(hours=-5)
    assert clock_difference("Europe/Paris", layer("x", "a", "2026-01-05T09:00", "1w", "Europe/Berlin")) == (
        timedelta(0), None)


def test_a_derived_schedule_deals_the_same_layers_offset_turns_behind() -> None:
    primary = schedule("primary", layer("weekly", "a b c d", "2026-01-05T09:00", "1w"))
    secondary = schedule("secondary", derive=m.Derive("primary", 1))
    loaded = repo(primary, secondary)
    (ours,), _ = schedule_layers(loaded, secondary)
    assert ours.users == ("d", "a", "b", "c")
    assert ours.virtual_start == datetime(2026, 1, 5, 8, tzinfo=UTC)


ZONES = ("Europe/Berlin", "America/New_York", "Australia/Sydney", "Asia/Kolkata")
LENGTHS = ("12h", "1d", "2d", "1w", "2w")
#: handoff hours that never fall into a DST gap of these zones (02:00-03:00 local)
HOURS = (0, 6, 8, 9, 13, 17, 20)


@st.composite
def single_zone_schedules(draw: st.DrawFn) -> m.Schedule:
    zone = draw(st.sampled_from(ZONES))
    layers = []
    for index in range(draw(st.integers(1, 3))):
        members = " ".join(draw(st.lists(st.sampled_from("abcdef"), min_size=1, max_size=4, unique=True)))
        day = draw(st.integers(1, 28))
        start = f"2026-{draw(st.integers(1, 10)):02d}-{day:02d}T{draw(st.sampled_from(HOURS)):02d}:00"
        windows = []
        if draw(st.booleans()):
            begin, end = draw(st.sampled_from(HOURS)), draw(st.sampled_from(HOURS))
            days = draw(st.sampled_from(["", "mon tue wed thu fri", "sat sun", "fri"]))
            windows.append(window(days, f"{begin:02d}:00", f"{end:02d}:00"))
        layers.append(layer(f"l{index}", members, start, draw(st.sampled_from(LENGTHS)), zone,
                            restrictions=windows, index=index))
    return schedule("s", *layers, zone=zone)


@settings(max_examples=40, deadline=None)
@given(single_zone_schedules(), st.integers(0, 400))
def test_layers_in_the_schedules_zone_need_no_override(sched: m.Schedule, day: int) -> None:
    """Where opsrepo and PagerDuty mean the same, the layers alone give opsrepo's final schedule."""
    loaded = repo(sched, people=[person(p) for p in "abcdef"])
    layers, notes = schedule_layers(loaded, sched)
    now = datetime(2026, 1, 1, 9, tzinfo=UTC) + timedelta(days=day)
    wanted, uncovered = corrections(loaded, sched, layers, Horizon.from_now(now, timedelta(days=28)))
    assert (wanted, uncovered, notes) == ([], [], [])
