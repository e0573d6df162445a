"""VTIMEZONE components built from the tz database, with RFC 5545 onsets.

``icalendar.Timezone.from_tzid`` writes a spring-forward onset as the wall
time after the jump (``DTSTART:20260329T030000`` with ``TZOFFSETFROM:+0100``),
which RFC 5545 reads as 02:00 UTC, an hour late; the RFC's own examples give
the onset in the offset before the change (``02:00``). Clients that know the
IANA name ignore the block, but those that do not would shift a whole night
of shifts. So the components are built here from the transitions themselves
(still as ``icalendar`` components).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache

from icalendar import Timezone, TimezoneDaylight, TimezoneStandard

from opsrepo.timeutil import get_zone

_STEP = timedelta(hours=12)


Transition = tuple[datetime, timedelta, timedelta, str, bool]


def transitions(zone: str, first: date, last: date) -> tuple[Transition, ...]:
    """``(instant, offset before, offset after, name after, daylight after)`` in ``(first, last]``.

    ``first`` and ``last`` are read as 00:00 UTC. Found once per zone and span of years: every person's
    feed has its own dates.
    """
    start, end = datetime.combine(first, time(), UTC), datetime.combine(last, time(), UTC)
    every = _transitions(zone, first.year, last.year)
    return tuple(found for found in every if start < found[0] <= end)


@lru_cache(maxsize=256)
def _transitions(zone: str, first_year: int, last_year: int) -> tuple[Transition, ...]:
    """Every transition from the eve of ``first_year`` to the end of ``last_year``."""
    tz = get_zone(zone)
    instant = datetime(max(first_year, 2), 1, 1, tzinfo=UTC) - timedelta(days=1)
    end = datetime(min(last_year + 1, 9999), 1, 1, tzinfo=UTC)
    found: list[Transition] = []
    before = instant.astimezone(tz).utcoffset() or timedelta(0)
    while instant < end:
        following = instant + _STEP
        after = following.astimezone(tz).utcoffset() or timedelta(0)
        if after != before:
            moment = _moment(instant, following, tz)
            local = moment.astimezone(tz)
            found.append((moment, before, after, local.tzname() or "", bool(local.dst())))
            before = after
        instant = following
    return tuple(found)


def _moment(low: datetime, high: datetime, tz: object) -> datetime:
    """The first instant (to the second) with the later offset."""
    target = high.astimezone(tz).utcoffset()  # type: ignore[arg-type]
    while high - low > timedelta(seconds=1):
        middle = low + (high - low) / 2
        if middle.astimezone(tz).utcoffset() == target:  # type: ignore[arg-type]
            high = middle
        else:
            low = middle
    return high.replace(microsecond=0)


def vtimezone(zone: str, first: date, last: date) -> Timezone:
    """The zone's definition from ``first`` to ``last``: its offset at ``first``, then every change."""
    tz = get_zone(zone)
    component = Timezone()
    component.add("tzid", zone)
    start = datetime.combine(first, time(), UTC).astimezone(tz)
    offset = start.utcoffset() or timedelta(0)
    component.add_component(_observance(start.replace(tzinfo=None), offset, offset, start.tzname() or "",
                                        bool(start.dst())))
    for moment, before, after, name, daylight in transitions(zone, first, last):
        onset = (moment + before).replace(tzinfo=None)  # RFC 5545: local time in the offset before
        component.add_component(_observance(onset, before, after, name, daylight))
    return component


def vtimezone_text(zone: str, first: date, last: date) -> str:
    """``vtimezone(zone, first, last).to_ical()`` as text, each observance serialised once per process.

    Feeds of one zone share their transitions; only the opening observance differs between them.
    """
    tz = get_zone(zone)
    start = datetime.combine(first, time(), UTC).astimezone(tz)
    offset = start.utcoffset() or timedelta(0)
    parts = [_header(zone), _observance_text(start.replace(tzinfo=None), offset, offset, start.tzname() or "",
                                             bool(start.dst()))]
    parts += [_observance_text((moment + before).replace(tzinfo=None), before, after, name, daylight)
              for moment, before, after, name, daylight in transitions(zone, first, last)]
    parts.append("END:VTIMEZONE\r\n")
    return "".join(parts)


@lru_cache(maxsize=512)
def _header(zone: str) -> str:
    component = Timezone()
    component.add("tzid", zone)
    return component.to_ical().decode("utf-8").removesuffix("END:VTIMEZONE\r\n")


@lru_cache(maxsize=1 << 12)
def _observance_text(onset: datetime, before: timedelta, after: timedelta, name: str, daylight: bool) -> str:
    return _observance(onset, before, after, name, daylight).to_ical().decode("utf-8")


def _observance(onset: datetime, before: timedelta, after: timedelta, name: str,
                daylight: bool) -> TimezoneStandard | TimezoneDaylight:
    part = TimezoneDaylight() if daylight else TimezoneStandard()
    part.add("dtstart", onset)
    part.add("tzname", name)
    part.add("tzoffsetfrom", before)
    part.add("tzoffsetto", after)
    return part
