"""What every page of one build shares: the repo, the instant, the shifts, the history."""

from __future__ import annotations

import bisect
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from functools import cached_property
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from opsrepo.git.history import Change
from opsrepo.model import Repo
from opsrepo.oncall import Shift, final_shifts
from opsrepo.oncall.clock import to_micros
from opsrepo.oncall.shifts import schedules_of
from opsrepo.rules.runbook_links import LinkResolver
from opsrepo.timeutil import get_zone

#: the home page carries this much of the future (the browser picks "now" from it)
HOME_AHEAD = timedelta(days=14)
#: people pages list turns this far ahead
PERSON_AHEAD = timedelta(days=28)
#: how far local time runs behind and ahead of UTC anywhere (Baker Island, Kiribati's Line Islands)
_BEHIND_UTC, _AHEAD_OF_UTC = timedelta(hours=12), timedelta(hours=14)


@dataclass(frozen=True)
class Page:
    """One HTML file of the site: its template and all the data the template reads.

    ``data`` is plain JSON-able data (the incremental build fingerprints it);
    ``markdown`` is ``(file, body, first line)`` rendered at render time.
    """

    path: str
    template: str
    title: str
    data: Mapping[str, Any]
    markdown: tuple[str, str, int] | None = None
    #: Pagefind filter label; empty: the page is not indexed
    search: str = ""


#: what a page can be made from; a page names the ones it reads (see Maker)
ORG, TEAM, SCHEDULE, ESCALATION, SEVERITY = "org", "team", "schedule", "escalation", "severity"
#: a runbook's or post-mortem's front matter ("meta") or its whole file
RUNBOOK_META, RUNBOOK = "runbook-meta", "runbook"
POSTMORTEM_META, POSTMORTEM = "postmortem-meta", "postmortem"
#: git history, the action-item status file, the calendar feeds in the site, the date (in UTC and
#: in the org's and every schedule's zone: a page may show any of them), the minute
HISTORY, STATUS, FEEDS, DAY, CLOCK = "history", "status", "feeds", "day", "clock"
#: the Prometheus rule files (alerts.paths)
ALERTS = "alerts"
#: the local day (org timezone) each file last changed: what a page that shows no commit reads of history
CHANGE_DAYS = "change-days"
#: schedules whose shifts a build computes one by one before it reads those the last build kept
ALONE = 16
#: every input that comes from the repo's files
MODEL = frozenset({ORG, TEAM, SCHEDULE, ESCALATION, SEVERITY, RUNBOOK_META, RUNBOOK, POSTMORTEM_META,
                   POSTMORTEM, ALERTS})


def own_file(path: str) -> str:
    """The input that is one runbook's whole file: its page reads its own, not every runbook."""
    return f"file:{path}"


def own_history(path: str) -> str:
    """The input that is one file's last change in git."""
    return f"history:{path}"


@dataclass(frozen=True)
class Maker:
    """How to make one page, and the inputs its data depends on.

    ``reads`` must name every input the page's data comes from: a page none
    of whose inputs changed since the last build is not even made again.
    Links in its Markdown are checked again on every build regardless.
    """

    path: str
    reads: frozenset[str]
    make: Callable[[], Page]
    #: the page's work shared out in parts (made by whichever worker is free, kept between builds);
    #: when given, the builder makes the page with ``parts.assemble``, not ``make`` (the one-piece reference)
    parts: Parts | None = None


class Parts(Protocol):
    """A page whose data is put together from parts that are made apart and kept between builds."""

    def part_keys(self) -> Mapping[str, str]:
        """Part name -> a digest of everything the part reads: a part whose key is unchanged is kept."""

    def weight(self, name: str) -> int:
        """About how much work a part is (parts are handed to workers in runs of about equal work)."""

    def make(self, name: str) -> Any:
        """One part's data: plain JSON (kept in a file, sent between processes)."""

    def assemble(self, data: Mapping[str, Any]) -> Page:
        """The page, from every part's data by name."""


class Kept(Protocol):
    """A schedule's shifts kept by the last build (:class:`opsrepo.site.inputs.KeptShifts`)."""

    starts: list[int]
    ends: list[int]

    def decode(self, first: int = 0, stop: int | None = None) -> list[Shift]:
        """Shifts ``first`` to ``stop``."""

    def spans(self, first: int, stop: int) -> list[tuple[int, int, str]]:
        """``(start, end, person)`` of shifts ``first`` to ``stop``, in microseconds."""


