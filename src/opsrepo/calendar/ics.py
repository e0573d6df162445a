"""iCalendar feeds of final shifts, per schedule, per person and per team (RFC 5545, via ``icalendar``).

A shift's UID is derived from what makes it that shift (schedule, person,
kind, source and start), so rebuilding the feed keeps every unchanged
shift's UID and calendar apps update events in place instead of duplicating
them. DTSTAMP is the start of the rendered range, not the clock, so an
unchanged schedule renders byte-identical files. A person's feed reminds
them before each shift: one VALARM (``ACTION:DISPLAY``) per lead time of
``calendar.alarms`` in opsrepo.yaml (1 hour by default).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta, tzinfo
from functools import lru_cache

from icalendar import Calendar, Event, vText

from opsrepo import __version__
from opsrepo.calendar.vtimezone import vtimezone_text
from opsrepo.model import Person, Repo, Schedule, Team
from opsrepo.oncall import Shift
from opsrepo.timeutil import format_duration, get_zone

PRODID = f"-//opsrepo//opsrepo {__version__}//EN"
#: calendar apps re-fetch feeds this often
REFRESH = timedelta(hours=1)


def uid(shift: Shift) -> str:
    """The shift's stable UID."""
    key = "|".join((shift.schedule, shift.person, shift.kind, shift.source, _isoformat(shift.start)))
    return f"{hashlib.sha256(key.encode('utf-8')).hexdigest()[:32]}@opsrepo"


@lru_cache(maxsize=1 << 16)  # shared handoff instants again
def _isoformat(instant: datetime) -> str:
    """The instant in UTC (as the engine gives shifts), so equal instants cached under any offset agree."""
    return instant.astimezone(UTC).isoformat()


def summary(repo: Repo, shift: Shift) -> str:
    """``Payments primary: Alice Moreau (weekly)``: the schedule, the person, the layer or override."""
    schedule = repo.schedules.get(shift.schedule)
    title = schedule.name if schedule else shift.schedule
    if shift.kind == "override":
        why = "override" if shift.source == "override" else f"override: {shift.source}"
    elif shift.kind == "time-off-cover":
        why = f"{shift.source}, covering {_name(repo, shift.covering_for or '')}"
    else:
        why = shift.source
    return f"{title}: {_name(repo, shift.person)} ({why})"


#: VEVENT texts made, by the shift object's id, zone and DTSTAMP line (a person's feed repeats their
#: schedules' events); each text is kept with its shift, so an id reused by another object never matches
Events = dict[tuple[int, str, str], tuple[Shift, str]]


def schedule_feed(repo: Repo, schedule: Schedule, shifts: Sequence[Shift], stamp: datetime,
                  made: Events | None = None) -> bytes:
    """The feed of one schedule's shifts, in the schedule's timezone (``made``: events to reuse and keep)."""
    name = f"On call: {schedule.name}"
    return _feed(repo, name, schedule.timezone, shifts, stamp, schedule.description, made)


def person_feed(repo: Repo, person: Person, shifts: Sequence[Shift], stamp: datetime,
                made: Events | None = None, alarms: Sequence[timedelta] | None = None) -> bytes:
    """The feed of one person's shifts in every schedule, in the person's timezone, with reminders.

    ``alarms``: the lead times of the reminders (default: the org's ``calendar.alarms``).
    """
    leads = tuple(repo.org.calendar_alarms if alarms is None else alarms)
    return _feed(repo, f"On call: {person.name}", person.timezone, shifts, stamp, None, made, leads)


def team_feed(repo: Repo, team: Team, shifts: Sequence[Shift], stamp: datetime,
              made: Events | None = None) -> bytes:
    """Every shift of the schedules a team owns: in their timezone, or the org's when theirs differ."""
    zones = {repo.schedules[s.schedule].timezone for s in shifts if s.schedule in repo.schedules}
    zone = zones.pop() if len(zones) == 1 else repo.org.timezone
    return _feed(repo, f"On call: {team.name}", zone, shifts, stamp, team.description, made)


