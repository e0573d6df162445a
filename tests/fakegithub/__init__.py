"""A stateful fake GitHub REST server for the action-item sync tests."""

from __future__ import annotations

from tests.fakegithub import operations
from tests.fakegithub.faults import Fault
from tests.fakegithub.server import TOKEN, FakeClock, FakeGitHub, Request

__all__ = ["TOKEN", "FakeClock", "FakeGitHub", "Fault", "Request", "operations"]
