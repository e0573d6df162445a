"""The apply state file: written whole, read back, refused with a way out when it is not one."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from opsrepo.apply.state import OwnedOverride, State, read_state, write_state
from opsrepo.errors import OpsrepoError
from opsrepo.oncall.clock import to_micros

START, END = to_micros(datetime(2026, 12, 24, 8, tzinfo=UTC)), to_micros(datetime(2026, 12, 27, 8, tzinfo=UTC))


def test_a_state_is_read_back_as_written_one_entry_a_line(tmp_path: Path) -> None:
    state = State(applied_at=datetime(2026, 11, 23, 9, tzinfo=UTC))
    state.own("schedule", "payments-primary", "PABC123")
    state.own("escalation_policy", "payments", "PPOL1", adopted=True)
    state.overrides.append(OwnedOverride("payments-primary", "PUSER1", START, END, "Q1"))
    state.pending.append(OwnedOverride("payments-primary", "PUSER2", START, END))
    path = tmp_path / "status" / "pagerduty.json"
    write_state(path, state)
    text = path.read_text(encoding="utf-8")
    assert json.loads(text)["overrides"] == [{"schedule": "payments-primary", "user": "PUSER1",
                                              "start": "2026-12-24T08:00:00Z", "end": "2026-12-27T08:00:00Z",
                                              "pagerduty_id": "Q1"}]
    assert '\n  {"kind": "escalation_policy", "id": "payments", "pagerduty_id": "PPOL1", "adopted": true},\n' in text
    again = read_state(path)
    assert again == state
    assert again is not None and again.owned_id("schedule", "payments-primary") == "PABC123"


def test_no_file_is_no_state_and_a_broken_one_says_what_to_do(tmp_path: Path) -> None:
    assert read_state(tmp_path / "missing.json") is None
    broken = tmp_path / "broken.json"
    broken.write_text('{"format": 7}', encoding="utf-8")
    with pytest.raises(OpsrepoError) as caught:
        read_state(broken)
    assert caught.value.message == f'{broken} is not an opsrepo apply state file: expected an object with "format": 1'
    assert caught.value.hint == ("restore it from the Actions cache, or delete it: opsrepo then finds its schedules, "
                                 "policies and services by their marker (but not its overrides)")
