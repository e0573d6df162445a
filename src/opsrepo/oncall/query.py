"""``opsrepo oncall``'s core: a typed request in, who is on call (and next) out."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TypeVar

from opsrepo.errors import UsageError
from opsrepo.model import Person, Repo, Schedule
from opsrepo.oncall import ON_CALL_HORIZON, Shift, final_shifts, handoffs, on_call, person_shifts, stretch_end
from opsrepo.timeutil import get_zone, parse_cli_instant

T = TypeVar("T")

#: turns listed for --person without --next
DEFAULT_TURNS = 5


@dataclass(frozen=True)
class OncallRequest:
    """What the command line asks (ids unchecked, ``at`` as typed)."""

    now: datetime
    at: str | None = None
    schedules: tuple[str, ...] = ()
    team: str | None = None
    person: str | None = None
    next: int | None = None


@dataclass(frozen=True)
class Answer:
    """One schedule at ``at``: the shift (None: a gap), until when, and the next handoffs."""

    schedule: Schedule
    shift: Shift | None
    #: when the person stops being on call (or the gap ends); None when beyond the search
    until: datetime | None
    #: the next handoffs, each with when that person stops being on call
    upcoming: tuple[tuple[Shift, datetime | None], ...] = ()
    #: when a gap began (the shift's start otherwise); None when beyond the search
    since: datetime | None = None


@dataclass(frozen=True)
class OncallResult:
    """Every answer, with the zone instants are shown in when no schedule's own applies."""

    at: datetime
    zone: str
    answers: tuple[Answer, ...] = ()
    person: Person | None = None
    turns: tuple[Shift, ...] = ()


def answer(repo: Repo, request: OncallRequest) -> OncallResult:
    """Resolve the request; unknown ids and unparsable instants raise :class:`UsageError`."""
    if request.next is not None and request.next < 1:
        raise UsageError(f"--next must be at least 1, not {request.next}")
    if request.person is not None:
        person = _known(request.person, repo.people, "person")
        at = _instant(request.at, person.timezone, request.now)
        count = request.next or DEFAULT_TURNS
        turns = tuple(next_turns(repo, person.id, at, count))
        return OncallResult(at, person.timezone, person=person, turns=turns)
    chosen = select(repo, request.schedules, request.team)
    zone = chosen[0].timezone if len(chosen) == 1 else repo.org.timezone
    at = _instant(request.at, zone, request.now)
    return OncallResult(at, zone, tuple(_answer(repo, schedule, at, request.next) for schedule in chosen))


def select(repo: Repo, schedule_ids: Iterable[str], team: str | None) -> list[Schedule]:
    """The schedules asked for (all when none), by id; a team narrows to its schedules."""
    chosen = [_known(sid, repo.schedules, "schedule") for sid in dict.fromkeys(schedule_ids)]
    if team is not None:
        _known(team, repo.teams, "team")
        chosen = [s for s in (chosen or repo.schedules.values()) if s.team == team]
        if not chosen:
            raise UsageError(f"team '{team}' has no schedules", "list them with 'opsrepo oncall'")
    return chosen or sorted(repo.schedules.values(), key=lambda s: s.id)


def _answer(repo: Repo, schedule: Schedule, at: datetime, count: int | None) -> Answer:
    shift = on_call(repo, schedule.id, at)
    following = handoffs(repo, schedule.id, at, count) if count else []
    upcoming = tuple((s, stretch_end(repo, s)) for s in following)
    if shift is not None:
        until = stretch_end(repo, shift) if shift.end < at + ON_CALL_HORIZON else None
        return Answer(schedule, shift, until, upcoming, shift.start)
    after = following[:1] or handoffs(repo, schedule.id, at, 1)
    return Answer(schedule, None, after[0].start if after else None, upcoming, _gap_start(repo, schedule, at))


def _gap_start(repo: Repo, schedule: Schedule, at: datetime) -> datetime | None:
    """When the gap around ``at`` began: the end of the last shift, searched back up to ON_CALL_HORIZON."""
    span = timedelta(days=7)
    while True:
        before = final_shifts(repo, schedule.id, at - span, at)
        if before or span >= ON_CALL_HORIZON:
            return before[-1].end if before else None
        span = min(span * 4, ON_CALL_HORIZON)


def next_turns(repo: Repo, person_id: str, at: datetime, count: int) -> list[Shift]:
    """The person's shifts running at ``at`` (whole) and the following ones, ``count`` in all."""
    span = timedelta(days=28)
    while True:
        found = person_shifts(repo, person_id, at, at + span)
        if len(found) > count or span >= ON_CALL_HORIZON:
            break
        span *= 4
    whole = []
    for shift in found[:count]:
        # by order, not ==: an ``at`` in a fall-back overlap never equals a UTC instant (PEP 495)
        current = on_call(repo, shift.schedule, at) if shift.start <= at else None
        whole.append(current if current is not None and current.person == person_id else shift)
    return whole


def _instant(text: str | None, zone: str, now: datetime) -> datetime:
    if text is None:
        return now
    try:
        return parse_cli_instant(text, get_zone(zone))
    except ValueError:
        raise UsageError(f"--at {text!r} is not an ISO 8601 instant", "write e.g. "
                         f"2026-03-29T09:00:00+02:00, or 2026-03-29T09:00 for {zone} time") from None


def _known(object_id: str, known: Mapping[str, T], what: str) -> T:
    if object_id in known:
        return known[object_id]
    import difflib  # only for unknown ids, off the start path

    close = difflib.get_close_matches(object_id, list(known), n=3, cutoff=0.5)
    hint = f"did you mean {' or '.join(repr(c) for c in close)}?" if close else \
        f"known {what} ids: {', '.join(sorted(known)[:10])}{', ...' if len(known) > 10 else ''}"
    raise UsageError(f"unknown {what} '{object_id}'", hint)
