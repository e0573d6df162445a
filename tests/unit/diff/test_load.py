from __future__ import annotations

from datetime import datetime

from opsrepo import model as m
from opsrepo.diff.load import person_load
from opsrepo.diff.model import Load
from opsrepo.diff.timeline import Segment
from opsrepo.timeutil import get_zone

BERLIN = get_zone("Europe/Berlin")


def berlin(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=BERLIN)  # type: ignore[misc]


def person(country: str | None = "DE", zone: str = "Europe/Berlin", subdivision: str | None = None) -> m.Person:
    return m.Person("ana", "Ana", zone, "core", m.Src(None), country=country, subdivision=subdivision)


def test_a_weekend_turn() -> None:
    segment = Segment(berlin(2026, 11, 27, 18), berlin(2026, 11, 30, 9), "ana")
    # three nights of 8 h; Saturday and Sunday touched; no holiday
    assert person_load([segment], person(), "UTC") == Load(hours=63, night_hours=24, nights=3, weekend_days=2, holidays=0)


def test_nights_are_in_the_persons_zone_and_follow_dst() -> None:
    # the night of the spring-forward change in Berlin lasts 7 h
    segment = Segment(berlin(2027, 3, 27, 12), berlin(2027, 3, 28, 12), "ana")
    assert person_load([segment], person(), "UTC") == Load(hours=23, night_hours=7, nights=1, weekend_days=2, holidays=0)
    # the same instants for someone in New York: their night is 22:00-06:00 New York time
    new_york = person(country=None, zone="America/New_York")
    assert person_load([segment], new_york, "UTC").night_hours == 8


def test_public_holidays_by_country() -> None:
    segment = Segment(berlin(2026, 12, 24, 9), berlin(2026, 12, 26, 9), "ana")
    # 25 and 26 December are German holidays, and the 26th is a Saturday
    assert person_load([segment], person(), "UTC") == Load(hours=48, night_hours=16, nights=2, weekend_days=1, holidays=2)
    assert person_load([segment], person(country="US"), "UTC").holidays == 1


def test_subdivision_holidays() -> None:
    # Epiphany (6 January) is a holiday in Bavaria, not in Berlin
    segment = Segment(berlin(2027, 1, 6, 9), berlin(2027, 1, 6, 17), "ana")
    assert person_load([segment], person(subdivision="BY"), "UTC").holidays == 1
    assert person_load([segment], person(subdivision="BE"), "UTC").holidays == 0


def test_unknown_countries_have_no_holidays() -> None:
    segment = Segment(berlin(2026, 12, 25, 9), berlin(2026, 12, 25, 17), "ana")
    assert person_load([segment], person(country="XX"), "UTC").holidays == 0
    assert person_load([segment], person(country="DE", subdivision="NOPE"), "UTC").holidays == 0


def test_an_unknown_person_uses_the_fallback_zone_and_has_no_holidays() -> None:
    segment = Segment(berlin(2026, 12, 25, 20), berlin(2026, 12, 26, 2), "ghost")
    # 20:00-02:00 Berlin is 19:00-01:00 UTC: 3 night hours in UTC
    assert person_load([segment], None, "UTC") == Load(hours=6, night_hours=3, nights=1, weekend_days=1, holidays=0)


def test_a_day_counts_once_across_segments() -> None:
    segments = [Segment(berlin(2026, 11, 28, 8), berlin(2026, 11, 28, 12), "ana"),
                Segment(berlin(2026, 11, 28, 14), berlin(2026, 11, 28, 20), "ana")]
    assert person_load(segments, person(), "UTC") == Load(hours=10, night_hours=0, nights=0, weekend_days=1, holidays=0)


def test_a_segment_ending_at_midnight_does_not_touch_the_next_day() -> None:
    segment = Segment(berlin(2026, 11, 27, 12), berlin(2026, 11, 28, 0), "ana")
    assert person_load([segment], person(), "UTC") == Load(hours=12, night_hours=2, nights=1, weekend_days=0, holidays=0)
