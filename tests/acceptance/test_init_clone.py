"""``opsrepo init`` into a fresh GitHub clone: the team's README, LICENSE and .gitignore are theirs.

GitHub's "new repository" page can start a repository with a README, a
.gitignore from a template and a LICENSE. init keeps them (opsrepo's README
goes to OPSREPO.md), merges the .gitignore, refuses every other file in the
way unless --force, and a second run changes nothing.
"""

from __future__ import annotations

import hashlib
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from opsrepo.cli.main import cli
from opsrepo.load.repo import load_repo
from opsrepo.model import Fairness, Limits
from opsrepo.scaffold.existing import merge_gitignore

NOW = "2026-11-23T09:00:00Z"
README = b"# acme-ops\n\nOn-call for Acme.\n"
LICENSE = b"MIT License\n\nCopyright (c) 2026 Acme\n"
#: the start of GitHub's Python .gitignore template, without a newline at the end
GITIGNORE = b"# Byte-compiled / optimized / DLL files\n__pycache__/\n*.py[cod]\n\n# Distribution\n/_site/"
CREATED = ("created 33 files in {target}: an example ops repo for Acme ops (2 teams, 3 schedules, a severity "
           "matrix, 2 escalation policies, 2 runbooks, 1 post-mortem, 2 alert rules), GitHub workflows, a "
           "pre-commit config, JSON Schemas and a README (OPSREPO.md)\n")
NEXT = ("\nnext:\n  cd {target}\n  opsrepo validate && opsrepo oncall\n"
        "  git add . && git commit -m 'Start the ops repo'\n"
        "  then replace the example people, schedules and services with your own (see OPSREPO.md)\n")
HINT = ("  hint: nothing was written; move them away, or run opsrepo init --force to overwrite them "
        "(a README, a LICENSE and a .gitignore are always kept)\n")


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), env={"OPSREPO_NOW": NOW})
    return result.exit_code, result.stdout, result.stderr


def fresh_clone(root: Path) -> Path:
    """A fresh clone in ``root / "acme-ops"``."""
    return fresh_clone_at(root / "acme-ops")


def fresh_clone_at(target: Path) -> Path:
    """What `git clone` of a repository GitHub made with a README, a .gitignore and a LICENSE gives."""
    target.mkdir()
    subprocess.run(["git", "init", "-q", "-b", "main", str(target)], check=True)
    for name, content in (("README.md", README), (".gitignore", GITIGNORE), ("LICENSE", LICENSE)):
        (target / name).write_bytes(content)
    return target


def snapshot(root: Path) -> dict[str, str]:
    """Every file below ``root`` (outside .git) and a hash of its bytes."""
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file() and ".git" not in p.relative_to(root).parts[:1]}


def test_init_keeps_the_clones_files_merges_the_gitignore_and_says_so(tmp_path: Path) -> None:
    target = fresh_clone(tmp_path)
    code, out, err = run("init", str(target))
    assert (code, err) == (0, "")
    assert out == (
        "kept README.md (yours); opsrepo's README for the team is OPSREPO.md\n"
        "kept LICENSE (yours)\n"
        "merged .gitignore: added /_calendars/\n"
        + CREATED.format(target=target) + NEXT.format(target=target))
    assert (target / "README.md").read_bytes() == README
    assert (target / "LICENSE").read_bytes() == LICENSE
    assert (target / ".gitignore").read_bytes() == GITIGNORE + b"\n\n# opsrepo build output\n/_calendars/\n"
    assert (target / "OPSREPO.md").read_text().startswith("# Acme ops on-call\n")


def test_the_result_validates_with_the_default_burnout_and_fairness_checks(tmp_path: Path) -> None:
    target = fresh_clone(tmp_path)
    run("init", str(target))
    org = load_repo(target).repo.org
    assert (org.limits, org.fairness) == (Limits(), Fairness())  # the defaults, switched on
    assert run("validate", "--repo", str(target)) == (0, "ok: 0 errors, 0 warnings in 13 files checked\n", "")
    code, out, err = run("build", "--repo", str(target), "--out", str(tmp_path / "site"))
    assert (code, err) == (0, ""), out


def test_a_second_run_changes_nothing(tmp_path: Path) -> None:
    target = fresh_clone(tmp_path)
    run("init", str(target))
    before = snapshot(target)
    code, out, err = run("init", str(target))
    assert (code, err) == (0, "")
    assert out == (
        "kept README.md (yours); opsrepo's README for the team is OPSREPO.md\n"
        "kept LICENSE (yours)\n"
        "kept .gitignore (yours): it already ignores opsrepo's output\n"
        "left 33 files as they are: already what opsrepo init writes\n"
        f"created nothing in {target}: the new ops repo is all there\n" + NEXT.format(target=target))
    assert snapshot(target) == before


