"""Coverage a schedule must give, the gaps in it, and readable descriptions of windows."""

from __future__ import annotations

from collections.abc import Sequence

from opsrepo.model import ALL_DAYS, WEEKDAYS, Schedule, Window
from opsrepo.oncall.intervals import Bounded, Span, outside
from opsrepo.oncall.rotation import window_spans


def coverage_gaps(schedule: Schedule, segments: Sequence[Bounded], start: int, end: int) -> list[Span]:
    """The instants of ``[start, end)`` inside the schedule's declared coverage that nobody holds."""
    if schedule.coverage is None or start >= end:
        return []
    return outside(list(window_spans(schedule.timezone, schedule.coverage, start, end)), segments)


def describe_coverage(schedule: Schedule) -> str:
    """``24x7``, ``none`` or the windows, e.g. ``mon-fri 09:00-17:00``."""
    if schedule.coverage is None:
        return "none"
    if schedule.coverage_24x7:
        return "24x7"
    return "; ".join(describe_window(window) for window in schedule.coverage)


def describe_window(window: Window) -> str:
    """``mon-fri 09:00-17:00``, ``sat,sun 00:00-00:00`` or ``every day 22:00-06:00``."""
    hours = f"{window.start:%H:%M}-{window.end:%H:%M}"
    return f"{describe_days(window.days)} {hours}"


def describe_days(days: frozenset[int]) -> str:
    """Weekday numbers as ``every day``, ``mon-fri`` or ``mon,wed,fri``."""
    if days == ALL_DAYS:
        return "every day"
    ordered = sorted(days)
    if len(ordered) > 2 and ordered == list(range(ordered[0], ordered[-1] + 1)):
        return f"{WEEKDAYS[ordered[0]]}-{WEEKDAYS[ordered[-1]]}"
    return ",".join(WEEKDAYS[day] for day in ordered)
