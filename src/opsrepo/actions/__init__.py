"""Post-mortem action items as tracked issues: the planning core.

Pure: it renders what each item's issue should be, diffs it against what the
tracker returned, and runs the plan through a :class:`~opsrepo.actions.tracker.Tracker`
(``opsrepo.github`` supplies the GitHub one). It never imports PyGithub.
"""

from __future__ import annotations

from opsrepo.actions.status import ActionStatus, ItemState, read_status, write_status

__all__ = ["ActionStatus", "ItemState", "read_status", "write_status"]
