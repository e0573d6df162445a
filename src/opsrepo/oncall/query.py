"""``opsrepo oncall``'s core: a typed request in, who is on call (and next) out.

Shifts follow the one shift rule of :mod:`opsrepo.oncall.shifts`: ``from`` and
``until`` are the whole run of one person, whatever layers or overrides make
it up, and ``next`` lists the following runs, each a different person.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from typing import TypeVar

from opsrepo.errors import UsageError
from opsrepo.instants import Clock, display_zone, parse_when
from opsrepo.model import Person, Repo, Schedule
from opsrepo.oncall import ON_CALL_HORIZON
from opsrepo.oncall.shifts import Stretch, next_stretches, person_stretches
from opsrepo.oncall.status import Status, status_at
from opsrepo.records import dataclass

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
    #: ``--tz`` as typed, and the environment (``$TZ``): the display and reading zone
    tz: str | None = None
    environment: Mapping[str, str] | None = None


@dataclass(frozen=True)
class Answer:
    """One schedule at ``at``: its status (a shift, off hours or a gap) and the next shifts."""

    schedule: Schedule
    status: Status
    upcoming: tuple[Stretch, ...] = ()


@dataclass(frozen=True)
class OncallResult:
    """Every answer, the instant asked about, and the clock text output is shown with."""

    at: datetime
    clock: Clock
    answers: tuple[Answer, ...] = ()
    person: Person | None = None
    turns: tuple[Stretch, ...] = ()

    @property
    def zone(self) -> str:
        """The display zone."""
        return self.clock.zone


def answer(repo: Repo, request: OncallRequest) -> OncallResult:
    """Resolve the request; unknown ids and unreadable instants raise :class:`UsageError`."""
    if request.next is not None and request.next < 1:
        raise UsageError(f"--next must be at least 1, not {request.next}")
    clock = Clock(request.now, display_zone(request.tz, request.environment or {}, repo.org.timezone))
    if request.person is not None:
        person = _known(request.person, repo.people, "person")
        at = parse_when(request.at, clock) if request.at is not None else request.now
        turns = tuple(next_turns(repo, person.id, at, request.next or DEFAULT_TURNS))
        return OncallResult(at, clock, person=person, turns=turns)
    chosen = select(repo, request.schedules, request.team)
    at = parse_when(request.at, clock) if request.at is not None else request.now
    return OncallResult(at, clock, tuple(_answer(repo, schedule, at, request.next) for schedule in chosen))


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
    following = tuple(next_stretches(repo, schedule.id, at, count)) if count else ()
    return Answer(schedule, status_at(repo, schedule.id, at), following)


def next_turns(repo: Repo, person_id: str, at: datetime, count: int) -> list[Stretch]:
    """The person's shifts running at ``at`` (whole) and the following ones, ``count`` in all."""
    span = timedelta(days=28)
    while True:
        found = person_stretches(repo, person_id, at, at + span)
        if len(found) > count or span >= ON_CALL_HORIZON:
            return found[:count]
        span = min(span * 4, ON_CALL_HORIZON)


def _known(object_id: str, known: Mapping[str, T], what: str) -> T:
    if object_id in known:
        return known[object_id]
    import difflib  # only for unknown ids, off the start path

    close = difflib.get_close_matches(object_id, list(known), n=3, cutoff=0.5)
    hint = f"did you mean {' or '.join(repr(c) for c in close)}?" if close else \
        f"known {what} ids: {', '.join(sorted(known)[:10])}{', ...' if len(known) > 10 else ''}"
    raise UsageError(f"unknown {what} '{object_id}'", hint)
