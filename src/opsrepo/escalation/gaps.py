"""When does a level, or a whole chain, reach nobody? Interval arithmetic over a horizon.

Schedule gaps come in as sorted half-open ``[start, end)`` intervals (from the
on-call engine's final shifts); a level reaches nobody where *all* its
schedule targets have a gap at once, unless it also has a target that always
reaches someone (a person, a team with members). A chain reaches nobody from
trigger ``T`` when every notification ``k`` falls in a gap of its level at
``T + offset_k``: the intersection of the level gaps shifted back by each offset.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import datetime, timedelta
from typing import Any, TypeVar

from opsrepo.escalation.engine import nobody_length, schedule, too_long
from opsrepo.model import EscalationLevel, EscalationPolicy, Repo
from opsrepo.oncall.clock import MICRO

Interval = tuple[datetime, datetime]
#: instants: aware datetimes, or the on-call engine's integer microseconds
T = TypeVar("T", datetime, int)


def complement(busy: Iterable[tuple[T, T]], start: T, end: T) -> list[tuple[T, T]]:
    """The parts of ``[start, end)`` not covered by ``busy`` (sorted, possibly touching)."""
    free: list[tuple[T, T]] = []
    cursor = start
    for begin, finish in sorted(busy):
        if begin > cursor:
            free.append((cursor, end if end < begin else begin))  # min(), without a call
        if finish > cursor:  # max(), without a call
            cursor = finish
        if cursor >= end:
            break
    if cursor < end:
        free.append((cursor, end))
    return [(a, b) for a, b in free if a < b]


def intersect(left: Sequence[tuple[T, T]], right: Sequence[tuple[T, T]]) -> list[tuple[T, T]]:
    """Instants in both sets (each sorted and disjoint)."""
    found: list[tuple[T, T]] = []
    i = j = 0
    while i < len(left) and j < len(right):
        begin, finish = left[i][0], left[i][1]  # max() of the starts, min() of the ends, without calls
        if right[j][0] > begin:
            begin = right[j][0]
        if right[j][1] < finish:
            finish = right[j][1]
        if begin < finish:
            found.append((begin, finish))
        if left[i][1] <= right[j][1]:
            i += 1
        else:
            j += 1
    return found


def shift(intervals: Iterable[tuple[T, T]], by: Any) -> list[tuple[T, T]]:
    """Every interval moved by ``by`` (a ``timedelta`` for datetimes, microseconds for integers)."""
    return [(a + by, b + by) for a, b in intervals]


def _length(duration: timedelta, like: datetime | int) -> Any:
    """``duration`` as ``like``'s kind of instant adds it: a ``timedelta``, or integer microseconds."""
    return duration // MICRO if isinstance(like, int) else duration


def level_gaps(repo: Repo, level: EscalationLevel,
               gaps_of: Callable[[str], Sequence[tuple[T, T]]]) -> list[tuple[T, T]] | None:
    """When ``level`` reaches nobody; ``None`` when that cannot be told.

    Targets that do not resolve (unknown ids, a team without members) have
    their own diagnostics and are left out; a level with only such targets
    gives ``None``. A known person or a team with members always reaches
    someone, so the level then never reaches nobody (``[]``).
    """
    found: list[tuple[T, T]] | None = None
    for target in level.targets:
        if target.kind == "person" and target.id in repo.people:
            return []
        team = repo.teams.get(target.id) if target.kind == "team" else None
        if team is not None and (team.members or team.people):
            return []
        if target.kind == "schedule" and target.id in repo.schedules \
                and not repo.is_partial(repo.schedules[target.id]):
            gaps = list(gaps_of(target.id))
            found = gaps if found is None else intersect(found, gaps)
    return found


def chain_gaps(
    repo: Repo, policy: EscalationPolicy, gaps_of: Callable[[str], Sequence[tuple[T, T]]], start: T, end: T,
) -> list[tuple[T, T]]:
    """Trigger instants in ``[start, end - nobody length)`` from which no notification reaches anyone.

    With ``when_nobody: skip`` a chain that reaches nobody skips every level at
    once, so every level is notified at the trigger: no shift by offsets.
    """
    if too_long(policy):
        return []  # OPS420 says so; its offsets may run past the last representable instant
    last_trigger = end - _length(nobody_length(policy), start)
    found: list[tuple[T, T]] = [(start, last_trigger)] if start < last_trigger else []
    for _, offset, level in schedule(policy):
        gaps = level_gaps(repo, level, gaps_of)
        if gaps is None:
            return []
        found = intersect(found, gaps if policy.skips else shift(gaps, -_length(offset, start)))
        if not found:
            break
    return found
