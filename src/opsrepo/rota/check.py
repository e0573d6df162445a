"""Checks of a swap or cover: are the people taking time free, does the repo stay as valid as it was."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from opsrepo import model as m
from opsrepo.errors import Diagnostic, Severity
from opsrepo.oncall import schedules_naming
from opsrepo.oncall.clock import from_micros, to_micros
from opsrepo.oncall.cover import person_away
from opsrepo.oncall.engine import final_segments
from opsrepo.oncall.intervals import Span, inside, union
from opsrepo.rota.plan import RotaChange
from opsrepo.rules import run_rules
from opsrepo.timeutil import format_instant

#: the limits look at any 28 days: a change is checked from this long before it
LOOK_BACK = timedelta(days=28)


@dataclass(frozen=True)
class Conflict:
    """``person`` is not free over ``[start, end)``: on time off, or on call in another schedule."""

    person: str
    what: str
    start: int
    end: int

    def text(self, zone: str) -> str:
        """``time off from ... to ...`` in ``zone``."""
        return (f"{self.what} from {format_instant(from_micros(self.start), zone)} to "
                f"{format_instant(from_micros(self.end), zone)}")


def conflicts(repo: m.Repo, person: str, spans: Sequence[Span], schedule_id: str) -> list[Conflict]:
    """Where ``person`` is not free during ``spans``: their time off, their turns in other schedules."""
    if not spans:
        return []
    away = inside(list(spans), person_away(repo, person))
    found = [Conflict(person, "time off", low, high) for low, high in away]
    low, high = spans[0][0], spans[-1][1]
    for schedule in schedules_naming(repo, person):
        if schedule.id == schedule_id:
            continue
        segments = final_segments(repo, schedule, low, high)
        theirs = union((s.start, s.end) for s in segments if s.person == person)
        found += [Conflict(person, f"on call in {schedule.id}", a, b) for a, b in inside(theirs, list(spans))]
    return sorted(found, key=lambda c: (c.start, c.what))


def taken_by(change: RotaChange, person: str) -> list[Span]:
    """The stretches ``person`` takes on in the change."""
    return union((move.start, move.end) for move in change.handovers if move.taker == person)


def check_instant(now: datetime, change: RotaChange) -> datetime:
    """When to validate: now, or 28 days before the change when it is further ahead (so the limits see it)."""
    return max(now, change.start - LOOK_BACK)


def reaching(repo: m.Repo, now: datetime, change: RotaChange) -> m.Repo:
    """``repo`` with a validation horizon that reaches 28 days past the change from ``now``."""
    needed = change.end + LOOK_BACK - now
    if needed <= repo.org.horizon:
        return repo
    return replace(repo, org=replace(repo.org, horizon=needed))


def new_errors(before: m.Repo, after: m.Repo, now: datetime, change: RotaChange) -> list[Diagnostic]:
    """The errors validation finds after the change that it did not find before (lines aside)."""
    at = check_instant(now, change)
    known = {_key(d) for d in _errors(run_rules(reaching(before, at, change), at))}
    return [d for d in _errors(run_rules(reaching(after, at, change), at)) if _key(d) not in known]


def _errors(found: Iterable[Diagnostic]) -> list[Diagnostic]:
    return [d for d in found if d.severity is Severity.ERROR]


def _key(diagnostic: Diagnostic) -> tuple[str, str, str]:
    return diagnostic.code, diagnostic.file, diagnostic.message


def micros_window(change: RotaChange) -> tuple[int, int]:
    """The change's window in microseconds."""
    return to_micros(change.start), to_micros(change.end)