def test_other_files_in_the_way_are_all_listed_and_nothing_is_written(tmp_path: Path) -> None:
    target = fresh_clone(tmp_path)
    (target / "opsrepo.yaml").write_text("name: ours\n")
    (target / "teams").mkdir()
    (target / "teams" / "app.yaml").write_text("id: app\n")
    before = snapshot(target)
    assert run("init", str(target)) == (1, "", (
        f"opsrepo: error: 2 files in {target} already exist with other content: opsrepo.yaml, teams/app.yaml\n"
        + HINT))
    assert snapshot(target) == before


def test_force_overwrites_them_and_still_keeps_the_readme_license_and_gitignore_lines(tmp_path: Path) -> None:
    target = fresh_clone(tmp_path)
    (target / "opsrepo.yaml").write_text("name: ours\n")
    (target / "teams").mkdir()
    (target / "teams" / "app.yaml").write_text("id: app\n")
    code, out, err = run("init", str(target), "--force")
    assert (code, err) == (0, "")
    assert out == (
        "kept README.md (yours); opsrepo's README for the team is OPSREPO.md\n"
        "kept LICENSE (yours)\n"
        "merged .gitignore: added /_calendars/\n"
        "overwrote 2 files (--force): opsrepo.yaml, teams/app.yaml\n"
        + CREATED.format(target=target).replace("created 33", "created 31") + NEXT.format(target=target))
    assert (target / "README.md").read_bytes() == README
    assert (target / "opsrepo.yaml").read_text().startswith("# yaml-language-server:")
    assert run("validate", "--repo", str(target))[0] == 0


def test_a_folder_in_the_way_stops_init_even_with_force(tmp_path: Path) -> None:
    target = fresh_clone(tmp_path)
    (target / "opsrepo.yaml").mkdir()
    (target / "schemas").write_text("not a folder\n")
    before = snapshot(target)
    assert run("init", str(target), "--force") == (1, "", (
        f"opsrepo: error: 10 files in {target} cannot be written, a folder or a file is in the way: opsrepo.yaml, "
        "schemas/alertrules.schema.json, schemas/escalation.schema.json, schemas/org.schema.json, "
        "schemas/postmortem.schema.json, schemas/prometheusrule.schema.json, schemas/runbook.schema.json, "
        "schemas/schedule.schema.json, schemas/severity.schema.json, schemas/team.schema.json\n"
        "  hint: nothing was written; move them away and run opsrepo init again\n"))
    assert snapshot(target) == before


def test_a_readme_that_is_opsrepos_own_stays_the_readme(tmp_path: Path) -> None:
    """A directory init wrote before (no clone): README.md is init's, so there is no OPSREPO.md."""
    target = tmp_path / "ops"
    run("init", str(target))
    code, out, _ = run("init", str(target))
    assert code == 0
    assert out.splitlines()[:2] == ["left 34 files as they are: already what opsrepo init writes",
                                    f"created nothing in {target}: the new ops repo is all there"]
    assert not (target / "OPSREPO.md").exists()


@pytest.mark.parametrize("spec", ['opsrepo==1.0"; curl x', "opsrepo $(id)", "opsrepo #1", "a: b", ""])
def test_an_opsrepo_spec_that_cannot_sit_in_a_workflow_is_a_usage_error(tmp_path: Path, spec: str) -> None:
    assert run("init", str(tmp_path / "ops"), "--opsrepo-spec", spec) == (2, "", (
        f"opsrepo: error: --opsrepo-spec {spec!r} is not a requirement opsrepo can write into a workflow "
        "(letters, digits, spaces and ._-[],<>=!~@+:/%# only)\n"
        "  hint: write e.g. 'opsrepo==0.1.0' or 'opsrepo @ git+https://github.com/acme/opsrepo@v0.1.0'\n"))
    assert not (tmp_path / "ops").exists()


@pytest.mark.parametrize(("existing", "merged", "added"), [
    ("", "# opsrepo build output\n/_site/\n/_calendars/\n", ("/_site/", "/_calendars/")),
    ("*.pyc", "*.pyc\n\n# opsrepo build output\n/_site/\n/_calendars/\n", ("/_site/", "/_calendars/")),
    ("/_site/\n  /_calendars/  \n", "/_site/\n  /_calendars/  \n", ()),
    ("# opsrepo build output\n/_site/\n", "# opsrepo build output\n/_site/\n\n# opsrepo build output\n/_calendars/\n",
     ("/_calendars/",)),
])
def test_the_gitignore_merge_adds_only_missing_lines(existing: str, merged: str, added: tuple[str, ...]) -> None:
    ours = "# opsrepo build output\n/_site/\n/_calendars/\n"
    assert merge_gitignore(existing, ours) == (merged, added)
    assert merge_gitignore(merged, ours) == (merged, ())
