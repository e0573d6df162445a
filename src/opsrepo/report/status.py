"""The action-item status file (``status/actions.json``) in the report's terms.

The file is written by ``opsrepo actions sync`` and read by its own reader
(:mod:`opsrepo.actions.status`); this adapter is the report's only contact with
it, so a change of its format touches one place.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from opsrepo.actions.status import STATUS_FILE, read_status_file
from opsrepo.report.actions import ItemStatus, StatusSnapshot

if TYPE_CHECKING:
    from opsrepo.actions.status import ActionStatus

__all__ = ["STATUS_FILE", "read_snapshot", "snapshot"]


def read_snapshot(path: Path) -> StatusSnapshot | None:
    """The snapshot in the status file at ``path``; ``None`` when there is no such file.

    Raises :class:`~opsrepo.errors.OpsrepoError` (with what to do) when the file is unreadable.
    """
    status = read_status_file(path)
    return None if status is None else snapshot(status)


def snapshot(status: ActionStatus) -> StatusSnapshot:
    """The report's view of a status file."""
    return StatusSnapshot(status.generated_at, {
        entry.key: ItemStatus(entry.state, entry.closed_at, entry.issue, entry.url, entry.assignee)
        for entry in status.items
    })
