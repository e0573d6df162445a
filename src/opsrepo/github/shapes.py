"""GitHub's REST JSON -> the sync's records, and back.

Only fields present in both REST API versions (2022-11-28 and 2026-03-10) are
read: ``assignees`` (not the old ``assignee``), ``labels[].name``,
``milestone.{number,title,due_on,state}``.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from opsrepo.actions.body import parse_marker
from opsrepo.actions.model import IssueFields, Milestone, ObservedIssue


def instant(value: Any) -> datetime | None:
    """A GitHub timestamp (``2026-03-28T07:00:00Z``), or ``None``."""
    if not isinstance(value, str) or not value:
        return None
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def milestone(data: Any) -> Milestone | None:
    """A milestone object; ``due_on`` by its UTC date (GitHub stores 00:00, 07:00 or 08:00 UTC)."""
    if not isinstance(data, dict):
        return None
    due = instant(data.get("due_on"))
    return Milestone(int(data["number"]), str(data["title"]), due.date() if due else None,
                     str(data.get("state") or "open"))


def issue(data: dict[str, Any]) -> ObservedIssue:
    """An issue object."""
    body = data.get("body") or ""
    return ObservedIssue(
        number=int(data["number"]), url=str(data.get("html_url") or data.get("url") or ""),
        title=str(data.get("title") or ""), body=body, state=str(data.get("state") or "open"),
        labels=tuple(_label_name(label) for label in data.get("labels") or ()),
        assignees=tuple(str(user["login"]) for user in data.get("assignees") or () if isinstance(user, dict)),
        milestone=milestone(data.get("milestone")), closed_at=instant(data.get("closed_at")),
        key=parse_marker(body), created_at=instant(data.get("created_at")),
        repository_url=str(data.get("repository_url") or ""),
    )


def issue_or_pull(data: Any) -> ObservedIssue | None:
    """An issue, or ``None`` for a pull request (the issues API lists both); raises on a malformed object."""
    if not isinstance(data, dict):
        raise TypeError("not an issue object")
    return None if is_pull_request(data) else issue(data)


def required_milestone(data: Any) -> Milestone:
    """A milestone object; raises when the answer is none."""
    found = milestone(data)
    if found is None:
        raise TypeError("not a milestone object")
    return found


def is_pull_request(data: dict[str, Any]) -> bool:
    """The issues API lists pull requests too; they carry ``pull_request``."""
    return bool(data.get("pull_request"))


def _label_name(label: Any) -> str:
    return str(label["name"]) if isinstance(label, dict) else str(label)


def due_on(day: date) -> str:
    """``due_on`` for a milestone due on ``day``.

    Noon UTC is the same calendar date from UTC-12 to UTC+11, so whether
    GitHub keeps the UTC date or converts to US Pacific midnight, the
    milestone shows ``day``.
    """
    return f"{day.isoformat()}T12:00:00Z"


def issue_payload(fields: IssueFields, milestone_number: int | None) -> dict[str, Any]:
    """The JSON body of a create or edit with only the fields to set."""
    payload: dict[str, Any] = {}
    if fields.title is not None:
        payload["title"] = fields.title
    if fields.body is not None:
        payload["body"] = fields.body
    if fields.labels is not None:
        payload["labels"] = list(fields.labels)
    if fields.assignees is not None:
        payload["assignees"] = list(fields.assignees)
    if fields.milestone is not None:
        payload["milestone"] = milestone_number
    return payload
