"""VTIMEZONE blocks read by the RFC 5545 rules give the tz database's instants."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from icalendar import Calendar

from opsrepo.calendar.vtimezone import vtimezone, vtimezone_text
from opsrepo.timeutil import get_zone
from tests.unit.calendar.expand import to_instant, transitions
from tests.unit.oncall.strategies import ZONES


@pytest.mark.parametrize("zone", [*ZONES, "America/Sao_Paulo", "Europe/Dublin", "Asia/Tehran"])
def test_every_half_hour_of_a_year_maps_back(zone: str) -> None:
    feed = Calendar()
    feed.add_component(vtimezone(zone, date(2025, 12, 30), date(2027, 12, 31)))
    table = transitions(Calendar.from_ical(feed.to_ical()))
    tz = get_zone(zone)
    instant = datetime(2026, 1, 1, tzinfo=UTC)
    while instant < datetime(2027, 1, 1, tzinfo=UTC):
        local = instant.astimezone(tz)
        if local.replace(fold=0).astimezone(UTC) == instant:  # the first (or only) instant of its wall time
            assert to_instant(local.replace(tzinfo=None), table) == instant, (zone, instant)
        instant += timedelta(minutes=30)


def test_a_spring_onset_is_written_in_the_offset_before_the_change() -> None:
    text = vtimezone("Europe/Berlin", date(2026, 3, 1), date(2026, 4, 1)).to_ical().decode()
    assert text == (
        "BEGIN:VTIMEZONE\r\nTZID:Europe/Berlin\r\n"
        "BEGIN:STANDARD\r\nDTSTART:20260301T010000\r\nTZNAME:CET\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0100\r\n"
        "END:STANDARD\r\n"
        "BEGIN:DAYLIGHT\r\nDTSTART:20260329T020000\r\nTZNAME:CEST\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\n"
        "END:DAYLIGHT\r\nEND:VTIMEZONE\r\n"
    )


@settings(max_examples=150, deadline=None)
@given(st.sampled_from([*ZONES, "America/Sao_Paulo", "Europe/Dublin", "Asia/Tehran", "Pacific/Chatham", "UTC"]),
       st.dates(date(1950, 1, 1), date(2040, 12, 31)), st.integers(0, 3 * 366))
def test_the_text_made_from_cached_observances_is_the_components(zone: str, first: date, days: int) -> None:
    last = first + timedelta(days=days)
    assert vtimezone_text(zone, first, last) == vtimezone(zone, first, last).to_ical().decode("utf-8")
