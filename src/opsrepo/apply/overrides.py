"""Where PagerDuty's layers and opsrepo's final schedule disagree: the overrides that make them agree.

Over a rolling horizon from now (``apply.horizon``, 28 days by default),
opsrepo's final schedule (time-off cover, derived schedules, its own
overrides, DST handoffs) is compared with what the PagerDuty layers put on
call (:mod:`opsrepo.apply.pdmodel`); each stretch where they differ becomes
one PagerDuty override for opsrepo's person. A stretch where opsrepo has
nobody but the layers have someone cannot be written (an override always
names a user): it is reported.

So that a run tomorrow wants the same overrides as a run today, each stretch
keeps its own ends: it is cut at now only where it began earlier (an override
that began in the past matches any start in the past), and at fixed points
every 28 days (:data:`GRID`), never at the horizon's end. The last stretch
may therefore reach up to 28 days past the horizon.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from opsrepo.apply.pdmodel import Layer, Piece, render
from opsrepo.model import Repo, Schedule
from opsrepo.oncall.clock import MICRO, SECOND, to_micros
from opsrepo.oncall.cover import Segment
from opsrepo.oncall.engine import final_segments

#: overrides are cut at these instants (every 28 days from a Thursday noon, UTC): nobody hands over then
GRID = 28 * 86400 * SECOND
GRID_ANCHOR = to_micros(datetime(1970, 1, 1, 12, tzinfo=UTC))
MINUTE = 60 * SECOND
_END = 1 << 62
#: ``(start, end, opsrepo's segment or None, the layers' piece or None)``
Difference = tuple[int, int, "Segment | None", "Piece | None"]


@dataclass(frozen=True)
class Horizon:
    """``[start, until)`` is judged; stretches are computed up to ``end`` (a grid point)."""

    start: int
    until: int
    end: int

    @classmethod
    def from_now(cls, now: datetime, length: timedelta) -> Horizon:
        """From now (to the minute) for ``length``."""
        start = to_micros(now) // MINUTE * MINUTE
        until = start + length // MICRO
        return cls(start, until, next_grid(until))


def next_grid(instant: int) -> int:
    """The first grid point at or after ``instant``."""
    return GRID_ANCHOR - (GRID_ANCHOR - instant) // GRID * GRID


@dataclass(frozen=True)
class Wanted:
    """An override opsrepo wants: ``person`` on call over ``[start, end)`` (microseconds)."""

    person: str
    start: int
    end: int
    #: why, from opsrepo's side: "override" (with its reason), "time-off-cover" or "layer"
    kind: str
    source: str
    covering: str | None = None
    #: who PagerDuty's layers put there instead (None: nobody)
    instead: str | None = None


@dataclass(frozen=True)
class Uncovered:
    """opsrepo has nobody over ``[start, end)`` where PagerDuty's layers have ``person``: not expressible."""

    person: str
    start: int
    end: int


def corrections(
    repo: Repo, schedule: Schedule, layers: Sequence[Layer], horizon: Horizon
) -> tuple[list[Wanted], list[Uncovered]]:
    """The overrides ``schedule`` needs within the horizon, and the stretches no override can fix."""
    ours = final_segments(repo, schedule, horizon.start, horizon.end)  # cached: the notes read it again
    theirs = render(schedule.timezone, layers, horizon.start, horizon.end)
    wanted: list[Wanted] = []
    uncovered: list[Uncovered] = []
    for low, high, mine, other in _differences(ours, theirs):
        if low >= horizon.until:
            break
        if mine is None:
            assert other is not None
            uncovered.append(Uncovered(other[2], low, high))
            continue
        instead = other[2] if other is not None else None
        piece = Wanted(mine.person, low, high, mine.kind, mine.source, mine.covering, instead)
        if wanted and _continues(wanted[-1], piece):
            wanted[-1] = Wanted(
                piece.person,
                wanted[-1].start,
                high,
                wanted[-1].kind,
                wanted[-1].source,
                wanted[-1].covering,
                wanted[-1].instead,
            )
        else:
            wanted.append(piece)
    return [cut for piece in wanted for cut in _on_grid(piece)], _joined(uncovered)


def _differences(ours: Sequence[Segment], theirs: Sequence[Piece]) -> Iterator[Difference]:
    """``(start, end, our segment or None, their piece or None)`` wherever the people differ (a merge)."""
    i = j = 0
    cursor = min(ours[0].start if ours else _END, theirs[0][0] if theirs else _END)
    while cursor < _END:
        while i < len(ours) and ours[i].end <= cursor:
            i += 1
        while j < len(theirs) and theirs[j][1] <= cursor:
            j += 1
        mine = ours[i] if i < len(ours) and ours[i].start <= cursor else None
        other = theirs[j] if j < len(theirs) and theirs[j][0] <= cursor else None
        following = min(
            mine.end if mine else (ours[i].start if i < len(ours) else _END),
            other[1] if other else (theirs[j][0] if j < len(theirs) else _END),
        )
        if (mine.person if mine else None) != (other[2] if other else None):
            yield cursor, following, mine, other
        cursor = following


def _continues(last: Wanted, piece: Wanted) -> bool:
    return (
        last.end == piece.start
        and last.person == piece.person
        and last.kind == piece.kind
        and last.source == piece.source
        and last.covering == piece.covering
    )


def _on_grid(piece: Wanted) -> list[Wanted]:
    """``piece`` cut at every grid point inside it."""
    cuts, low = [], piece.start
    point = next_grid(low + 1)
    while point < piece.end:
        cuts.append(_between(piece, low, point))
        low, point = point, point + GRID
    cuts.append(_between(piece, low, piece.end))
    return cuts


def _between(piece: Wanted, start: int, end: int) -> Wanted:
    return Wanted(piece.person, start, end, piece.kind, piece.source, piece.covering, piece.instead)


def _joined(found: list[Uncovered]) -> list[Uncovered]:
    out: list[Uncovered] = []
    for item in found:
        if out and out[-1].end == item.start and out[-1].person == item.person:
            out[-1] = Uncovered(item.person, out[-1].start, item.end)
        else:
            out.append(item)
    return out

