"""The ops repo's files at a git revision, read straight from git objects.

Nothing is checked out: a tree is listed (``git ls-tree``) and its blobs read
(one ``git cat-file --batch``), so ``opsrepo diff`` can compare any two
revisions while the working tree stays as it is. The ops repo may live in a subdirectory of the
git repository; paths are returned relative to the ops repo root.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

import yaml

from opsrepo.errors import OpsrepoError, Severity, UsageError
from opsrepo.git.environment import git_env, repository_variables_dropped
from opsrepo.load import alertfiles
from opsrepo.load.files import ORG_FILE, classify
from opsrepo.load.repo import Loaded, load_files, load_repo

if TYPE_CHECKING:
    import git

#: top-level entries of an ops repo that hold documents
DOCUMENT_ROOTS = (ORG_FILE, "teams", "schedules", "policies", "runbooks", "postmortems")

_REGULAR_FILE_MODES = (b"100644", b"100755")
#: the hint where git cannot give an object its trees name
_DAMAGED = "the clone is damaged: run git fsck, or clone the repository again"


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
    """The git repository holding an ops repo at ``root``.

    Its reads run git as a process, without the repository variables a hook's
    git exports (:mod:`opsrepo.git.environment`), so they read this repository
    whoever runs them.
    """

    def __init__(self, root: Path) -> None:
        root = root.resolve()
        done = _run(["rev-parse", "--is-bare-repository", "--show-toplevel"], root) if root.is_dir() else None
        where = done.stdout.decode("utf-8", "surrogateescape").splitlines() if done is not None else []
        if where[:1] == ["true"]:
            raise UsageError(f"{root} is in a bare git repository",
                             "run opsrepo diff in a clone with a working tree")
        if done is None or done.returncode != 0 or len(where) != 2:
            raise UsageError(f"{root} is not inside a git repository",
                             "opsrepo diff reads git revisions: run it in a clone of the ops repo")
        self.top = Path(where[1]).resolve()
        self.prefix = PurePosixPath(root.relative_to(self.top).as_posix())
        self._repo: git.Repo | None = None
        self._scrubbed = ExitStack()

    @property
    def repository(self) -> git.Repo:
        """GitPython's repository (for proposals), opened at the ops repo's own git folder.

        Until :meth:`close`, this process's environment is without the
        repository variables: GitPython's ``Repo`` reads ``GIT_WORK_TREE`` and
        friends itself, and each git it starts gets a copy of ``os.environ``.
        """
        if self._repo is None:
            import git  # only proposals need GitPython: opsrepo diff does not import it

            self._scrubbed.enter_context(repository_variables_dropped())
            self._repo = git.Repo(self.top)
        return self._repo

    def close(self) -> None:
        """Stop the git helper processes GitPython keeps; give the environment back."""
        try:
            if self._repo is not None:
                self._repo.close()
        finally:
            self._scrubbed.close()

    def __enter__(self) -> GitRepo:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def resolve(self, spec: str) -> Revision:
        """The commit ``spec`` names (a sha, branch, tag or ``HEAD~2``); UsageError if none."""
        done = self._git("rev-parse", "--verify", "--quiet", "--end-of-options", f"{spec}^{{commit}}")
        sha = done.stdout.decode("ascii", "replace").strip()
        # reading the object proves it is there (a shallow clone names parents it lacks)
        commit = self._objects([sha])[0] if done.returncode == 0 else None
        if commit is None:
            raise UsageError(f"unknown git revision {spec!r}", self._unknown_revision_hint())
        return Revision(spec, sha, _summary(commit))

    def merge_base(self, base: Revision, head: Revision) -> Revision:
        """The best common ancestor of two revisions (what a pull request is compared with)."""
        done = self._git("merge-base", base.sha, head.sha)
        found = done.stdout.decode("ascii", "replace").strip()
        if done.returncode != 0 or not found:
            raise OpsrepoError(f"{base.label} and {head.label} have no common ancestor",
                               "compare two revisions of the same history, or drop --merge-base")
        if found == base.sha:
            return base  # the usual case for a pull request: the base is an ancestor of its head
        commit = self._objects([found])[0]
        return Revision(f"merge-base of {_short(base)} and {_short(head)}", found,
                        _summary(commit) if commit is not None else "")

    def files_at(self, revision: Revision) -> RevisionFiles:
        """Every document file of the ops repo at ``revision``, as bytes by relative path."""
        tree = revision.sha if str(self.prefix) == "." else f"{revision.sha}:{self.prefix}"
        listed = self._git("ls-tree", "-r", "-z", "--full-tree", "--end-of-options", tree)
        if listed.returncode != 0:
            return RevisionFiles(revision, {})  # the ops repo's folder is not there yet
        blobs = dict(_regular_files(listed.stdout))
        files = self._read(sorted(relative for relative in blobs if _is_document(relative)), blobs)
        rules = _rule_files(blobs, files.get(ORG_FILE))
        return RevisionFiles(revision, {**files, **self._read(rules, blobs)})

    def _read(self, paths: list[str], blobs: dict[str, str]) -> dict[str, bytes]:
        """The contents of the files at ``paths``; an OpsrepoError where git lacks one (nothing left out)."""
        contents = self._objects([blobs[relative] for relative in paths])
        files: dict[str, bytes] = {}
        for relative, content in zip(paths, contents, strict=True):
            if content is None:
                raise OpsrepoError(
                    f"git has no object {blobs[relative]} for {relative}, which its tree lists", _DAMAGED)
            files[relative] = content
        return files

    def _objects(self, names: list[str]) -> list[bytes | None]:
        """The contents of objects (None for one git does not have), from one ``git cat-file --batch``."""
        if not names:
            return []
        done = _run(["cat-file", "--batch"], self.top, "".join(f"{name}\n" for name in names).encode())
        if done.returncode != 0:
            said = done.stderr.decode("utf-8", "replace").strip().splitlines()
            raise OpsrepoError("git could not read the repository's objects"
                               + (f": {said[0].removeprefix('fatal: ')}" if said else ""),
                               _DAMAGED)
        output, at = done.stdout, 0
        contents: list[bytes | None] = []
        for _ in names:
            end = output.index(b"\n", at)
            header = output[at:end].split(b" ")
            if len(header) != 3:  # "<name> missing"
                contents.append(None)
                at = end + 1
                continue
            size = int(header[2])
            contents.append(output[end + 1:end + 1 + size])
            at = end + 1 + size + 1
        return contents

    def _git(self, *args: str) -> subprocess.CompletedProcess[bytes]:
        return _run(list(args), self.top)

    def _unknown_revision_hint(self) -> str:
        if self._git("rev-parse", "--is-shallow-repository").stdout.strip() == b"true":
            return ("this clone is shallow: fetch the full history (actions/checkout with fetch-depth: 0, "
                    "or git fetch --unshallow)")
        return ("name a commit, branch or tag (e.g. origin/main, HEAD~1); "
                "git fetch if it is on the remote only")


def _run(args: list[str], cwd: Path, given: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    """``git ARGS`` in ``cwd``, without a hook's repository variables; a UsageError when git cannot run."""
    try:
        return subprocess.run(["git", *args], cwd=cwd, input=given, capture_output=True, check=False,
                              env=git_env())
    except OSError:
        raise UsageError("git could not be run", "install git and put it on PATH") from None


