"""Instants on the command line: the one way every command reads and shows them.

Reading (``--at``, ``--from``, ``--to``, ``--since``, ``--until``)::

    2026-06-01T09:00+02:00, 2026-06-01T07:00Z   an instant with its offset
    2026-06-01T09:00, 2026-06-01 09:00          a wall time in the reading zone (below)
    now
    today 18:00, tomorrow 09:00                 that wall time today / tomorrow (alone: 00:00)
    sat 03:00, monday 09:00                     the next such wall time strictly after now
    +7d, +13h, -2h, +1h30m                      now plus or minus a duration

The reading zone is the display zone: ``--tz`` where the command has it,
else ``$TZ`` when it names an IANA zone (a leading ``:`` is ignored), else the
organisation's zone (``opsrepo.yaml``). Every command uses it, so ``oncall``
and ``escalate`` read ``--at 2026-06-01T09:00`` as the same instant.

Showing: text output writes instants in the display zone with its
abbreviation and how far they are from now (``Mon 2026-06-01 09:00 CEST (in 13 h)``);
JSON keeps ISO 8601 instants with offsets.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from opsrepo.errors import UsageError
from opsrepo.records import dataclass
from opsrepo.timeutil import DAY_NAMES, YEARS, get_zone, parse_cli_instant, parse_duration, resolve_wall_time

__all__ = ["FORMS", "Clock", "display_zone", "parse_when", "relative", "show", "wall"]

#: what the usage message lists
FORMS = "an ISO 8601 instant (2026-06-01T09:00+02:00), a wall time (2026-06-01T09:00), now, " \
        "today 18:00, tomorrow 09:00, sat 03:00, +7d, +13h or -2h"

_RELATIVE = re.compile(r"([+-])(\w+)\Z")
_DAY_WORD = re.compile(r"([a-z]+)(?:\s+(\d{1,2}):(\d{2}))?\Z")
_WEEKDAYS = {name: n for n, name in enumerate(DAY_NAMES)} | {
    name: n for n, name in enumerate(("monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
                                      "sunday"))}


@dataclass(frozen=True)
class Clock:
    """What reading and showing an instant depend on: now, and the zone."""

    now: datetime
    zone: str

    @property
    def tzinfo(self) -> ZoneInfo:
        """The zone."""
        return get_zone(self.zone)


def display_zone(option: str | None, environment: Mapping[str, str], org_zone: str) -> str:
    """``--tz``, else ``$TZ`` when it is an IANA zone, else the org's zone; a bad ``--tz`` is a UsageError."""
    if option is not None:
        try:
            get_zone(option)
        except ValueError as exc:
            from opsrepo.timeutil import closest_zone

            close = closest_zone(option)
            hint = f"did you mean {close!r}?" if close else "name an IANA zone, e.g. Europe/Berlin"
            raise UsageError(f"--tz {option!r}: {exc}", hint) from None
        return option
    variable = environment.get("TZ", "").removeprefix(":")
    if variable:
        try:
            get_zone(variable)
        except ValueError:
            return org_zone
        return variable
    return org_zone


def parse_when(text: str, clock: Clock, option: str = "--at") -> datetime:
    """An instant typed on the command line (see the module's doc); unreadable text is a UsageError."""
    try:
        found = _parse(" ".join(text.split()), clock)
    except (ValueError, OverflowError):
        found = None
    except UsageError as exc:  # a year opsrepo does not read
        raise UsageError(f"{option} {exc.message}", exc.hint) from None
    if found is not None and not YEARS[0] <= found.year <= YEARS[1]:
        raise UsageError(f"{option} {text} is out of range: opsrepo reads years {YEARS[0]} to {YEARS[1]}",
                         "write a date or instant within them")
    if found is None:
        raise UsageError(f"{option} {text!r} is not a time", f"write {FORMS}; a wall time is read in "
                         f"{clock.zone} (set by --tz, else $TZ, else the organisation's zone)")
    return found


def _parse(text: str, clock: Clock) -> datetime | None:
    if text[:1].isdigit():
        return parse_cli_instant(text, clock.tzinfo)
    text = text.lower()
    if text == "now":
        return clock.now
    relative = _RELATIVE.match(text)
    if relative:
        delta = parse_duration(relative.group(2))
        return clock.now + delta if relative.group(1) == "+" else clock.now - delta
    words = _DAY_WORD.match(text)
    if words:
        return _named_day(words.group(1), words.group(2), words.group(3), clock)
    return None


def _named_day(word: str, hours: str | None, minutes: str | None, clock: Clock) -> datetime | None:
    wall = time(int(hours), int(minutes)) if hours is not None and minutes is not None else time(0)
    today = clock.now.astimezone(clock.tzinfo).date()
    if word in ("today", "tomorrow"):
        day = today + timedelta(days=word == "tomorrow")
        return resolve_wall_time(datetime.combine(day, wall), clock.tzinfo)
    if word not in _WEEKDAYS:
        return None
    for ahead in range(8):  # today, if that wall time is still to come, else within the week after
        day = today + timedelta(days=ahead)
        if day.weekday() == _WEEKDAYS[word]:
            found = resolve_wall_time(datetime.combine(day, wall), clock.tzinfo)
            if found > clock.now:
                return found
    return None


def show(instant: datetime, clock: Clock) -> str:
    """``Mon 2026-06-01 09:00 CEST (in 13 h)``: the wall time in the display zone, its zone, how far."""
    return f"{wall(instant, clock)} ({relative(instant, clock.now)})"


def wall(instant: datetime, clock: Clock) -> str:
    """``Mon 2026-06-01 09:00 CEST``: the wall time in the display zone and its abbreviation."""
    local = instant.astimezone(clock.tzinfo)
    clock_time = "%H:%M:%S" if local.second else "%H:%M"
    return f"{local:%a %Y-%m-%d} {local.strftime(clock_time)} {local.tzname()}"


def relative(instant: datetime, now: datetime) -> str:
    """``in 13 h``, ``3 h ago``, ``in 2 d 4 h``, ``in 25 min``, ``now`` (rounded down, two units at most)."""
    seconds = int((instant - now).total_seconds())
    if abs(seconds) < 60:
        return "now"
    days, rest = divmod(abs(seconds), 86400)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60
    if days:
        text = f"{days} d {hours} h" if hours else f"{days} d"
    elif hours:
        text = f"{hours} h {minutes} min" if minutes else f"{hours} h"
    else:
        text = f"{minutes} min"
    return f"in {text}" if seconds > 0 else f"{text} ago"
