"""opsrepo's own model of PagerDuty's final schedule, against instants read off a calendar."""

from __future__ import annotations

from datetime import UTC, datetime, time

from opsrepo.apply.pdmodel import DAILY, WEEKLY, Layer, Restriction, render
from opsrepo.oncall.clock import from_micros, to_micros


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).astimezone(UTC)


def layer(virtual: str, users: str, seconds: int, *restrictions: Restriction, start: str | None = None,
          end: str | None = None, name: str = "l") -> Layer:
    return Layer(name, at(start or virtual), at(virtual), seconds, tuple(users.split()), restrictions,
                 at(end) if end else None)


def rows(zone: str, layers: list[Layer], since: str, until: str) -> list[tuple[str, str, str]]:
    from opsrepo.timeutil import get_zone

    found = render(zone, layers, to_micros(at(since)), to_micros(at(until)))
    tz = get_zone(zone)
    return [(from_micros(a).astimezone(tz).isoformat(timespec="minutes"),
             from_micros(b).astimezone(tz).isoformat(timespec="minutes"), who) for a, b, who in found]


def test_a_daily_turn_keeps_its_local_hour_across_the_spring_change() -> None:
    got = rows("Europe/Berlin", [layer("2026-03-27T09:00+01:00", "a b", 86400)],
               "2026-03-28T09:00+01:00", "2026-03-30T09:00+02:00")
    assert got == [("2026-03-28T09:00+01:00", "2026-03-29T09:00+02:00", "b"),  # 23 hours
                   ("2026-03-29T09:00+02:00", "2026-03-30T09:00+02:00", "a")]


def test_a_handoff_in_the_spring_gap_is_read_with_the_offset_before_the_change() -> None:
    # 02:30 does not exist in Berlin on 2026-03-29: Rails (and PagerDuty) read it as 03:30 CEST
    got = rows("Europe/Berlin", [layer("2026-03-27T02:30+01:00", "a b", 86400)],
               "2026-03-28T12:00+01:00", "2026-03-29T12:00+02:00")
    assert got == [("2026-03-28T12:00+01:00", "2026-03-29T03:30+02:00", "b"),
                   ("2026-03-29T03:30+02:00", "2026-03-29T12:00+02:00", "a")]


def test_a_weekly_turn_across_the_autumn_change_lasts_169_hours() -> None:
    got = rows("America/New_York", [layer("2026-10-26T10:00-04:00", "a b c", 604800)],
               "2026-10-26T10:00-04:00", "2026-11-09T10:00-05:00")
    assert got == [("2026-10-26T10:00-04:00", "2026-11-02T10:00-05:00", "a"),
                   ("2026-11-02T10:00-05:00", "2026-11-09T10:00-05:00", "b")]


def test_restrictions_cut_turns_and_never_move_handoffs() -> None:
    weekend = Restriction(WEEKLY, time(18), 62 * 3600, 5)  # Friday 18:00 to Monday 08:00
    got = rows("Europe/London", [layer("2026-06-01T09:00+01:00", "a b", 86400, weekend)],
               "2026-06-05T00:00+01:00", "2026-06-09T00:00+01:00")
    assert got == [("2026-06-05T18:00+01:00", "2026-06-06T09:00+01:00", "a"),  # Friday's turn is a's
                   ("2026-06-06T09:00+01:00", "2026-06-07T09:00+01:00", "b"),
                   ("2026-06-07T09:00+01:00", "2026-06-08T08:00+01:00", "a")]


def test_a_window_runs_on_the_wall_clock_on_a_day_the_clocks_change() -> None:
    whole_day = Restriction(DAILY, time(0), 86400)
    got = rows("Europe/Berlin", [layer("2026-03-01T00:00+01:00", "a", 7 * 86400, whole_day)],
               "2026-03-29T00:00+01:00", "2026-03-30T00:00+02:00")
    assert got == [("2026-03-29T00:00+01:00", "2026-03-30T00:00+02:00", "a")]  # 23 hours, no gap


def test_the_last_layer_wins_and_lower_layers_show_through_its_gaps() -> None:
    base = layer("2026-06-01T09:00+02:00", "a", 604800, name="base")
    day = layer("2026-06-01T09:00+02:00", "b c", 86400, Restriction(DAILY, time(9), 8 * 3600), name="day")
    got = rows("Europe/Berlin", [base, day], "2026-06-02T00:00+02:00", "2026-06-03T00:00+02:00")
    assert got == [("2026-06-02T00:00+02:00", "2026-06-02T09:00+02:00", "a"),
                   ("2026-06-02T09:00+02:00", "2026-06-02T17:00+02:00", "c"),
                   ("2026-06-02T17:00+02:00", "2026-06-03T00:00+02:00", "a")]


def test_turns_count_from_the_virtual_start_and_only_the_part_within_start_and_end_is_on_call() -> None:
    got = rows("UTC", [layer("2026-01-01T00:00+00:00", "a b c", 86400, start="2026-01-05T12:00+00:00",
                             end="2026-01-07T00:00+00:00")], "2026-01-05T00:00+00:00", "2026-01-08T00:00+00:00")
    assert got == [("2026-01-05T12:00+00:00", "2026-01-06T00:00+00:00", "b"),  # turn 4 of a b c
                   ("2026-01-06T00:00+00:00", "2026-01-07T00:00+00:00", "c")]
