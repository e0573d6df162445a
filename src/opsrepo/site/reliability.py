"""The Reliability page (issue 7), its on-call load shared out in parts: one per team, kept between builds.

Most of the page's work is a year of every schedule's shifts and each
person's nights and days (:mod:`opsrepo.report.oncall_load`). Made in one
piece, that is one worker's job for the whole build (25 s of CPU at 10,000
schedules). Here each team's part is made by whichever worker is free (see
:mod:`opsrepo.site.parts`) and the page is put together from the parts at
the end (:mod:`opsrepo.report.load_parts`); a part whose inputs did not
change is taken from the last build, so a schedule edit makes its team's
part again, and nothing else.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from functools import cached_property
from typing import TYPE_CHECKING, Any

from opsrepo.site.state import ORG, SCHEDULE, TEAM, Page, SiteState
from opsrepo.site.urls import INDEXES

if TYPE_CHECKING:  # the report's modules are imported when the page or a part is made, not when kept
    from opsrepo.model import Schedule
    from opsrepo.report.actions import StatusSnapshot
    from opsrepo.report.oncall_load import OncallLoad
    from opsrepo.report.period import Period

#: changes when what a part holds changes, so that no build reads a part of another shape
_PART_FORMAT = "reliability-load-1"


def reliability_page(state: SiteState, status: StatusSnapshot | None, load: OncallLoad | None = None) -> Page:
    """The Reliability report as of the build (``load``: its on-call load, already computed)."""
    from opsrepo.oncall import shift_segments
    from opsrepo.report import site as reliability

    last_reviews = {  # runbooks without ``reviewed``: the local date of their last commit
        runbook.id: change.when.astimezone(state.zone).date()
        for runbook in state.repo.runbooks.values()
        if runbook.reviewed is None and (change := state.history.get(runbook.path)) is not None
        and change.when is not None
    }
    data = reliability.site_page(state.repo, state.now, status=status, shifts=shift_segments,
                                 last_changed=last_reviews, load=load)
    return Page(INDEXES["reliability"], "reliability.html", reliability.TITLE, data, search="Report")


class LoadParts:
    """The Reliability page's on-call load in parts (:class:`opsrepo.site.state.Parts`): one per team."""

    def __init__(self, state: SiteState, status: StatusSnapshot | None, digests: Mapping[str, str]) -> None:
        self.state = state
        self.status = status
        self.digests = digests

    @cached_property
    def period(self) -> Period:
        """The report's period as of the build."""
        from opsrepo.report.core import ReportRequest, resolve_period

        return resolve_period(self.state.repo, ReportRequest(now=self.state.now))

    @cached_property
    def teams(self) -> dict[str, list[str]]:
        """Team id -> its schedules: the parts."""
        from opsrepo.report.load_parts import load_parts

        return load_parts(self.state.repo)

    @cached_property
    def elsewhere(self) -> dict[str, list[str]]:
        """Team id -> the people its schedules name that another team's schedules name too."""
        from opsrepo.report.load_parts import held_elsewhere

        return held_elsewhere(self.state.repo, self.teams)

    def part_keys(self) -> dict[str, str]:
        """Team id -> a digest of what its part reads.

        That is the people and the org (every part's), its schedules with those
        they derive from, who of their people others hold too, and the period.
        """
        shared = [_PART_FORMAT, self.digests[ORG], self.digests[TEAM], self.period.since.isoformat(),
                  self.period.until.isoformat()]
        return {team: _digest([*shared, team, *(text for sid in ids for text in self._sources(sid)), "|",
                               *self.elsewhere.get(team, ())])
                for team, ids in self.teams.items()}

    def weight(self, name: str) -> int:
        """A part's schedules."""
        return len(self.teams[name])

    def make(self, name: str) -> dict[str, Any]:
        """One team's part."""
        return self._part(name, self.elsewhere.get(name, ()))

    def assemble(self, data: Mapping[str, Any]) -> Page:
        """The page, its on-call load put together from the parts."""
        from opsrepo.report.load_parts import assemble

        load = assemble(self.state.repo, data, lambda team: self._part(team, self.state.repo.people))
        return reliability_page(self.state, self.status, load)

    def _part(self, team: str, spans_of: Any) -> dict[str, Any]:
        from opsrepo.oncall import shift_segments
        from opsrepo.report.load_parts import load_part

        return load_part(self.state.repo, self.period, shift_segments, self.teams[team], spans_of)

    def _sources(self, schedule_id: str) -> list[str]:
        """A schedule's id and file text, and those of the schedules it derives from."""
        found: list[str] = []
        schedule: Schedule | None = self.state.repo.schedules[schedule_id]
        while schedule is not None and schedule.id not in found:
            text = getattr(schedule.src.document, "text", None)
            found += [schedule.id, text if isinstance(text, str) else self.digests[SCHEDULE]]
            source = schedule.derive.source if schedule.derive is not None else None
            schedule = self.state.repo.schedules.get(source) if source is not None else None
        return found


def _digest(parts: list[str]) -> str:
    hasher = hashlib.blake2b(digest_size=16)
    for part in parts:
        hasher.update(part.encode("utf-8", "surrogatepass") + b"\0")
    return hasher.hexdigest()

