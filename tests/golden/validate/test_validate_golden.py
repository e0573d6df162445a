"""``opsrepo validate`` output in every format, against reviewed golden files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from jsonschema import Draft4Validator

from tests.golden.validate.regen import FORMATS, HERE, run
from tests.helpers import ROOT

SARIF_SCHEMA = ROOT / "node_modules" / "@microsoft" / "jest-sarif" / "lib" / "schemas" / "sarif-2.1.0-rtm.5.json"


@pytest.mark.parametrize(("output_format", "name"), FORMATS.items())
def test_output_matches_golden(output_format: str, name: str) -> None:
    code, out = run(output_format)
    assert code == 1
    assert out == (HERE / name).read_text(encoding="utf-8")


def test_github_format_writes_the_full_list_to_the_job_summary(tmp_path: Path) -> None:
    summary = tmp_path / "summary.md"
    summary.write_text("earlier step\n", encoding="utf-8")
    run("github", summary)
    assert summary.read_text(encoding="utf-8") == "earlier step\n" + (HERE / "summary.md").read_text("utf-8")


def test_sarif_is_valid_sarif_2_1_0() -> None:
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    _, out = run("sarif")
    log = json.loads(out)
    errors = sorted(Draft4Validator(schema).iter_errors(log), key=str)
    assert errors == []
    results = log["runs"][0]["results"]
    assert [r["ruleId"] for r in results] == [
        "OPS004", "OPS208", "OPS501", "OPS203", "OPS603", "OPS002", "OPS411", "OPS005", "OPS203", "OPS101",
        "OPS505",
    ]
    assert results[6]["relatedLocations"] == [{
        "id": 1, "message": {"text": "OPS002, the cause"},
        "physicalLocation": {"artifactLocation": {"uri": "schedules/web-primary.yaml"},
                             "region": {"startLine": 5, "startColumn": 3}},
    }]


def test_json_has_the_spec_shape() -> None:
    _, out = run("json")
    document = json.loads(out)
    assert set(document) == {"ok", "errors", "warnings"}
    assert document["ok"] is False
    for diagnostic in document["errors"] + document["warnings"]:
        assert set(diagnostic) - {"caused_by"} == {"code", "file", "line", "column", "message", "hint"}
    caused = [d for d in document["errors"] if "caused_by" in d]
    assert [(d["code"], d["caused_by"]) for d in caused] == [
        ("OPS411", {"code": "OPS002", "file": "schedules/web-primary.yaml", "line": 5, "column": 3}),
    ]
