"""Inputs of the site from outside the model: git history, the action-item status, feeds, extra pages."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from opsrepo.errors import OpsrepoError
from opsrepo.git.history import Change, last_changes
from opsrepo.load.repo import Loaded
from opsrepo.site.state import (
    CHANGE_DAYS,
    DAY,
    ESCALATION,
    ORG,
    POSTMORTEM_META,
    RUNBOOK_META,
    SCHEDULE,
    SEVERITY,
    STATUS,
    TEAM,
    Maker,
    SiteState,
)
from opsrepo.site.urls import INDEXES

if TYPE_CHECKING:
    from opsrepo.report.actions import StatusSnapshot


def runbook_history(loaded: Loaded) -> dict[str, Change]:
    """The last change of every runbook, from one git log walk."""
    return last_changes(loaded.root, [runbook.path for runbook in loaded.repo.runbooks.values()])


def read_status(root: Path, notes: list[str]) -> StatusSnapshot | None:
    """The action-item status file, if there is one (a broken one is noted, never fatal)."""
    from opsrepo.actions.status import status_path

    path = status_path(root)
    if not path.exists():  # as read_snapshot says, without importing the report's modules to say it
        return None
    from opsrepo.report.status import read_snapshot

    try:
        return read_snapshot(path)
    except OpsrepoError as exc:
        notes.append(f"{exc.message}: post-mortem pages show no issue links")
        return None


def issue_links(status: StatusSnapshot | None) -> dict[tuple[str, str], dict[str, Any]]:
    """(post-mortem, item) -> issue number, https URL and state, for post-mortem pages."""
    if status is None:
        return {}
    return {
        key: {"number": item.issue, "state": item.state,
              "url": item.url if item.url and item.url.startswith("https://") else None}
        for key, item in status.items.items()
    }


def feeds_in(out: Path) -> frozenset[tuple[str, str]]:
    """The (kind, id) of every ICS feed already written into the site (``calendars/<kind>/<id>.ics``)."""
    found = set()
    for kind in ("schedules", "people", "teams"):
        folder = out / "calendars" / kind
        if folder.is_dir():
            found |= {(kind, path.stem) for path in folder.glob("*.ics")}
    return frozenset(found)


def extra_pages(state: SiteState, status: StatusSnapshot | None,
                digests: Mapping[str, str]) -> Iterator[Maker]:
    """Pages other parts of opsrepo provide: the Reliability report (issue 7), as of the build.

    Its on-call load is made in parts (:class:`opsrepo.site.reliability.LoadParts`).
    """
    from opsrepo.site.reliability import LoadParts, reliability_page

    # of git history, the report reads only the day each runbook last changed
    reads = frozenset({ORG, TEAM, SCHEDULE, ESCALATION, SEVERITY, RUNBOOK_META, POSTMORTEM_META, CHANGE_DAYS,
                       STATUS, DAY})
    yield Maker(INDEXES["reliability"], reads, partial(reliability_page, state, status),
                LoadParts(state, status, digests))
