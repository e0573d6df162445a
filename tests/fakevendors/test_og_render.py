"""The Opsgenie renderer against intervals computed by hand."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from tests.fakevendors.og_render import on_call, parse, render


def user(name: str) -> dict[str, Any]:
    return {"type": "user", "id": f"id-{name}", "username": name}


def rotation(name: str, start: str, kind: str, people: list[str], length: int = 1,
             restriction: dict[str, Any] | None = None, end: str | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {"id": f"r-{name}", "name": name, "startDate": start, "type": kind, "length": length,
                           "participants": [user(p) if p != "none" else {"type": "none"} for p in people]}
    if restriction:
        out["timeRestriction"] = restriction
    if end:
        out["endDate"] = end
    return out


def periods(zone: str, rotations: list[dict[str, Any]], lo: str, hi: str,
            overrides: list[dict[str, Any]] | None = None) -> dict[str, list[tuple[str, str, str, bool]]]:
    lines = render({"timezone": zone, "rotations": rotations}, overrides or [], parse(lo), parse(hi))
    return {line.name: [(s.start.isoformat(), s.end.isoformat(), s.who[2], o) for s, o in line.final
                        if s.who[0] != "none"] for line in lines}


def utc(text: str) -> str:
    return parse(text).isoformat()


def test_daily_rotation_keeps_its_handover_hour_across_berlins_spring_change() -> None:
    got = periods("Europe/Berlin", [rotation("d", "2026-03-27T09:00:00+01:00", "daily", ["a", "b"])],
                  "2026-03-27T09:00:00+01:00", "2026-03-30T09:00:00+02:00")
    assert got["d"] == [(utc("2026-03-27T09:00:00+01:00"), utc("2026-03-28T09:00:00+01:00"), "a", False),
                        (utc("2026-03-28T09:00:00+01:00"), utc("2026-03-29T09:00:00+02:00"), "b", False),
                        (utc("2026-03-29T09:00:00+02:00"), utc("2026-03-30T09:00:00+02:00"), "a", False)]


def test_weekly_rotation_of_length_two_in_new_york_across_the_autumn_change() -> None:
    got = periods("America/New_York", [rotation("w", "2026-10-19T09:00:00-04:00", "weekly", ["a", "b"], 2)],
                  "2026-10-19T09:00:00-04:00", "2026-11-16T09:00:00-05:00")
    assert got["w"] == [(utc("2026-10-19T09:00:00-04:00"), utc("2026-11-02T09:00:00-05:00"), "a", False),
                        (utc("2026-11-02T09:00:00-05:00"), utc("2026-11-16T09:00:00-05:00"), "b", False)]


def test_hourly_rotation_counts_elapsed_hours_across_sydneys_autumn_change() -> None:
    # 2026-04-05 03:00 AEDT -> 02:00 AEST: 6-hour turns from 00:00 AEDT end at 05:00 AEST (elapsed time)
    got = periods("Australia/Sydney", [rotation("h", "2026-04-05T00:00:00+11:00", "hourly", ["a", "b"], 6)],
                  "2026-04-05T00:00:00+11:00", "2026-04-05T12:00:00+10:00")
    assert got["h"][:2] == [(utc("2026-04-05T00:00:00+11:00"), utc("2026-04-05T05:00:00+10:00"), "a", False),
                            (utc("2026-04-05T05:00:00+10:00"), utc("2026-04-05T11:00:00+10:00"), "b", False)]


def test_daily_rotation_in_sydney_across_the_spring_change() -> None:
    got = periods("Australia/Sydney", [rotation("d", "2026-10-03T08:00:00+10:00", "daily", ["a", "b"])],
                  "2026-10-03T08:00:00+10:00", "2026-10-05T08:00:00+11:00")
    assert [parse(e) - parse(s) for s, e, _, _ in got["d"]] == [timedelta(hours=23), timedelta(hours=24)]


def test_time_of_day_restriction_across_midnight() -> None:
    night = {"type": "time-of-day", "restriction": {"startHour": 19, "startMin": 0, "endHour": 7, "endMin": 0}}
    got = periods("UTC", [rotation("n", "2026-06-01T08:00:00Z", "daily", ["a", "b"], restriction=night)],
                  "2026-06-01T08:00:00Z", "2026-06-03T08:00:00Z")
    assert got["n"] == [(utc("2026-06-01T19:00:00Z"), utc("2026-06-02T07:00:00Z"), "a", False),
                        (utc("2026-06-02T19:00:00Z"), utc("2026-06-03T07:00:00Z"), "b", False)]


def test_weekday_restriction_across_the_weeks_end_and_a_same_day_window() -> None:
    windows = {"type": "weekday-and-time-of-day", "restrictions": [
        {"startDay": "friday", "startHour": 18, "startMin": 0, "endDay": "monday", "endHour": 8, "endMin": 0},
        {"startDay": "wednesday", "startHour": 12, "startMin": 30, "endDay": "wednesday", "endHour": 13,
         "endMin": 30}]}
    got = periods("UTC", [rotation("we", "2026-06-01T08:00:00Z", "weekly", ["a", "b"], restriction=windows)],
                  "2026-06-01T08:00:00Z", "2026-06-15T08:00:00Z")
    assert got["we"] == [(utc("2026-06-03T12:30:00Z"), utc("2026-06-03T13:30:00Z"), "a", False),
                         (utc("2026-06-05T18:00:00Z"), utc("2026-06-08T08:00:00Z"), "a", False),
                         (utc("2026-06-10T12:30:00Z"), utc("2026-06-10T13:30:00Z"), "b", False),
                         (utc("2026-06-12T18:00:00Z"), utc("2026-06-15T08:00:00Z"), "b", False)]


def test_rotations_are_cumulative_and_none_has_nobody() -> None:
    rotations = [rotation("one", "2026-06-01T00:00:00Z", "daily", ["a"]),
                 rotation("two", "2026-06-01T00:00:00Z", "daily", ["b", "none"])]
    lines = render({"timezone": "UTC", "rotations": rotations}, [], parse("2026-06-01T00:00:00Z"),
                   parse("2026-06-03T00:00:00Z"))
    assert [w[2] for w in on_call(lines, parse("2026-06-01T12:00:00Z"))] == ["a", "b"]
    assert [w[2] for w in on_call(lines, parse("2026-06-02T12:00:00Z"))] == ["a"]


def test_overrides_replace_named_rotations_or_all_and_the_later_wins() -> None:
    rotations = [rotation("one", "2026-06-01T00:00:00Z", "daily", ["a"]),
                 rotation("two", "2026-06-01T00:00:00Z", "daily", ["b"], end="2026-06-01T12:00:00Z")]
    only_two = {"user": user("c"), "startDate": "2026-06-01T10:00:00Z", "endDate": "2026-06-01T14:00:00Z",
                "rotations": [{"id": "r-two"}]}
    every = {"user": user("d"), "startDate": "2026-06-01T11:00:00Z", "endDate": "2026-06-01T13:00:00Z",
             "rotations": []}
    got = periods("UTC", rotations, "2026-06-01T00:00:00Z", "2026-06-02T00:00:00Z", [only_two, every])
    assert got["one"] == [(utc("2026-06-01T00:00:00Z"), utc("2026-06-01T11:00:00Z"), "a", False),
                          (utc("2026-06-01T11:00:00Z"), utc("2026-06-01T13:00:00Z"), "d", True),
                          (utc("2026-06-01T13:00:00Z"), utc("2026-06-02T00:00:00Z"), "a", False)]
    # rotation two ends at 12:00: the overrides replace it only while it has someone
    assert got["two"] == [(utc("2026-06-01T00:00:00Z"), utc("2026-06-01T10:00:00Z"), "b", False),
                          (utc("2026-06-01T10:00:00Z"), utc("2026-06-01T11:00:00Z"), "c", True),
                          (utc("2026-06-01T11:00:00Z"), utc("2026-06-01T12:00:00Z"), "d", True)]


def test_twelve_person_follow_the_sun_has_one_person_at_every_instant() -> None:
    regions = [("apac", "Australia/Sydney", 0), ("emea", "Europe/Berlin", 8), ("amer", "America/New_York", 16)]
    rotations = [rotation(name, "2026-06-01T00:00:00Z", "weekly", [f"{name}{i}" for i in range(4)],
                          restriction={"type": "time-of-day", "restriction": {
                              "startHour": h, "startMin": 0, "endHour": (h + 8) % 24, "endMin": 0}})
                 for name, _, h in regions]
    lines = render({"timezone": "UTC", "rotations": rotations}, [], parse("2026-06-01T00:00:00Z"),
                   parse("2026-08-24T00:00:00Z"))
    instant = parse("2026-06-01T00:30:00Z")
    seen = set()
    while instant < parse("2026-08-24T00:00:00Z"):
        who = on_call(lines, instant)
        assert len(who) == 1
        seen.add(who[0][2])
        instant += timedelta(hours=4)
    assert len(seen) == 12
