"""The fake's data: one repository's issues, labels, milestones, comments and assignable users.

Behaviour follows GitHub's REST API where the sync depends on it: label names
are unique ignoring case, unknown labels on an issue are created grey,
assigning someone who cannot be assigned is a 422, milestone titles are
unique (also among closed ones), and ``due_on`` is stored at midnight US
Pacific time (07:00 or 08:00 UTC) whatever hour was sent.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from tests.fakegithub import shapes

PACIFIC = ZoneInfo("America/Los_Angeles")


class Refusal(Exception):
    """An error response: status and GitHub's body."""

    def __init__(self, status: int, body: dict[str, Any], shape: str = "error") -> None:
        super().__init__(body.get("message"))
        self.status = status
        self.body = body
        self.shape = shape


def not_found() -> Refusal:
    return Refusal(404, shapes.error("Not Found", 404))


def invalid(resource: str, field_name: str, code: str, value: Any = None) -> Refusal:
    detail = {"resource": resource, "field": field_name, "code": code}
    if value is not None:
        detail["value"] = value
    return Refusal(422, shapes.error("Validation Failed", 422, [detail]), "validation_error")


@dataclass
class Issue:
    number: int
    title: str
    body: str | None
    labels: list[str]
    assignees: list[str]
    milestone: int | None
    created_at: float
    updated_at: float
    state: str = "open"
    closed_at: float | None = None
    state_reason: str | None = None
    comments: list[dict[str, Any]] = field(default_factory=list)
    pull_request: bool = False
    #: a pull request's head commit (GET /pulls/{number} answers it)
    head_sha: str | None = None


