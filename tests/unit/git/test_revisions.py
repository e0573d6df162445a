from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from opsrepo.errors import OpsrepoError, UsageError
from opsrepo.git.revisions import GitRepo, load_revisions
from tests.helpers import MINIMAL
from tests.unit.diff.gitrepo import GIT_ENV, Scratch, minimal_scratch

DOCUMENTS = sorted(p.relative_to(MINIMAL).as_posix() for p in MINIMAL.rglob("*") if p.is_file())


def test_files_at_a_revision_are_the_documents_of_that_commit(tmp_path: Path) -> None:
    scratch = minimal_scratch(tmp_path)
    first = scratch.git("rev-parse", "HEAD")
    scratch.commit("more", {"README.md": "# ops\n", "src/tool.py": "print()\n", "runbooks/README.md": "index\n",
                            "teams/core.yaml": scratch.read("teams/core.yaml") + "# edited\n"})
    with GitRepo(scratch.root) as repository:
        old = repository.files_at(repository.resolve(first))
        new = repository.files_at(repository.resolve("HEAD"))
    assert sorted(old.files) == DOCUMENTS == sorted(new.files)
    assert old.files["teams/core.yaml"] == (MINIMAL / "teams/core.yaml").read_bytes()
    assert new.files["teams/core.yaml"].endswith(b"# edited\n")
    assert old.has_org_file


def test_reading_a_revision_leaves_the_working_tree_alone(tmp_path: Path) -> None:
    scratch = minimal_scratch(tmp_path)
    scratch.commit("second", {"teams/core.yaml": "id: core\n"})
    scratch.write({"schedules/core-primary.yaml": "uncommitted\n"})
    with GitRepo(scratch.root) as repository:
        repository.files_at(repository.resolve("HEAD~1"))
    assert scratch.read("teams/core.yaml") == "id: core\n"
    assert scratch.git("status", "--porcelain") == "M schedules/core-primary.yaml"


def test_an_ops_repo_in_a_subdirectory(tmp_path: Path) -> None:
    scratch = minimal_scratch(tmp_path, prefix="ops")
    with GitRepo(scratch.root) as repository:
        found = repository.files_at(repository.resolve("HEAD"))
    assert sorted(found.files) == DOCUMENTS


def test_a_revision_before_the_ops_repo_existed(tmp_path: Path) -> None:
    scratch = Scratch(tmp_path, prefix="ops")
    empty = scratch.commit("nothing yet", {"../README.md": "hello\n"})
    with GitRepo(scratch.root) as repository:
        found = repository.files_at(repository.resolve(empty))
    assert (found.files, found.has_org_file) == ({}, False)


def test_symbolic_links_are_not_documents(tmp_path: Path) -> None:
    scratch = minimal_scratch(tmp_path)
    os.symlink("/etc/passwd", scratch.root / "teams" / "leak.yaml")
    scratch.commit("a link")
    with GitRepo(scratch.root) as repository:
        found = repository.files_at(repository.resolve("HEAD"))
    assert "teams/leak.yaml" not in found.files


def test_revision_labels(tmp_path: Path) -> None:
    scratch = minimal_scratch(tmp_path)
    sha = scratch.git("rev-parse", "HEAD")
    with GitRepo(scratch.root) as repository:
        assert repository.resolve("main").label == f"main ({sha[:7]})"
        assert repository.resolve(sha[:10]).label == sha[:7]
        assert repository.resolve("main").summary == "the minimal ops repo"


def test_unknown_revisions_are_usage_errors(tmp_path: Path) -> None:
    scratch = minimal_scratch(tmp_path)
    with GitRepo(scratch.root) as repository, pytest.raises(UsageError) as caught:
        repository.resolve("origin/nope")
    assert caught.value.message == "unknown git revision 'origin/nope'"
    assert caught.value.hint == ("name a commit, branch or tag (e.g. origin/main, HEAD~1); "
                                 "git fetch if it is on the remote only")


def test_a_shallow_clone_says_to_fetch_the_history(tmp_path: Path) -> None:
    scratch = minimal_scratch(tmp_path / "origin")
    scratch.commit("second")
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{scratch.path}", str(clone)], check=True,
                   env={**os.environ, **GIT_ENV})
    with GitRepo(clone) as repository, pytest.raises(UsageError) as caught:
        repository.resolve("HEAD~1")
    assert caught.value.hint == ("this clone is shallow: fetch the full history (actions/checkout with "
                                 "fetch-depth: 0, or git fetch --unshallow)")


def test_outside_git(tmp_path: Path) -> None:
    with pytest.raises(UsageError) as caught:
        GitRepo(tmp_path)
    assert caught.value.message == f"{tmp_path.resolve()} is not inside a git repository"


