"""Pytest fixtures for the fake Slack; register with ``pytest_plugins = ["tests.fakeslack.fixtures"]``."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.fakeslack.server import TOKEN, FakeSlack


@pytest.fixture(scope="session")
def _fake_slack_server() -> Iterator[FakeSlack]:
    server = FakeSlack()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def fake_slack(_fake_slack_server: FakeSlack, monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeSlack]:
    """An empty fake workspace; ``SLACK_BOT_TOKEN`` is its token."""
    server = _fake_slack_server
    server.reset()
    monkeypatch.setenv("SLACK_BOT_TOKEN", TOKEN)
    yield server
    assert server.drift == [], "requests or answers that Slack's published description does not allow"
