"""Who could cover: free, within the burnout limits after the change, and the fairness spread it leaves.

Candidates are the schedule's rotation members and its team's members (not
the person who needs cover). Each is judged as if they covered: the limits
of ``opsrepo validate`` (most hours and turns in any 28 days, least rest) on
the schedule around the cover, and the spread of nights, weekend days and
public holidays across the schedule's members over the validation horizon.
The best come first: free before busy, within limits before over them, then
the fewest fairness bounds broken, the smallest spread, the least load.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from opsrepo import model as m
from opsrepo.oncall import accounting as acc
from opsrepo.oncall.clock import HOUR, MICRO, to_micros
from opsrepo.oncall.engine import final_segments
from opsrepo.oncall.load import MEASURES, WINDOW_28D, measure, rotation_members
from opsrepo.rota.check import LOOK_BACK, Conflict, check_instant, conflicts
from opsrepo.rota.plan import Handover, RotaChange, applied
from opsrepo.timeutil import format_duration


@dataclass(frozen=True)
class Spread:
    """One fairness measure's spread across the schedule's members after the change, and its bound."""

    measure: str
    value: float
    bound: float | None

    @property
    def over(self) -> bool:
        """True when the spread breaks its bound."""
        return self.bound is not None and self.value > self.bound


@dataclass(frozen=True)
class Candidate:
    """One possible cover and why they rank where they do."""

    person: str
    conflicts: tuple[Conflict, ...]
    #: what breaks a limit after the change (empty: within limits)
    over_limits: tuple[str, ...]
    #: the limit figures after the change, for the reasons
    load: tuple[str, ...]
    spreads: tuple[Spread, ...]
    peak_hours: float

    @property
    def free(self) -> bool:
        """Neither on time off nor on call elsewhere while covering."""
        return not self.conflicts

    def rank_key(self) -> tuple[bool, bool, int, float, float, str]:
        """Best first."""
        return (not self.free, bool(self.over_limits), sum(s.over for s in self.spreads),
                sum(s.value for s in self.spreads), self.peak_hours, self.person)


def candidates_for(repo: m.Repo, change: RotaChange) -> list[str]:
    """The schedule's rotation members and its team's members, except the person who needs cover."""
    schedule = repo.schedules[change.schedule]
    team = repo.teams.get(schedule.team)
    found = [*rotation_members(repo, schedule), *(team.members if team else ())]
    return [p for p in dict.fromkeys(found) if p != change.person and p in repo.people]


def rank(repo: m.Repo, change: RotaChange, now: datetime) -> list[Candidate]:
    """Every candidate judged as the cover of ``change`` (a cover without ``other``), best first."""
    judged = [judge(repo, change, person, now) for person in candidates_for(repo, change)]
    return sorted(judged, key=Candidate.rank_key)


def judge(repo: m.Repo, change: RotaChange, person: str, now: datetime) -> Candidate:
    """``person`` as the one who covers."""
    moves = tuple(Handover(move.giver, person, move.start, move.end) for move in change.handovers)
    trial = RotaChange("cover", change.schedule, change.person, person, change.start, change.end, moves)
    after = applied(repo, trial)
    spans = [(move.start, move.end) for move in moves]
    schedule = after.schedules[change.schedule]
    over, load, peak = _limits(after, schedule, person, spans)
    return Candidate(person, tuple(conflicts(repo, person, spans, change.schedule)), tuple(over), tuple(load),
                     _spreads(after, schedule, check_instant(now, change)), peak)


def _limits(repo: m.Repo, schedule: m.Schedule, person: str, spans: list[tuple[int, int]],
            ) -> tuple[list[str], list[str], float]:
    low, high = spans[0][0] - 2 * WINDOW_28D, spans[-1][1] + 2 * WINDOW_28D
    turns = acc.turns_of(final_segments(repo, schedule, low, high)).get(person, [])
    limits, over, load = schedule.limits, [], []
    peak = acc.busiest_hours(turns, WINDOW_28D).amount / HOUR
    load.append(f"{_number(peak)} h in the busiest 28 days" + _of(limits.max_hours_28d, "h"))
    if limits.max_hours_28d is not None and peak > limits.max_hours_28d:
        over.append(f"{_number(peak)} h in 28 days, more than {_number(limits.max_hours_28d)} h")
    most = acc.busiest_turns(turns, WINDOW_28D).amount
    load.append(f"{most} turn{'' if most == 1 else 's'} in 28 days" + _of(limits.max_turns_28d, ""))
    if limits.max_turns_28d is not None and most > limits.max_turns_28d:
        over.append(f"{most} turns in 28 days, more than {limits.max_turns_28d}")
    rest = acc.shortest_rest(turns)
    if rest is not None:
        rested = rest[0] * MICRO
        load.append(f"least rest {format_duration(rested)}"
                    + (f" (at least {format_duration(limits.min_rest)})" if limits.min_rest else ""))
        if limits.min_rest is not None and rested < limits.min_rest:
            over.append(f"rest of {format_duration(rested)}, less than {format_duration(limits.min_rest)}")
    return over, load, peak


def _of(limit: float | None, unit: str) -> str:
    return f" (at most {_number(limit)}{' ' + unit if unit else ''})" if limit is not None else ""


def _spreads(repo: m.Repo, schedule: m.Schedule, at: datetime) -> tuple[Spread, ...]:
    low = to_micros(at)
    segments = final_segments(repo, schedule, low, low + int(repo.org.horizon / MICRO))
    found = []
    for name in MEASURES:
        values = measure(repo, schedule, segments, name)
        if len(values) >= 2:
            spread = max(values.values()) - min(values.values())
            found.append(Spread(name, spread, getattr(schedule.fairness, name)))
    return tuple(found)


def reasons(candidate: Candidate, zone: str) -> list[str]:
    """Why a candidate ranks where they do, one clause each."""
    busy = "; ".join(c.text(zone) for c in candidate.conflicts)
    found = ["free" if candidate.free else f"not free: {busy}"]
    if candidate.over_limits:
        found.append("over the limits: " + "; ".join(candidate.over_limits))
    else:
        found.append("within the limits: " + ", ".join(candidate.load))
    if candidate.spreads:
        found.append("fairness spread after: " + ", ".join(
            f"{s.measure} {_number(s.value)}" + (f" (allowed {_number(s.bound)}{', over' if s.over else ''})"
                                                 if s.bound is not None else "")
            for s in candidate.spreads))
    return found


def _number(value: float) -> str:
    return f"{value:.1f}".removesuffix(".0")


__all__ = ["LOOK_BACK", "Candidate", "Spread", "candidates_for", "judge", "rank", "reasons"]
