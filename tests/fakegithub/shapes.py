"""JSON bodies the fake sends, built like GitHub's and checked against githubkit's generated models.

githubkit's models are generated from GitHub's published OpenAPI description,
so a body that validates here has the shape real clients parse. ``check``
raises on any drift; the server turns that into a test failure.
"""

from __future__ import annotations

import warnings
from functools import cache
from typing import Any

HTML = "https://github.example"
DOCS = "https://docs.github.com/rest"


@cache
def _adapters() -> dict[str, Any]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        from githubkit_schemas.latest import models as m
    from pydantic import TypeAdapter

    return {
        "issue": TypeAdapter(m.Issue), "issues": TypeAdapter(list[m.Issue]),
        "label": TypeAdapter(m.Label), "labels": TypeAdapter(list[m.Label]),
        "milestone": TypeAdapter(m.Milestone), "milestones": TypeAdapter(list[m.Milestone]),
        "comment": TypeAdapter(m.IssueComment), "comments": TypeAdapter(list[m.IssueComment]),
        "pull": TypeAdapter(m.PullRequest),
        "repository": TypeAdapter(m.FullRepository), "rate_limit": TypeAdapter(m.RateLimitOverview),
        "error": TypeAdapter(m.BasicError), "validation_error": TypeAdapter(m.ValidationError),
        "pulls": TypeAdapter(list[m.PullRequestSimple]),
    }


def check(shape: str, body: Any) -> None:
    """Raise ``pydantic.ValidationError`` when ``body`` is not a valid ``shape``."""
    _adapters()[shape].validate_python(body)


def timestamp(seconds: float) -> str:
    """GitHub's timestamp format."""
    from datetime import UTC, datetime

    return datetime.fromtimestamp(int(seconds), UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def user(api: str, login: str, ident: int) -> dict[str, Any]:
    """A ``simple-user``."""
    url = f"{api}/users/{login}"
    return {
        "login": login, "id": ident, "node_id": f"U_{ident}", "avatar_url": f"{HTML}/avatars/{ident}",
        "gravatar_id": "", "url": url, "html_url": f"{HTML}/{login}", "followers_url": f"{url}/followers",
        "following_url": f"{url}/following{{/other_user}}", "gists_url": f"{url}/gists{{/gist_id}}",
        "starred_url": f"{url}/starred{{/owner}}{{/repo}}", "subscriptions_url": f"{url}/subscriptions",
        "organizations_url": f"{url}/orgs", "repos_url": f"{url}/repos", "events_url": f"{url}/events{{/privacy}}",
        "received_events_url": f"{url}/received_events", "type": "User", "site_admin": False,
        "user_view_type": "public",
    }


def label(repo_api: str, ident: int, name: str, color: str, description: str | None) -> dict[str, Any]:
    """A ``label``."""
    return {"id": ident, "node_id": f"LA_{ident}", "url": f"{repo_api}/labels/{name}", "name": name,
            "description": description, "color": color, "default": False, "archived_at": None,
            "archived_by": None}


def error(message: str, status: int, errors: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """GitHub's error body (``basic-error``, or ``validation-error`` with ``errors``)."""
    body: dict[str, Any] = {"message": message, "documentation_url": DOCS, "status": str(status)}
    if errors is not None:
        body["errors"] = errors
    return body


def repository(api: str, owner: dict[str, Any], name: str, now: str, open_issues: int) -> dict[str, Any]:
    """A ``full-repository``."""
    full = f"{owner['login']}/{name}"
    base = f"{api}/repos/{full}"
    templated = {key: f"{base}/{path}" for key, path in {
        "archive_url": "{archive_format}{/ref}", "assignees_url": "assignees{/user}",
        "blobs_url": "git/blobs{/sha}", "branches_url": "branches{/branch}",
        "collaborators_url": "collaborators{/collaborator}", "comments_url": "comments{/number}",
        "commits_url": "commits{/sha}", "compare_url": "compare/{base}...{head}",
        "contents_url": "contents/{+path}", "contributors_url": "contributors", "deployments_url": "deployments",
        "downloads_url": "downloads", "events_url": "events", "forks_url": "forks",
        "git_commits_url": "git/commits{/sha}", "git_refs_url": "git/refs{/sha}", "git_tags_url": "git/tags{/sha}",
        "issue_comment_url": "issues/comments{/number}", "issue_events_url": "issues/events{/number}",
        "issues_url": "issues{/number}", "keys_url": "keys{/key_id}", "labels_url": "labels{/name}",
        "languages_url": "languages", "merges_url": "merges", "milestones_url": "milestones{/number}",
        "notifications_url": "notifications{?since,all,participating}", "pulls_url": "pulls{/number}",
        "releases_url": "releases{/id}", "stargazers_url": "stargazers", "statuses_url": "statuses/{sha}",
        "subscribers_url": "subscribers", "subscription_url": "subscription", "tags_url": "tags",
        "teams_url": "teams", "trees_url": "git/trees{/sha}", "hooks_url": "hooks",
    }.items()}
    return {
        "id": 1, "node_id": "R_1", "name": name, "full_name": full, "owner": owner, "private": True,
        "html_url": f"{HTML}/{full}", "description": None, "fork": False, "url": base, **templated,
        "git_url": f"git://github.example/{full}.git", "ssh_url": f"git@github.example:{full}.git",
        "clone_url": f"{HTML}/{full}.git", "mirror_url": None, "svn_url": f"{HTML}/{full}", "homepage": None,
        "language": None, "forks_count": 0, "stargazers_count": 0, "watchers_count": 0, "size": 1,
        "default_branch": "main", "open_issues_count": open_issues, "has_issues": True, "has_projects": False,
        "has_wiki": False, "has_pages": False, "has_discussions": False, "archived": False, "disabled": False,
        "pushed_at": now, "created_at": now, "updated_at": now, "subscribers_count": 1, "network_count": 0,
        "license": None, "forks": 0, "open_issues": open_issues, "watchers": 0,
        "permissions": {"admin": False, "maintain": False, "push": True, "triage": True, "pull": True},
    }


def rate_limit(limit: int, remaining: int, reset: int) -> dict[str, Any]:
    """A ``rate-limit-overview``."""
    core = {"limit": limit, "remaining": remaining, "reset": reset, "used": limit - remaining}
    return {"resources": {"core": core, "search": {"limit": 30, "remaining": 30, "reset": reset, "used": 0}},
            "rate": core}
