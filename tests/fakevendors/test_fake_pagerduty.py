"""The fake PagerDuty, driven by PagerDuty's official client (``pagerduty.RestApiV2Client``)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pagerduty
import pytest
import requests

from tests.fakevendors.clients import pagerduty_client
from tests.fakevendors.pd_server import NO_ACCESS_TOKEN, READ_ONLY_TOKEN, TOKEN, FakePagerDuty

pytest_plugins = ["tests.fakevendors.fixtures"]
FROM = "admin@example.com"


OPEN: list[pagerduty.RestApiV2Client] = []


@pytest.fixture(autouse=True)
def _close_clients() -> Iterator[None]:
    yield
    while OPEN:
        OPEN.pop().close()


def client(fake: FakePagerDuty, token: str = TOKEN) -> pagerduty.RestApiV2Client:
    OPEN.append(pagerduty_client(fake, token, FROM))
    return OPEN[-1]


def new_user(api: pagerduty.RestApiV2Client, name: str, zone: str | None = "Europe/Berlin") -> dict[str, Any]:
    body = {"type": "user", "name": name, "email": f"{name.lower()}@example.com"}
    return api.rpost("/users", json={"user": body | ({"time_zone": zone} if zone else {})})


def test_a_round_of_writes_and_reads(fake_pagerduty: FakePagerDuty) -> None:
    api = client(fake_pagerduty)
    ann, bob = new_user(api, "Ann"), new_user(api, "Bob", None)
    team = api.rpost("/teams", json={"team": {"type": "team", "name": "Payments"}})
    api.put(f"/teams/{team['id']}/users/{ann['id']}", json={"role": "manager"}).raise_for_status()
    layer = {"start": "2026-05-01T00:00:00Z", "rotation_virtual_start": "2026-06-01T09:00:00+02:00",
             "rotation_turn_length_seconds": 86400,
             "users": [{"user": {"id": u["id"], "type": "user_reference"}} for u in (ann, bob)]}
    schedule = api.rpost("/schedules", json={"schedule": {"type": "schedule", "name": "Primary",
                                                          "time_zone": "Europe/Berlin", "schedule_layers": [layer],
                                                          "teams": [{"id": team["id"], "type": "team_reference"}]}})
    policy = api.rpost("/escalation_policies", json={"escalation_policy": {
        "type": "escalation_policy", "name": "Payments EP",
        "escalation_rules": [{"escalation_delay_in_minutes": 30,
                              "targets": [{"id": schedule["id"], "type": "schedule_reference"}]}]}})
    api.rpost("/services", json={"service": {"type": "service", "name": "Checkout",
                                             "escalation_policy": {"id": policy["id"],
                                                                   "type": "escalation_policy_reference"}}})
    created = api.rpost(f"/schedules/{schedule['id']}/overrides", json={"overrides": [
        {"start": "2026-06-02T12:00:00Z", "end": "2026-06-02T14:00:00Z", "user": {"id": bob["id"], "type": "user_reference"}}]})
    assert created[0]["status"] == 201
    read = api.rget(f"/schedules/{schedule['id']}", params={"since": "2026-06-02T00:00:00Z",
                                                            "until": "2026-06-03T00:00:00Z", "time_zone": "UTC"})
    assert [(e["start"], e["end"], e["user"]["summary"]) for e in read["final_schedule"]["rendered_schedule_entries"]] == [
        ("2026-06-02T00:00:00Z", "2026-06-02T07:00:00Z", "Ann"), ("2026-06-02T07:00:00Z", "2026-06-02T12:00:00Z", "Bob"),
        ("2026-06-02T12:00:00Z", "2026-06-02T14:00:00Z", "Bob"), ("2026-06-02T14:00:00Z", "2026-06-03T00:00:00Z", "Bob")]
    assert read["escalation_policies"][0]["id"] == policy["id"] and read["teams"][0]["summary"] == "Payments"
    oncalls = list(api.iter_all("/oncalls", params={"since": "2026-06-01T07:00:00Z", "until": "2026-06-01T08:00:00Z"}))
    assert [(o["user"]["summary"], o["escalation_level"]) for o in oncalls] == [("Ann", 1)]
    assert api.rget(f"/teams/{team['id']}/members")[0]["role"] == "manager"
    assert sorted(u["name"] for u in api.rget(f"/schedules/{schedule['id']}/users",
                                        params={"since": "2026-06-01T00:00:00Z", "until": "2026-06-04T00:00:00Z"})) == ["Ann", "Bob"]
    assert api.delete(f"/schedules/{schedule['id']}").status_code == 400  # still used by the policy


def test_pagination_with_limit_offset_more_and_total(fake_pagerduty: FakePagerDuty) -> None:
    api = client(fake_pagerduty)
    for i in range(23):
        new_user(api, f"User{i:02d}")
    names = [u["name"] for u in api.iter_all("/users", page_size=5)]
    assert names == [f"User{i:02d}" for i in range(23)]
    pages = [r for r in fake_pagerduty.requests("GET") if r.path == "/users"]
    assert [r.query.get("offset", ["0"])[0] for r in pages] == ["0", "5", "10", "15", "20"]
    first = api.get("/users", params={"limit": 5, "total": "true"}).json()
    assert (first["more"], first["total"], len(first["users"])) == (True, 23, 5)


def test_429_with_retry_after_then_success(fake_pagerduty: FakePagerDuty) -> None:
    api = client(fake_pagerduty)
    new_user(api, "Ann")
    fake_pagerduty.rate_limit(2, retry_after=3)
    assert [u["name"] for u in api.iter_all("/users")] == ["Ann"]
    statuses = [r.status for r in fake_pagerduty.requests("GET")]
    assert statuses == [429, 429, 200]
    raw = requests.get(f"{fake_pagerduty.url}/users", headers={"Authorization": f"Token token={TOKEN}",
                                                                 "Accept": "application/vnd.pagerduty+json;version=2"})
    assert raw.status_code == 200
    fake_pagerduty.rate_limit(1, retry_after=7)
    limited = requests.get(f"{fake_pagerduty.url}/users", headers={"Authorization": f"Token token={TOKEN}",
                                                                     "Accept": "application/vnd.pagerduty+json;version=2"})
    assert (limited.status_code, limited.headers["Retry-After"]) == (429, "7")


def test_server_errors_then_success_and_a_dead_server(fake_pagerduty: FakePagerDuty) -> None:
    api = client(fake_pagerduty)
    api.retry[503] = 3  # the client retries a status only when told to
    fake_pagerduty.server_errors(2, status=503)
    assert new_user(api, "Ann")["name"] == "Ann"
    assert [r.status for r in fake_pagerduty.requests()] == [503, 503, 201]
    fake_pagerduty.dead_after = len(fake_pagerduty.log) + 1
    seen: list[int] = []
    fake_pagerduty.hooks.append(lambda logged: seen.append(logged.seq))
    assert api.rget("/users")[0]["name"] == "Ann"
    with pytest.raises(requests.ConnectionError):
        requests.get(f"{fake_pagerduty.url}/users", headers={"Authorization": f"Token token={TOKEN}"}, timeout=5)
    assert seen == [4] and [r.status for r in fake_pagerduty.log[3:]] == [200, 0]


def test_wrong_token_is_401_read_only_token_cannot_write_and_no_access_token_cannot_read(fake_pagerduty: FakePagerDuty) -> None:
    with pytest.raises(pagerduty.HttpError) as wrong:
        client(fake_pagerduty, "nope").rget("/users")
    assert wrong.value.response.status_code == 401
    reader = client(fake_pagerduty, READ_ONLY_TOKEN)
    assert reader.rget("/users") == []
    with pytest.raises(pagerduty.HttpError) as denied:
        new_user(reader, "Ann")
    assert denied.value.response.status_code == 403
    with pytest.raises(pagerduty.HttpError) as refused:
        client(fake_pagerduty, NO_ACCESS_TOKEN).rget("/users")
    assert refused.value.response.status_code == 403


def test_an_invalid_request_is_caught_by_the_schema_check(fake_pagerduty: FakePagerDuty) -> None:
    api = client(fake_pagerduty)
    answer = api.post("/schedules", json={"schedule": {"type": "schedule", "name": "No zone",
                                                       "schedule_layers": []}})
    assert answer.status_code == 400 and "time_zone" in answer.json()["error"]["message"]
    bad_restriction = {"type": "monthly_restriction", "start_time_of_day": "09:00:00", "duration_seconds": 60}
    layer = {"start": "2026-05-01T00:00:00Z", "rotation_virtual_start": "2026-05-01T00:00:00Z",
             "rotation_turn_length_seconds": 86400, "users": [], "restrictions": [bad_restriction]}
    answer = api.post("/schedules", json={"schedule": {"type": "schedule", "time_zone": "UTC",
                                                       "schedule_layers": [layer]}})
    assert answer.status_code == 400
    assert len(fake_pagerduty.violations) == 2 and "monthly_restriction" in fake_pagerduty.violations[1]
    fake_pagerduty.violations.clear()


def test_an_invalid_answer_is_caught_and_turned_into_a_500(fake_pagerduty: FakePagerDuty,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    api = client(fake_pagerduty)
    new_user(api, "Ann")
    original = fake_pagerduty.account.view

    def broken(kind: str, obj: dict[str, Any]) -> dict[str, Any]:
        out = original(kind, obj)
        return {k: v for k, v in out.items() if k != "email"} if kind == "user" else out

    monkeypatch.setattr(fake_pagerduty.account, "view", broken)
    answer = api.get("/users")
    assert answer.status_code == 500 and "email" in answer.json()["error"]["message"]
    assert "'email' is a required property" in fake_pagerduty.violations[0]
    fake_pagerduty.violations.clear()
