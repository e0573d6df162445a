"""What apply needs from PagerDuty's REST API v2; :mod:`opsrepo.pagerduty` implements it.

The core sends and reads the API's own JSON shapes; the implementation does
HTTP, pacing and retries. Tests may swap in anything that answers alike.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from opsrepo.errors import OpsrepoError

USERS, SCHEDULES, POLICIES, SERVICES = "users", "schedules", "escalation_policies", "services"
#: collection -> the key that wraps one object in requests and answers
WRAPPER = {USERS: "user", SCHEDULES: "schedule", POLICIES: "escalation_policy", SERVICES: "service"}


class ApiError(OpsrepoError):
    """PagerDuty refused or failed a request (after retries); exit code 1."""

    def __init__(self, message: str, hint: str | None = None, status: int | None = None) -> None:
        super().__init__(message, hint)
        self.status = status


class Uncertain(ApiError):
    """A write PagerDuty may or may not have carried out (its answer was lost)."""


@dataclass
class Counters:
    """Requests sent: all, those that write, and the seconds spent waiting for rate limits and retries."""

    requests: int = 0
    writes: int = 0
    waited: float = 0.0


class Api(Protocol):
    """The endpoints apply uses."""

    @property
    def counters(self) -> Counters:
        """Requests sent so far."""

    def list_all(self, collection: str, params: dict[str, Any]) -> list[dict[str, Any]]:
        """Every object of a collection (all pages)."""

    def list_overrides(self, schedule_id: str, since: datetime, until: datetime) -> list[dict[str, Any]]:
        """The overrides of a schedule that meet ``[since, until)``."""

    def create(self, collection: str, body: dict[str, Any]) -> dict[str, Any]:
        """Create one object (``body`` unwrapped); the created object. Raises :class:`Uncertain`."""

    def update(self, collection: str, object_id: str, body: dict[str, Any]) -> dict[str, Any]:
        """Replace an object's given fields (``body`` unwrapped); the object as stored."""

    def delete(self, collection: str, object_id: str) -> None:
        """Delete an object (already gone is fine)."""

    def create_overrides(self, schedule_id: str, overrides: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Create overrides in one request; one result per override (``override``, ``status``, ``errors``)."""

    def delete_override(self, schedule_id: str, override_id: str) -> None:
        """Delete (or, when it runs, end now) an override (already gone is fine)."""
