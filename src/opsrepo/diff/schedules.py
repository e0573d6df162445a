"""Moved turns per schedule and the load change per person, between two revisions.

Each schedule's final timeline is computed at both revisions over the same
window and compared. A schedule whose inputs are equal at both revisions (the
schedule itself, its derive source, and the zone and time off of everyone it
names) has the same timeline, so it is computed once and never compared: a
change to one rotation of a large org costs a handful of schedules, not all.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from opsrepo import model as m
from opsrepo.diff.load import person_load
from opsrepo.diff.model import Load, Move, PersonDelta, PersonRef, ScheduleDiff
from opsrepo.diff.timeline import Segment, ShiftLike, differences, held_by, timeline

#: ``(repo, schedule_id, start, end) -> shifts``: the on-call engine's final_shifts
ShiftSource = Callable[[m.Repo, str, datetime, datetime], Sequence[ShiftLike]]


@dataclass
class Window:
    """The compared window and the end of the notice period."""

    start: datetime
    end: datetime
    notice_end: datetime


@dataclass
class _Side:
    """One revision's repo and the timelines computed for it so far."""

    repo: m.Repo
    timelines: dict[str, list[Segment]] = field(default_factory=dict)
    _naming: dict[str, list[str]] | None = None

    def schedules_naming(self, person_id: str) -> list[str]:
        """The schedules that can put ``person_id`` on call, by id."""
        if self._naming is None:
            self._naming = {}
            for sid in sorted(self.repo.schedules):
                for pid in named_people(self.repo, sid):
                    self._naming.setdefault(pid, []).append(sid)
        return self._naming.get(person_id, [])


class ScheduleComparison:
    """Computes timelines lazily, sharing those of unchanged schedules between both sides."""

    def __init__(self, before: m.Repo, after: m.Repo, window: Window, shifts: ShiftSource) -> None:
        self.before, self.after = _Side(before), _Side(after)
        self.window = window
        self.shifts = shifts
        ids = set(before.schedules) | set(after.schedules)
        self.unchanged = {sid for sid in ids if sid in before.schedules and sid in after.schedules
                          and fingerprint(before, sid) == fingerprint(after, sid)}

    def timeline(self, side: _Side, schedule_id: str) -> list[Segment]:
        """The final timeline of one schedule at one revision (nobody when it does not exist)."""
        if schedule_id in self.unchanged:
            side = self.before
        if schedule_id not in side.timelines:
            start, end = self.window.start, self.window.end
            exists = schedule_id in side.repo.schedules
            found = self.shifts(side.repo, schedule_id, start, end) if exists else ()
            side.timelines[schedule_id] = timeline(found, start, end)
        return side.timelines[schedule_id]

    def schedule_diffs(self) -> tuple[ScheduleDiff, ...]:
        """Every schedule with at least one moved turn, by id."""
        found = []
        ids = (set(self.before.repo.schedules) | set(self.after.repo.schedules)) - self.unchanged
        for sid in sorted(ids):
            found_differences = differences(self.timeline(self.before, sid), self.timeline(self.after, sid))
            moves = tuple(self._move(d.start, d.end, d.before, d.after) for d in found_differences)
            if moves:
                found.append(_schedule_diff(self.before.repo, self.after.repo, sid, moves))
        return tuple(found)

    def _move(self, start: datetime, end: datetime, before: str | None, after: str | None) -> Move:
        return Move(start, end, self.ref(before), self.ref(after), start < self.window.notice_end)

    def ref(self, person_id: str | None) -> PersonRef | None:
        """How the diff names a person (their record at the new revision, else the old)."""
        if person_id is None:
            return None
        person = self.after.repo.people.get(person_id) or self.before.repo.people.get(person_id)
        if person is None:
            return PersonRef(person_id, person_id)
        return PersonRef(person_id, person.name, person.github)

    def person_deltas(self, schedules: tuple[ScheduleDiff, ...]) -> tuple[PersonDelta, ...]:
        """The load change of everyone whose turns move or whose zone, country or region changed."""
        people = {p.id for s in schedules for move in s.moves for p in move.people}
        people |= {pid for pid in set(self.before.repo.people) & set(self.after.repo.people)
                   if _locale(self.before.repo.people[pid]) != _locale(self.after.repo.people[pid])}
        found = []
        for pid in sorted(people):
            was, now = self.load(self.before, pid), self.load(self.after, pid)
            if was != now:
                ref = self.ref(pid)
                assert ref is not None
                found.append(PersonDelta(ref, was, now))
        return tuple(found)

    def load(self, side: _Side, person_id: str) -> Load:
        """One person's load over every schedule that can put them on call, at one revision.

        Time on two schedules at once counts once, as in ``opsrepo report``.
        """
        sids = side.schedules_naming(person_id)
        if not sids:
            return Load()
        segments = [s for sid in sids for s in held_by(self.timeline(side, sid)).get(person_id, [])]
        # an unknown person's days are counted on the clock of the first schedule naming them
        return person_load(segments, side.repo.people.get(person_id), side.repo.schedules[sids[0]].timezone)


def _schedule_diff(before: m.Repo, after: m.Repo, sid: str, moves: tuple[Move, ...]) -> ScheduleDiff:
    old, new = before.schedules.get(sid), after.schedules.get(sid)
    status = "added" if old is None else "removed" if new is None else "changed"
    record = new or old
    assert record is not None
    return ScheduleDiff(sid, record.name, record.timezone, status, moves)


def _locale(person: m.Person) -> tuple[str, str | None, str | None]:
    return person.timezone, person.country, person.subdivision


def named_people(repo: m.Repo, schedule_id: str, seen: frozenset[str] = frozenset()) -> set[str]:
    """Everyone a schedule can put on call: layer members, overrides, and its derive source's."""
    schedule = repo.schedules.get(schedule_id)
    if schedule is None or schedule_id in seen:
        return set()
    found = {pid for layer in schedule.layers for pid in layer.members}
    found |= {override.person for override in schedule.overrides}
    if schedule.derive is not None:
        found |= named_people(repo, schedule.derive.source, seen | {schedule_id})
    return found


def fingerprint(repo: m.Repo, schedule_id: str, seen: frozenset[str] = frozenset()) -> object:
    """Everything a schedule's final timeline depends on, comparable with ``==``."""
    schedule = repo.schedules.get(schedule_id)
    if schedule is None or schedule_id in seen:
        return None
    people = sorted(named_people(repo, schedule_id))
    source = None
    if schedule.derive is not None:
        source = fingerprint(repo, schedule.derive.source, seen | {schedule_id})
    return schedule, tuple((pid, _availability(repo.people.get(pid))) for pid in people), source


def _availability(person: m.Person | None) -> object:
    if person is None:
        return None
    return person.timezone, tuple((off.start, off.end) for off in person.time_off)
