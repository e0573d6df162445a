"""The :class:`~opsrepo.apply.api.Api` apply needs, on PagerDuty's client: list, create, update, delete."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pagerduty

from opsrepo.apply.api import WRAPPER, ApiError, Counters
from opsrepo.apply.bodies import iso
from opsrepo.pagerduty.client import ACCESS_HINT, Client


class RestApi:
    """PagerDuty's REST API v2 through :class:`Client`."""

    def __init__(self, client: Client) -> None:
        self.client = client

    def close(self) -> None:
        """Close the client's connections."""
        self.client.close()

    @property
    def counters(self) -> Counters:
        """Requests sent so far, and the seconds waited."""
        counters = self.client.counters
        counters.waited = self.client.pacer.waited
        return counters

    def list_all(self, collection: str, params: dict[str, Any]) -> list[dict[str, Any]]:
        """Every object of a collection, 100 a page."""
        return self._call(
            f"list {collection}", lambda: list(self.client.iter_all(f"/{collection}", params=params))
        )

    def list_overrides(self, schedule_id: str, since: datetime, until: datetime) -> list[dict[str, Any]]:
        """``GET /schedules/{id}/overrides``."""
        path = f"/schedules/{schedule_id}/overrides"
        answer = self._call(
            f"list overrides of {schedule_id}",
            lambda: self.client.jget(path, params={"since": iso(since), "until": iso(until)}),
        )
        return list(answer.get("overrides") or []) if isinstance(answer, dict) else []

    def create(self, collection: str, body: dict[str, Any]) -> dict[str, Any]:
        """``POST /{collection}``."""
        found = self._call(
            f"create {WRAPPER[collection]}",
            lambda: self.client.rpost(f"/{collection}", json={WRAPPER[collection]: body}),
        )
        return dict(found)

    def update(self, collection: str, object_id: str, body: dict[str, Any]) -> dict[str, Any]:
        """``PUT /{collection}/{id}``."""
        found = self._call(
            f"update {WRAPPER[collection]} {object_id}",
            lambda: self.client.rput(f"/{collection}/{object_id}", json={WRAPPER[collection]: body}),
        )
        return dict(found or {})

    def delete(self, collection: str, object_id: str) -> None:
        """``DELETE /{collection}/{id}``; gone already is fine."""
        self._call(
            f"delete {WRAPPER[collection]} {object_id}",
            lambda: self.client.rdelete(f"/{collection}/{object_id}"),
            missing_ok=True,
        )

    def create_overrides(self, schedule_id: str, overrides: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """``POST /schedules/{id}/overrides`` with several overrides."""
        answer = self._call(
            f"create overrides of {schedule_id}",
            lambda: self.client.jpost(f"/schedules/{schedule_id}/overrides", json={"overrides": overrides}),
        )
        if isinstance(answer, list):
            return [dict(item) for item in answer]
        if isinstance(answer, dict) and "override" in answer:  # one override: one result
            return [{"override": answer["override"], "status": 201}]
        return []

    def delete_override(self, schedule_id: str, override_id: str) -> None:
        """``DELETE /schedules/{id}/overrides/{override_id}``; gone already is fine."""
        self._call(
            f"delete override {override_id}",
            lambda: self.client.rdelete(f"/schedules/{schedule_id}/overrides/{override_id}"),
            missing_ok=True,
        )

    def _call(self, what: str, send: Any, missing_ok: bool = False) -> Any:
        try:
            return send()
        except pagerduty.HttpError as exc:
            status = exc.response.status_code if exc.response is not None else None
            if missing_ok and status == 404:
                return None
            raise ApiError(
                f"PagerDuty refused to {what}: {status} {self._message(exc)}",
                ACCESS_HINT if status in (401, 403) else None,
                status,
            ) from None
        except pagerduty.Error as exc:
            raise ApiError(f"PagerDuty: cannot {what}: {self.client.redact(str(exc))}") from None

    def _message(self, exc: pagerduty.HttpError) -> str:
        try:
            body = exc.response.json() if exc.response is not None else None
        except ValueError:
            return ""
        error = body.get("error") if isinstance(body, dict) else None
        if isinstance(error, dict):
            parts = [str(error.get("message") or ""), *(str(e) for e in error.get("errors") or [])]
            return self.client.redact("; ".join(p for p in parts if p))
        return ""
