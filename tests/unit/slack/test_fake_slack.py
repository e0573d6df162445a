"""The fake Slack's checks against Slack's published description catch what they should."""

from __future__ import annotations

import pytest

from tests.fakeslack import spec
from tests.fakeslack.server import FakeSlack


@pytest.fixture(scope="module")
def fake() -> FakeSlack:
    server = FakeSlack()
    server.add_user("ana@core.example")
    group = server.add_group("core-oncall", ["U00000001"])
    server.add_channel("core")
    assert group.id == "S00000001"
    return server


def test_the_fakes_own_answers_match_the_description(fake: FakeSlack) -> None:
    spec.check_answer("usergroups.list", 200, fake.usergroups_list({"include_users": "1"}))
    spec.check_answer("users.lookupByEmail", 200, fake.users_lookup({"email": "ana@core.example"}))
    spec.check_answer("users.lookupByEmail", 200, fake.users_lookup({"email": "nobody@core.example"}))
    spec.check_answer("conversations.setTopic", 200, fake.set_topic({"channel": "C00000001", "topic": "t"}))
    spec.check_answer("chat.postMessage", 200, fake.post_message({"channel": "C00000001", "text": "hi"}))
    spec.check_answer("usergroups.list", 429, {"ok": False, "error": "ratelimited"})


@pytest.mark.parametrize(("method", "body", "message"), [
    ("usergroups.list", {"ok": True, "usergroups": [{"id": "S1"}]}, "usergroups/0"),
    ("users.lookupByEmail", {"ok": False, "error": "no_such_user"}, "error: 'no_such_user' is not one of"),
    # Slack's "items" lists read as anyOf: a user whose tz is a number is caught
    ("users.lookupByEmail", {"ok": True, "user": {"id": "U00000001", "name": "a", "deleted": False, "is_bot": False,
                                                  "updated": 1, "is_app_user": False, "tz": 1,
                                                  "profile": {"real_name": "A", "display_name": "a", "avatar_hash": "h",
                                                              "real_name_normalized": "A",
                                                              "display_name_normalized": "a"}}}, "user"),
    ("chat.postMessage", {"ok": True, "channel": "C00000001", "ts": "1", "message": {}}, "chat.postMessage answer"),
    ("usergroups.list", {"ok": False, "error": "ratelimited"}, "error: 'ratelimited' is not one of"),
])
def test_answers_slack_would_never_send_are_drift(method: str, body: object, message: str) -> None:
    with pytest.raises(spec.Drift, match=message):
        spec.check_answer(method, 200, body)


@pytest.mark.parametrize(("method", "params", "message"), [
    ("usergroups.users.update", {"usergroup": "S00000001"}, "required parameters missing: users"),
    ("usergroups.list", {"include_users": "yes"}, "include_users='yes' is not a boolean"),
    ("conversations.setTopic", {"channel": "C1", "topic": "t", "purpose": "p"}, "does not declare: purpose"),
    ("users.list", {}, "not a method of the subset"),
])
def test_requests_slack_does_not_describe_are_drift(method: str, params: dict[str, object], message: str) -> None:
    with pytest.raises(spec.Drift, match=message):
        spec.check_request(method, params)
