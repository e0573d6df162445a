"""The PagerDuty renderer against intervals computed by hand (times read off a calendar)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.fakevendors.intervals import merge
from tests.fakevendors.pd_render import parse, render


def ref(uid: str) -> dict[str, Any]:
    return {"user": {"id": uid, "type": "user_reference"}}


def layer(virtual: str, users: list[str], turn: int, restrictions: list[dict[str, Any]] | None = None,
          start: str = "2025-01-01T00:00:00Z", end: str | None = None) -> dict[str, Any]:
    """A layer on call from ``start`` (long before the tests' windows) whose turns count from ``virtual``."""
    out = {"start": start, "rotation_virtual_start": virtual, "rotation_turn_length_seconds": turn,
           "users": [ref(u) for u in users], "restrictions": restrictions or []}
    return {**out, "end": end} if end else out


def final(zone: str, layers: list[dict[str, Any]], since: str, until: str,
          overrides: list[dict[str, Any]] | None = None) -> list[tuple[str, str, str]]:
    got = render({"time_zone": zone, "schedule_layers": layers}, overrides or [], parse(since), parse(until))
    return [(s.start.isoformat(), s.end.isoformat(), s.who) for s in got.final]


def utc(text: str) -> str:
    return parse(text).isoformat()


def test_daily_turns_keep_their_local_hour_across_the_spring_change_in_berlin() -> None:
    # 2026-03-29 02:00 CET -> 03:00 CEST: B's turn from Saturday 09:00 to Sunday 09:00 lasts 23 h
    got = final("Europe/Berlin", [layer("2026-03-27T09:00:00+01:00", ["A", "B"], 86400)],
                "2026-03-27T00:00:00+01:00", "2026-03-31T00:00:00+02:00")
    assert got == [(utc("2026-03-27T00:00:00+01:00"), utc("2026-03-27T09:00:00+01:00"), "B"),
                   (utc("2026-03-27T09:00:00+01:00"), utc("2026-03-28T09:00:00+01:00"), "A"),
                   (utc("2026-03-28T09:00:00+01:00"), utc("2026-03-29T09:00:00+02:00"), "B"),
                   (utc("2026-03-29T09:00:00+02:00"), utc("2026-03-30T09:00:00+02:00"), "A"),
                   (utc("2026-03-30T09:00:00+02:00"), utc("2026-03-31T00:00:00+02:00"), "B")]
    assert parse("2026-03-29T09:00:00+02:00") - parse("2026-03-28T09:00:00+01:00") == timedelta(hours=23)


def test_weekly_turn_across_the_autumn_change_in_new_york_lasts_169_hours() -> None:
    # 2026-11-01 02:00 EDT -> 01:00 EST; Monday 10:00 handoffs stay at 10:00
    got = final("America/New_York", [layer("2026-10-26T10:00:00-04:00", ["A", "B", "C"], 604800,
                                           start="2026-10-26T10:00:00-04:00")],
                "2026-10-26T10:00:00-04:00", "2026-11-16T10:00:00-05:00")
    assert got == [(utc("2026-10-26T10:00:00-04:00"), utc("2026-11-02T10:00:00-05:00"), "A"),
                   (utc("2026-11-02T10:00:00-05:00"), utc("2026-11-09T10:00:00-05:00"), "B"),
                   (utc("2026-11-09T10:00:00-05:00"), utc("2026-11-16T10:00:00-05:00"), "C")]
    assert parse(got[0][1]) - parse(got[0][0]) == timedelta(hours=169)


def test_a_handoff_in_sydneys_spring_gap_moves_to_the_hour_after() -> None:
    # 2026-10-04 02:00 AEST -> 03:00 AEDT: 02:30 does not exist that day, the handoff is at 03:30 AEDT
    got = final("Australia/Sydney", [layer("2026-10-01T02:30:00+10:00", ["A", "B"], 86400)],
                "2026-10-03T02:30:00+10:00", "2026-10-05T02:30:00+11:00")
    assert got == [(utc("2026-10-03T02:30:00+10:00"), utc("2026-10-04T03:30:00+11:00"), "A"),
                   (utc("2026-10-04T03:30:00+11:00"), utc("2026-10-05T02:30:00+11:00"), "B")]


def test_sydney_autumn_change_makes_a_daily_turn_25_hours() -> None:
    # 2026-04-05 03:00 AEDT -> 02:00 AEST
    got = final("Australia/Sydney", [layer("2026-04-04T08:00:00+11:00", ["A", "B"], 86400)],
                "2026-04-04T08:00:00+11:00", "2026-04-06T08:00:00+10:00")
    assert [parse(e) - parse(s) for s, e, _ in got] == [timedelta(hours=25), timedelta(hours=24)]


def test_daily_restriction_across_midnight_cuts_weekly_turns() -> None:
    night = {"type": "daily_restriction", "start_time_of_day": "19:00:00", "duration_seconds": 12 * 3600}
    got = final("UTC", [layer("2026-06-01T08:00:00Z", ["A", "B"], 604800, [night])],
                "2026-06-01T00:00:00Z", "2026-06-03T00:00:00Z")
    # the turn before 06-01 08:00 is B's; its night 05-31 19:00 -> 06-01 07:00 is cut at the window
    assert got == [(utc("2026-06-01T00:00:00Z"), utc("2026-06-01T07:00:00Z"), "B"),
                   (utc("2026-06-01T19:00:00Z"), utc("2026-06-02T07:00:00Z"), "A"),
                   (utc("2026-06-02T19:00:00Z"), utc("2026-06-03T00:00:00Z"), "A")]


def test_weekly_restriction_across_the_weeks_end() -> None:
    weekend = {"type": "weekly_restriction", "start_day_of_week": 5, "start_time_of_day": "18:00:00",
               "duration_seconds": 62 * 3600}  # Friday 18:00 -> Monday 08:00
    got = final("UTC", [layer("2026-06-01T08:00:00Z", ["A", "B"], 604800, [weekend])],
                "2026-06-01T00:00:00Z", "2026-06-08T12:00:00Z")
    assert got == [(utc("2026-06-01T00:00:00Z"), utc("2026-06-01T08:00:00Z"), "B"),
                   (utc("2026-06-05T18:00:00Z"), utc("2026-06-08T08:00:00Z"), "A")]


def test_weekly_restriction_windows_follow_local_time_in_berlin() -> None:
    workday = [{"type": "weekly_restriction", "start_day_of_week": d, "start_time_of_day": "09:00:00",
                "duration_seconds": 8 * 3600} for d in (5, 1)]
    got = final("Europe/Berlin", [layer("2026-03-23T09:00:00+01:00", ["A"], 604800, workday)],
                "2026-03-27T00:00:00+01:00", "2026-03-31T00:00:00+02:00")
    assert got == [(utc("2026-03-27T09:00:00+01:00"), utc("2026-03-27T17:00:00+01:00"), "A"),
                   (utc("2026-03-30T09:00:00+02:00"), utc("2026-03-30T17:00:00+02:00"), "A")]


def test_the_higher_layer_wins_and_the_order_of_the_list_matters() -> None:
    base = layer("2026-06-01T00:00:00Z", ["A"], 86400)
    day = layer("2026-06-01T00:00:00Z", ["B"], 86400,
                [{"type": "daily_restriction", "start_time_of_day": "09:00:00", "duration_seconds": 8 * 3600}])
    window = ("2026-06-01T00:00:00Z", "2026-06-02T00:00:00Z")
    assert final("UTC", [base, day], *window) == [
        (utc("2026-06-01T00:00:00Z"), utc("2026-06-01T09:00:00Z"), "A"),
        (utc("2026-06-01T09:00:00Z"), utc("2026-06-01T17:00:00Z"), "B"),
        (utc("2026-06-01T17:00:00Z"), utc("2026-06-02T00:00:00Z"), "A")]
    assert final("UTC", [day, base], *window) == [(utc(window[0]), utc(window[1]), "A")]


def test_overlapping_overrides_the_later_one_wins_and_both_beat_layers() -> None:
    base = [layer("2026-06-01T00:00:00Z", ["A"], 86400)]
    first = {"start": "2026-06-01T10:00:00Z", "end": "2026-06-01T14:00:00Z", "user": {"id": "C"}}
    second = {"start": "2026-06-01T12:00:00Z", "end": "2026-06-01T16:00:00Z", "user": {"id": "D"}}
    window = ("2026-06-01T00:00:00Z", "2026-06-02T00:00:00Z")
    assert final("UTC", base, *window, [first, second]) == [
        (utc("2026-06-01T00:00:00Z"), utc("2026-06-01T10:00:00Z"), "A"),
        (utc("2026-06-01T10:00:00Z"), utc("2026-06-01T12:00:00Z"), "C"),
        (utc("2026-06-01T12:00:00Z"), utc("2026-06-01T16:00:00Z"), "D"),
        (utc("2026-06-01T16:00:00Z"), utc("2026-06-02T00:00:00Z"), "A")]
    assert final("UTC", base, *window, [second, first])[1:3] == [
        (utc("2026-06-01T10:00:00Z"), utc("2026-06-01T14:00:00Z"), "C"),
        (utc("2026-06-01T14:00:00Z"), utc("2026-06-01T16:00:00Z"), "D")]


def test_touching_entries_of_one_user_stay_apart_and_layer_start_and_end_apply() -> None:
    lay = [layer("2026-05-01T00:00:00Z", ["A"], 86400, start="2026-06-01T06:00:00Z", end="2026-06-01T20:00:00Z")]
    same = {"start": "2026-06-01T18:00:00Z", "end": "2026-06-01T22:00:00Z", "user": {"id": "A"}}
    got = render({"time_zone": "UTC", "schedule_layers": lay}, [same], parse("2026-06-01T00:00:00Z"),
                  parse("2026-06-03T00:00:00Z"))
    assert [(s.start.isoformat(), s.end.isoformat(), s.who) for s in got.final] == [
        (utc("2026-06-01T06:00:00Z"), utc("2026-06-01T18:00:00Z"), "A"),
        (utc("2026-06-01T18:00:00Z"), utc("2026-06-01T22:00:00Z"), "A")]
    assert [(s.start, s.end) for s in merge(got.final)] == [(parse("2026-06-01T06:00:00Z"), parse("2026-06-01T22:00:00Z"))]
    alone = render({"time_zone": "UTC", "schedule_layers": [layer("2026-05-01T00:00:00Z", ["A"], 86400)]}, [],
                   parse("2026-06-01T00:00:00Z"), parse("2026-06-03T00:00:00Z"))
    assert len(alone.final) == 2  # one entry a turn, though the same user holds both


def test_twelve_person_follow_the_sun() -> None:
    regions = [(["S1", "S2", "S3", "S4"], "00:00:00"), (["E1", "E2", "E3", "E4"], "08:00:00"),
               (["N1", "N2", "N3", "N4"], "16:00:00")]
    layers = [layer("2026-06-01T00:00:00Z", users, 604800,
                    [{"type": "daily_restriction", "start_time_of_day": tod, "duration_seconds": 8 * 3600}])
              for users, tod in regions]
    schedule = {"time_zone": "UTC", "schedule_layers": layers}
    got = render(schedule, [], parse("2026-06-08T00:00:00Z"), parse("2026-06-09T00:00:00Z"))
    assert [(s.start.hour, s.who) for s in got.final] == [(0, "S2"), (8, "E2"), (16, "N2")]
    assert got.coverage(got.final) == 100.0
    week = render(schedule, [], parse("2026-06-01T00:00:00Z"), parse("2026-07-27T00:00:00Z"))
    assert {s.who for s in week.final} == {u for users, _ in regions for u in users}


@settings(max_examples=60, deadline=None)
@given(n=st.integers(1, 6), hours=st.integers(1, 24 * 14), offset=st.integers(-500, 500),
       span=st.integers(1, 24 * 30))
def test_one_unrestricted_layer_in_utc_tiles_the_window_in_list_order(n: int, hours: int, offset: int,
                                                                       span: int) -> None:
    users = [f"U{i}" for i in range(n)]
    since = datetime(2026, 6, 1, tzinfo=UTC)
    virtual = since + timedelta(hours=offset)
    lay = layer(virtual.isoformat(), users, hours * 3600, start=(since - timedelta(days=400)).isoformat())
    got = render({"time_zone": "UTC", "schedule_layers": [lay]}, [], since, since + timedelta(hours=span))
    assert got.final[0].start == since and got.final[-1].end == since + timedelta(hours=span)
    for before, after in zip(got.final, got.final[1:], strict=False):
        assert before.end == after.start
    for entry in got.final:
        k = int((entry.start - virtual).total_seconds() // (hours * 3600))
        assert entry.who == users[k % n]
        assert entry.end - entry.start <= timedelta(hours=hours)
