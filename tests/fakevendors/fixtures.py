"""Pytest fixtures for the fake vendors; register with ``pytest_plugins = ["tests.fakevendors.fixtures"]``.

``fake_pagerduty`` and ``fake_opsgenie`` give each test an empty account on a
server shared by the session (started on first use, stopped at the session's
end). At the test's end any finding of the schema checks fails the test: a test
that provokes one on purpose empties ``violations`` after looking at it.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.fakevendors.og_server import FakeOpsgenie
from tests.fakevendors.pd_server import FakePagerDuty


@pytest.fixture(scope="session")
def _fake_pagerduty_server() -> Iterator[FakePagerDuty]:
    server = FakePagerDuty()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def _fake_opsgenie_server() -> Iterator[FakeOpsgenie]:
    server = FakeOpsgenie()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def fake_pagerduty(_fake_pagerduty_server: FakePagerDuty) -> Iterator[FakePagerDuty]:
    """An empty fake PagerDuty account; ``.url`` is its base URL, ``TOKEN`` its token."""
    server = _fake_pagerduty_server
    server.reset()
    yield server
    assert server.violations == [], "the fake PagerDuty saw requests or sent answers its API description forbids"


@pytest.fixture
def fake_opsgenie(_fake_opsgenie_server: FakeOpsgenie) -> Iterator[FakeOpsgenie]:
    """An empty fake Opsgenie account; ``.url`` is its base URL, ``KEY`` its API key."""
    server = _fake_opsgenie_server
    server.reset()
    yield server
    assert server.violations == [], "the fake Opsgenie saw requests or sent answers its API description forbids"
