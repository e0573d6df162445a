"""Text from a pull request cannot issue workflow commands in the job log, in any output format.

The runner reads each line a step prints (``\\r`` ends a line too): after
leading white space, ``::name …::`` is a command, and ``##[`` anywhere in a
line is the legacy form. A hostile repo puts such text where opsrepo prints
it — a Markdown line shown under its diagnostic, a person's name, a runbook
title, a link whose ``%0A`` decodes to a line break — and every command's
every output format is read the way the runner reads it.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from opsrepo.cli.main import cli
from opsrepo.reporters.logsafe import JOINER, json_safe, log_safe
from tests.helpers import MINIMAL, NOW, copy_repo, overlay

EVIL = "::error file=teams/core.yaml,line=1::pwned"
RUNBOOK = f"""---
title: "##[error]fake title"
team: core
services: [api]
---
# API errors

{EVIL} [a link](missing.md)
##[add-mask]secret [another](gone.md)
::warning::x [encoded](x.md%0A::error::injected)
[carriage](y.md%0D::error::also)
"""


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_repo(MINIMAL, tmp_path_factory.mktemp("hostile") / "repo")
    team = (root / "teams/core.yaml").read_text(encoding="utf-8")
    overlay(root, {
        "runbooks/core/api-errors.md": RUNBOOK,
        "teams/core.yaml": team.replace("name: Ana Silva", 'name: "Ana\\r::error::name\\n##[error]x"'),
    })
    return root


def commands_in(output: str) -> list[str]:
    """The lines of ``output`` GitHub's runner would take for workflow commands."""
    return [line for line in re.split(r"\r\n|\r|\n", output)
            if line.lstrip().startswith("::") or "##[" in line]


RUNS = [
    ["validate"], ["validate", "--format", "json"], ["validate", "--format", "sarif"],
    ["build", "--no-search", "--allow-invalid", "--out", "{out}"], ["site", "build", "--no-search", "--out", "{out}"],
    ["oncall"], ["oncall", "--format", "json"], ["oncall", "--person", "ana"],
    ["escalate", "--service", "api"], ["escalate", "--service", "api", "--format", "json"],
    ["calendar", "--out", "{out}"], ["report"], ["report", "--format", "md"], ["report", "--format", "json"],
]


@pytest.mark.parametrize("arguments", RUNS, ids=lambda a: " ".join(a))
def test_no_output_line_is_a_workflow_command(hostile: Path, arguments: list[str], tmp_path: Path) -> None:
    argv = [arg.format(out=tmp_path / "out") for arg in arguments]
    result = CliRunner().invoke(cli, [*argv, "--repo", str(hostile)], env={"OPSREPO_NOW": NOW.isoformat()})
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert commands_in(result.stdout) == []
    assert commands_in(result.stderr) == []
    if "json" in argv or "sarif" in argv:
        json.loads(result.stdout)  # still JSON, with the same values


def test_the_github_format_writes_its_annotations_and_nothing_else(hostile: Path) -> None:
    result = CliRunner().invoke(cli, ["validate", "--format", "github", "--repo", str(hostile)],
                                env={"OPSREPO_NOW": NOW.isoformat(), "GITHUB_STEP_SUMMARY": ""})
    found = commands_in(result.stdout)
    assert found and all(re.fullmatch(r"::(error|warning) file=[^:,]+,line=\d+,col=\d+,title=OPS\d{3}::.*", line)
                         for line in found), found
    assert len(found) == result.stdout.count("\n") - 1  # one line per diagnostic, then the summary


def test_log_safe_reads_the_same_and_json_keeps_its_values() -> None:
    assert log_safe("ok: 0 errors\n  hint: x::y\n") == "ok: 0 errors\n  hint: x::y\n"
    assert log_safe("  ::error::x\n") == f"  :{JOINER}:error::x\n"
    assert log_safe("a ##[error] b") == f"a #{JOINER}#[error] b"
    assert log_safe("a\rb\x1b[31m") == "a\\rb\\u001b[31m"
    assert json.loads(json_safe(json.dumps({"m": "##[add-mask]x"}))) == {"m": "##[add-mask]x"}
