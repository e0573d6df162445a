"""Instants as messages write them."""

from __future__ import annotations

from datetime import UTC, datetime

from opsrepo.timeutil import format_instant, format_wall, get_zone


def test_format_instant_to_the_minute_in_the_zone() -> None:
    at = datetime(2026, 3, 29, 7, 0, tzinfo=UTC)
    assert format_instant(at, get_zone("Europe/Berlin")) == "2026-03-29T09:00+02:00"


def test_format_instant_keeps_seconds_when_it_has_them() -> None:
    at = datetime(2026, 1, 5, 8, 0, 30, tzinfo=UTC)
    assert format_instant(at, get_zone("America/New_York")) == "2026-01-05T03:00:30-05:00"


def test_format_instant_drops_microseconds_to_the_second() -> None:
    at = datetime(2026, 1, 5, 8, 0, 0, 250, tzinfo=UTC)
    assert format_instant(at, get_zone("UTC")) == "2026-01-05T08:00:00+00:00"


def test_format_wall_keeps_a_wall_time_naive_to_the_minute_or_second() -> None:
    assert format_wall(datetime(2026, 12, 24, 9, 0)) == "2026-12-24T09:00"
    assert format_wall(datetime(2026, 12, 24, 9, 0, 30)) == "2026-12-24T09:00:30"
