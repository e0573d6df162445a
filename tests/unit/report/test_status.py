"""The action-item status file, read by ``opsrepo.actions.status`` and adapted to the report."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from opsrepo.errors import OpsrepoError
from opsrepo.report.actions import ItemStatus, StatusSnapshot
from opsrepo.report.status import read_snapshot
from tests.unit.report.build import status_file

HINT = "run 'opsrepo actions status' to write it again, or delete it"


def test_reads_items_by_postmortem_and_item(tmp_path: Path) -> None:
    path = status_file(tmp_path / "actions.json", [
        {"postmortem": "p", "item": "i", "issue": 7, "url": "https://github.com/o/r/issues/7", "state": "closed",
         "assignee": "octo", "closed_at": "2026-11-01T10:00:00Z", "due": "2026-11-05", "owner": "ana"},
    ])
    assert read_snapshot(path) == StatusSnapshot(
        datetime(2026, 11, 23, 6, tzinfo=UTC),
        {("p", "i"): ItemStatus("closed", datetime(2026, 11, 1, 10, tzinfo=UTC), 7,
                                "https://github.com/o/r/issues/7", "octo")},
    )


def test_no_file_is_no_snapshot(tmp_path: Path) -> None:
    assert read_snapshot(tmp_path / "missing.json") is None


@pytest.mark.parametrize(("text", "reason"), [
    ("{", "Expecting property name enclosed in double quotes: line 1 column 2 (char 1)"),
    ("[]", "expected an object with an 'items' list"),
    ('{"generated_at": "2026-11-23T06:00:00Z", "repo": "o/r", "items": [{"postmortem": "p", "item": "i", '
     '"state": "merged"}]}', "item state 'merged' is not open or closed"),
    ('{"items": [], "repo": "o/r", "generated_at": 5}', "instant must be a string, got 5"),
])
def test_a_broken_file_is_an_error_that_says_what_to_do(tmp_path: Path, text: str, reason: str) -> None:
    path = tmp_path / "actions.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(OpsrepoError) as caught:
        read_snapshot(path)
    assert (caught.value.message, caught.value.hint) == (f"{path} is not an action-item status file: {reason}", HINT)
