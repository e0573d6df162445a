"""A vendor rotation as ops-repo layers, exactly where the format allows it.

A vendor rotation counts turns from an *anchor* (PagerDuty's
``rotation_virtual_start``, Opsgenie's ``startDate``) and is on call only from
its *start* (PagerDuty's ``start``) to its optional end. An ops-repo layer's
``start`` is both: the first handoff and the first instant anyone is on call.
So the layer starts at the first handoff at or after the vendor's start, with
the members rotated to whoever has that turn, and the part of a turn before it
(when the vendor's start falls inside a turn) becomes a one-turn layer of its
own that ends at that handoff. Turns are counted on the zone's wall clock, as
opsrepo does; a rotation that counts elapsed time (Opsgenie's hourly turns) is
written in UTC when it has no restriction, else reported.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from opsrepo.importers.result import Item
from opsrepo.importers.timefmt import duration_text, wall, wall_text
from opsrepo.importers.windows import Span, to_windows
from opsrepo.timeutil import resolve_wall_time

MIN_TURN = timedelta(minutes=1)


@dataclass(frozen=True)
class Rotation:
    """A vendor rotation, vendor-neutral: members are vendor user ids (``None``: a turn with nobody)."""

    name: str
    members: tuple[str | None, ...]
    anchor: datetime
    length: timedelta
    start: datetime
    end: datetime | None
    spans: list[Span] | None
    zone: ZoneInfo
    #: turns of elapsed time, not wall-clock (Opsgenie's hourly rotations)
    elapsed: bool = False


def _changes_offset(zone: ZoneInfo, around: datetime) -> bool:
    """Whether ``zone``'s UTC offset differs anywhere in the year after ``around`` (DST)."""
    offsets = {(around + timedelta(days=day)).astimezone(zone).utcoffset() for day in range(0, 366, 7)}
    return len(offsets) > 1


def first_turn(rotation: Rotation, zone: ZoneInfo) -> int:
    """The index of the first turn whose handoff is at or after the rotation's start (may be negative)."""
    base = wall(rotation.anchor, zone)

    def handoff(k: int) -> datetime:
        return resolve_wall_time(base + k * rotation.length, zone)

    guess = int((rotation.start - rotation.anchor) / rotation.length)
    k = guess - 2
    while handoff(k) < rotation.start:
        k += 1
    while handoff(k - 1) >= rotation.start:
        k -= 1
    return k


def layers(rotation: Rotation, people: dict[str, str], item: Item) -> list[dict[str, Any]]:
    """The ops-repo layers of one rotation (none when nobody is ever on call); losses go to ``item``."""
    if rotation.length < MIN_TURN:
        item.lose(
            f"rotation {rotation.name!r}",
            f"turns of {duration_text(rotation.length)} are shorter than "
            "a minute, which opsrepo does not allow; the rotation was left out",
        )
        return []
    zone, timezone = _zone(rotation, item)
    k0 = first_turn(rotation, zone)
    members = [rotation.members[(k0 + i) % len(rotation.members)] for i in range(len(rotation.members))]
    known = [people[m] for m in members if m is not None]
    if len(known) < len(members):
        item.lose(
            f"rotation {rotation.name!r}: turns with nobody",
            "a turn with nobody (or with a participant that is not a user) cannot be written in an "
            "opsrepo rotation; those turns were removed, so the remaining members take turns in order",
        )
    if not known:
        return []
    first = wall(rotation.anchor, zone) + k0 * rotation.length
    made: list[dict[str, Any]] = []
    end = wall(rotation.end, zone) if rotation.end else None
    if end is None or resolve_wall_time(first, zone) < rotation.end:  # type: ignore[operator]
        made.append(_layer(rotation.name, known, first, rotation, end, timezone))
    before = rotation.members[(k0 - 1) % len(rotation.members)]
    cut = first if end is None or first < end else end
    if (
        resolve_wall_time(first, zone) > rotation.start
        and before is not None
        and cut > wall(rotation.start, zone)
    ):
        made.append(
            _layer(
                f"{rotation.name} (first turn)",
                [people[before]],
                wall(rotation.start, zone),
                rotation,
                cut,
                timezone,
            )
        )
    return made


def _zone(rotation: Rotation, item: Item) -> tuple[ZoneInfo, str | None]:
    """The zone turns are counted in, and the layer's own ``timezone`` when it is not the schedule's."""
    if not rotation.elapsed or not _changes_offset(rotation.zone, rotation.anchor):
        return rotation.zone, None
    if rotation.spans is None:
        item.note(
            f"rotation {rotation.name!r} counts elapsed hours across DST: written in UTC, which "
            "keeps every handoff where the vendor has it"
        )
        return ZoneInfo("UTC"), "UTC"
    item.lose(
        f"rotation {rotation.name!r}: hourly turns across DST",
        f"the vendor counts elapsed hours, opsrepo the wall clock of {rotation.zone.key}, on which the "
        "rotation's restrictions are too: while that zone is on another UTC offset than at the "
        "rotation's start (for months each year), every handoff is the DST change (usually an hour) "
        "away from the vendor's",
    )
    return rotation.zone, None


def _layer(
    name: str,
    members: list[str],
    start: datetime,
    rotation: Rotation,
    end: datetime | None,
    timezone: str | None,
) -> dict[str, Any]:
    layer: dict[str, Any] = {
        "name": name,
        "members": members,
        "start": wall_text(start),
        "length": duration_text(rotation.length),
    }
    if end is not None:
        layer["end"] = wall_text(end)
    if timezone is not None:
        layer["timezone"] = timezone
    windows = to_windows(rotation.spans) if rotation.spans is not None else None
    if windows is not None:
        layer["restrictions"] = windows
    return layer


def utc_wall(instant: datetime) -> datetime:
    """The wall time of ``instant`` in UTC (naive)."""
    return instant.astimezone(UTC).replace(tzinfo=None)