def _regular_files(listing: bytes) -> Iterator[tuple[str, str]]:
    """(path, blob sha) of the regular files in ``git ls-tree -r -z`` output.

    Symlinks and submodules are not documents.
    """
    for entry in filter(None, listing.split(b"\0")):
        info, _, path = entry.partition(b"\t")
        mode, kind, sha = info.split(b" ")
        if kind == b"blob" and mode in _REGULAR_FILE_MODES:
            yield path.decode("utf-8", "surrogateescape"), sha.decode("ascii")


def _is_document(relative: str) -> bool:
    """True for a file opsrepo reads as a document: below one of the document roots, of a known kind."""
    top = relative.split("/", 1)[0]
    return top in DOCUMENT_ROOTS and classify(relative) is not None


def _rule_files(blobs: dict[str, str], org_file: bytes | None) -> list[str]:
    """The Prometheus rule files the revision's ``alerts.paths`` names, sorted."""
    try:
        org = yaml.safe_load(org_file) if org_file is not None else None
    except (yaml.YAMLError, ValueError):
        org = None  # the loader reports it; the default paths are read meanwhile
    patterns = alertfiles.configured_paths(org)[0]
    bases = [(pattern, alertfiles.literal_base(pattern)) for pattern in patterns]
    return sorted(relative for relative in blobs
                  if any((not base or relative.startswith(base + "/"))
                         and alertfiles.is_rule_file(relative, [pattern]) for pattern, base in bases))


def _short(revision: Revision) -> str:
    """How a revision's spec reads in a label: a full sha shortened."""
    return revision.sha[:7] if revision.sha.startswith(revision.spec) else revision.spec


def _summary(commit: bytes) -> str:
    """The first line of a raw commit object's message."""
    _, _, message = commit.partition(b"\n\n")
    return message.split(b"\n", 1)[0].decode("utf-8", "replace")


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