@dataclass
class SiteState:
    """Shared, memoised inputs of one build."""

    repo: Repo
    now: datetime
    history: Mapping[str, Change]
    #: schedule and person ids that have an ICS feed in the site
    feeds: frozenset[tuple[str, str]] = frozenset()
    #: status of post-mortem action items (issue links), by (post-mortem id, item id)
    issues: Mapping[tuple[str, str], Mapping[str, Any]] = field(default_factory=dict)
    _shifts: dict[str, list[Shift]] = field(default_factory=dict)
    _bounds: dict[str, tuple[list[int], list[int]]] = field(default_factory=dict)
    _kept: Mapping[str, Kept] = field(default_factory=dict)
    _by_person: dict[str, list[Shift]] | None = None
    #: True when this build computed shifts (rather than taking them from the last build)
    computed_shifts: bool = False
    #: reads the last build's shifts, and tells whether they fit (see :meth:`prepare`)
    _load_kept: Callable[[], Mapping[str, Kept] | None] | None = None
    _kept_fit: Callable[[], bool] | None = None
    #: a page is reading every schedule's shifts: the last build's are taken at once (see :meth:`read_all`)
    _all: bool = False

    @cached_property
    def zone(self) -> ZoneInfo:
        """The org's timezone."""
        return get_zone(self.repo.org.timezone)

    @cached_property
    def today(self) -> datetime:
        """Midnight UTC of the build's day: pages that change daily, not by the minute, start here."""
        return self.now.astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)

    @cached_property
    def window(self) -> tuple[datetime, datetime]:
        """The span every page's shifts come from: this month and the next (the calendars), a margin.

        "This month" is taken in every zone on Earth at once (UTC-12 to UTC+14):
        a schedule in Auckland shows December and January while its Berlin org
        is still on 30 November. It changes a few times a month, so the shifts
        can be kept from one build to the next.
        """
        now = self.now.astimezone(UTC)
        earliest, latest = (now - _BEHIND_UTC).date(), (now + _AHEAD_OF_UTC).date()
        start = datetime(earliest.year, earliest.month, 1, tzinfo=UTC) - timedelta(days=8)
        month_after_next = (latest.replace(day=1) + timedelta(days=62)).replace(day=1)
        calendars = datetime(month_after_next.year, month_after_next.month, 1, tzinfo=UTC)
        return start, max(calendars, self.today + PERSON_AHEAD) + timedelta(days=8)

    @cached_property
    def links(self) -> LinkResolver:
        """Resolves Markdown links of runbooks and post-mortems."""
        return LinkResolver(self.repo)

    def shifts(self, schedule_id: str) -> list[Shift]:
        """The final shifts of a schedule over :attr:`window`."""
        if schedule_id not in self._shifts:
            self._ready()
            kept = self._kept.get(schedule_id)
            if kept is not None:
                self._shifts[schedule_id] = kept.decode()
            else:
                start, end = self.window
                self._shifts[schedule_id] = final_shifts(self.repo, schedule_id, start, end)
        return self._shifts[schedule_id]

    def bounds(self, schedule_id: str) -> tuple[list[int], list[int]]:
        """The starts and the ends of :meth:`shifts`, in microseconds (both sorted: shifts do not overlap)."""
        found = self._bounds.get(schedule_id)
        if found is None:
            self._ready()
            kept = self._kept.get(schedule_id)
            if kept is not None:  # what the shifts were decoded from
                found = (kept.starts, kept.ends)
            else:
                shifts = self.shifts(schedule_id)
                found = ([to_micros(s.start) for s in shifts], [to_micros(s.end) for s in shifts])
            self._bounds[schedule_id] = found
        return found

    def between(self, schedule_id: str, start: datetime, end: datetime) -> list[Shift]:
        """The shifts of a schedule that overlap ``[start, end)`` (inside :attr:`window`)."""
        return self._rows(schedule_id, *self._overlapping(schedule_id, start, end))

    def spans(self, schedule_id: str, start: datetime, end: datetime) -> list[tuple[int, int, str]]:
        """``(start, end, person)`` in microseconds of the shifts overlapping ``[start, end)``.

        What :meth:`between` finds, without making :class:`Shift` objects of
        kept rows: the home page reads two weeks of every schedule on every build.
        """
        first, stop = self._overlapping(schedule_id, start, end)
        kept = self._undecoded(schedule_id)
        if kept is not None:
            return kept.spans(first, stop)
        starts, ends = self.bounds(schedule_id)
        shifts = self.shifts(schedule_id)
        return [(starts[n], ends[n], shifts[n].person) for n in range(first, stop)]

    def on_call(self, schedule_id: str, at: datetime) -> Shift | None:
        """The shift covering ``at`` (None: a gap, or outside the window)."""
        starts, ends = self.bounds(schedule_id)
        micros = to_micros(at)
        index = bisect.bisect_right(starts, micros) - 1
        return self._rows(schedule_id, index, index + 1)[0] if index >= 0 and ends[index] > micros else None

    def next_shift(self, schedule_id: str, at: datetime) -> Shift | None:
        """The first shift starting after ``at``."""
        starts, _ = self.bounds(schedule_id)
        index = bisect.bisect_right(starts, to_micros(at))
        return self._rows(schedule_id, index, index + 1)[0] if index < len(starts) else None

    def held(self, schedule_id: str, shift: Shift, end: datetime) -> Shift:
        """``shift`` until its person changes, among the shifts that start before ``end``.

        What ``join_shifts(between(schedule_id, shift.start, end))[0]`` is (the
        engine's rule, :func:`opsrepo.oncall.shifts.merge_pieces`: touching
        pieces of one person are one shift), decoding only the last piece's
        end of kept rows: the home page asks it of every schedule on every build.
        """
        first, _ = self._overlapping(schedule_id, shift.start, end)
        spans = self.spans(schedule_id, shift.start, end)
        last = 0
        while last + 1 < len(spans) and spans[last + 1][0] == spans[last][1] \
                and spans[last + 1][2] == shift.person:
            last += 1
        if not last:
            return shift
        return replace(shift, end=self._rows(schedule_id, first + last, first + last + 1)[0].end)

    def _overlapping(self, schedule_id: str, start: datetime, end: datetime) -> tuple[int, int]:
        """The first and the stop index of the shifts overlapping ``[start, end)`` (ends are sorted too)."""
        starts, ends = self.bounds(schedule_id)
        return bisect.bisect_right(ends, to_micros(start)), bisect.bisect_left(starts, to_micros(end))

    def _rows(self, schedule_id: str, first: int, stop: int) -> list[Shift]:
        """Shifts ``first`` to ``stop``, decoding only those of kept rows not decoded yet."""
        kept = self._undecoded(schedule_id)
        return kept.decode(first, stop) if kept is not None else self.shifts(schedule_id)[first:stop]

    def _undecoded(self, schedule_id: str) -> Kept | None:
        """The last build's rows of a schedule, while its shifts are not decoded as a whole."""
        self._ready()
        return self._kept.get(schedule_id) if schedule_id not in self._shifts else None

    def resolve(self, schedule_id: str, at: datetime) -> str | None:
        """The escalation engine's resolver: who is on call on a schedule at ``at``."""
        shift = self.on_call(schedule_id, at) if schedule_id in self.repo.schedules else None
        return shift.person if shift else None

    def person_name(self, person_id: str) -> str:
        """A person's name (their id when unknown)."""
        person = self.repo.people.get(person_id)
        return person.name if person else person_id

    @cached_property
    def schedules_of(self) -> dict[str, list[str]]:
        """Person id -> the schedules whose layers (a derived one's: its source's) or overrides name them."""
        return schedules_of(self.repo)

    @cached_property
    def teams_of(self) -> dict[str, list[str]]:
        """Person id -> the teams that define them or count them as a member, by id.

        Made once for the build: each person page scanning every team was quadratic in the org's size.
        """
        found: dict[str, list[str]] = {}
        for team_id in sorted(self.repo.teams):
            team = self.repo.teams[team_id]
            for person in dict.fromkeys((*team.members, *team.people)):
                found.setdefault(person, []).append(team_id)
        return found

    @cached_property
    def team_schedules(self) -> dict[str, list[str]]:
        """Team id -> its schedules, by id (grouped once: each team page sorted every schedule)."""
        from opsrepo.report.oncall_load import schedules_by_team  # the report modules: when a page needs them

        return schedules_by_team(self.repo)

    @cached_property
    def team_runbooks(self) -> dict[str | None, list[str]]:
        """Team id -> its runbooks, by id (grouped once: each team page sorted every runbook)."""
        found: dict[str | None, list[str]] = {}
        for runbook_id in sorted(self.repo.runbooks):
            found.setdefault(self.repo.runbooks[runbook_id].team, []).append(runbook_id)
        return found

    @cached_property
    def runbooks_naming(self) -> dict[str, list[str]]:
        """Service id -> the runbooks whose front matter names it, in the repo's order (found once)."""
        found: dict[str, list[str]] = {}
        for runbook in self.repo.runbooks.values():
            for service in dict.fromkeys(runbook.services):
                found.setdefault(service, []).append(runbook.id)
        return found

    @cached_property
    def policy_users(self) -> dict[str, list[str]]:
        """Policy id -> the services that escalate through it, by default or for a severity, by id."""
        found: dict[str, list[str]] = {}
        for service_id in sorted(self.repo.services):
            service = self.repo.services[service_id]
            for policy in dict.fromkeys((service.escalation_policy, *service.severity_policies.values())):
                found.setdefault(policy, []).append(service_id)
        return found

    @cached_property
    def postmortems_by_cause(self) -> dict[str, list[str]]:
        """Root cause category -> the post-mortems that give it, in the repo's order."""
        found: dict[str, list[str]] = {}
        for postmortem in self.repo.postmortems.values():
            if postmortem.root_cause_category:
                found.setdefault(postmortem.root_cause_category, []).append(postmortem.id)
        return found

    def prepare(self, load: Callable[[], Mapping[str, Kept] | None], fit: Callable[[], bool]) -> None:
        """Where every schedule's shifts come from: the last build's, if they ``fit``, else computed at once.

        ``load`` reads them (None: there are none that fit), once pages have
        needed :data:`ALONE` schedules' shifts: until then each is computed
        alone (under a millisecond, where reading them all takes tens), so a
        one-runbook edit reads none. Kept shifts are decoded where pages look
        (see :meth:`decode_all`).
        """
        self._load_kept, self._kept_fit = load, fit

    def _ready(self) -> None:
        """Compute every schedule's shifts when the last build's do not fit; take them after :data:`ALONE`."""
        if self._kept_fit is not None:
            fit, self._kept_fit = self._kept_fit(), None
            if not fit:
                self._load_kept = None
                self.computed_shifts = True
                self.decode_all()
                return
        if self._load_kept is None or (len(self._shifts) < ALONE and not self._all):
            return
        load, self._load_kept = self._load_kept, None
        kept = load()
        if kept is not None and set(kept) == set(self.repo.schedules):
            self._kept = kept
            return
        self.computed_shifts = True
        self.decode_all()

    def read_all(self) -> None:
        """A page is about to read every schedule's shifts: take the last build's at once.

        Rather than compute :data:`ALONE` schedules' first, alone: the home
        page reads them all on every build (its clock moves).
        """
        self._all = len(self.repo.schedules) > ALONE

    def decode_all(self) -> None:
        """Every schedule's shifts as objects (before forking: the workers inherit them)."""
        for schedule_id in sorted(self.repo.schedules):
            self.shifts(schedule_id)

    def all_shifts(self) -> dict[str, list[Shift]]:
        """Every schedule's shifts over :attr:`window`."""
        return {schedule_id: self.shifts(schedule_id) for schedule_id in sorted(self.repo.schedules)}

    def shifts_by_person(self) -> dict[str, list[Shift]]:
        """Every shift in the window, grouped by person, by start (computed once)."""
        if self._by_person is not None:
            return self._by_person
        grouped: dict[str, list[Shift]] = {}
        for schedule_id in sorted(self.repo.schedules):
            for shift in self.shifts(schedule_id):
                grouped.setdefault(shift.person, []).append(shift)
        for shifts in grouped.values():
            shifts.sort(key=lambda s: (s.start, s.schedule))
        self._by_person = grouped
        return grouped
