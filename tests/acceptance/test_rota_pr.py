"""``opsrepo cover --pr`` / ``swap --pr``: a branch, a commit, a push and a pull request, nothing on disk changed.

The git remote is a bare repository in a temporary folder; GitHub is the
stateful fake (``tests/fakegithub``), which only accepts a pull request whose
head branch was pushed there and answers with GitHub's published shapes.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

import tests.fakegithub.pulls  # noqa: F401  (adds the pulls routes)
from opsrepo.cli.main import cli
from tests.acceptance.rota_repo import PRIMARY, write_rota_repo
from tests.fakegithub import FakeGitHub, Fault

pytest_plugins = ["tests.fakegithub.fixtures"]
COVER = ["cover", "--schedule", "core-primary", "--person", "ana", "--by", "eve", "--from", "2026-12-16T09:00",
         "--to", "2026-12-18T09:00", "--pr"]
BRANCH = "opsrepo/cover-core-primary-ana-eve-2026-12-16"


def git(cwd: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True).stdout


@pytest.fixture
def clone(tmp_path: Path, fake_github: FakeGitHub, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A clone of a bare remote holding the rota repo on main, and the fake GitHub knowing that remote."""
    remote = tmp_path / "remote.git"
    git(tmp_path, "init", "-q", "--bare", "-b", "main", str(remote))
    work = write_rota_repo(tmp_path / "work")
    for name, value in (("NAME", "Test"), ("EMAIL", "test@example.com")):
        monkeypatch.setenv(f"GIT_AUTHOR_{name}", value)
        monkeypatch.setenv(f"GIT_COMMITTER_{name}", value)
    git(work, "init", "-q", "-b", "main")
    git(work, "add", ".")
    git(work, "commit", "-q", "-m", "rota")
    git(work, "remote", "add", "origin", str(remote))
    git(work, "push", "-q", "origin", "main")
    git(work, "fetch", "-q", "origin")
    monkeypatch.setattr(fake_github, "git_remote", remote, raising=False)
    fake_github.repo.assignable = {"ana-silva", "ben-okafor", "eve-adams", "opsrepo-bot"}
    yield work


def run(fake: FakeGitHub, work: Path, *args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, [*args, "--repo", str(work), "--base-url", fake.url],
                                env={"OPSREPO_NOW": "2026-11-23T09:00:00Z", **(env or {})})
    return result.exit_code, result.stdout, result.stderr


def _opened(sha: str) -> str:
    """What ``cover --pr`` prints having committed ``sha``, pushed it and opened the first pull request."""
    return ("eve covers ana in core-primary (Europe/Berlin):\n"
            "  + eve          2026-12-16T09:00 to 2026-12-18T09:00  (eve covers ana)\n"
            "checked: free, and validation finds no new errors\n"
            f"committed {sha[:7]} on branch {BRANCH}, pushed to origin\n"
            "opened pull request kestrel-eng/ops#1, review requested from @eve-adams: "
            "https://github.example/kestrel-eng/ops/pull/1\n")


def test_cover_opens_a_pull_request_and_asks_the_cover_to_review(fake_github: FakeGitHub, clone: Path) -> None:
    head_before = git(clone, "rev-parse", "HEAD")
    code, out, err = run(fake_github, clone, *COVER)
    assert (code, err) == (0, "")
    sha = git(clone.parent / "remote.git", "rev-parse", f"refs/heads/{BRANCH}").strip()
    assert out == _opened(sha)
    # nothing on disk changed: the working tree, the current branch, its commit
    assert (clone / "schedules" / "core-primary.yaml").read_text(encoding="utf-8") == PRIMARY
    assert git(clone, "status", "--porcelain") == ""
    assert (git(clone, "rev-parse", "HEAD"), git(clone, "branch", "--show-current")) == (head_before, "main\n")
    # the commit changes one line of one file, on top of main
    assert git(clone, "diff", "--stat", f"origin/main..{sha}").splitlines()[0].strip().startswith(
        "schedules/core-primary.yaml | 1 +")
    assert git(clone, "log", "-1", "--format=%s", sha) == "Rota: eve covers ana in core-primary from 2026-12-16\n"
    pull = fake_github.repo.pulls[1]
    assert (pull["head"], pull["base"], pull["reviewers"]) == (BRANCH, "main", ["eve-adams"])
    body = fake_github.repo.issues[1].body or ""
    assert body.startswith("eve covers ana in core-primary, proposed with `opsrepo cover`:\n\n"
                           "- eve 2026-12-16T09:00 to 2026-12-18T09:00: eve covers ana\n\n")
    assert "Ana Silva" in body and "Eve Adams" in body  # the diff preview's moved turns
    assert "@eve-adams" in body


