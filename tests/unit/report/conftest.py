"""The hand-worked incident set most report tests share."""

from __future__ import annotations

from pathlib import Path

import pytest

from opsrepo.model import Repo
from tests.unit.report.build import load, postmortem, write_repo


def item(item_id: str, owner: str, due: str) -> dict[str, str]:
    return {"id": item_id, "title": f"Do {item_id}", "owner": owner, "due": due, "priority": "high",
            "kind": "prevent"}


#: Four incidents. Minutes from start: detected, acknowledged (after detection), mitigated, resolved.
#: i1 SEV1: 2, +3, 30, 60    i2 SEV1: 4, +10, 40, 300    i3 SEV2: 6, (none), 60, 120
#: i4 SEV2: 8, +2, (none), 30
FOUR = [
    postmortem("i1", "SEV1", "2026-10-05T10:00:00Z", "2026-10-05T11:00:00Z", detected="2026-10-05T10:02:00Z",
               acknowledged="2026-10-05T10:05:00Z", mitigated="2026-10-05T10:30:00Z", services=["api"],
               status="published", published="2026-10-09",
               action_items=[item("a", "ana", "2026-10-20"), item("b", "ben", "2026-11-01")]),
    postmortem("i2", "SEV1", "2026-10-12T10:00:00Z", "2026-10-12T15:00:00Z", detected="2026-10-12T10:04:00Z",
               acknowledged="2026-10-12T10:14:00Z", mitigated="2026-10-12T10:40:00Z", services=["api", "db"],
               status="published", published="2026-10-22",
               action_items=[item("c", "dan", "2026-11-30"), item("d", "dan", "2026-10-25"),
                             item("e", "ana", "2026-11-10")]),
    postmortem("i3", "SEV2", "2026-10-19T10:00:00Z", "2026-10-19T12:00:00Z", detected="2026-10-19T10:06:00Z",
               mitigated="2026-10-19T11:00:00Z", services=["db"], status="in-review"),
    postmortem("i4", "SEV2", "2026-11-02T10:00:00Z", "2026-11-02T10:30:00Z", detected="2026-11-02T10:08:00Z",
               acknowledged="2026-11-02T10:10:00Z", services=["cdn"]),
]

#: the action items' status: a closed on time, b open (overdue), c open (not due), d closed late, e unlisted
STATUS_ITEMS = [
    {"postmortem": "i1", "item": "a", "issue": 1, "url": "https://github.com/test/ops/issues/1", "state": "closed",
     "assignee": None, "closed_at": "2026-10-15T12:00:00Z", "due": "2026-10-20", "owner": "ana"},
    {"postmortem": "i1", "item": "b", "issue": 2, "url": "https://github.com/test/ops/issues/2", "state": "open",
     "assignee": None, "closed_at": None, "due": "2026-11-01", "owner": "ben"},
    {"postmortem": "i2", "item": "c", "issue": 3, "url": "https://github.com/test/ops/issues/3", "state": "open",
     "assignee": None, "closed_at": None, "due": "2026-11-30", "owner": "dan"},
    {"postmortem": "i2", "item": "d", "issue": 4, "url": "https://github.com/test/ops/issues/4", "state": "closed",
     "assignee": None, "closed_at": "2026-10-30T00:00:00Z", "due": "2026-10-25", "owner": "dan"},
]


@pytest.fixture
def four_root(tmp_path: Path) -> Path:
    return write_repo(tmp_path / "ops", FOUR)


@pytest.fixture
def four(four_root: Path) -> Repo:
    return load(four_root)
