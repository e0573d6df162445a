"""The one shift rule: a shift is a maximal run of time with the same person on call.

The engine's final schedule is made of *pieces* (:class:`~opsrepo.oncall.Shift`):
one per layer turn, override or time-off cover. People do not see pieces: when
``g``'s base-layer turn ends at 12:00 and a solo layer gives ``g`` the pager
from 12:00, ``g`` is on call without a break. So a *shift* here is every piece
of one person that touch, merged; a gap, or another person, ends it. Its
``source`` is the piece in force at its start (the SPEC's single ``source``);
``pieces`` lists them all. ``oncall``, the site's person pages and anything
else that says "from", "until" or "next" use these functions, so they agree::

    merge_pieces(pieces) -> list[Stretch]                 pure: pieces of one schedule, by start
    whole_stretches(repo, pieces, start, end) -> list[Stretch]   merged, those cut by the range completed
    complete(repo, stretch) -> Stretch                    a shift cut by its range, with its real ends
    stretch_at(repo, schedule_id, at) -> Stretch | None   the whole shift holding ``at``
    next_stretches(repo, schedule_id, at, count) -> list[Stretch]
    person_stretches(repo, person_id, start, end) -> list[Stretch]
    schedules_of(repo) -> dict[str, list[str]]            person -> schedules that can put them on call

A shift's ends are searched up to :data:`~opsrepo.oncall.ON_CALL_HORIZON`
from the instant asked about; an end further away is ``None`` ("no handoff
within the horizon"), never the end of the last piece found.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from opsrepo.model import Repo
from opsrepo.oncall import ON_CALL_HORIZON, Shift, final_shifts, schedules_naming
from opsrepo.oncall.engine import rotation
from opsrepo.records import dataclass

__all__ = ["Stretch", "complete", "merge_pieces", "next_stretches", "person_stretches", "schedules_of",
           "stretch_at", "whole_stretches"]


@dataclass(frozen=True)
class Stretch:
    """One person on call in one schedule without a break: touching pieces merged."""

    pieces: tuple[Shift, ...]
    #: False when the first piece starts at the searched range's start (the shift may have begun earlier)
    starts_known: bool = True
    #: False when the last piece ends at the searched range's end (the shift may go on)
    ends_known: bool = True

    @property
    def schedule(self) -> str:
        """The schedule's id."""
        return self.pieces[0].schedule

    @property
    def person(self) -> str:
        """Who is on call."""
        return self.pieces[0].person

    @property
    def start(self) -> datetime:
        """The first piece's start (aware, UTC)."""
        return self.pieces[0].start

    @property
    def end(self) -> datetime:
        """The last piece's end (aware, UTC)."""
        return self.pieces[-1].end

    @property
    def since(self) -> datetime | None:
        """:attr:`start`, or None when it lies beyond the search."""
        return self.start if self.starts_known else None

    @property
    def until(self) -> datetime | None:
        """:attr:`end`, or None when it lies beyond the search."""
        return self.end if self.ends_known else None

    @property
    def first(self) -> Shift:
        """The piece in force at the shift's start: the shift's ``source``."""
        return self.pieces[0]

    def piece_at(self, at: datetime) -> Shift:
        """The piece in force at ``at`` (the first one when ``at`` is before the shift)."""
        for piece in self.pieces:
            if piece.start <= at < piece.end:
                return piece
        return self.pieces[0]


def merge_pieces(pieces: Sequence[Shift], *, start: datetime | None = None,
                 end: datetime | None = None) -> list[Stretch]:
    """Pieces of one schedule (sorted, not overlapping) as shifts: touching pieces of one person joined.

    ``start``/``end``: the range the pieces were computed for; a shift touching
    it is marked as possibly longer (:attr:`Stretch.starts_known`, :attr:`Stretch.ends_known`).
    """
    runs: list[list[Shift]] = []
    for piece in pieces:
        last = runs[-1][-1] if runs else None
        if last is not None and last.end == piece.start and last.person == piece.person:
            runs[-1].append(piece)
        else:
            runs.append([piece])
    return [Stretch(tuple(run), start is None or run[0].start > start, end is None or run[-1].end < end)
            for run in runs]


def stretch_at(repo: Repo, schedule_id: str, at: datetime) -> Stretch | None:
    """The whole shift holding ``at`` (None: nobody is on call then); ends searched to the horizon."""
    low, high = at - ON_CALL_HORIZON, at + ON_CALL_HORIZON
    span = ON_CALL_HORIZON / 50  # 8 days: most shifts end within it; widened until both ends are found
    while True:
        begin, finish = max(at - span, low), min(at + span, high)
        for stretch in merge_pieces(final_shifts(repo, schedule_id, begin, finish), start=begin, end=finish):
            if stretch.start <= at < stretch.end:
                break
        else:
            return None
        wider = (not stretch.starts_known and begin > low) or (not stretch.ends_known and finish < high)
        if not wider:
            return stretch
        span *= 4


def next_stretches(repo: Repo, schedule_id: str, at: datetime, count: int) -> list[Stretch]:
    """The next ``count`` shifts starting after ``at``: each a different person from the one before it.

    The shift holding ``at`` is not one of them; a gap is not listed, but
    whoever follows it is (and may be the person before the gap). Fewer than
    ``count`` when no more handoffs happen within the horizon.
    """
    high = at + ON_CALL_HORIZON
    span = ON_CALL_HORIZON / 50
    while True:
        finish = min(at + span, high)
        found = [s for s in merge_pieces(final_shifts(repo, schedule_id, at, finish), start=at, end=finish)
                 if s.start > at]
        if finish >= high or len(found) > count or (len(found) == count and found[-1].ends_known):
            return found[:count]
        span *= 4


def whole_stretches(repo: Repo, pieces: Sequence[Shift], start: datetime, end: datetime) -> list[Stretch]:
    """Pieces of one schedule computed over ``[start, end)`` (all, or one person's) as whole shifts.

    Touching pieces are merged; a shift the range cuts gets its real ends (as
    far as the horizon). What a page that holds a window of pieces shows.
    """
    return [stretch if stretch.starts_known and stretch.ends_known else complete(repo, stretch)
            for stretch in merge_pieces(pieces, start=start, end=end)]


def person_stretches(repo: Repo, person_id: str, start: datetime, end: datetime) -> list[Stretch]:
    """The person's shifts meeting ``[start, end)`` in every schedule, whole (ends searched to the horizon).

    By start, then schedule id. What a person page lists and ``oncall --person`` prints.
    """
    found: list[Stretch] = []
    for schedule in schedules_naming(repo, person_id):
        pieces = [piece for piece in final_shifts(repo, schedule.id, start, end) if piece.person == person_id]
        found += whole_stretches(repo, pieces, start, end)
    return sorted(found, key=lambda s: (s.start, s.schedule))


def schedules_of(repo: Repo) -> dict[str, list[str]]:
    """Person id -> ids of the schedules whose layers (or those they derive from) or overrides name them."""
    found: dict[str, list[str]] = {}
    for schedule_id, schedule in sorted(repo.schedules.items()):
        plan = rotation(repo, schedule)
        named = {member for layer in (plan.layers if plan is not None else ()) for member in layer.members}
        named |= {override.person for override in schedule.overrides}
        for person in sorted(named):
            found.setdefault(person, []).append(schedule_id)
    return found


def complete(repo: Repo, clipped: Stretch) -> Stretch:
    """A shift cut by the range it was computed over, with its real ends (as far as the horizon)."""
    return stretch_at(repo, clipped.schedule, clipped.start) or clipped
