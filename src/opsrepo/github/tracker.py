"""The GitHub issue tracker of one repository (implements :class:`opsrepo.actions.tracker.Tracker`)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from opsrepo.actions.labels import LabelSpec
from opsrepo.actions.model import IssueFields, Key, Milestone, ObservedIssue
from opsrepo.actions.tracker import Counters, TrackerError
from opsrepo.github import shapes
from opsrepo.github.transport import OUTAGE_HINT, NotFound, Rejected, Transport, Uncertain

#: newest issues looked through for one whose creation GitHub did not confirm
RECENT = 30
#: how long (seconds) a create GitHub did not confirm is looked for before it is sent again: GitHub has
#: carried one out 31 s after answering 502
SETTLE = 120.0


class GitHubTracker:
    """Issues, labels, milestones and comments of ``repo`` (``owner/name``)."""

    def __init__(self, repo: str, transport: Transport) -> None:
        self.repo = repo
        self.transport = transport
        self.base = f"/repos/{repo}"
        self._assignable: dict[str, bool] = {}
        self._checked = False

    @property
    def counters(self) -> Counters:
        """Requests sent so far."""
        return self.transport.counters

    def check_repo(self) -> None:
        """Fail early, before any write, when the repository is missing or read-only."""
        try:
            data = self.transport.request("GET", self.base).data
        except NotFound:
            raise TrackerError(f"GitHub repository {self.repo} not found, or the token cannot see it",
                               "check github.repo in opsrepo.yaml (or --repo-name), --base-url, and the "
                               "token's access") from None
        if isinstance(data, dict) and data.get("archived"):
            raise TrackerError(f"{self.repo} is archived: its issues are read-only",
                               "unarchive it, or point github.repo at another repository")
        if isinstance(data, dict) and data.get("has_issues") is False:
            raise TrackerError(f"issues are turned off in {self.repo}",
                               "turn them on in the repository settings")
        self._checked = True

    def list_issues(self, label: str | None) -> list[ObservedIssue]:
        """Every issue with ``label`` (None: every issue of the repository), oldest first, in pages of 100."""
        if not self._checked:
            self.check_repo()
        params = {"state": "all", "sort": "created", "direction": "asc"}
        if label:
            params["labels"] = label
        found: list[ObservedIssue] = []
        try:
            for page in self.transport.pages(f"{self.base}/issues", params, item=shapes.issue_or_pull):
                found.extend(issue for issue in page if issue is not None)
        except NotFound as exc:
            raise TrackerError(f"cannot list the issues of {self.repo}: {exc.message}",
                               "check that issues are turned on and the token can read them") from None
        return found

    def get_issue(self, number: int) -> ObservedIssue | None:
        """Issue ``number`` if it still lives in this repository."""
        try:
            found = self.transport.request("GET", f"{self.base}/issues/{number}",
                                           parse=shapes.issue_or_pull).data
        except NotFound:
            return None
        if found is None:
            return None
        moved = not found.repository_url.casefold().endswith(self.base.casefold())
        return None if moved else found

    def is_assignable(self, login: str) -> bool:
        """GitHub's answer for ``login`` (asked once per run)."""
        if login not in self._assignable:
            try:
                self.transport.request("GET", f"{self.base}/assignees/{login}")
                self._assignable[login] = True
            except NotFound:
                self._assignable[login] = False
        return self._assignable[login]

    def list_labels(self) -> list[str]:
        """Every label name."""
        pages = self.transport.pages(f"{self.base}/labels", {})
        return [str(label["name"]) for page in pages for label in page]

    def create_label(self, spec: LabelSpec) -> None:
        """Create a label; one that exists already (any case) is fine."""
        body = {"name": spec.name, "color": spec.color, "description": spec.description}
        try:
            self.transport.request("POST", f"{self.base}/labels", body=body, idempotent=True)
        except Rejected as exc:
            if exc.code() != "already_exists":
                raise

    def list_milestones(self) -> list[Milestone]:
        """Every milestone, open and closed."""
        pages = self.transport.pages(f"{self.base}/milestones", {"state": "all"})
        return [m for page in pages for m in map(shapes.milestone, page) if m is not None]

    def create_milestone(self, title: str, due: date) -> Milestone:
        """Create a milestone, or find the one that already has this title."""
        body = {"title": title, "due_on": shapes.due_on(due)}
        try:
            data = self.transport.request("POST", f"{self.base}/milestones", body=body, idempotent=True,
                                          parse=shapes.required_milestone).data
        except Rejected as exc:
            if exc.code() != "already_exists":
                raise
            existing = next((m for m in self.list_milestones() if m.title == title), None)
            if existing is None:
                raise
            return existing
        return _required(data, "milestone")

    def update_milestone(self, number: int, due: date) -> Milestone:
        """Set a milestone's due date."""
        body = {"due_on": shapes.due_on(due)}
        data = self.transport.request("PATCH", f"{self.base}/milestones/{number}", body=body,
                                      parse=shapes.required_milestone).data
        return _required(data, "milestone")

    def create_issue(self, key: Key, fields: IssueFields, milestone: int | None, label: str) -> ObservedIssue:
        """Create the issue; when GitHub's answer is lost, look for it for a while before trying again."""
        body = shapes.issue_payload(fields, milestone)
        policy = self.transport.policy
        for _ in range(policy.attempts):
            try:
                return self.transport.request("POST", f"{self.base}/issues", body=body, idempotent=False,
                                              parse=shapes.issue).data
            except Uncertain as exc:
                lost = str(exc)
            found = self._settle(key, label, lost)
            if found is not None:
                return found
        raise TrackerError(f"GitHub failed {policy.attempts} times on {lost}", OUTAGE_HINT)

    def _settle(self, key: Key, label: str, lost: str) -> ObservedIssue | None:
        """Look for an unconfirmed create, waiting longer each time, for :data:`SETTLE` seconds in all."""
        waited, attempt = 0.0, 0
        while waited < SETTLE:
            attempt += 1
            pause = min(self.transport.policy.delay(attempt), SETTLE - waited)
            self.transport.pacer.wait(pause, f"GitHub to recover ({lost})")
            waited += pause
            found = self.recent(key, label)
            if found is not None:
                return found
        return None

    def recent(self, key: Key, label: str) -> ObservedIssue | None:
        """The lowest-numbered of the newest issues with ``label`` and ``key``'s marker (a twin's too)."""
        params = {"labels": label, "state": "all", "sort": "created", "direction": "desc", "per_page": RECENT}
        page = self.transport.request("GET", f"{self.base}/issues", params,
                                      parse=lambda data: [shapes.issue_or_pull(d) for d in _page(data)]).data
        mine = [issue for issue in page if issue is not None and issue.key == key]
        return min(mine, key=lambda issue: issue.number) if mine else None

    def update_issue(self, number: int, fields: IssueFields, milestone: int | None) -> ObservedIssue:
        """Set the given fields (PATCH repeats safely)."""
        body = shapes.issue_payload(fields, milestone)
        return self.transport.request(
            "PATCH", f"{self.base}/issues/{number}", body=body, parse=shapes.issue).data

    def close_duplicate(self, number: int, canonical: int, note: str, mark: str) -> ObservedIssue:
        """Close ``number`` as a duplicate of ``canonical``, with a note (written once)."""
        if not self.has_comment(number, mark, None):
            self.comment(number, note, mark)
        body = {"state": "closed", "state_reason": "duplicate"}
        return self.transport.request(
            "PATCH", f"{self.base}/issues/{number}", body=body, parse=shapes.issue).data

    def has_comment(self, number: int, mark: str, since: datetime | None) -> bool:
        """Whether a comment holding ``mark`` was written (at or after ``since``)."""
        return any(mark in str(c.get("body") or "") and _at_or_after(c, since)
                   for c in self._comments(number, since))

    def comment(self, number: int, body: str, mark: str) -> None:
        """Comment once: when GitHub's answer is lost, look for the comment before trying again."""
        policy = self.transport.policy
        for attempt in range(1, policy.attempts + 1):
            try:
                self.transport.request("POST", f"{self.base}/issues/{number}/comments", body={"body": body},
                                       idempotent=False)
                return
            except Uncertain as exc:
                lost = str(exc)
            self.transport.pacer.wait(policy.delay(attempt), f"GitHub to recover ({lost})")
            if any(str(c.get("body") or "").strip() == body.strip() for c in self._comments(number, None)):
                return
        raise TrackerError(f"GitHub failed {policy.attempts} times on {lost}", OUTAGE_HINT)

    def _comments(self, number: int, since: datetime | None) -> list[dict[str, Any]]:
        params = {} if since is None else {"since": since.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")}
        pages = self.transport.pages(f"{self.base}/issues/{number}/comments", params)
        return [c for page in pages for c in page if isinstance(c, dict)]


def _at_or_after(comment: dict[str, Any], since: datetime | None) -> bool:
    created = shapes.instant(comment.get("created_at"))
    return since is None or (created is not None and created >= since)


def _page(data: Any) -> list[Any]:
    if not isinstance(data, list):
        raise TypeError("not a list")
    return data


def _required(value: Milestone | None, what: str) -> Milestone:
    if value is None:
        raise TrackerError(f"GitHub answered without a {what}")
    return value
