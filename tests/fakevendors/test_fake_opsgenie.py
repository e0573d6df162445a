"""The fake Opsgenie over HTTP: paging, faults, auth, timeline and the swagger checks."""

from __future__ import annotations

from typing import Any

import pytest
import requests

from tests.fakevendors.og_server import KEY, NO_ACCESS_KEY, READ_ONLY_KEY, FakeOpsgenie

pytest_plugins = ["tests.fakevendors.fixtures"]


def call(fake: FakeOpsgenie, method: str, path: str, key: str = KEY, **kw: Any) -> requests.Response:
    return requests.request(method, fake.url + path, headers={"Authorization": f"GenieKey {key}"}, timeout=10, **kw)


def add_users(fake: FakeOpsgenie, n: int) -> None:
    for i in range(n):
        answer = call(fake, "POST", "/v2/users", json={"username": f"user{i:02d}@example.com", "fullName": f"User {i}",
                                                       "role": {"name": "User"}})
        assert answer.status_code == 201


def test_users_page_with_offset_limit_and_paging_next(fake_opsgenie: FakeOpsgenie) -> None:
    add_users(fake_opsgenie, 7)
    names, url = [], f"{fake_opsgenie.url}/v2/users?limit=3&offset=0"
    while url:
        body = requests.get(url, headers={"Authorization": f"GenieKey {KEY}"}, timeout=10).json()
        names += [u["username"] for u in body["data"]]
        url = body["paging"].get("next")
        assert body["totalCount"] == 7
    assert names == [f"user{i:02d}@example.com" for i in range(7)]


def test_429_then_success_5xx_and_keys(fake_opsgenie: FakeOpsgenie) -> None:
    fake_opsgenie.rate_limit(1, retry_after=2)
    limited = call(fake_opsgenie, "GET", "/v2/teams")
    assert (limited.status_code, limited.headers["Retry-After"]) == (429, "2")
    assert call(fake_opsgenie, "GET", "/v2/teams").status_code == 200
    fake_opsgenie.server_errors(1, status=502)
    assert call(fake_opsgenie, "GET", "/v2/teams").status_code == 502
    assert call(fake_opsgenie, "GET", "/v2/teams", key="wrong").status_code == 401
    assert call(fake_opsgenie, "GET", "/v2/teams", key=READ_ONLY_KEY).status_code == 200
    assert call(fake_opsgenie, "POST", "/v2/teams", key=READ_ONLY_KEY, json={"name": "x"}).status_code == 403
    assert call(fake_opsgenie, "GET", "/v2/teams", key=NO_ACCESS_KEY).status_code == 403


def schedule_body() -> dict[str, Any]:
    return {"name": "ops", "timezone": "Europe/Berlin", "rotations": [
        {"name": "day", "startDate": "2026-05-04T09:00:00+02:00", "type": "weekly",
         "participants": [{"type": "user", "username": "user00@example.com"},
                          {"type": "user", "username": "user01@example.com"}],
         "timeRestriction": {"type": "weekday-and-time-of-day", "restrictions": [
             {"startDay": "monday", "startHour": 9, "startMin": 0, "endDay": "friday", "endHour": 17, "endMin": 0}]}},
        {"name": "backup", "startDate": "2026-05-04T00:00:00+02:00", "type": "daily",
         "participants": [{"type": "user", "username": "user02@example.com"}]}]}


def test_timeline_and_who_is_on_call(fake_opsgenie: FakeOpsgenie) -> None:
    add_users(fake_opsgenie, 3)
    sid = call(fake_opsgenie, "POST", "/v2/schedules", json=schedule_body()).json()["data"]["id"]
    answer = call(fake_opsgenie, "POST", f"/v2/schedules/{sid}/overrides", json={
        "user": {"type": "user", "username": "user02@example.com"}, "startDate": "2026-06-02T08:00:00Z",
        "endDate": "2026-06-02T10:00:00Z", "rotations": [{"name": "day"}]})
    assert answer.status_code == 201
    data = call(fake_opsgenie, "GET", f"/v2/schedules/{sid}/timeline",
                params={"date": "2026-06-01T00:00:00Z", "interval": "3", "intervalUnit": "days",
                        "expand": "base,override"}).json()["data"]
    day = data["finalTimeline"]["rotations"][0]["periods"]
    assert [(p["startDate"], p["endDate"], p["recipient"]["name"], p["type"]) for p in day] == [
        ("2026-06-01T07:00:00Z", "2026-06-02T08:00:00Z", "user00@example.com", "default"),
        ("2026-06-02T08:00:00Z", "2026-06-02T10:00:00Z", "user02@example.com", "override"),
        ("2026-06-02T10:00:00Z", "2026-06-04T00:00:00Z", "user00@example.com", "default")]
    assert len(data["overrideTimeline"]["rotations"][0]["periods"]) == 1
    flat = call(fake_opsgenie, "GET", f"/v2/schedules/{sid}/on-calls",
                params={"date": "2026-06-06T12:00:00Z", "flat": "true"}).json()["data"]
    assert flat["onCallRecipients"] == ["user02@example.com"]
    both = call(fake_opsgenie, "GET", "/v2/schedules/ops/on-calls",
                params={"scheduleIdentifierType": "name", "date": "2026-06-03T12:00:00Z"}).json()["data"]
    assert [p["name"] for p in both["onCallParticipants"]] == ["user00@example.com", "user02@example.com"]


def test_an_invalid_request_and_an_invalid_answer_are_caught(fake_opsgenie: FakeOpsgenie,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    body = schedule_body()
    body["rotations"][0]["timeRestriction"] = {"type": "time-of-day", "restriction": {"startHour": "nine"}}
    assert call(fake_opsgenie, "POST", "/v2/schedules", json=body).status_code == 400
    assert call(fake_opsgenie, "GET", "/v2/users", params={"limit": "many"}).status_code == 400
    assert "startHour" in fake_opsgenie.violations[0] and "limit" in fake_opsgenie.violations[1]
    fake_opsgenie.violations.clear()
    add_users(fake_opsgenie, 1)
    user = next(iter(fake_opsgenie.objects["user"].values()))
    monkeypatch.setitem(user, "createdAt", "yesterday")
    answer = call(fake_opsgenie, "GET", "/v2/users")
    assert answer.status_code == 500 and "yesterday" in fake_opsgenie.violations[0]
    fake_opsgenie.violations.clear()
