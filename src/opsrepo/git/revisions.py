"""The ops repo's files at a git revision, read straight from git objects.

Nothing is checked out: trees are walked and blobs read through GitPython's
object database, so ``opsrepo diff`` can compare any two revisions while the
working tree stays as it is. The ops repo may live in a subdirectory of the
git repository; paths are returned relative to the ops repo root.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

import git
import yaml
from gitdb.exc import BadName, BadObject

from opsrepo.errors import OpsrepoError, Severity, UsageError
from opsrepo.git.environment import repository_variables_dropped
from opsrepo.load import alertfiles
from opsrepo.load.files import ORG_FILE, classify
from opsrepo.load.repo import Loaded, load_files, load_repo

#: top-level entries of an ops repo that hold documents
DOCUMENT_ROOTS = (ORG_FILE, "teams", "schedules", "policies", "runbooks", "postmortems")

_REGULAR_FILE_MODES = (0o100644, 0o100755)


@dataclass(frozen=True)
class Revision:
    """One resolved revision: what the user wrote, the commit, and a short label."""

    spec: str
    sha: str
    summary: str

    @property
    def label(self) -> str:
        """``spec (abc1234)``, or just the short sha when the spec is one."""
        short = self.sha[:7]
        return short if self.sha.startswith(self.spec.lower()) else f"{self.spec} ({short})"


@dataclass(frozen=True)
class RevisionFiles:
    """The document files of the ops repo at one revision."""

    revision: Revision
    files: dict[str, bytes]

    @property
    def has_org_file(self) -> bool:
        """False when the ops repo did not exist yet at this revision."""
        return ORG_FILE in self.files


class GitRepo:
    """The git repository holding an ops repo at ``root``."""

    def __init__(self, root: Path) -> None:
        root = root.resolve()
        # until close(), GitPython neither finds nor runs git on the repository a hook's git exported
        with ExitStack() as scrubbed:
            scrubbed.enter_context(repository_variables_dropped())
            try:
                self._repo = git.Repo(root, search_parent_directories=True)
            except (git.InvalidGitRepositoryError, git.NoSuchPathError):
                raise UsageError(f"{root} is not inside a git repository",
                                 "opsrepo diff reads git revisions: run it in a clone of the ops repo") from None
            top = self._repo.working_tree_dir
            if top is None:
                raise UsageError(f"{root} is in a bare git repository",
                                 "run opsrepo diff in a clone with a working tree")
            self.prefix = PurePosixPath(root.relative_to(Path(top).resolve()).as_posix())
            self._scrubbed = scrubbed.pop_all()

    @property
    def repository(self) -> git.Repo:
        """GitPython's repository (for the modules of this package)."""
        return self._repo

    def close(self) -> None:
        """Stop the git helper processes GitPython keeps; give the environment back."""
        try:
            self._repo.close()
        finally:
            self._scrubbed.close()

    def __enter__(self) -> GitRepo:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def resolve(self, spec: str) -> Revision:
        """The commit ``spec`` names (a sha, branch, tag or ``HEAD~2``); UsageError if none."""
        try:
            commit = self._repo.commit(spec)
            # reading the object proves it is there (a shallow clone names parents it lacks)
            return Revision(spec, commit.hexsha, _summary(commit))
        except (BadName, BadObject, ValueError, git.GitCommandError):
            raise UsageError(f"unknown git revision {spec!r}", _unknown_revision_hint(self._repo)) from None

    def merge_base(self, base: Revision, head: Revision) -> Revision:
        """The best common ancestor of two revisions (what a pull request is compared with)."""
        found = self._repo.merge_base(base.sha, head.sha)
        if not found:
            raise OpsrepoError(f"{base.label} and {head.label} have no common ancestor",
                               "compare two revisions of the same history, or drop --merge-base")
        commit = found[0]
        if commit.hexsha == base.sha:
            return base  # the usual case for a pull request: the base is an ancestor of its head
        return Revision(f"merge-base of {_short(base)} and {_short(head)}", commit.hexsha, _summary(commit))

    def files_at(self, revision: Revision) -> RevisionFiles:
        """Every document file of the ops repo at ``revision``, as bytes by relative path."""
        tree = self._repo.commit(revision.sha).tree
        if str(self.prefix) != ".":
            try:
                tree = tree / str(self.prefix)
            except KeyError:
                return RevisionFiles(revision, {})
        files: dict[str, bytes] = {}
        for relative, blob in _document_blobs(tree):
            files[relative] = blob.data_stream.read()
        for relative, blob in _rule_file_blobs(tree, files.get(ORG_FILE)):
            files[relative] = blob.data_stream.read()
        return RevisionFiles(revision, files)


