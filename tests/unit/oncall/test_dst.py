"""Handoffs keep wall time across DST in five zones; gap -> first valid instant, overlap -> first occurrence."""

from __future__ import annotations

import pytest

from opsrepo.oncall import final_shifts
from opsrepo.timeutil import get_zone
from tests.unit.oncall.builders import at, layer, repo, schedule


def table(zone: str, start: str, length: str, frm: str, to: str, members: str = "a b c") -> list[str]:
    """The final shifts of a one-layer schedule as 'person from to' rows in ``zone``."""
    sched = schedule("s", layer("l", members, start, length, zone), zone=zone)
    tz = get_zone(zone)
    return [
        f"{s.person} {s.start.astimezone(tz).isoformat(timespec='minutes')} "
        f"{s.end.astimezone(tz).isoformat(timespec='minutes')}"
        for s in final_shifts(repo(sched), "s", at(frm), at(to))
    ]


CASES = [
    pytest.param(
        "Europe/Berlin", "2026-03-02T09:00", "1w", "2026-03-23T09:00+01:00", "2026-04-06T09:00+02:00",
        ["a 2026-03-23T09:00+01:00 2026-03-30T09:00+02:00", "b 2026-03-30T09:00+02:00 2026-04-06T09:00+02:00"],
        id="berlin-weekly-spring-167h"),
    pytest.param(
        "Europe/Berlin", "2026-10-05T09:00", "1w", "2026-10-19T09:00+02:00", "2026-11-02T09:00+01:00",
        ["c 2026-10-19T09:00+02:00 2026-10-26T09:00+01:00", "a 2026-10-26T09:00+01:00 2026-11-02T09:00+01:00"],
        id="berlin-weekly-autumn-169h"),
    pytest.param(
        "Europe/Berlin", "2026-03-27T09:00", "1d", "2026-03-28T09:00+01:00", "2026-03-30T09:00+02:00",
        ["b 2026-03-28T09:00+01:00 2026-03-29T09:00+02:00", "c 2026-03-29T09:00+02:00 2026-03-30T09:00+02:00"],
        id="berlin-daily-spring-23h"),
    pytest.param(
        "America/New_York", "2026-03-06T09:00", "1d", "2026-03-07T09:00-05:00", "2026-03-09T09:00-04:00",
        ["b 2026-03-07T09:00-05:00 2026-03-08T09:00-04:00", "c 2026-03-08T09:00-04:00 2026-03-09T09:00-04:00"],
        id="new-york-daily-spring"),
    pytest.param(
        "America/New_York", "2026-10-19T09:00", "1w", "2026-10-26T09:00-04:00", "2026-11-09T09:00-05:00",
        ["b 2026-10-26T09:00-04:00 2026-11-02T09:00-05:00", "c 2026-11-02T09:00-05:00 2026-11-09T09:00-05:00"],
        id="new-york-weekly-autumn"),
    pytest.param(
        "America/Chicago", "2026-03-06T02:30", "1d", "2026-03-07T02:30-06:00", "2026-03-09T02:30-05:00",
        ["b 2026-03-07T02:30-06:00 2026-03-08T03:00-05:00", "c 2026-03-08T03:00-05:00 2026-03-09T02:30-05:00"],
        id="chicago-handoff-in-the-gap-moves-to-its-end"),
    pytest.param(
        "America/Chicago", "2026-10-30T01:30", "1d", "2026-10-31T01:30-05:00", "2026-11-02T01:30-06:00",
        ["b 2026-10-31T01:30-05:00 2026-11-01T01:30-05:00", "c 2026-11-01T01:30-05:00 2026-11-02T01:30-06:00"],
        id="chicago-handoff-in-the-overlap-at-first-occurrence"),
    pytest.param(
        "Australia/Sydney", "2026-09-20T02:30", "1w", "2026-09-27T02:30+10:00", "2026-10-11T02:30+11:00",
        ["b 2026-09-27T02:30+10:00 2026-10-04T03:00+11:00", "c 2026-10-04T03:00+11:00 2026-10-11T02:30+11:00"],
        id="sydney-weekly-spring-gap-october"),
    pytest.param(
        "Australia/Sydney", "2026-03-22T02:30", "1w", "2026-03-29T02:30+11:00", "2026-04-12T02:30+10:00",
        ["b 2026-03-29T02:30+11:00 2026-04-05T02:30+11:00", "c 2026-04-05T02:30+11:00 2026-04-12T02:30+10:00"],
        id="sydney-weekly-autumn-overlap-april"),
    pytest.param(
        "Australia/Lord_Howe", "2026-10-02T02:15", "1d", "2026-10-03T02:15+10:30", "2026-10-05T02:15+11:00",
        ["b 2026-10-03T02:15+10:30 2026-10-04T02:30+11:00", "c 2026-10-04T02:30+11:00 2026-10-05T02:15+11:00"],
        id="lord-howe-30-minute-gap"),
    pytest.param(
        "Australia/Lord_Howe", "2026-04-03T01:45", "1d", "2026-04-04T01:45+11:00", "2026-04-06T01:45+10:30",
        ["b 2026-04-04T01:45+11:00 2026-04-05T01:45+11:00", "c 2026-04-05T01:45+11:00 2026-04-06T01:45+10:30"],
        id="lord-howe-30-minute-overlap"),
    pytest.param(
        "Europe/London", "2026-03-27T08:00", "12h", "2026-03-28T20:00+00:00", "2026-03-29T20:00+01:00",
        ["a 2026-03-28T20:00+00:00 2026-03-29T08:00+01:00", "b 2026-03-29T08:00+01:00 2026-03-29T20:00+01:00"],
        id="london-12h-night-is-11h-in-spring"),
    pytest.param(
        "Europe/London", "2026-10-23T08:00", "12h", "2026-10-24T20:00+01:00", "2026-10-25T20:00+00:00",
        ["a 2026-10-24T20:00+01:00 2026-10-25T08:00+00:00", "b 2026-10-25T08:00+00:00 2026-10-25T20:00+00:00"],
        id="london-12h-night-is-13h-in-autumn"),
    pytest.param(
        "Europe/Berlin", "2026-10-23T09:00", "1d", "2026-10-24T09:00+02:00", "2026-10-26T09:00+01:00",
        ["b 2026-10-24T09:00+02:00 2026-10-25T09:00+01:00", "c 2026-10-25T09:00+01:00 2026-10-26T09:00+01:00"],
        id="berlin-daily-autumn-25h"),
    pytest.param(
        "America/New_York", "2026-02-23T09:00", "1w", "2026-03-02T09:00-05:00", "2026-03-16T09:00-04:00",
        ["b 2026-03-02T09:00-05:00 2026-03-09T09:00-04:00", "c 2026-03-09T09:00-04:00 2026-03-16T09:00-04:00"],
        id="new-york-weekly-spring"),
    pytest.param(
        "America/New_York", "2026-10-30T09:00", "1d", "2026-10-31T09:00-04:00", "2026-11-02T09:00-05:00",
        ["b 2026-10-31T09:00-04:00 2026-11-01T09:00-05:00", "c 2026-11-01T09:00-05:00 2026-11-02T09:00-05:00"],
        id="new-york-daily-autumn"),
    pytest.param(
        "America/Chicago", "2026-02-22T02:30", "1w", "2026-03-01T02:30-06:00", "2026-03-15T02:30-05:00",
        ["b 2026-03-01T02:30-06:00 2026-03-08T03:00-05:00", "c 2026-03-08T03:00-05:00 2026-03-15T02:30-05:00"],
        id="chicago-weekly-handoff-in-the-gap"),
    pytest.param(
        "America/Chicago", "2026-10-18T01:30", "1w", "2026-10-25T01:30-05:00", "2026-11-08T01:30-06:00",
        ["b 2026-10-25T01:30-05:00 2026-11-01T01:30-05:00", "c 2026-11-01T01:30-05:00 2026-11-08T01:30-06:00"],
        id="chicago-weekly-handoff-in-the-overlap"),
    pytest.param(
        "Australia/Sydney", "2026-10-02T09:00", "1d", "2026-10-03T09:00+10:00", "2026-10-05T09:00+11:00",
        ["b 2026-10-03T09:00+10:00 2026-10-04T09:00+11:00", "c 2026-10-04T09:00+11:00 2026-10-05T09:00+11:00"],
        id="sydney-daily-spring-23h"),
    pytest.param(
        "Australia/Sydney", "2026-04-03T09:00", "1d", "2026-04-04T09:00+11:00", "2026-04-06T09:00+10:00",
        ["b 2026-04-04T09:00+11:00 2026-04-05T09:00+10:00", "c 2026-04-05T09:00+10:00 2026-04-06T09:00+10:00"],
        id="sydney-daily-autumn-25h"),
    pytest.param(
        "Australia/Lord_Howe", "2026-09-20T02:15", "1w", "2026-09-27T02:15+10:30", "2026-10-11T02:15+11:00",
        ["b 2026-09-27T02:15+10:30 2026-10-04T02:30+11:00", "c 2026-10-04T02:30+11:00 2026-10-11T02:15+11:00"],
        id="lord-howe-weekly-30-minute-gap"),
    pytest.param(
        "Australia/Lord_Howe", "2026-03-22T01:45", "1w", "2026-03-29T01:45+11:00", "2026-04-12T01:45+10:30",
        ["b 2026-03-29T01:45+11:00 2026-04-05T01:45+11:00", "c 2026-04-05T01:45+11:00 2026-04-12T01:45+10:30"],
        id="lord-howe-weekly-30-minute-overlap"),
    pytest.param(
        "America/New_York", "2026-03-06T08:00", "12h", "2026-03-07T20:00-05:00", "2026-03-08T20:00-04:00",
        ["a 2026-03-07T20:00-05:00 2026-03-08T08:00-04:00", "b 2026-03-08T08:00-04:00 2026-03-08T20:00-04:00"],
        id="new-york-12h-night-is-11h-in-spring"),
    pytest.param(
        "Australia/Sydney", "2026-04-03T08:00", "12h", "2026-04-04T20:00+11:00", "2026-04-05T20:00+10:00",
        ["a 2026-04-04T20:00+11:00 2026-04-05T08:00+10:00", "b 2026-04-05T08:00+10:00 2026-04-05T20:00+10:00"],
        id="sydney-12h-night-is-13h-in-autumn"),
    pytest.param(
        "Europe/Berlin", "2026-03-28T01:00", "1h", "2026-03-29T01:00+01:00", "2026-03-29T04:00+02:00",
        ["a 2026-03-29T01:00+01:00 2026-03-29T03:00+02:00", "c 2026-03-29T03:00+02:00 2026-03-29T04:00+02:00"],
        id="hourly-turn-inside-the-gap-is-empty"),  # b's 02:00 turn starts and ends at 03:00+02:00
    pytest.param(
        "Europe/Berlin", "2026-10-24T01:00", "1h", "2026-10-25T01:00+02:00", "2026-10-25T04:00+01:00",
        ["a 2026-10-25T01:00+02:00 2026-10-25T02:00+02:00", "b 2026-10-25T02:00+02:00 2026-10-25T03:00+01:00",
         "c 2026-10-25T03:00+01:00 2026-10-25T04:00+01:00"],
        id="hourly-turn-spanning-the-overlap-is-2h"),
]


@pytest.mark.parametrize(("zone", "start", "length", "frm", "to", "expected"), CASES)
def test_handoffs_keep_wall_time(zone: str, start: str, length: str, frm: str, to: str,
                                 expected: list[str]) -> None:
    assert table(zone, start, length, frm, to) == expected
