"""Restrictions of every vendor shape to ops-repo windows ``{days, from, to}``.

A restriction is first a list of *spans* on the week's wall clock: ``(start,
minutes)`` with ``start`` counted in minutes from Monday 00:00. A span of
several days becomes several windows: whole days are windows from a time to the
same time (24 wall-clock hours), the rest one window that may cross midnight.
Windows with the same times are merged into one with several days.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from opsrepo.model import WEEKDAYS

DAY = 1440
WEEK = 7 * DAY

#: a span on the week's wall clock: (minute of the week it starts at, length in minutes)
Span = tuple[int, int]


def covers_week(spans: Iterable[Span]) -> bool:
    """True when the spans leave no minute of the week out (no restriction at all)."""
    covered = bytearray(WEEK)
    for start, minutes in spans:
        if minutes >= WEEK:
            return True
        for minute in range(start, start + minutes):
            covered[minute % WEEK] = 1
    return all(covered)


def to_windows(spans: list[Span]) -> list[dict[str, Any]] | None:
    """The windows of ``spans``; ``None`` when they cover the whole week (the layer is not restricted)."""
    if covers_week(spans):
        return None
    pieces: dict[tuple[int, int], set[int]] = {}
    for start, minutes in spans:
        day, begin = divmod(start % WEEK, DAY)
        whole, rest = divmod(minutes, DAY)
        for offset in range(whole):
            pieces.setdefault((begin, begin), set()).add((day + offset) % 7)
        if rest:
            pieces.setdefault((begin, (begin + rest) % DAY), set()).add((day + whole) % 7)
    ordered = sorted(pieces.items(), key=lambda item: (min(item[1]), item[0]))
    return [window(days, begin, end) for (begin, end), days in ordered]


def window(days: set[int], begin: int, end: int) -> dict[str, Any]:
    """One window; ``days`` left out when it is every day."""
    made: dict[str, Any] = {} if len(days) == 7 else {"days": [WEEKDAYS[d] for d in sorted(days)]}
    made["from"] = clock(begin)
    made["to"] = clock(end)
    return made


def clock(minute: int) -> str:
    """``"09:30"``."""
    return f"{minute // 60:02d}:{minute % 60:02d}"


def active(spans: list[Span] | None, minute_of_week: int) -> bool:
    """Whether a wall minute of the week falls in the spans (``None``: always)."""
    if spans is None:
        return True
    return any((minute_of_week - start) % WEEK < minutes or minutes >= WEEK for start, minutes in spans)


def overlap(left: list[Span] | None, right: list[Span] | None) -> bool:
    """True when two restrictions share a minute of the week."""
    if left is None or right is None:
        return True
    mask = bytearray(WEEK)
    for start, minutes in left:
        for minute in range(start, start + min(minutes, WEEK)):
            mask[minute % WEEK] = 1
    return any(
        mask[minute % WEEK] for start, minutes in right for minute in range(start, start + min(minutes, WEEK))
    )
