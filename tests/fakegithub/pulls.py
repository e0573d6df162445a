"""Pull requests for the fake: open one, list them by head, request reviewers.

Importing this module adds ``GET``/``POST /repos/{owner}/{repo}/pulls`` and
``POST /repos/{owner}/{repo}/pulls/{number}/requested_reviewers`` to the
fake's routes. A pull request is also an issue (GitHub numbers both alike).
As GitHub does: the head and base branches must exist (in the bare git
repository ``fake.git_remote`` when one is set), one open pull request per
head and base, reviews only from collaborators (the assignable users) other
than the author, who is the token's user, ``opsrepo-bot``.
"""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tests.fakegithub import shapes
from tests.fakegithub.routes import REPO, ROUTES, Answer, _page, _repo
from tests.fakegithub.state import Refusal, invalid, not_found

if TYPE_CHECKING:
    from tests.fakegithub.server import FakeGitHub

PULLS = REPO + "/pulls"
REVIEWERS = REPO + r"/pulls/(?P<number>\d+)/requested_reviewers"
AUTHOR = "opsrepo-bot"
NOT_COLLABORATOR = ("Reviews may only be requested from collaborators. One or more of the users or teams you "
                    "specified is not a collaborator of the {repo} repository.")


def branch_sha(fake: FakeGitHub, branch: str) -> str | None:
    """The commit of ``branch`` on the fake's git remote (any branch is there without one)."""
    remote: Path | None = getattr(fake, "git_remote", None)
    if remote is None:
        return "0" * 40
    done = subprocess.run(["git", "--git-dir", str(remote), "rev-parse", "--verify", "-q", f"refs/heads/{branch}"],
                          capture_output=True, text=True, check=False)
    return done.stdout.strip() or None


def pull_json(fake: FakeGitHub, number: int) -> dict[str, Any]:
    """A ``pull-request`` (a superset of ``pull-request-simple``)."""
    repo, pull = fake.repo, fake.repo.pulls[number]
    issue = repo.issues[number]
    owner = repo.user(repo.owner)
    full = shapes.repository(fake.url, owner, repo.name, shapes.timestamp(fake.clock.now()), 0)
    url = f"{repo.base}/pulls/{number}"
    html = f"{shapes.HTML}/{repo.full_name}/pull/{number}"

    def ref(branch: str, sha: str) -> dict[str, Any]:
        return {"label": f"{repo.owner}:{branch}", "ref": branch, "sha": sha, "user": owner, "repo": full}

    links = {"self": url, "html": html, "issue": f"{repo.base}/issues/{number}",
             "comments": f"{repo.base}/issues/{number}/comments", "review_comments": f"{url}/comments",
             "review_comment": f"{repo.base}/pulls/comments{{/number}}", "commits": f"{url}/commits",
             "statuses": f"{repo.base}/statuses/{pull['sha']}"}
    return {
        "url": url, "id": 700000 + number, "node_id": f"PR_{number}", "html_url": html,
        "diff_url": f"{html}.diff", "patch_url": f"{html}.patch", "issue_url": links["issue"],
        "commits_url": links["commits"], "review_comments_url": links["review_comments"],
        "review_comment_url": links["review_comment"], "comments_url": links["comments"],
        "statuses_url": links["statuses"], "number": number, "state": issue.state, "locked": False,
        "title": issue.title, "user": repo.user(AUTHOR), "body": issue.body, "labels": [], "milestone": None,
        "active_lock_reason": None, "created_at": shapes.timestamp(issue.created_at),
        "updated_at": shapes.timestamp(issue.updated_at), "closed_at": None, "merged_at": None,
        "merge_commit_sha": None, "assignee": None, "assignees": [],
        "requested_reviewers": [repo.user(login) for login in pull["reviewers"]], "requested_teams": [],
        "head": ref(pull["head"], pull["sha"]), "base": ref(pull["base"], pull["base_sha"]),
        "_links": {key: {"href": value} for key, value in links.items()}, "author_association": "OWNER",
        "auto_merge": None, "draft": False, "merged": False, "mergeable": None, "rebaseable": None,
        "mergeable_state": "unknown", "merged_by": None, "comments": 0, "review_comments": 0,
        "maintainer_can_modify": bool(pull["maintainer_can_modify"]), "commits": 1, "additions": 1,
        "deletions": 0, "changed_files": 1,
    }


