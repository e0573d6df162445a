"""When each file last changed, and who changed it, from ONE ``git log`` walk.

The runbook site shows every runbook's last change and judges staleness from
it. Asking git once per file costs a process per runbook (seconds for a
large repo), so one ``git log --name-only`` streams the history newest first
and stops as soon as every asked-for file has been seen.

A shallow clone (CI's default ``fetch-depth: 1``) cannot tell when a file
changed if the only commit it sees is the clone's boundary: that commit
appears to add every file. Those files are reported as unknown, never with
the boundary's date, which would make every runbook look freshly reviewed.
"""

from __future__ import annotations

import subprocess
from collections.abc import Generator, Iterable, Iterator
from contextlib import closing
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path, PurePosixPath
from typing import Any

from opsrepo.git.environment import git_env

#: separates records and fields in the log format (never part of a name or date)
_RECORD, _FIELD = "\x1e", "\x1f"
_FORMAT = f"{_RECORD}%H{_FIELD}%cI{_FIELD}%an"

NOT_A_REPOSITORY = "not in a git repository"
SHALLOW = "shallow clone: fetch the full history (fetch-depth: 0) to know"
NOT_COMMITTED = "not committed yet"
NO_GIT = "git could not be run (is it installed and on PATH?)"


@dataclass(frozen=True)
class Change:
    """The last commit that touched a file, or why it is unknown."""

    when: datetime | None = None
    author: str | None = None
    commit: str | None = None
    unknown_because: str | None = None

    @property
    def known(self) -> bool:
        """True when git could tell when the file last changed."""
        return self.when is not None


def last_changes(root: Path, paths: Iterable[str]) -> dict[str, Change]:
    """For each ops-repo-relative posix path, its last change (unknown when git cannot tell).

    ``root`` is the ops repo; it may lie in a subdirectory of the git
    repository. Files never committed (or only seen at a shallow clone's
    boundary) are unknown, with the reason.

    git is run as a process (two: where the repository is, then the log),
    not through GitPython, whose import alone took a tenth of a one-runbook
    site rebuild.
    """
    wanted = sorted(set(paths))
    if not wanted:
        return {}
    root = root.resolve()
    try:
        done = subprocess.run(["git", "rev-parse", "--show-toplevel", "--git-path", "shallow"], cwd=root,
                              capture_output=True, check=False, env=git_env())
    except OSError:  # no git executable (or not runnable)
        return dict.fromkeys(wanted, Change(unknown_because=NO_GIT))
    where = done.stdout.decode("utf-8", "surrogateescape").splitlines()
    if done.returncode != 0 or len(where) != 2:
        return dict.fromkeys(wanted, Change(unknown_because=_refused(done.stderr)))
    top, shallow = where
    return _walk(Path(top).resolve(), root, _shallow_boundary(root / shallow), wanted)


def _refused(stderr: bytes) -> str:
    """Why git would not say where the repository is: not in one, or its own word (another user's clone)."""
    said = stderr.decode("utf-8", "replace").strip().splitlines()
    if not said or "not a git repository" in said[0]:
        return NOT_A_REPOSITORY
    return "git: " + said[0].removeprefix("fatal: ")


def _walk(top: Path, root: Path, boundary: frozenset[str], wanted: list[str]) -> dict[str, Change]:
    prefix = root.relative_to(top).as_posix()
    prefix = "" if prefix == "." else prefix + "/"
    missing = {prefix + path: path for path in wanted}
    found: dict[str, Change] = {}
    # a repository without any commit yet logs nothing (its HEAD names no commit): every file is missing
    with closing(_log(top, _pathspecs(prefix, wanted))) as commits:
        for sha, when, author, names in commits:
            for relative in filter(None, (missing.pop(name, None) for name in names)):
                found[relative] = (Change(unknown_because=SHALLOW) if sha in boundary
                                   else Change(datetime.fromisoformat(when), author, sha))
            if not missing:
                break
    for relative in missing.values():
        found[relative] = Change(unknown_because=NOT_COMMITTED)
    return found


def _pathspecs(prefix: str, wanted: list[str]) -> list[str]:
    """The top folders of the asked-for files: few pathspecs, whatever the number of files."""
    tops = sorted({PurePosixPath(path).parts[0] for path in wanted})
    return [f":(literal){prefix}{top}" for top in tops]


def _shallow_boundary(shallow_file: Path) -> frozenset[str]:
    """The commits whose parents a shallow clone lacks (empty for a full clone)."""
    if not shallow_file.is_file():
        return frozenset()
    return frozenset(line.strip() for line in shallow_file.read_text().splitlines() if line.strip())


Commit = tuple[str, str, str, list[str]]


def _log(top: Path, pathspecs: list[str]) -> Generator[Commit, None, None]:
    """(sha, committer date, author, changed files) newest first, streamed."""
    command = ["git", "log", f"--format={_FORMAT}", "--name-only", "--no-renames", "-z", "HEAD", "--",
               *pathspecs]
    try:
        process = subprocess.Popen(command, cwd=top, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                   env=git_env())
    except OSError:
        return
    try:
        assert process.stdout is not None
        yield from _records(process.stdout)
    finally:
        process.kill()
        process.wait()
        if process.stdout is not None:
            process.stdout.close()


def _records(stream: Any) -> Iterator[Commit]:
    """Split ``git log -z`` output into commits as it arrives (each starts with the record mark)."""
    pending = b""
    while chunk := stream.read1(1 << 16):
        *complete, pending = (pending + chunk).split(_RECORD.encode())
        yield from (_record(part) for part in complete if part)
    if pending:
        yield _record(pending)


def _record(raw: bytes) -> Commit:
    """One commit: its header fields, a NUL, a newline, then NUL-terminated file names."""
    header, _, names = raw.decode("utf-8", "replace").partition("\0")
    sha, when, author = header.split(_FIELD)
    return sha, when, author, [name for name in names.lstrip("\n").split("\0") if name]
