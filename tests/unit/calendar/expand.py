"""An independent reader of our feeds: VTIMEZONE transitions applied by hand, not by zoneinfo."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from icalendar import Calendar


@dataclass(frozen=True)
class Expanded:
    """One VEVENT as instants, with the person id from its description."""

    uid: str
    person: str
    start: datetime
    end: datetime
    summary: str


def raw(value: object) -> str:
    """A property's value as written in the file."""
    text = value.to_ical()  # type: ignore[attr-defined]
    return text.decode("utf-8") if isinstance(text, bytes) else str(text)


def _offset(text: str) -> timedelta:
    sign = -1 if text.startswith("-") else 1
    return sign * timedelta(hours=int(text[1:3]), minutes=int(text[3:5]))


def transitions(feed: Calendar) -> list[tuple[datetime, timedelta]]:
    """``(UTC instant, offset from then on)`` from the feed's VTIMEZONE, oldest first."""
    found = []
    for zone in feed.walk("VTIMEZONE"):
        for part in zone.subcomponents:
            local = datetime.strptime(raw(part["DTSTART"]), "%Y%m%dT%H%M%S")
            before, after = _offset(raw(part["TZOFFSETFROM"])), _offset(raw(part["TZOFFSETTO"]))
            found.append(((local - before).replace(tzinfo=UTC), after, before))
    found.sort()
    if not found:
        return []
    return [(datetime.min.replace(tzinfo=UTC), found[0][2])] + [(at, after) for at, after, _ in found]


def to_instant(wall: datetime, table: list[tuple[datetime, timedelta]]) -> datetime:
    """The first instant whose local time in ``table`` is ``wall``."""
    candidates = []
    for index, (since, offset) in enumerate(table):
        until = table[index + 1][0] if index + 1 < len(table) else datetime.max.replace(tzinfo=UTC)
        instant = (wall - offset).replace(tzinfo=UTC)
        if since <= instant < until:
            candidates.append(instant)
    assert candidates, f"{wall} does not exist in the feed's VTIMEZONE"
    return min(candidates)


def expand(data: bytes) -> list[Expanded]:
    """Every event of a feed, in file order."""
    feed = Calendar.from_ical(data)
    table = transitions(feed)
    events = []
    for event in feed.walk("VEVENT"):
        bounds = []
        for name in ("DTSTART", "DTEND"):
            text = raw(event[name])
            wall = datetime.strptime(text.rstrip("Z"), "%Y%m%dT%H%M%S")
            bounds.append(wall.replace(tzinfo=UTC) if text.endswith("Z") else to_instant(wall, table))
        person = re.search(r"On call: .* \(([a-z0-9-]+)\)", str(event["DESCRIPTION"]))
        assert person is not None
        events.append(Expanded(str(event["UID"]), person.group(1), bounds[0], bounds[1], str(event["SUMMARY"])))
    return events