@dataclass
class Repo:
    """One repository; ``api`` is the server's root URL."""

    owner: str
    name: str
    api: str
    assignable: set[str] = field(default_factory=set)
    due_on_style: str = "pacific"
    labels: dict[str, dict[str, Any]] = field(default_factory=dict)
    milestones: dict[int, dict[str, Any]] = field(default_factory=dict)
    issues: dict[int, Issue] = field(default_factory=dict)
    #: pull request number -> head, base, head sha, requested reviewers (the pull is also an issue)
    pulls: dict[int, dict[str, Any]] = field(default_factory=dict)
    next_id: int = 1000

    @property
    def full_name(self) -> str:
        return f"{self.owner}/{self.name}"

    @property
    def base(self) -> str:
        return f"{self.api}/repos/{self.full_name}"

    def ident(self) -> int:
        self.next_id += 1
        return self.next_id

    def user(self, login: str) -> dict[str, Any]:
        return shapes.user(self.api, login, sum(map(ord, login)) + 100)

    # labels -------------------------------------------------------------------------------
    def create_label(self, name: str, color: str = "ededed", description: str | None = None) -> dict[str, Any]:
        if not name:
            raise invalid("Label", "name", "missing_field")
        if name.casefold() in self.labels:
            raise invalid("Label", "name", "already_exists")
        found = shapes.label(self.base, self.ident(), name, color.lstrip("#").lower(), description)
        self.labels[name.casefold()] = found
        return found

    def label_json(self, name: str) -> dict[str, Any]:
        if name.casefold() not in self.labels:
            self.create_label(name)
        return self.labels[name.casefold()]

    # milestones ---------------------------------------------------------------------------
    def create_milestone(self, title: str, due_on: str | None, state: str = "open", now: float = 0) -> dict[str, Any]:
        if any(m["title"] == title for m in self.milestones.values()):
            raise invalid("Milestone", "title", "already_exists")
        number = len(self.milestones) + 1
        self.milestones[number] = {"number": number, "title": title, "state": state, "description": None,
                                   "due_on": self.stored_due_on(due_on), "id": self.ident(),
                                   "created_at": shapes.timestamp(now), "updated_at": shapes.timestamp(now)}
        return self.milestone_json(number)

    def stored_due_on(self, due_on: str | None) -> str | None:
        if due_on is None:
            return None
        day = datetime.fromisoformat(due_on.replace("Z", "+00:00")).astimezone(UTC).date()
        if self.due_on_style == "midnight":
            return f"{day.isoformat()}T00:00:00Z"
        local = datetime.combine(day, time(0), PACIFIC).astimezone(UTC)
        return local.strftime("%Y-%m-%dT%H:%M:%SZ")

    def milestone_json(self, number: int) -> dict[str, Any]:
        m = self.milestones[number]
        issues = [i for i in self.issues.values() if i.milestone == number]
        return {
            "url": f"{self.base}/milestones/{number}", "html_url": f"{shapes.HTML}/{self.full_name}/milestone/{number}",
            "labels_url": f"{self.base}/milestones/{number}/labels", "id": m["id"], "node_id": f"MI_{m['id']}",
            "number": number, "title": m["title"], "description": m["description"],
            "creator": self.user(self.owner), "open_issues": sum(1 for i in issues if i.state == "open"),
            "closed_issues": sum(1 for i in issues if i.state == "closed"), "state": m["state"],
            "created_at": m["created_at"], "updated_at": m["updated_at"],
            "closed_at": m["updated_at"] if m["state"] == "closed" else None, "due_on": m["due_on"],
        }

    # issues -------------------------------------------------------------------------------
    def check_issue_fields(self, payload: dict[str, Any]) -> None:
        for login in payload.get("assignees") or []:
            if login.casefold() not in {a.casefold() for a in self.assignable}:
                raise invalid("Issue", "assignees", "invalid", login)
        milestone = payload.get("milestone")
        if milestone is not None and milestone not in self.milestones:
            raise invalid("Issue", "milestone", "invalid", milestone)
        if "title" in payload and not payload["title"]:
            raise invalid("Issue", "title", "missing_field")
        if len(payload.get("title") or "") > 256:
            raise invalid("Issue", "title", "custom")

    def create_issue(self, payload: dict[str, Any], now: float) -> Issue:
        self.check_issue_fields(payload)
        number = max(self.issues, default=0) + 1
        issue = Issue(number, payload["title"], payload.get("body"), [], list(payload.get("assignees") or []),
                      payload.get("milestone"), now, now)
        issue.labels = [self.label_json(name)["name"] for name in payload.get("labels") or []]
        self.issues[number] = issue
        return issue

    def edit_issue(self, number: int, payload: dict[str, Any], now: float) -> Issue:
        issue = self.issues.get(number)
        if issue is None:
            raise not_found()
        self.check_issue_fields(payload)
        for key in ("title", "body", "assignees", "milestone"):
            if key in payload:
                setattr(issue, key, payload[key])
        if "labels" in payload:
            issue.labels = list(dict.fromkeys(self.label_json(name)["name"] for name in payload["labels"]))
        if payload.get("state") in ("open", "closed") and payload["state"] != issue.state:
            issue.state = payload["state"]
            issue.closed_at = now if issue.state == "closed" else None
            issue.state_reason = payload.get("state_reason") or ("completed" if issue.state == "closed" else "reopened")
        issue.updated_at = now
        return issue

    def issue_json(self, issue: Issue) -> dict[str, Any]:
        url = f"{self.base}/issues/{issue.number}"
        ident = 500000 + issue.number
        return {
            "id": ident, "node_id": f"I_{ident}", "url": url, "repository_url": self.base,
            "labels_url": f"{url}/labels{{/name}}", "comments_url": f"{url}/comments", "events_url": f"{url}/events",
            "html_url": f"{shapes.HTML}/{self.full_name}/issues/{issue.number}", "number": issue.number,
            "state": issue.state, "state_reason": issue.state_reason, "title": issue.title, "body": issue.body,
            "user": self.user("opsrepo-bot"), "labels": [self.labels[n.casefold()] for n in issue.labels],
            "assignee": self.user(issue.assignees[0]) if issue.assignees else None,
            "assignees": [self.user(login) for login in issue.assignees],
            "milestone": self.milestone_json(issue.milestone) if issue.milestone else None,
            "locked": False, "active_lock_reason": None, "comments": len(issue.comments),
            "closed_at": shapes.timestamp(issue.closed_at) if issue.closed_at else None,
            "created_at": shapes.timestamp(issue.created_at), "updated_at": shapes.timestamp(issue.updated_at),
            "author_association": "NONE", "reactions": None,
            **({"pull_request": {"url": f"{self.base}/pulls/{issue.number}", "merged_at": None,
                                 "html_url": f"{shapes.HTML}/{self.full_name}/pull/{issue.number}",
                                 "diff_url": None, "patch_url": None}} if issue.pull_request else {}),
        }

    def add_comment(self, number: int, body: str, now: float, login: str = "opsrepo-bot") -> dict[str, Any]:
        issue = self.issues.get(number)
        if issue is None:
            raise not_found()
        ident = self.ident()
        comment = {"id": ident, "node_id": f"IC_{ident}", "url": f"{self.base}/issues/comments/{ident}",
                   "html_url": f"{shapes.HTML}/{self.full_name}/issues/{number}#issuecomment-{ident}",
                   "body": body, "user": self.user(login), "created_at": shapes.timestamp(now),
                   "updated_at": shapes.timestamp(now), "issue_url": f"{self.base}/issues/{number}",
                   "author_association": "NONE"}
        issue.comments.append(comment)
        return comment

    def due_dates(self) -> dict[str, date | None]:
        """Milestone title -> the due date GitHub shows (US Pacific, or UTC for the midnight style)."""
        zone = UTC if self.due_on_style == "midnight" else PACIFIC
        found: dict[str, date | None] = {}
        for m in self.milestones.values():
            due = m["due_on"]
            found[m["title"]] = (datetime.fromisoformat(due.replace("Z", "+00:00")).astimezone(zone).date()
                                 if due else None)
        return found
