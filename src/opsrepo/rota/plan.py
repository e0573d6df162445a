"""A swap or a cover as overrides: whose time moves to whom, and the entries written for it.

``cover``: where ``person`` is on call in ``[start, end)``, ``by`` is instead.
``swap``: where ``person`` is on call there, ``other`` is, and the other way
round; both must have time in the window (else it is a cover). Each moved
stretch becomes one override, last in the file, so it beats every layer and
every earlier override.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from opsrepo import model as m
from opsrepo.errors import OpsrepoError, UnknownIdError
from opsrepo.oncall.clock import from_micros, to_micros, wall_at, wall_micros
from opsrepo.oncall.engine import final_segments
from opsrepo.oncall.intervals import Span, union
from opsrepo.rules import suggest
from opsrepo.timeutil import format_instant


class RotaError(OpsrepoError):
    """The swap or cover cannot be made as asked (exit 1)."""


@dataclass(frozen=True)
class Handover:
    """``taker`` holds ``[start, end)`` (microseconds) in place of ``giver``."""

    giver: str
    taker: str
    start: int
    end: int


@dataclass(frozen=True)
class RotaChange:
    """A swap or cover of ``schedule`` within ``[start, end)`` and the handovers it makes."""

    kind: str
    schedule: str
    person: str
    other: str
    start: datetime
    end: datetime
    handovers: tuple[Handover, ...]
    note: str | None = None

    @property
    def summary(self) -> str:
        """``bruno covers alice in payments-primary`` or ``alice and bruno swap in ...``."""
        if self.kind == "cover":
            return f"{self.other} covers {self.person} in {self.schedule}"
        return f"{self.person} and {self.other} swap turns in {self.schedule}"


def check_ids(repo: m.Repo, schedule_id: str, *people: str) -> m.Schedule:
    """The schedule; a usage error for an unknown schedule or person."""
    schedule = repo.schedules.get(schedule_id)
    if schedule is None and repo.is_broken("schedule", schedule_id):
        raise RotaError(f"schedule '{schedule_id}' is in a file that failed to load (named above)",
                        "run 'opsrepo validate' and fix it first")
    if schedule is None:
        raise UnknownIdError(f"unknown schedule '{schedule_id}'",
                             suggest(schedule_id, repo.schedules, "schedule"))
    for person in people:
        if person not in repo.people:
            raise UnknownIdError(f"unknown person '{person}'", suggest(person, repo.people, "person"))
    return schedule


def held(repo: m.Repo, schedule: m.Schedule, person: str, start: datetime, end: datetime) -> list[Span]:
    """Where ``person`` is on call in ``schedule`` within ``[start, end)``, stretches joined."""
    segments = final_segments(repo, schedule, to_micros(start), to_micros(end))
    return union((s.start, s.end) for s in segments if s.person == person)


def plan_cover(repo: m.Repo, schedule_id: str, person: str, by: str, start: datetime, end: datetime,
               note: str | None = None) -> RotaChange:
    """``by`` takes every stretch ``person`` holds in the window."""
    schedule = check_ids(repo, schedule_id, person, by)
    if by == person:
        raise RotaError(f"{person} cannot cover themselves", "name someone else with --by")
    spans = _needs(repo, schedule, person, start, end)
    return RotaChange("cover", schedule.id, person, by, start, end,
                      tuple(Handover(person, by, low, high) for low, high in spans), note)


def plan_need(repo: m.Repo, schedule_id: str, person: str, start: datetime, end: datetime) -> RotaChange:
    """The stretches ``person`` needs covered in the window, nobody named to take them yet."""
    schedule = check_ids(repo, schedule_id, person)
    spans = _needs(repo, schedule, person, start, end)
    return RotaChange("cover", schedule.id, person, "", start, end,
                      tuple(Handover(person, "", low, high) for low, high in spans))


def plan_swap(repo: m.Repo, schedule_id: str, person: str, other: str, start: datetime, end: datetime,
              note: str | None = None) -> RotaChange:
    """``other`` takes ``person``'s stretches in the window and ``person`` takes ``other``'s."""
    schedule = check_ids(repo, schedule_id, person, other)
    if other == person:
        raise RotaError(f"{person} cannot swap with themselves", "name someone else with --with")
    mine, theirs = _needs(repo, schedule, person, start, end), _needs(repo, schedule, other, start, end)
    moves = [Handover(person, other, *span) for span in mine]
    moves += [Handover(other, person, *span) for span in theirs]
    moves.sort(key=lambda h: h.start)
    return RotaChange("swap", schedule.id, person, other, start, end, tuple(moves), note)


def _needs(repo: m.Repo, schedule: m.Schedule, person: str, start: datetime, end: datetime) -> list[Span]:
    spans = held(repo, schedule, person, start, end)
    if not spans:
        zone = schedule.timezone
        raise RotaError(f"{person} is not on call in {schedule.id} from {format_instant(start, zone)} to "
                        f"{format_instant(end, zone)}",
                        f"see their turns with 'opsrepo oncall --person {person}', and pass a window that "
                        "holds one")
    return spans


def entries(change: RotaChange, schedule: m.Schedule) -> list[dict[str, str]]:
    """The override entries (wall times in the schedule's zone) that make the change."""
    found = []
    for move in change.handovers:
        reason = (f"{move.taker} covers {move.giver}" if change.kind == "cover"
                  else f"swap: {move.taker} takes {move.giver}'s turn")
        found.append({"person": move.taker, "from": wall_text(schedule.timezone, move.start),
                      "to": wall_text(schedule.timezone, move.end),
                      "reason": f"{reason}: {change.note}" if change.note else reason})
    return found


def wall_text(zone: str, micros: int) -> str:
    """An instant as a schedule's local date-time text; RotaError when no wall time names it."""
    wall = wall_at(zone, micros)
    if wall_micros(zone, wall) != micros:
        raise RotaError(f"{format_instant(from_micros(micros), zone)} falls in the repeated hour of a clock "
                        f"change in {zone}: no local time names it",
                        "move the window's edge out of that hour")
    return wall.strftime("%Y-%m-%dT%H:%M:%S" if wall.second else "%Y-%m-%dT%H:%M")


def applied(repo: m.Repo, change: RotaChange) -> m.Repo:
    """``repo`` with the change's overrides added to its schedule (model only, for ranking and checks)."""
    schedule = repo.schedules[change.schedule]
    added = tuple(
        m.Override(move.taker, len(schedule.overrides) + index, wall_at(schedule.timezone, move.start),
                   wall_at(schedule.timezone, move.end), m.Src(None))
        for index, move in enumerate(change.handovers)
    )
    changed = replace(schedule, overrides=schedule.overrides + added)
    return replace(repo, schedules={**repo.schedules, change.schedule: changed})