def list_pulls(fake: FakeGitHub, params: dict[str, str], query: dict[str, str], body: Any) -> Answer:
    _repo(fake, params)
    state, head, base = query.get("state", "open"), query.get("head"), query.get("base")
    found = [pull_json(fake, n) for n in sorted(fake.repo.pulls)
             if (state == "all" or fake.repo.issues[n].state == state)
             and (head is None or f"{fake.repo.owner}:{fake.repo.pulls[n]['head']}".casefold() == head.casefold())
             and (base is None or fake.repo.pulls[n]["base"] == base)]
    return _page(fake, f"/repos/{params['owner']}/{params['name']}/pulls", query, found, "pulls")


def create_pull(fake: FakeGitHub, params: dict[str, str], query: dict[str, str], body: Any) -> Answer:
    _repo(fake, params)
    body = body or {}
    for key in ("title", "head", "base"):
        if not body.get(key):
            raise invalid("PullRequest", key, "missing_field")
    head, base = str(body["head"]).split(":")[-1], str(body["base"])
    sha, base_sha = branch_sha(fake, head), branch_sha(fake, base)
    if sha is None:
        raise invalid("PullRequest", "head", "invalid", head)
    if base_sha is None:
        raise invalid("PullRequest", "base", "invalid", base)
    if sha == base_sha and getattr(fake, "git_remote", None) is not None:
        raise Refusal(422, shapes.error("Validation Failed", 422, [
            {"resource": "PullRequest", "code": "custom", "message": f"No commits between {base} and {head}"}]),
            "validation_error")
    for number, pull in fake.repo.pulls.items():
        if pull["head"] == head and pull["base"] == base and fake.repo.issues[number].state == "open":
            raise Refusal(422, shapes.error("Validation Failed", 422, [
                {"resource": "PullRequest", "code": "custom",
                 "message": f"A pull request already exists for {fake.repo.owner}:{head}."}]), "validation_error")
    issue = fake.repo.create_issue({"title": body["title"], "body": body.get("body")}, fake.clock.now())
    issue.pull_request = True
    fake.repo.pulls[issue.number] = {"head": head, "base": base, "sha": sha, "base_sha": base_sha,
                                     "reviewers": [], "maintainer_can_modify": body.get("maintainer_can_modify")}
    return Answer(201, pull_json(fake, issue.number), "pull")


def request_reviewers(fake: FakeGitHub, params: dict[str, str], query: dict[str, str], body: Any) -> Answer:
    _repo(fake, params)
    number = int(params["number"])
    pull = fake.repo.pulls.get(number)
    if pull is None:
        raise not_found()
    logins = list((body or {}).get("reviewers") or [])
    collaborators = {a.casefold() for a in fake.repo.assignable} - {AUTHOR}
    if any(login.casefold() not in collaborators for login in logins):
        raise Refusal(422, shapes.error(NOT_COLLABORATOR.format(repo=fake.repo.full_name), 422))
    for login in logins:
        if login.casefold() not in {r.casefold() for r in pull["reviewers"]}:
            pull["reviewers"].append(login)
    return Answer(201, pull_json(fake, number), "pull")


for _method, _pattern, _view in (("GET", PULLS, list_pulls), ("POST", PULLS, create_pull),
                                 ("POST", REVIEWERS, request_reviewers)):
    if not any(m == _method and p == _pattern for m, p, _ in ROUTES):
        ROUTES.append((_method, _pattern, _view))