def test_a_hooks_repository_variables_do_not_point_the_proposal_elsewhere(fake_github: FakeGitHub,
                                                                          clone: Path) -> None:
    """Run from a hook of another repository: git exported where ITS repository, index and objects are."""
    other = clone.parent / "other"
    git(clone.parent, "init", "-q", "-b", "main", str(other))
    (other / "notes.txt").write_text("other\n", encoding="utf-8")
    git(other, "add", "notes.txt")
    git(other, "commit", "-q", "-m", "the other repository")
    (other / "notes.txt").write_text("staged, not committed\n", encoding="utf-8")
    git(other, "add", "notes.txt")
    untouched = [git(other, *args) for args in (("show-ref",), ("status", "--porcelain"), ("count-objects",))]
    head_before = git(clone, "rev-parse", "HEAD")
    hook = {"GIT_DIR": str(other / ".git"), "GIT_WORK_TREE": str(other),
            "GIT_INDEX_FILE": str(other / ".git" / "index"), "GIT_OBJECT_DIRECTORY": str(other / ".git" / "objects")}
    code, out, err = run(fake_github, clone, *COVER, env=hook)
    assert (code, err) == (0, "")
    sha = git(clone, "rev-parse", f"refs/heads/{BRANCH}").strip()
    assert out == _opened(sha)
    # the ops repo's own repository has the commit, on top of main, and its remote has the branch
    assert git(clone, "rev-parse", f"{sha}^") == git(clone, "rev-parse", "origin/main")
    assert git(clone.parent / "remote.git", "rev-parse", f"refs/heads/{BRANCH}").strip() == sha
    assert (git(clone, "rev-parse", "HEAD"), git(clone, "status", "--porcelain")) == (head_before, "")
    # the other repository: the same refs, index, working tree and objects as before
    assert [git(other, *args) for args in (("show-ref",), ("status", "--porcelain"), ("count-objects",))] == untouched


def test_a_second_run_finds_the_pull_request(fake_github: FakeGitHub, clone: Path) -> None:
    assert run(fake_github, clone, *COVER)[0] == 0
    fake_github.clear_log()
    code, out, err = run(fake_github, clone, *COVER)
    assert (code, err) == (0, "")
    assert out.splitlines()[-2:] == [
        f"found {git(clone, 'rev-parse', BRANCH)[:7]} on branch {BRANCH}, pushed to origin",
        "found the open pull request kestrel-eng/ops#1, review requested from @eve-adams: "
        "https://github.example/kestrel-eng/ops/pull/1"]
    assert [r.method for r in fake_github.writes()] == []
    assert len(fake_github.repo.pulls) == 1


def test_a_reviewer_github_refuses_is_a_warning(fake_github: FakeGitHub, clone: Path) -> None:
    fake_github.repo.assignable = {"ana-silva", "opsrepo-bot"}
    code, out, err = run(fake_github, clone, *COVER)
    assert code == 0
    assert out.endswith("opened pull request kestrel-eng/ops#1: https://github.example/kestrel-eng/ops/pull/1\n")
    assert err == ("opsrepo: warning: GitHub did not request a review from @eve-adams: Reviews may only be "
                   "requested from collaborators. One or more of the users or teams you specified is not a "
                   "collaborator of the kestrel-eng/ops repository.\n")


def test_swap_asks_the_other_person(fake_github: FakeGitHub, clone: Path) -> None:
    code, _, err = run(fake_github, clone, "swap", "--schedule", "core-primary", "--person", "ana", "--with",
                         "ben", "--from", "2026-12-18T09:00", "--to", "2026-12-24T09:00", "--pr")
    assert (code, err) == (0, "")
    assert fake_github.repo.pulls[1]["reviewers"] == ["ben-okafor"]
    assert fake_github.repo.issues[1].title == "Rota: ana and ben swap turns in core-primary from 2026-12-18"


def test_without_a_token(fake_github: FakeGitHub, clone: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GITHUB_TOKEN")
    code, _, err = run(fake_github, clone, *COVER)
    assert code == 1
    assert err == ("opsrepo: error: GITHUB_TOKEN is not set\n  hint: export GITHUB_TOKEN with a token that can "
                   "open pull requests in kestrel-eng/ops (in a workflow: permissions: pull-requests: write)\n")


def test_a_lost_answer_to_the_create_finds_the_pull_request_instead_of_opening_another(
        fake_github: FakeGitHub, clone: Path) -> None:
    fake_github.inject(Fault("drop", before=False, method="POST", path=r"/pulls$"))
    code, out, err = run(fake_github, clone, *COVER)
    assert (code, out.splitlines()[-1:], err) == (0, [
        "opened pull request kestrel-eng/ops#1, review requested from @eve-adams: "
        "https://github.example/kestrel-eng/ops/pull/1"], "")
    assert len(fake_github.repo.pulls) == 1


def test_a_create_github_refuses_is_an_error_that_says_why(fake_github: FakeGitHub, clone: Path) -> None:
    fake_github.inject(Fault("status", 422, method="POST", path=r"/pulls$"))
    code, _, err = run(fake_github, clone, *COVER)
    assert (code, err) == (1, "opsrepo: error: GitHub refused to open the pull request: Server Error\n"
                           "  hint: check that the branch was pushed and differs from the base\n")
    assert fake_github.repo.pulls == {}
