"""What every page of one build shares: the repo, the instant, the shifts, the history."""

from __future__ import annotations

import bisect
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import cached_property
from typing import Any
from zoneinfo import ZoneInfo

from opsrepo.git.history import Change
from opsrepo.model import Repo
from opsrepo.oncall import Shift, final_shifts
from opsrepo.rules.runbook_links import LinkResolver
from opsrepo.timeutil import get_zone

#: the home page carries this much of the future (the browser picks "now" from it)
HOME_AHEAD = timedelta(days=14)
#: people pages list turns this far ahead
PERSON_AHEAD = timedelta(days=56)


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

    @cached_property
    def zone(self) -> ZoneInfo:
        """The org's timezone."""
        return get_zone(self.repo.org.timezone)

    @cached_property
    def window(self) -> tuple[datetime, datetime]:
        """The span every page's shifts come from: this month and the next two, plus a margin."""
        local = self.now.astimezone(self.zone)
        first = local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
        start = first.astimezone(UTC) - timedelta(days=7)
        month_after_next = (first + timedelta(days=95)).replace(day=1)
        end = max(month_after_next.astimezone(UTC), self.now + PERSON_AHEAD) + timedelta(days=7)
        return start, end

    @cached_property
    def links(self) -> LinkResolver:
        """Resolves Markdown links of runbooks and post-mortems."""
        return LinkResolver(self.repo)

    def shifts(self, schedule_id: str) -> list[Shift]:
        """The final shifts of a schedule over :attr:`window`."""
        if schedule_id not in self._shifts:
            start, end = self.window
            self._shifts[schedule_id] = final_shifts(self.repo, schedule_id, start, end)
        return self._shifts[schedule_id]

    def on_call(self, schedule_id: str, at: datetime) -> Shift | None:
        """The shift covering ``at`` (None: a gap, or outside the window)."""
        shifts = self.shifts(schedule_id)
        index = bisect.bisect_right([s.start for s in shifts], at) - 1
        return shifts[index] if index >= 0 and shifts[index].end > at else None

    def next_shift(self, schedule_id: str, at: datetime) -> Shift | None:
        """The first shift starting after ``at``."""
        shifts = self.shifts(schedule_id)
        index = bisect.bisect_right([s.start for s in shifts], at)
        return shifts[index] if index < len(shifts) else None

    def resolve(self, schedule_id: str, at: datetime) -> str | None:
        """The escalation engine's resolver: who is on call on a schedule at ``at``."""
        shift = self.on_call(schedule_id, at) if schedule_id in self.repo.schedules else None
        return shift.person if shift else None

    def person_name(self, person_id: str) -> str:
        """A person's name (their id when unknown)."""
        person = self.repo.people.get(person_id)
        return person.name if person else person_id

    def shifts_by_person(self) -> dict[str, list[Shift]]:
        """Every shift in the window, grouped by person, by start."""
        grouped: dict[str, list[Shift]] = {}
        for schedule_id in sorted(self.repo.schedules):
            for shift in self.shifts(schedule_id):
                grouped.setdefault(shift.person, []).append(shift)
        for shifts in grouped.values():
            shifts.sort(key=lambda s: (s.start, s.schedule))
        return grouped