def _document_blobs(tree: Any) -> Iterator[tuple[str, Any]]:
    """(relative path, blob) of every regular file opsrepo reads below ``tree``."""
    for name in DOCUMENT_ROOTS:
        entry = _entry(tree, name)
        if entry is None:
            continue
        for relative, item in _regular_files(tree, [entry] if entry.type == "blob" else entry.traverse()):
            if classify(relative) is not None:
                yield relative, item


def _rule_file_blobs(tree: Any, org_file: bytes | None) -> Iterator[tuple[str, Any]]:
    """(relative path, blob) of every Prometheus rule file the revision's ``alerts.paths`` names."""
    try:
        org = yaml.safe_load(org_file) if org_file is not None else None
    except (yaml.YAMLError, ValueError):
        org = None  # the loader reports it; the default paths are read meanwhile
    patterns = alertfiles.configured_paths(org)[0]
    seen: set[str] = set()
    for pattern in patterns:
        base = alertfiles.literal_base(pattern)
        entry = _entry(tree, base) if base else tree
        if entry is None or entry.type != "tree":
            continue
        for relative, item in _regular_files(tree, entry.traverse()):
            if relative not in seen and alertfiles.is_rule_file(relative, [pattern]):
                seen.add(relative)
                yield relative, item


def _entry(tree: Any, path: str) -> Any | None:
    """The tree or blob at ``path`` below ``tree``; None when there is none."""
    try:
        return tree / path
    except KeyError:
        return None


def _regular_files(tree: Any, items: Iterable[Any]) -> Iterator[tuple[str, Any]]:
    """(path relative to ``tree``, blob) of the regular files among ``items``.

    Symlinks and submodules are not documents.
    """
    for item in items:
        if item.type == "blob" and item.mode in _REGULAR_FILE_MODES:
            yield (item.path[len(tree.path) + 1:] if tree.path else item.path), item


def _short(revision: Revision) -> str:
    """How a revision's spec reads in a label: a full sha shortened."""
    return revision.sha[:7] if revision.sha.startswith(revision.spec) else revision.spec


def _summary(commit: Any) -> str:
    summary = commit.summary
    return summary if isinstance(summary, str) else summary.decode("utf-8", "replace")


def _unknown_revision_hint(repo: Any) -> str:
    if repo.git.rev_parse("--is-shallow-repository").strip() == "true":
        return ("this clone is shallow: fetch the full history (actions/checkout with fetch-depth: 0, "
                "or git fetch --unshallow)")
    return "name a commit, branch or tag (e.g. origin/main, HEAD~1); git fetch if it is on the remote only"


@dataclass(frozen=True)
class LoadedRevision:
    """A revision's repo, loaded, and how the diff labels it."""

    loaded: Loaded
    label: str

    @property
    def problems(self) -> int:
        """How many load errors it has (their files are left out of the repo)."""
        return sum(1 for d in self.loaded.diagnostics if d.severity is Severity.ERROR)


def load_revisions(root: Path, base: str, head: str | None, *, merge_base: bool = False,
                   ) -> tuple[LoadedRevision, LoadedRevision]:
    """Load the ops repo at ``base`` and at ``head`` (``None``: the working tree, as it is on disk).

    With ``merge_base`` the base is the common ancestor of both, as a pull request compares.
    """
    with GitRepo(root) as repository:
        head_revision = repository.resolve(head) if head is not None else None
        base_revision = repository.resolve(base)
        if merge_base:
            base_revision = repository.merge_base(base_revision, head_revision or repository.resolve("HEAD"))
        before = _load_revision(root, repository.files_at(base_revision))
        if head_revision is None:
            return before, LoadedRevision(load_repo(root), "working tree")
        return before, _load_revision(root, repository.files_at(head_revision))


def _load_revision(root: Path, found: RevisionFiles) -> LoadedRevision:
    label = found.revision.label if found.has_org_file else f"{found.revision.label}, no ops repo yet"
    return LoadedRevision(load_files(root, found.files), label)
