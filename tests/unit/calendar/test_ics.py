"""Feeds parsed back with icalendar and expanded independently equal the engine's shifts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from icalendar import Event

from opsrepo import model as m
from opsrepo.calendar import ics
from opsrepo.oncall import Shift, on_call, whole_shifts
from opsrepo.timeutil import get_zone
from tests.unit.calendar.expand import expand
from tests.unit.oncall.builders import at, layer, person, repo, schedule
from tests.unit.oncall.strategies import ZONES, ranges, repos

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
STAMP = datetime(2026, 1, 1, tzinfo=UTC)


def feed_of(data: m.Repo, sid: str, start: datetime, end: datetime) -> tuple[list[Shift], bytes]:
    shifts = whole_shifts(data, sid, start, end)
    return shifts, ics.schedule_feed(data, data.schedules[sid], shifts, STAMP)


@SETTINGS
@given(repos(), ranges())
def test_events_equal_the_engines_shifts(data: m.Repo, span: tuple[datetime, datetime]) -> None:
    for sid in ("s", "d"):
        shifts, feed = feed_of(data, sid, *span)
        events = expand(feed)
        assert [(e.person, e.start, e.end) for e in events] == [(s.person, s.start, s.end) for s in shifts]
        assert len({e.uid for e in events}) == len(events)


@SETTINGS
@given(repos(), ranges())
def test_person_feeds_in_their_own_zones_equal_the_engines_shifts(data: m.Repo,
                                                                  span: tuple[datetime, datetime]) -> None:
    shifts = {sid: whole_shifts(data, sid, *span) for sid in ("s", "d")}
    for pid, who in data.people.items():  # the strategy gives people zones other than their schedules'
        theirs = sorted((s for found in shifts.values() for s in found if s.person == pid),
                        key=lambda s: (s.start, s.schedule))
        events = expand(ics.person_feed(data, who, theirs, STAMP))
        assert [(e.person, e.start, e.end, e.uid) for e in events] == \
            [(s.person, s.start, s.end, ics.uid(s)) for s in theirs]


@SETTINGS
@given(repos(), ranges(), st.data())
def test_oncall_at_t_agrees_with_the_feed_at_t(data: m.Repo, span: tuple[datetime, datetime],
                                               draw: st.DataObject) -> None:
    start, end = span
    instant = start + timedelta(minutes=draw.draw(st.integers(0, int((end - start).total_seconds() // 60) - 1)))
    _, feed = feed_of(data, "s", start, end)
    holding = [e.person for e in expand(feed) if e.start <= instant < e.end]
    shift = on_call(data, "s", instant)
    assert holding == ([shift.person] if shift else [])


UNICODE = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=200)
TEXT = st.one_of(
    UNICODE,
    # ASCII (folded by whole pieces) with the escapes and the characters a fold must not split from them
    st.text(st.sampled_from("ab;,\\^\nN\r:"), min_size=70, max_size=400),
)


@settings(max_examples=300, deadline=None)
@given(TEXT, TEXT, st.sampled_from((*ZONES, "GMT", "Etc/GMT+5", "Asia/Kathmandu")),
       st.integers(0, 400 * 24 * 4), st.integers(1, 24 * 4 * 30))
def test_our_vevent_bytes_are_icalendars(title: str, description: str, zone: str, quarter: int, length: int) -> None:
    start = datetime(2026, 1, 1, tzinfo=UTC) + timedelta(minutes=15 * quarter)
    shift = Shift("s", "ana", start, start + timedelta(minutes=15 * length), "layer", "weekly")
    tz = get_zone(zone)
    reference = Event()
    reference.add("summary", title)
    for name, instant in (("dtstart", shift.start), ("dtend", shift.end)):
        local = instant.astimezone(tz)
        ambiguous = local.replace(fold=0).astimezone(UTC) != instant
        reference.add(name, instant.astimezone(UTC) if ambiguous else local)
    reference.add("dtstamp", STAMP)
    reference.add("uid", ics.uid(shift))
    reference.add("categories", ["on-call"])
    reference.add("description", description)
    reference.add("transp", "TRANSPARENT")
    ours = ics.event_text(shift, tz, zone, "DTSTAMP:20260101T000000Z", title, description)
    assert ours == reference.to_ical().decode("utf-8")


def test_an_instant_in_the_second_hour_of_a_fall_back_is_written_in_utc() -> None:
    away = person("ana", "UTC", off=[("2026-10-25T01:30", "2026-10-26T00:00")])
    data = repo(schedule("s", layer("weekly", "ana ben", "2026-10-19T09:00", "1w")), people=[away])
    _, feed = feed_of(data, "s", at("2026-10-25T00:00+02:00"), at("2026-10-25T12:00+01:00"))
    text = feed.decode("utf-8")
    # ana's time off begins at 01:30Z: 02:30 in Berlin, in the second run of the fall-back hour
    assert "DTEND:20261025T013000Z\r\n" in text
    assert "DTSTART:20261025T013000Z\r\n" in text
    assert [(e.person, e.start) for e in expand(feed)] == [
        ("ana", at("2026-10-19T09:00+02:00")), ("ben", at("2026-10-25T01:30Z"))]


def test_uids_are_stable_across_ranges_and_change_with_the_shift() -> None:
    data = repo(schedule("s", layer("weekly", "ana ben", "2026-11-02T09:00", "1w")))
    november = expand(feed_of(data, "s", at("2026-11-01T00:00+01:00"), at("2026-12-01T00:00+01:00"))[1])
    december = expand(feed_of(data, "s", at("2026-11-20T00:00+01:00"), at("2027-01-01T00:00+01:00"))[1])
    shared = {e.start: e.uid for e in november}
    both = [e for e in december if e.start in shared]
    assert [e.uid for e in both] == [shared[e.start] for e in both]
    assert [e.start for e in both] == [at("2026-11-16T09:00+01:00"), at("2026-11-23T09:00+01:00"),
                                       at("2026-11-30T09:00+01:00")]  # whole shifts in both feeds
    swapped = repo(schedule("s", layer("weekly", "ben ana", "2026-11-02T09:00", "1w")))
    assert not {e.uid for e in expand(feed_of(swapped, "s", at("2026-11-01T00:00+01:00"),
                                               at("2026-12-01T00:00+01:00"))[1])} & set(shared.values())


def test_summary_names_schedule_person_and_layer_or_override() -> None:
    data = repo(schedule("s", layer("weekly", "ana", "2026-11-02T09:00", "1w")), people=[person("ben")])
    names = {"layer": ("weekly", None), "override": ("swap, with ben", None), "time-off-cover": ("weekly", "ben")}
    found = [ics.summary(data, Shift("s", "ana", STAMP, STAMP, kind, source, cover))
             for kind, (source, cover) in names.items()]
    assert found == ["S: Ana (weekly)", "S: Ana (override: swap, with ben)", "S: Ana (weekly, covering Ben)"]


@SETTINGS
@given(repos(), ranges())
def test_feeds_reusing_made_events_are_the_feeds_made_alone(data: m.Repo, span: tuple[datetime, datetime]) -> None:
    made = ics.Events()
    shifts = {sid: whole_shifts(data, sid, *span) for sid in ("s", "d")}
    for sid, found in shifts.items():
        assert ics.schedule_feed(data, data.schedules[sid], found, STAMP, made) == \
            ics.schedule_feed(data, data.schedules[sid], found, STAMP)
    for pid, who in data.people.items():  # people in other zones than the schedules' too
        theirs = sorted((s for found in shifts.values() for s in found if s.person == pid),
                        key=lambda s: (s.start, s.schedule))
        assert ics.person_feed(data, who, theirs, STAMP, made) == ics.person_feed(data, who, theirs, STAMP)


LEADS = st.lists(st.sampled_from([timedelta(0), timedelta(minutes=15), timedelta(hours=1), timedelta(days=1),
                                  timedelta(days=1, hours=2, minutes=30), timedelta(seconds=90)]),
                 max_size=3, unique=True)


@settings(max_examples=100, deadline=None)
@given(TEXT, st.sampled_from(ZONES), st.integers(0, 400 * 24 * 4), LEADS)
def test_our_alarms_are_icalendars(title: str, zone: str, quarter: int, leads: list[timedelta]) -> None:
    from icalendar import Alarm

    start = datetime(2026, 1, 1, tzinfo=UTC) + timedelta(minutes=15 * quarter)
    shift = Shift("s", "ana", start, start + timedelta(hours=12), "layer", "weekly")
    tz = get_zone(zone)
    reference = Event()
    reference.add("summary", title)
    for name, instant in (("dtstart", shift.start), ("dtend", shift.end)):
        local = instant.astimezone(tz)
        ambiguous = local.replace(fold=0).astimezone(UTC) != instant
        reference.add(name, instant.astimezone(UTC) if ambiguous else local)
    reference.add("dtstamp", STAMP)
    reference.add("uid", ics.uid(shift))
    reference.add("categories", ["on-call"])
    reference.add("description", "d")
    reference.add("transp", "TRANSPARENT")
    for lead in leads:
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", f"On call {'in ' + ics.format_duration(lead) if lead else 'now'}: {title}")
        alarm.add("trigger", -lead)
        reference.add_component(alarm)
    ours = ics.event_text(shift, tz, zone, "DTSTAMP:20260101T000000Z", title, "d", leads)
    assert ours == reference.to_ical().decode("utf-8")


def test_person_feeds_remind_before_each_shift_and_parse_with_icalendar() -> None:
    from icalendar import Calendar

    data = repo(schedule("s", layer("weekly", "ana ben", "2026-11-02T09:00", "1w")), people=[person("ana")])
    shifts = [s for s in whole_shifts(data, "s", at("2026-11-01T00:00+01:00"), at("2026-12-01T00:00+01:00"))
              if s.person == "ana"]
    feed = Calendar.from_ical(ics.person_feed(data, data.people["ana"], shifts, STAMP,
                                              alarms=[timedelta(days=1), timedelta(minutes=15)]))
    events = feed.walk("VEVENT")
    assert [str(e["uid"]) for e in events] == [ics.uid(s) for s in shifts]
    assert [(str(a["action"]), a["trigger"].dt, str(a["description"])) for a in events[0].walk("VALARM")] == [("DISPLAY", -timedelta(days=1), "On call in 1d: S: Ana (weekly)"),
                                    ("DISPLAY", -timedelta(minutes=15), "On call in 15m: S: Ana (weekly)")]
    assert all(len(e.walk("VALARM")) == 2 for e in events)
    # the org's default (calendar.alarms): one reminder an hour before; none asked: none written
    assert b"TRIGGER:-PT1H" in ics.person_feed(data, data.people["ana"], shifts, STAMP)
    assert b"VALARM" not in ics.person_feed(data, data.people["ana"], shifts, STAMP, alarms=[])
    assert b"VALARM" not in ics.schedule_feed(data, data.schedules["s"], shifts, STAMP)


def test_a_team_feed_holds_its_schedules_shifts_with_their_uids() -> None:
    team = m.Team("ops", "Operations", m.Src(None))
    data = repo(schedule("a", layer("weekly", "ana ben", "2026-11-02T09:00", "1w")),
                schedule("b", layer("daily", "cleo", "2026-11-02T09:00", "1d"), zone="Europe/London"))
    shifts = sorted((s for sid in ("a", "b") for s in whole_shifts(data, sid, at("2026-11-01T00:00+01:00"),
                                                                     at("2026-11-15T00:00+01:00"))),
                    key=lambda s: (s.start, s.schedule))
    events = expand(ics.team_feed(data, team, shifts, STAMP))
    assert [(e.person, e.start, e.end, e.uid) for e in events] == [(s.person, s.start, s.end, ics.uid(s))
                                                                  for s in shifts]
