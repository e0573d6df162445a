"""The range ``opsrepo calendar`` and ``opsrepo build`` render: calendar.months of opsrepo.yaml, or six."""

from __future__ import annotations

from dataclasses import replace

from opsrepo.calendar.request import calendar_range
from tests.unit.oncall.builders import at, repo


def test_the_default_range_is_calendar_months_from_this_month() -> None:
    data = repo()
    now = at("2026-11-23T09:00+00:00")
    assert calendar_range(data, now, None, None) == (at("2026-11-01T00:00+01:00"), at("2027-05-01T00:00+02:00"))
    three = replace(data, org=replace(data.org, calendar_months=3))
    assert calendar_range(three, now, None, None) == (at("2026-11-01T00:00+01:00"), at("2027-02-01T00:00+01:00"))
    assert calendar_range(three, now, "2026-12-15", None) == (at("2026-12-15T00:00+01:00"),
                                                              at("2027-03-15T00:00+01:00"))
