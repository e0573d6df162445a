"""Pytest fixtures for the fake GitHub; register with ``pytest_plugins = ["tests.fakegithub.fixtures"]``."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from opsrepo.github import pacing
from tests.fakegithub.server import TOKEN, FakeClock, FakeGitHub


@pytest.fixture(scope="session")
def _fake_github_server() -> Iterator[FakeGitHub]:
    server = FakeGitHub()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def fake_github(_fake_github_server: FakeGitHub, monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeGitHub]:
    """A fresh fake repository kestrel-eng/ops; the CLI's clock is the fake's, ``GITHUB_TOKEN`` its token."""
    server = _fake_github_server
    server.clock = FakeClock()
    server.reset()
    monkeypatch.setenv("GITHUB_TOKEN", TOKEN)
    monkeypatch.setattr(pacing, "system_clock", lambda: server.clock)
    yield server
    assert server.drift == [], "the fake sent bodies that do not match GitHub's published shapes"
