"""Per-person load of one schedule over a period: the data the burnout and fairness checks judge."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from opsrepo.model import Repo, Schedule
from opsrepo.oncall import accounting as acc
from opsrepo.oncall.clock import DAY
from opsrepo.oncall.cover import OVERRIDE, Segment, person_away
from opsrepo.oncall.engine import rotation
from opsrepo.oncall.intervals import Span, inside

WINDOW_28D = 28 * DAY
MEASURES = ("nights", "weekends", "holidays")
UNITS = {"nights": " nights", "weekends": " weekend days", "holidays": " holidays"}


@dataclass(frozen=True)
class Conflict:
    """``person`` is on call over ``spans`` during their time off (from layers, or from overrides)."""

    person: str
    spans: tuple[Span, ...]
    by_override: bool


def rotation_members(repo: Repo, schedule: Schedule) -> list[str]:
    """The distinct members of the layers a schedule rotates through, in first-seen order."""
    plan = rotation(repo, schedule)
    layers = plan.layers if plan is not None else ()
    return list(dict.fromkeys(person for layer in layers for person in layer.members))


def time_off_conflicts(repo: Repo, segments: Sequence[Segment]) -> list[Conflict]:
    """Where the final schedule puts someone on call during their own time off."""
    found: list[Conflict] = []
    for by_override in (False, True):
        chosen = [s for s in segments if (s.kind == OVERRIDE) == by_override]
        for person, spans in sorted(acc.turns_of(chosen).items()):
            away = person_away(repo, person)
            clash = inside(spans, away) if away else []
            if clash:
                found.append(Conflict(person, tuple(clash), by_override))
    return found


def measure(repo: Repo, schedule: Schedule, segments: Sequence[Segment], name: str) -> dict[str, float]:
    """One fairness measure for every rotation member: nights, weekend days or holidays on call."""
    turns = acc.turns_of(segments)
    values: dict[str, float] = {}
    for pid in rotation_members(repo, schedule):
        person = repo.people.get(pid)
        if person is None or (name == "holidays" and not person.country):
            continue
        spans = turns.get(pid, [])
        if name == "nights":
            values[pid] = acc.nights_on_call(spans, person.timezone)
        else:
            days = acc.local_days(spans, person.timezone)
            values[pid] = acc.weekend_days(days) if name == "weekends" else acc.holiday_days(days, person)
    return values