def _feed(repo: Repo, name: str, zone: str, shifts: Sequence[Shift], stamp: datetime,
          description: str | None, made: Events | None, alarms: tuple[timedelta, ...] = ()) -> bytes:
    """The calendar: envelope and VTIMEZONE from ``icalendar``, events from :func:`event_text`."""
    feed = Calendar()
    feed.add("prodid", PRODID)
    feed.add("version", "2.0")
    feed.add("calscale", "GREGORIAN")
    feed.add("method", "PUBLISH")
    # vText: escaped as TEXT (a name or description may hold a newline, which icalendar refuses raw)
    feed.add("x-wr-calname", vText(name))
    feed.add("x-wr-timezone", zone)
    feed.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    feed.add("x-published-ttl", "PT1H")
    if description:
        feed.add("x-wr-caldesc", vText(description))
    envelope = feed.to_ical().decode("utf-8").removesuffix(_END)
    if shifts and not _is_utc(zone):  # as feed.add_component(vtimezone(...)) writes it, made faster
        first, last = min(s.start for s in shifts) - _MARGIN, max(s.end for s in shifts) + _MARGIN
        envelope += vtimezone_text(zone, first.date(), last.date())
    tz, stamped = get_zone(zone), f"DTSTAMP:{stamp.astimezone(UTC):%Y%m%dT%H%M%SZ}"
    events = _events(repo, shifts, tz, zone, stamped, made, alarms)
    return (envelope + events + _END).encode("utf-8")


def _events(repo: Repo, shifts: Sequence[Shift], tz: tzinfo, zone: str, stamped: str,
            made: Events | None, alarms: tuple[timedelta, ...] = ()) -> str:
    """Every shift's VEVENT; the text around the times is made once per person, layer and kind.

    ``made`` shares events without reminders between feeds (a person's feed
    repeats their schedules' events). With ``alarms`` an event is such a text
    with the VALARMs before its end, made once per person, layer and kind too.
    """
    around: dict[tuple[str, str, str, str, str | None], tuple[str, str]] = {}
    endings: dict[tuple[str, str, str, str, str | None], str] = {}
    cut = -len(_EVENT_END)
    events = []
    for shift in shifts:
        if made is not None:
            kept = made.get((id(shift), zone, stamped))
            if kept is not None and kept[0] is shift:
                if not alarms:
                    events.append(kept[1])
                    continue
                key = (shift.schedule, shift.person, shift.kind, shift.source, shift.covering_for)
                ending = endings.get(key)
                if ending is None:
                    ending = endings[key] = alarm_text(summary(repo, shift), alarms) + _EVENT_END
                events += (kept[1][:cut], ending)
                continue
        key = (shift.schedule, shift.person, shift.kind, shift.source, shift.covering_for)
        found = around.get(key)
        if found is None:
            title = summary(repo, shift)
            found = around[key] = (_head(title), _tail(description(repo, shift), alarm_text(title, alarms)))
        text = _event(found, shift, _local(shift.start, tz, zone), _local(shift.end, tz, zone), stamped)
        if made is not None and not alarms:
            made[id(shift), zone, stamped] = (shift, text)
        events.append(text)
    return "".join(events)


_END = "END:VCALENDAR\r\n"
_EVENT_END = "END:VEVENT\r\n"
#: the VTIMEZONE covers the events' span and this much either side
_MARGIN = timedelta(days=2)


@lru_cache(maxsize=512)
def _is_utc(zone: str) -> bool:
    """Whether icalendar writes times in ``zone`` as UTC (``...Z``, no TZID): UTC, GMT and their aliases."""
    probe = Event()
    probe.add("dtstart", datetime(2000, 1, 1, tzinfo=get_zone(zone)))
    return b"DTSTART:" in probe.to_ical()


def event_text(shift: Shift, tz: tzinfo, zone: str, stamped: str, title: str, description: str,
               alarms: Sequence[timedelta] = ()) -> str:
    """One VEVENT exactly as ``icalendar.Event.to_ical()`` writes it, at a fraction of the cost.

    icalendar builds an object per property and folds each line character by
    character (about 0.2 ms an event); a year of an org's shifts is hundreds of
    thousands of events. Tests check the bytes are the same as icalendar's.
    """
    start, end = _local(shift.start, tz, zone), _local(shift.end, tz, zone)
    tail = _tail(description, alarm_text(title, tuple(alarms)))
    return _event((_head(title), tail), shift, start, end, stamped)


def alarm_text(title: str, alarms: Sequence[timedelta]) -> str:
    """One VALARM per lead time, as icalendar writes an ``Alarm`` (DISPLAY, a text, the trigger)."""
    return "".join(
        "BEGIN:VALARM\r\nACTION:DISPLAY\r\n"
        + _fold("DESCRIPTION:" + _text(f"On call {_when(lead)}: {title}"))
        + f"\r\nTRIGGER:{_trigger(lead)}\r\nEND:VALARM\r\n"
        for lead in alarms)


