"""``opsrepo validate``, ``rules`` and ``schema export`` end to end: outputs and exit codes."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from opsrepo.cli.main import cli
from opsrepo.rules import catalog
from opsrepo.schemas import schema_text
from tests.helpers import MINIMAL, ROOT, copy_repo

ENV = {"OPSREPO_NOW": "2026-11-23T09:00:00Z"}


def invoke(*args: str, cwd: Path | None = None) -> tuple[int, str, str]:
    runner = CliRunner()
    if cwd is None:
        result = runner.invoke(cli, list(args), env=ENV, prog_name="opsrepo")
    else:
        previous = Path.cwd()
        os.chdir(cwd)
        try:
            result = runner.invoke(cli, list(args), env=ENV, prog_name="opsrepo")
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
    assert invoke("validate", cwd=tmp_path) == (2, "", (
        f"opsrepo: error: no opsrepo.yaml in {tmp_path.resolve()} or any parent directory\n"
        "  hint: run opsrepo inside an ops repo, pass --repo DIR, or create one with 'opsrepo init DIR'\n"
    ))


def test_bad_format_is_a_usage_error() -> None:
    assert invoke("validate", "--repo", str(MINIMAL), "--format", "xml") == (2, "", (
        "Usage: opsrepo validate [OPTIONS]\n"
        "Try 'opsrepo validate --help' for help.\n\n"
        "Error: Invalid value for '--format': 'xml' is not one of 'text', 'json', 'github', 'sarif'.\n"
    ))


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
    kinds = ["org", "team", "schedule", "severity", "escalation", "runbook", "postmortem", "alertrules",
             "prometheusrule"]
    assert (code, out) == (0, "".join(f"wrote {tmp_path / 's' / f'{kind}.schema.json'}\n" for kind in kinds))
    assert sorted(p.name for p in (tmp_path / "s").iterdir()) == sorted(f"{kind}.schema.json" for kind in kinds)
    for kind in kinds:
        assert (tmp_path / "s" / f"{kind}.schema.json").read_text(encoding="utf-8") == schema_text(kind)


def test_a_real_process_never_prints_a_traceback_for_bad_input(tmp_path: Path) -> None:
    (tmp_path / "opsrepo.yaml").write_bytes(b"\xff\xfe garbage: [")
    done = subprocess.run([sys.executable, "-m", "opsrepo", "validate", "--repo", str(tmp_path)],
                          capture_output=True, text=True, env={**os.environ, **ENV}, check=False)
    assert (done.returncode, done.stderr) == (1, "")
    assert done.stdout == (
        "opsrepo.yaml:1:1: OPS001 error: the file is UTF-16, not UTF-8\n"
        "  hint: save the file as UTF-8\n\n"
        "policies/severity.yaml:1:1: OPS401 error: the repo has no severity matrix "
        "(policies/severity.yaml is missing)\n"
        "  hint: create policies/severity.yaml with your levels, most urgent first (see docs/format.md)\n\n"
        "invalid: 2 errors, 0 warnings in 2 files checked\n"
    )


def test_a_link_into_a_runbook_that_did_not_load_names_its_cause_in_every_format(tmp_path: Path) -> None:
    root = copy_repo(MINIMAL, tmp_path / "repo")
    (root / "runbooks/core/api-errors.md").write_text(
        "---\ntitle: API errors\nservices: [api\n---\n# API errors\n", encoding="utf-8")
    (root / "runbooks/core/db.md").write_text(
        "---\ntitle: Database\nteam: core\nservices: [api]\n---\n# Database\n\nSee [API errors](api-errors.md).\n",
        encoding="utf-8")
    cause = {"code": "OPS002", "file": "runbooks/core/api-errors.md", "line": 4, "column": 1}
    code, out, _ = invoke("validate", "--repo", str(root), "--format", "json")
    found = json.loads(out)
    assert code == 1
    assert [(e["code"], e["file"], e["line"], e.get("caused_by")) for e in found["errors"]] == [
        ("OPS002", "runbooks/core/api-errors.md", 4, None),
        ("OPS601", "runbooks/core/db.md", 8, cause),
        ("OPS207", "teams/core.yaml", 13, cause),
        ("OPS418", "teams/core.yaml", 15, cause),
    ]
    assert found["errors"][1]["message"] == (
        "broken link 'api-errors.md': runbook 'core/api-errors' is in runbooks/core/api-errors.md, which did "
        "not load (OPS002 on line 4)")
    sarif = json.loads(invoke("validate", "--repo", str(root), "--format", "sarif")[1])
    [link] = [r for r in sarif["runs"][0]["results"] if r["ruleId"] == "OPS601"]
    assert link["relatedLocations"] == [{
        "id": 1, "message": {"text": "OPS002, the cause"}, "physicalLocation": {
            "artifactLocation": {"uri": "runbooks/core/api-errors.md"},
            "region": {"startLine": 4, "startColumn": 1}}}]
    assert invoke("validate", "--repo", str(root))[1].split("\n\n")[1:] == [
        "runbooks/core/db.md:8:18: OPS601 error: broken link 'api-errors.md': runbook 'core/api-errors' is in "
        "runbooks/core/api-errors.md, which did not load (OPS002 on line 4)\n"
        "    See [API errors](api-errors.md).\n"
        "                     ^\n"
        "  caused by: runbooks/core/api-errors.md:4:1: OPS002 (above)\n"
        "  hint: fix runbooks/core/api-errors.md first",
        "teams/core.yaml:13:16: OPS207 error: unknown runbook 'core/api-errors': its definition in "
        "runbooks/core/api-errors.md did not load (OPS002 on line 4)\n"
        "        runbooks: [core/api-errors]\n"
        "                   ^\n"
        "  caused by: runbooks/core/api-errors.md:4:1: OPS002 (above)\n"
        "  hint: fix runbooks/core/api-errors.md first",
        "teams/core.yaml:15:71: OPS418 error: unknown runbook 'core/api-errors': its definition in "
        "runbooks/core/api-errors.md did not load (OPS002 on line 4)\n"
        "          - {id: api-5xx, summary: 5xx above 1%, severity: SEV2, runbook: core/api-errors}\n"
        "                                                                          ^\n"
        "  caused by: runbooks/core/api-errors.md:4:1: OPS002 (above)\n"
        "  hint: fix runbooks/core/api-errors.md first",
        "invalid: 4 errors, 0 warnings in 8 files checked\n",
    ]


def test_markdown_is_imported_only_for_a_repo_with_markdown_to_read(tmp_path: Path) -> None:
    # markdown-it's import is a tenth of validate's start-up: a repo without Markdown to read skips it
    bare = copy_repo(MINIMAL, tmp_path / "bare")
    shutil.rmtree(bare / "runbooks")
    shutil.rmtree(bare / "postmortems")
    code = ("import sys\nfrom opsrepo.cli.main import main\ntry:\n    main(['validate', '--repo', sys.argv[1]])\n"
            "except SystemExit:\n    pass\nprint('markdown_it' in sys.modules, file=sys.stderr)\n")
    for repo, imported in ((bare, "False"), (ROOT, "True")):
        done = subprocess.run([sys.executable, "-c", code, str(repo)], capture_output=True, text=True, check=True)
        assert done.stderr.splitlines()[-1] == imported