def test_a_bare_repository(tmp_path: Path) -> None:
    subprocess.run(["git", "init", "-q", "--bare", str(tmp_path / "ops.git")], check=True)
    with pytest.raises(UsageError) as caught:
        GitRepo(tmp_path / "ops.git")
    assert (caught.value.message, caught.value.hint) == (f"{(tmp_path / 'ops.git').resolve()} is in a bare git "
                                                         "repository", "run opsrepo diff in a clone with a working tree")


def test_merge_base_is_where_the_branches_diverged(tmp_path: Path) -> None:
    scratch = minimal_scratch(tmp_path)
    fork = scratch.git("rev-parse", "HEAD")
    scratch.git("checkout", "-q", "-b", "change")
    scratch.commit("on the branch", {"teams/core.yaml": "id: core\n"})
    scratch.git("checkout", "-q", "main")
    scratch.commit("on main", {"README.md": "x\n"})
    with GitRepo(scratch.root) as repository:
        base = repository.merge_base(repository.resolve("main"), repository.resolve("change"))
    assert base.sha == fork
    assert base.label == f"merge-base of main and change ({fork[:7]})"


def test_unrelated_histories_have_no_merge_base(tmp_path: Path) -> None:
    scratch = minimal_scratch(tmp_path)
    scratch.git("checkout", "-q", "--orphan", "other")
    scratch.commit("unrelated")
    with GitRepo(scratch.root) as repository, pytest.raises(OpsrepoError) as caught:
        repository.merge_base(repository.resolve("main"), repository.resolve("other"))
    assert caught.value.message.endswith("have no common ancestor")


def test_load_revisions_reads_the_working_tree_as_head(tmp_path: Path) -> None:
    scratch = minimal_scratch(tmp_path)
    scratch.replace("teams/core.yaml", "name: Ana Silva", "name: Ana Souza")
    before, after = load_revisions(scratch.root, "HEAD", None)
    assert before.loaded.repo.people["ana"].name == "Ana Silva"
    assert after.loaded.repo.people["ana"].name == "Ana Souza"
    assert after.label == "working tree"
    assert (before.problems, after.problems) == (0, 0)


def test_load_revisions_counts_load_errors(tmp_path: Path) -> None:
    scratch = minimal_scratch(tmp_path)
    scratch.commit("broken", {"schedules/core-primary.yaml": "id: [\n"})
    before, after = load_revisions(scratch.root, "HEAD~1", "HEAD")
    assert (before.problems, after.problems) == (0, 1)
    assert "core-primary" not in after.loaded.repo.schedules


def test_gitpython_runs_without_a_hooks_repository_variables_until_closed(tmp_path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    scratch = minimal_scratch(tmp_path / "ops", prefix="ops")
    other = minimal_scratch(tmp_path / "other")
    hook = {"GIT_DIR": str(other.path / ".git"), "GIT_WORK_TREE": str(other.path),
            "GIT_OBJECT_DIRECTORY": str(other.path / ".git" / "objects")}
    for name, value in hook.items():
        monkeypatch.setenv(name, value)
    with GitRepo(scratch.root) as repository:
        repo = repository.repository
        assert (repo.working_tree_dir, repo.git_dir) == (str(scratch.path), str(scratch.path / ".git"))
        assert {name: os.environ.get(name) for name in hook} == dict.fromkeys(hook)
    assert {name: os.environ.get(name) for name in hook} == hook


def _object_file(scratch: Scratch, name: str) -> Path:
    sha = scratch.git("rev-parse", name).strip()
    objects = Path(scratch.git("rev-parse", "--git-path", "objects").strip())
    return (objects if objects.is_absolute() else scratch.root / objects) / sha[:2] / sha[2:]


def test_a_blob_git_lacks_is_an_error_not_a_file_left_out(tmp_path: Path) -> None:
    scratch = minimal_scratch(tmp_path)
    sha = scratch.git("rev-parse", "HEAD:teams/core.yaml").strip()
    _object_file(scratch, "HEAD:teams/core.yaml").unlink()
    with GitRepo(scratch.root) as repository, pytest.raises(OpsrepoError) as raised:
        repository.files_at(repository.resolve("HEAD"))
    assert (raised.value.message, raised.value.hint) == (
        f"git has no object {sha} for teams/core.yaml, which its tree lists",
        "the clone is damaged: run git fsck, or clone the repository again")


def test_a_damaged_object_is_an_error_too(tmp_path: Path) -> None:
    scratch = minimal_scratch(tmp_path)
    sha = scratch.git("rev-parse", "HEAD:teams/core.yaml").strip()
    damaged = _object_file(scratch, "HEAD:teams/core.yaml")
    damaged.chmod(0o644)
    damaged.write_bytes(b"not zlib")
    with GitRepo(scratch.root) as repository, pytest.raises(OpsrepoError) as raised:
        repository.files_at(repository.resolve("HEAD"))
    assert (raised.value.message, raised.value.hint) == (
        f"git has no object {sha} for teams/core.yaml, which its tree lists",
        "the clone is damaged: run git fsck, or clone the repository again")
