"""The vendor API descriptions: found beside the checkout or a loud failure, and our errata still needed."""

from __future__ import annotations

from pathlib import Path

import pytest
import requests

from tests.fakevendors import specs
from tests.fakevendors.pd_server import TOKEN, FakePagerDuty

pytest_plugins = ["tests.fakevendors.fixtures"]


def test_a_missing_description_is_an_error_not_a_skip(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="shared/vendor-api"):
        specs._read(tmp_path / "nowhere.json")


def test_each_pagerduty_erratum_is_still_needed() -> None:
    raw = specs.pagerduty_raw()
    assert "description" not in raw["paths"]["/users"]["get"]["responses"]["200"]
    assert raw["components"]["schemas"]["Tag"]["allOf"][0]["properties"]["id"]["readOnly"] is True
    assert raw["components"]["parameters"]["header_Content-Type"]["required"] is True
    assert sorted(raw["paths"]["/schedules/{id}/overrides"]["get"]["responses"])[0] == "201"
    assert raw["components"]["schemas"]["Schedule"]["allOf"][1]["properties"]["teams"]["readOnly"] is True
    fixed = specs.pagerduty()
    assert "200" in fixed["paths"]["/schedules/{id}/overrides"]["get"]["responses"]


def test_v3_schedules_can_be_read(fake_pagerduty: FakePagerDuty) -> None:
    event = {"id": "EV1", "type": "schedule_event", "name": "Weekly", "effective_since": "2026-01-05T00:00:00Z",
             "start_time": {"date_time": "2026-01-05T09:00:00Z", "time_zone": "Europe/Berlin"},
             "end_time": {"date_time": "2026-01-12T09:00:00Z", "time_zone": "Europe/Berlin"},
             "recurrence": ["RRULE:FREQ=WEEKLY"],
             "assignment_strategy": {"type": "rotating_member_assignment_strategy",
                                     "members": [{"type": "user_member", "user_id": "PU00001"}]}}
    fake_pagerduty.load({"v3_schedules": [{"id": "PV3AAAA", "type": "schedule_v3", "name": "Shifts",
                                           "time_zone": "Europe/Berlin",
                                           "rotations": [{"id": "ROT1", "type": "schedule_rotation",
                                                          "events": [event]}]}]})
    headers = {"Authorization": f"Token token={TOKEN}"}
    listed = requests.get(f"{fake_pagerduty.url}/v3/schedules", headers=headers, timeout=10).json()
    assert [s["id"] for s in listed["schedules"]] == ["PV3AAAA"]
    read = requests.get(f"{fake_pagerduty.url}/v3/schedules/PV3AAAA/rotations/ROT1/events", headers=headers,
                        timeout=10)
    assert read.status_code == 200 and read.json()["events"][0]["recurrence"] == ["RRULE:FREQ=WEEKLY"]
