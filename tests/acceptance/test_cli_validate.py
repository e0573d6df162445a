"""``opsrepo validate``, ``rules`` and ``schema export`` end to end: outputs and exit codes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from opsrepo.cli.main import cli
from opsrepo.rules import catalog
from tests.helpers import MINIMAL, ROOT

ENV = {"OPSREPO_NOW": "2026-11-23T09:00:00Z"}


def invoke(*args: str, cwd: Path | None = None) -> tuple[int, str, str]:
    runner = CliRunner()
    if cwd is None:
        result = runner.invoke(cli, list(args), env=ENV)
    else:
        previous = Path.cwd()
        os.chdir(cwd)
        try:
            result = runner.invoke(cli, list(args), env=ENV)
        finally:
            os.chdir(previous)
    return result.exit_code, result.stdout, result.stderr


def test_valid_repo_exits_0_with_a_summary() -> None:
    assert invoke("validate", "--repo", str(MINIMAL)) == (0, "ok: 0 errors, 0 warnings in 7 files checked\n", "")


def test_valid_repo_json() -> None:
    code, out, _ = invoke("validate", "--repo", str(MINIMAL), "--format", "json")
    assert code == 0
    assert json.loads(out) == {"ok": True, "errors": [], "warnings": []}


def test_repo_is_found_from_a_subdirectory() -> None:
    code, out, _ = invoke("validate", cwd=MINIMAL / "runbooks" / "core")
    assert (code, out) == (0, "ok: 0 errors, 0 warnings in 7 files checked\n")


def test_not_an_ops_repo_is_a_usage_error(tmp_path: Path) -> None:
    code, out, err = invoke("validate", "--repo", str(tmp_path))
    assert (code, out) == (2, "")
    assert err == (f"opsrepo: error: {tmp_path} is not an ops repo (no opsrepo.yaml)\n"
                   "  hint: pass the root of an ops repo with --repo, or create one with 'opsrepo init'\n")


def test_no_ops_repo_above_the_working_directory(tmp_path: Path) -> None:
    code, _, err = invoke("validate", cwd=tmp_path)
    assert code == 2
    assert err.startswith(f"opsrepo: error: no opsrepo.yaml in {tmp_path.resolve()} or any parent directory\n")


def test_bad_format_is_a_usage_error() -> None:
    code, _, err = invoke("validate", "--repo", str(MINIMAL), "--format", "xml")
    assert code == 2
    assert "Invalid value for '--format': 'xml' is not one of 'text', 'json', 'github', 'sarif'." in err


def test_the_example_repo_is_valid() -> None:
    code, out, _ = invoke("validate", "--repo", str(ROOT), "--format", "json")
    document = json.loads(out)
    assert document["errors"] == []
    assert (code, document["ok"]) == (0, True)


def test_rules_lists_every_code_once() -> None:
    code, out, _ = invoke("rules", "--format", "json")
    entries = json.loads(out)
    assert code == 0
    assert [e["code"] for e in entries] == sorted({r.code for r in catalog()})
    assert {"code": "OPS004", "name": "unquoted-time", "family": "parsing",
            "summary": "An unquoted time like 9:00 is read by YAML 1.1 as a number."} in entries


def test_schema_export(tmp_path: Path) -> None:
    code, out, _ = invoke("schema", "export", str(tmp_path / "s"))
    assert code == 0
    assert sorted(p.name for p in (tmp_path / "s").iterdir()) == [
        "escalation.schema.json", "org.schema.json", "postmortem.schema.json", "runbook.schema.json",
        "schedule.schema.json", "severity.schema.json", "team.schema.json",
    ]
    assert out.splitlines()[0] == f"wrote {tmp_path / 's' / 'org.schema.json'}"


def test_a_real_process_never_prints_a_traceback_for_bad_input(tmp_path: Path) -> None:
    (tmp_path / "opsrepo.yaml").write_bytes(b"\xff\xfe garbage: [")
    done = subprocess.run([sys.executable, "-m", "opsrepo", "validate", "--repo", str(tmp_path)],
                          capture_output=True, text=True, env={**os.environ, **ENV}, check=False)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr + done.stdout
    assert done.stdout.startswith("opsrepo.yaml:1:1: OPS001 error: the file is not UTF-8 (byte 0xff at offset 0)\n")
