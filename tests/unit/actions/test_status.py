from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from opsrepo.actions.status import ActionStatus, ItemState, parse_status, read_status, write_status
from opsrepo.errors import OpsrepoError

STATUS = ActionStatus(
    generated_at=datetime(2026, 11, 23, 6, 0, tzinfo=UTC), repo="kestrel-eng/ops",
    items=(
        ItemState("p2", "b", 2, "https://github.example/kestrel-eng/ops/issues/2", "closed", None,
                  datetime(2026, 11, 20, 8, 30, tzinfo=UTC), date(2026, 11, 30), "cleo"),
        ItemState("p1", "a", 1, "https://github.example/kestrel-eng/ops/issues/1", "open", "ana-silva", None,
                  date(2026, 12, 1), "ana"),
    ),
)

TEXT = """{
  "generated_at": "2026-11-23T06:00:00Z",
  "repo": "kestrel-eng/ops",
  "items": [
    {
      "postmortem": "p1",
      "item": "a",
      "issue": 1,
      "url": "https://github.example/kestrel-eng/ops/issues/1",
      "state": "open",
      "assignee": "ana-silva",
      "closed_at": null,
      "due": "2026-12-01",
      "owner": "ana"
    },
    {
      "postmortem": "p2",
      "item": "b",
      "issue": 2,
      "url": "https://github.example/kestrel-eng/ops/issues/2",
      "state": "closed",
      "assignee": null,
      "closed_at": "2026-11-20T08:30:00Z",
      "due": "2026-11-30",
      "owner": "cleo"
    }
  ]
}
"""


def test_written_file_in_full_and_read_back(tmp_path: Path) -> None:
    path = write_status(tmp_path, STATUS)
    assert path == tmp_path / "status" / "actions.json"
    assert path.read_text(encoding="utf-8") == TEXT
    read = read_status(tmp_path)
    # the file lists the items sorted by (post-mortem, item)
    assert read == ActionStatus(STATUS.generated_at, STATUS.repo, (STATUS.items[1], STATUS.items[0]))
    assert [p.name for p in path.parent.iterdir()] == ["actions.json"]


def test_no_file_is_no_status(tmp_path: Path) -> None:
    assert read_status(tmp_path) is None


@pytest.mark.parametrize(("text", "problem"), [
    ("[]", "expected an object with an 'items' list"),
    ('{"generated_at": "2026-11-23T06:00:00Z", "repo": "o/r", "items": [{"state": "done"}]}',
     "item state 'done' is not open or closed"),
    ('{"generated_at": "2026-11-23T06:00:00", "repo": "o/r", "items": []}',
     "'2026-11-23T06:00:00' has no UTC offset; write e.g. 2026-03-14T10:02:00Z"),
    ('{"generated_at": "2026-11-23T06:00:00Z", "items": []}', "'repo'"),
    ("{not json", "Expecting property name enclosed in double quotes: line 1 column 2 (char 1)"),
])
def test_a_broken_file_is_an_error_that_says_what_to_do(tmp_path: Path, text: str, problem: str) -> None:
    (tmp_path / "status").mkdir()
    (tmp_path / "status" / "actions.json").write_text(text, encoding="utf-8")
    with pytest.raises(OpsrepoError) as caught:
        read_status(tmp_path)
    assert caught.value.message == f"{tmp_path}/status/actions.json is not an action-item status file: {problem}"
    assert caught.value.hint == "run 'opsrepo actions status' to write it again, or delete it"


def test_issue_numbers_must_be_numbers() -> None:
    entry = json.loads(TEXT)
    entry["items"][0]["issue"] = True
    with pytest.raises(TypeError, match="issue must be a number, got True"):
        parse_status(entry)
