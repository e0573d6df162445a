"""The one reader and writer of command-line times: forms, zones, DST, relative times."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from opsrepo.errors import UsageError
from opsrepo.instants import Clock, display_zone, parse_when, relative, show

#: Friday 27 March 2026, 12:00 in Berlin; clocks spring forward on Sunday 29 March at 02:00
NOW = datetime.fromisoformat("2026-03-27T11:00:00+00:00")
BERLIN = Clock(NOW, "Europe/Berlin")


@pytest.mark.parametrize(("text", "expected"), [
    ("now", "2026-03-27T12:00:00+01:00"),
    ("today 18:00", "2026-03-27T18:00:00+01:00"),
    ("tomorrow 09:00", "2026-03-28T09:00:00+01:00"),
    # into the spring-forward gap: the first instant after it (SPEC section 2)
    ("sun 02:30", "2026-03-29T03:00:00+02:00"),
    ("sun 09:00", "2026-03-29T09:00:00+02:00"),
    ("fri 12:00", "2026-04-03T12:00:00+02:00"),  # now exactly: strictly after, so next week
    ("fri 12:01", "2026-03-27T12:01:00+01:00"),
    ("FRIDAY", "2026-04-03T00:00:00+02:00"),
    ("+2d", "2026-03-29T13:00:00+02:00"),  # 48 hours, not the same wall time: a duration is elapsed time
    ("-90m", "2026-03-27T10:30:00+01:00"),
    ("2026-03-29T02:30", "2026-03-29T03:00:00+02:00"),
    ("2026-03-27T09:00-05:00", "2026-03-27T15:00:00+01:00"),
])
def test_forms(text: str, expected: str) -> None:
    assert parse_when(text, BERLIN).astimezone(BERLIN.tzinfo).isoformat() == expected


@pytest.mark.parametrize("text", ["", "tomorow", "sat 24:00", "sat 3", "+", "+7", "+7x", "in 3h", "2026-13-01",
                                  "next friday", "9999-01-01T00:00Z"])
def test_what_is_not_a_time_is_a_usage_error_naming_the_option(text: str) -> None:
    with pytest.raises(UsageError) as caught:
        parse_when(text, BERLIN, "--since")
    assert caught.value.message.startswith("--since ")


@pytest.mark.parametrize(("option", "environment", "expected"), [
    (None, {}, "Europe/Berlin"),
    (None, {"TZ": "Asia/Tokyo"}, "Asia/Tokyo"),
    (None, {"TZ": ":America/New_York"}, "America/New_York"),
    (None, {"TZ": "EST+5"}, "Europe/Berlin"),
    (None, {"TZ": "localtime"}, "Europe/Berlin"),
    ("UTC", {"TZ": "Asia/Tokyo"}, "UTC"),
])
def test_the_display_zone_is_tz_else_dollar_tz_else_the_orgs(option: str | None, environment: dict[str, str],
                                                             expected: str) -> None:
    assert display_zone(option, environment, "Europe/Berlin") == expected


def test_a_bad_tz_is_a_usage_error_with_a_did_you_mean() -> None:
    with pytest.raises(UsageError) as caught:
        display_zone("Asia/Tokio", {}, "Europe/Berlin")
    assert (caught.value.message, caught.value.hint) == \
        ("--tz 'Asia/Tokio': 'Asia/Tokio' is not an IANA timezone", "did you mean 'Asia/Tokyo'?")


@pytest.mark.parametrize(("delta", "expected"), [
    (timedelta(seconds=59), "now"), (timedelta(seconds=-59), "now"), (timedelta(minutes=25), "in 25 min"),
    (timedelta(hours=13), "in 13 h"), (timedelta(hours=-3, minutes=-10), "3 h 10 min ago"),
    (timedelta(days=2, hours=4, minutes=59), "in 2 d 4 h"), (timedelta(days=-9), "9 d ago"),
])
def test_relative(delta: timedelta, expected: str) -> None:
    assert relative(NOW + delta, NOW) == expected


def test_show_gives_the_wall_time_its_zone_and_how_far() -> None:
    assert show(datetime.fromisoformat("2026-03-29T07:00:00+00:00"), BERLIN) == \
        "Sun 2026-03-29 09:00 CEST (in 1 d 20 h)"
    assert show(datetime.fromisoformat("2026-03-27T10:59:30+00:00"), Clock(NOW, "Asia/Kolkata")) == \
        "Fri 2026-03-27 16:29:30 IST (now)"
