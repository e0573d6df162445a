"""Who is on call over a window, as a step function, and where two of them differ.

A timeline is a list of ``Segment``s that tile ``[start, end)`` exactly:
consecutive, non-empty, with neighbours never holding the same person
(``None`` is nobody). Comparing two timelines is one merge pass over both.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Protocol


class ShiftLike(Protocol):
    """The part of an on-call shift a timeline needs."""

    @property
    def person(self) -> str | None: ...  # noqa: D102

    @property
    def start(self) -> datetime: ...  # noqa: D102

    @property
    def end(self) -> datetime: ...  # noqa: D102


@dataclass(frozen=True)
class Segment:
    """``person`` (or nobody) holds ``[start, end)``."""

    start: datetime
    end: datetime
    person: str | None


@dataclass(frozen=True)
class Difference:
    """``[start, end)`` was ``before``'s and is ``after``'s (``before != after``)."""

    start: datetime
    end: datetime
    before: str | None
    after: str | None


def timeline(shifts: Iterable[ShiftLike], start: datetime, end: datetime) -> list[Segment]:
    """The shifts clipped to ``[start, end)``, gaps filled with nobody, equal neighbours merged.

    Segments are in UTC: aware datetimes sharing a zone compare and subtract by
    wall clock in Python, which is wrong across DST changes.
    """
    start, end = start.astimezone(UTC), end.astimezone(UTC)
    segments: list[Segment] = []
    cursor = start
    spans = sorted((shift.start.astimezone(UTC), shift.end.astimezone(UTC), shift.person) for shift in shifts)
    for shift_start, shift_end, person in spans:
        begin, finish = max(shift_start, cursor), min(shift_end, end)
        if finish <= begin:
            continue
        if begin > cursor:
            _append(segments, Segment(cursor, begin, None))
        _append(segments, Segment(begin, finish, person))
        cursor = finish
    if cursor < end:
        _append(segments, Segment(cursor, end, None))
    return segments


def _append(segments: list[Segment], segment: Segment) -> None:
    if segments and segments[-1].person == segment.person and segments[-1].end == segment.start:
        segments[-1] = Segment(segments[-1].start, segment.end, segment.person)
    else:
        segments.append(segment)


def differences(before: list[Segment], after: list[Segment]) -> list[Difference]:
    """Each maximal interval where the two timelines (over the same window) name different people."""
    found: list[Difference] = []
    i = j = 0
    while i < len(before) and j < len(after):
        old, new = before[i], after[j]
        begin = max(old.start, new.start)
        finish = min(old.end, new.end)
        if old.person != new.person and finish > begin:
            last = found[-1] if found else None
            if last and last.end == begin and (last.before, last.after) == (old.person, new.person):
                found[-1] = Difference(last.start, finish, old.person, new.person)
            else:
                found.append(Difference(begin, finish, old.person, new.person))
        if old.end <= new.end:
            i += 1
        if new.end <= old.end:
            j += 1
    return found


def held_by(segments: list[Segment]) -> dict[str, list[Segment]]:
    """Each person's segments, in time order."""
    found: dict[str, list[Segment]] = {}
    for segment in segments:
        if segment.person is not None:
            found.setdefault(segment.person, []).append(segment)
    return found
