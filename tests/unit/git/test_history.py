"""``last_changes``: each file's last commit from one ``git log`` walk, or why git cannot tell."""

from __future__ import annotations

import os
import subprocess
from datetime import datetime
from pathlib import Path

import pytest

from opsrepo.git.history import NO_GIT, NOT_A_REPOSITORY, NOT_COMMITTED, SHALLOW, Change, last_changes
from tests.unit.diff.gitrepo import GIT_ENV, Scratch


def _when(scratch: Scratch, sha: str) -> datetime:
    return datetime.fromisoformat(scratch.git("show", "-s", "--format=%cI", sha))


def test_each_file_has_its_last_commit_in_an_ops_repo_below_the_top(tmp_path: Path) -> None:
    scratch = Scratch(tmp_path, prefix="ops")
    first = scratch.commit("first", {"runbooks/a.md": "a\n", "runbooks/b.md": "b\n", "../README.md": "x\n"})
    second = scratch.commit("second", {"runbooks/b.md": "b again\n"})
    scratch.write({"runbooks/c.md": "not yet\n"})
    found = last_changes(scratch.root, ["runbooks/b.md", "runbooks/a.md", "runbooks/c.md", "runbooks/a.md"])
    assert found == {
        "runbooks/a.md": Change(_when(scratch, first), "Test", first),
        "runbooks/b.md": Change(_when(scratch, second), "Test", second),
        "runbooks/c.md": Change(unknown_because=NOT_COMMITTED),
    }


def test_outside_git_and_before_the_first_commit(tmp_path: Path) -> None:
    (tmp_path / "plain").mkdir()
    assert last_changes(tmp_path / "plain", ["runbooks/a.md"]) == {
        "runbooks/a.md": Change(unknown_because=NOT_A_REPOSITORY)}
    scratch = Scratch(tmp_path / "empty")
    scratch.write({"runbooks/a.md": "a\n"})
    assert last_changes(scratch.root, ["runbooks/a.md"]) == {"runbooks/a.md": Change(unknown_because=NOT_COMMITTED)}
    assert last_changes(scratch.root, []) == {}


def test_a_shallow_clone_does_not_date_files_by_its_boundary(tmp_path: Path) -> None:
    # the ops repo in a subfolder: git names the shallow file relative to it
    scratch = Scratch(tmp_path / "origin", prefix="ops")
    scratch.commit("first", {"runbooks/a.md": "a\n", "runbooks/b.md": "b\n"})
    scratch.commit("second", {"runbooks/b.md": "b again\n"})  # the clone's boundary: it seems to add a.md
    third = scratch.commit("third", {"runbooks/b.md": "b once more\n"})
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "--depth", "2", f"file://{scratch.path}", str(clone)], check=True,
                   env={**os.environ, **GIT_ENV})
    assert last_changes(clone / "ops", ["runbooks/a.md", "runbooks/b.md"]) == {
        "runbooks/a.md": Change(unknown_because=SHALLOW),
        "runbooks/b.md": Change(_when(scratch, third), "Test", third),
    }


def test_names_with_spaces_unicode_and_leading_dashes_in_a_folder_with_them(tmp_path: Path) -> None:
    scratch = Scratch(tmp_path / "a repo", prefix="-ops é")
    names = ["-runbooks/a b.md", "runbooks/ünïcode.md", "[r]unbooks/*.md"]
    first = scratch.commit("first", dict.fromkeys(names, "a\n") | {"runbooks/[x]y.md": "y\n"})
    second = scratch.commit("second", {"runbooks/[x]y.md": "y again\n"})
    assert last_changes(scratch.root, [*names, "runbooks/[x]y.md"]) == {
        **dict.fromkeys(names, Change(_when(scratch, first), "Test", first)),
        "runbooks/[x]y.md": Change(_when(scratch, second), "Test", second),
    }


def test_a_hooks_repository_variables_do_not_point_git_elsewhere(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    scratch = Scratch(tmp_path / "ops", prefix="sub")
    sha = scratch.commit("first", {"runbooks/a.md": "a\n"})
    other = Scratch(tmp_path / "other")
    other.commit("other", {"runbooks/a.md": "other\n"})
    expected = {"runbooks/a.md": Change(_when(scratch, sha), "Test", sha)}
    monkeypatch.setenv("GIT_DIR", str(other.path / ".git"))
    monkeypatch.setenv("GIT_WORK_TREE", str(other.path))
    assert last_changes(scratch.root, ["runbooks/a.md"]) == expected


def test_without_git_each_file_says_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    scratch = Scratch(tmp_path)
    scratch.commit("first", {"runbooks/a.md": "a\n"})
    monkeypatch.setenv("PATH", str(tmp_path / "nothing here"))
    assert last_changes(scratch.root, ["runbooks/a.md"]) == {"runbooks/a.md": Change(unknown_because=NO_GIT)}


def test_a_repository_git_will_not_read_says_why(tmp_path: Path) -> None:
    # as a checkout of another user's (a CI container's) or of a newer git: git's reason, not "not in a repository"
    scratch = Scratch(tmp_path)
    scratch.commit("first", {"runbooks/a.md": "a\n"})
    scratch.git("config", "core.repositoryformatversion", "99")
    assert last_changes(scratch.root, ["runbooks/a.md"]) == {"runbooks/a.md": Change(
        unknown_because="git: Expected git repo version <= 1, found 99")}
