"""A change to one file as a commit on a new branch, and the branch pushed: what a pull request needs.

Nothing is checked out and the working tree, the index and the current
branch are left as they are: the commit is made from the base commit's tree
with the one file replaced (a temporary index in memory), and the branch is
created at it. The ops repo may live in a subdirectory of the git repository.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from pathlib import Path

import git
from git.objects.commit import Commit
from gitdb.base import IStream

from opsrepo.errors import OpsrepoError, UsageError
from opsrepo.git.revisions import GitRepo, Revision, RevisionFiles

_REGULAR = 0o100644
_UNSAFE = re.compile(r"[^A-Za-z0-9._/-]+")


@dataclass(frozen=True)
class Proposal:
    """The branch made (or found) for a change and its commit."""

    branch: str
    sha: str
    #: False when the branch already held this very change
    created: bool


def branch_name(*parts: str) -> str:
    """``opsrepo/<parts joined by ->``, with characters git refuses in a ref replaced."""
    name = "-".join(_UNSAFE.sub("-", part).strip("-./") for part in parts if part)
    return f"opsrepo/{name}"


def default_base(root: Path, branch: str) -> str:
    """``origin/<branch>`` when it exists, else ``<branch>``, else ``HEAD``."""
    with GitRepo(root) as repository:
        for spec in (f"origin/{branch}", branch):
            try:
                repository.resolve(spec)
            except UsageError:
                continue
            return spec
    return "HEAD"


def files_at(root: Path, base: str) -> RevisionFiles:
    """The ops repo's document files at ``base``."""
    with GitRepo(root) as repository:
        return repository.files_at(repository.resolve(base))


def commit_change(root: Path, base: Revision, relative: str, content: bytes, branch: str,
                  message: str) -> Proposal:
    """Commit ``content`` as ``relative`` (below the ops repo root) on a new ``branch`` from ``base``.

    When ``branch`` exists already and holds exactly this content over the same
    base, it is reused; any other branch of that name is an error.
    """
    with GitRepo(root) as repository:
        repo = repository.repository
        path = relative if str(repository.prefix) == "." else f"{repository.prefix}/{relative}"
        parent = repo.commit(base.sha)
        existing = next((head for head in repo.heads if head.name == branch), None)
        if existing is not None:
            return _reuse(existing, parent, path, content, branch)
        index = git.IndexFile.from_tree(repo, parent)
        blob = repo.odb.store(IStream("blob", len(content), io.BytesIO(content)))
        index.add([git.BaseIndexEntry((_REGULAR, blob.binsha, 0, path))], write=False)
        try:
            commit = Commit.create_from_tree(repo, index.write_tree(), message, parent_commits=[parent],
                                             head=False)
        except ValueError as exc:  # no user.name / user.email
            raise OpsrepoError(f"git cannot make the commit: {exc}",
                               "set git config user.name and user.email (or GIT_AUTHOR_NAME and "
                               "GIT_AUTHOR_EMAIL)") from None
        repo.create_head(branch, commit)
        return Proposal(branch, commit.hexsha, True)


def _reuse(head: git.Head, parent: Commit, path: str, content: bytes, branch: str) -> Proposal:
    commit = head.commit
    try:
        same = commit.parents == (parent,) and (commit.tree / path).data_stream.read() == content
    except KeyError:
        same = False
    if not same:
        raise OpsrepoError(f"branch {branch} exists already with other changes",
                           f"delete it (git branch -D {branch}) or pass another --branch")
    return Proposal(branch, commit.hexsha, False)


def push(root: Path, remote: str, branch: str) -> None:
    """Push ``branch`` to ``remote`` under the same name (never forced)."""
    with GitRepo(root) as repository:
        repo = repository.repository
        try:
            target = repo.remote(remote)
        except ValueError:
            raise UsageError(f"no git remote named {remote!r}",
                             "pass --remote NAME (see 'git remote -v')") from None
        try:
            results = target.push(f"refs/heads/{branch}:refs/heads/{branch}")
        except git.GitCommandError as exc:
            raise OpsrepoError(f"git push of {branch} to {remote} failed: {_last_line(exc.stderr)}",
                               "check that you may push to the remote, and that no other branch of this name "
                               "exists there") from None
        info = git.PushInfo
        failed = info.ERROR | info.REJECTED | info.REMOTE_REJECTED | info.REMOTE_FAILURE
        for result in results:
            if result.flags & failed:
                raise OpsrepoError(f"git push of {branch} to {remote} was refused: {result.summary.strip()}",
                                   "a branch of this name with other commits exists there: delete it, "
                                   "or pass another --branch")


def _last_line(text: str | None) -> str:
    lines = [line.strip() for line in (text or "").splitlines() if line.strip()]
    return lines[-1] if lines else "no reason given"
