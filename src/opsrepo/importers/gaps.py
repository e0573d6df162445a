"""Wall times that fall inside a spring-forward gap: the vendors place them later than opsrepo does.

When clocks jump (02:00 -> 03:00), a handoff or a restriction bound at 02:30
names no instant. opsrepo places it at the first valid instant after the gap,
03:00 (SPEC section 2). Neither vendor documents its rule, but both move such a
time later by the length of the gap, to 03:30: java.time (Opsgenie runs on the
JVM) resolves a local time "in the middle of a Gap" to one "shifted forwards by
the length of the Gap" (``ZonedDateTime``'s documentation), and a PagerDuty
restriction is a start and ``duration_seconds``, which ends at 03:30 however it
is counted. So on the night of the change the layer's time differs by up to the
gap's length, and no ops-repo layer can say otherwise: it is reported as a loss.
A time exactly at the gap's start (02:00) is 03:00 on both sides.
"""

from __future__ import annotations

import functools
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from opsrepo.importers.result import Item
from opsrepo.importers.windows import clock
from opsrepo.model import WEEKDAYS
from opsrepo.timeutil import get_zone, parse_duration, parse_local_datetime, parse_time_of_day

#: how far ahead of the import (or of a layer's later start) gaps are looked for
AHEAD = timedelta(days=366)

#: a gap: the wall time the clocks jump from, and how far they jump
Gap = tuple[datetime, timedelta]


@functools.cache
def _gaps_in_year(key: str, year: int) -> tuple[Gap, ...]:
    """Every spring-forward gap of zone ``key`` whose jump happens in ``year`` (UTC), by date."""
    zone = ZoneInfo(key)
    found: list[Gap] = []
    moment = datetime(year, 1, 1, tzinfo=UTC)
    end = datetime(year + 1, 1, 1, tzinfo=UTC)
    step = timedelta(hours=6)
    while moment < end:
        after = moment + step
        before_offset, after_offset = moment.astimezone(zone).utcoffset(), after.astimezone(zone).utcoffset()
        if before_offset is not None and after_offset is not None and after_offset > before_offset:
            jump = _transition(zone, moment, after)
            wall = (jump + before_offset).replace(tzinfo=None)
            found.append((wall, after_offset - before_offset))
        moment = after
    return tuple(found)


def _transition(zone: ZoneInfo, low: datetime, high: datetime) -> datetime:
    """The first instant in ``(low, high]`` with ``high``'s offset (to the second)."""
    target = high.astimezone(zone).utcoffset()
    while high - low > timedelta(seconds=1):
        mid = low + (high - low) / 2
        if mid.astimezone(zone).utcoffset() == target:
            high = mid
        else:
            low = mid
    return high.replace(microsecond=0)


def gaps(zone: ZoneInfo, start: datetime, end: datetime) -> list[Gap]:
    """The spring-forward gaps of ``zone`` whose jump falls in ``[start, end)`` (aware instants)."""
    found: list[Gap] = []
    for year in range(start.astimezone(UTC).year, end.astimezone(UTC).year + 1):
        for wall, jump in _gaps_in_year(zone.key, year):
            instant = (wall.replace(tzinfo=zone, fold=0)).astimezone(UTC)
            if start <= instant < end:
                found.append((wall, jump))
    return found


def report_gaps(layers: list[dict[str, Any]], zone: ZoneInfo, now: datetime, vendor: str, item: Item) -> None:
    """Report each written layer whose handoffs or window bounds fall strictly inside a gap ahead."""
    for layer in layers:
        own = get_zone(layer["timezone"]) if "timezone" in layer else zone
        start = parse_local_datetime(layer["start"])
        end = parse_local_datetime(layer["end"]) if "end" in layer else None
        since = max(now, start.replace(tzinfo=own))
        seen: set[tuple[str, datetime]] = set()
        for wall, jump in gaps(own, since, since + AHEAD):
            if end is not None and wall >= end:
                break
            for kind, moment in _inside(layer, start, wall, jump):
                if (kind, moment.replace(year=1, month=1, day=1)) in seen:
                    continue
                seen.add((kind, moment.replace(year=1, month=1, day=1)))
                item.lose(
                    f"layer {layer['name']!r}: {kind} at {clock(moment.hour * 60 + moment.minute)} "
                    "in a spring-forward gap",
                    f"{own.key} skips {_hhmm(wall)}–{_hhmm(wall + jump)} on {wall.date().isoformat()} "
                    f"(and at each such change): {vendor} then moves it later by the gap, to "
                    f"{_hhmm(moment + jump)}; opsrepo to {_hhmm(wall + jump)}, the first valid instant",
                )


def _hhmm(moment: datetime) -> str:
    return clock(moment.hour * 60 + moment.minute)


def _inside(
    layer: dict[str, Any], start: datetime, wall: datetime, jump: timedelta
) -> list[tuple[str, datetime]]:
    """The layer's handoffs and window bounds strictly inside the gap ``(wall, wall + jump)``."""
    found: list[tuple[str, datetime]] = []
    length = parse_duration(layer["length"])
    handoff = start if start > wall else start + ((wall - start) // length + 1) * length
    found.append(("handoff", handoff))
    day = wall.date()
    for window in layer.get("restrictions") or []:
        days = {WEEKDAYS.index(d) for d in window.get("days") or WEEKDAYS}
        begin, until = parse_time_of_day(window["from"]), parse_time_of_day(window["to"])
        if day.weekday() in days:
            found.append(("window start", datetime.combine(day, begin)))
        ends_next_day = until <= begin
        if (day.weekday() - ends_next_day) % 7 in days:
            found.append(("window end", datetime.combine(day, until)))
    return [(kind, moment) for kind, moment in found if wall < moment < wall + jump]