def _when(lead: timedelta) -> str:
    return f"in {format_duration(lead)}" if lead else "now"


@lru_cache(maxsize=64)
def _trigger(lead: timedelta) -> str:
    """``-PT1H``: ``lead`` before the event's start, as icalendar writes a duration."""
    from icalendar.prop import vDuration

    text: bytes = vDuration(-lead).to_ical()
    return text.decode("ascii")


def _head(title: str) -> str:
    return "BEGIN:VEVENT\r\n" + _fold("SUMMARY:" + _text(title)) + "\r\n"


def _tail(description: str, alarms: str = "") -> str:
    return ("CATEGORIES:on-call\r\n" + _fold("DESCRIPTION:" + _text(description))
            + "\r\nTRANSP:TRANSPARENT\r\n" + alarms + "END:VEVENT\r\n")


def _event(around: tuple[str, str], shift: Shift, start: str, end: str, stamped: str) -> str:
    return (f"{around[0]}{_fold('DTSTART' + start)}\r\n{_fold('DTEND' + end)}\r\n{stamped}\r\n"
            f"UID:{uid(shift)}\r\n{around[1]}")


@lru_cache(maxsize=1 << 16)  # an org's schedules share their handoff instants (Mondays 09:00 and so on)
def _local(instant: datetime, tz: tzinfo, zone: str) -> str:
    """``;TZID=Europe/Berlin:20261123T090000`` (after DTSTART or DTEND); in UTC (``:...Z``) where ambiguous.

    A wall time in a fall-back overlap names two instants and readers take the
    first; an instant at the second occurrence is written in UTC instead.
    """
    local = instant.astimezone(tz)
    if local.fold or _is_utc(zone):  # fold: the second run of a wall time (PEP 495)
        return f":{_basic(instant.astimezone(UTC))}Z"
    return f";TZID={zone}:{_basic(local)}"


def _basic(instant: datetime) -> str:
    """``20261123T090000``: the wall time in ISO 8601 basic format, to the second (isoformat is C-fast)."""
    return instant.isoformat()[:19].replace("-", "").replace(":", "")


def _text(value: str) -> str:
    """RFC 5545 TEXT escaping, in icalendar's order."""
    return (value.replace("\\N", "\n").replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n"))


def _fold(line: str, limit: int = 75) -> str:
    """Lines longer than 75 octets folded as icalendar folds them (never inside an escape)."""
    if len(line) < limit and (line.isascii() or len(line.encode("utf-8")) < limit):
        return line
    if line.isascii():  # one octet a character: cut every limit - 1 characters
        return "\r\n ".join(_ascii_pieces(line, limit - 1))
    folded: list[str] = []
    current: list[str] = []
    count = 0
    for char in line:
        size = len(char.encode("utf-8"))
        if current and count + size >= limit:
            if len(current) > 1 and current[-1] in "\\^":
                carried = current.pop()
                folded.append("".join(current))
                current, count = [carried], len(carried.encode("utf-8"))
            else:
                folded.append("".join(current))
                current, count = [], 0
        current.append(char)
        count += size
    folded.append("".join(current))
    return "\r\n ".join(folded)


def _ascii_pieces(line: str, width: int) -> list[str]:
    """``line`` cut every ``width`` characters; an escape's first character moves to the next piece."""
    pieces, at, size = [], 0, len(line)
    while size - at > width:
        cut = at + width
        if line[cut - 1] in "\\^":
            cut -= 1
        pieces.append(line[at:cut])
        at = cut
    pieces.append(line[at:])
    return pieces


def description(repo: Repo, shift: Shift) -> str:
    """The event's DESCRIPTION: schedule, person, layer or override, and the schedule's file."""
    schedule = repo.schedules.get(shift.schedule)
    lines = [f"Schedule: {schedule.name if schedule else shift.schedule} ({shift.schedule})",
             f"On call: {_name(repo, shift.person)} ({shift.person})"]
    if shift.kind == "override":
        lines.append(f"Override: {shift.source}")
    elif shift.kind == "time-off-cover":
        lines.append(f"Covering {_name(repo, shift.covering_for or '')}'s time off in layer {shift.source}")
    else:
        lines.append(f"Layer: {shift.source}")
    if schedule is not None and schedule.src.document is not None:
        lines.append(f"Source: {schedule.src.file}")
    return "\n".join(lines)


def _name(repo: Repo, person_id: str) -> str:
    person = repo.people.get(person_id)
    return person.name if person else person_id
