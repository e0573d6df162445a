"""A stateful fake Slack Web API (the methods opsrepo calls), checked against Slack's published description."""

from __future__ import annotations

from tests.fakeslack.server import TOKEN, FakeSlack

__all__ = ["TOKEN", "FakeSlack"]
