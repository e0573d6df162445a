from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from jsonschema import Draft7Validator, Draft202012Validator

from opsrepo.load import alertfiles
from opsrepo.schemas import KINDS, export, schema, schema_text
from tests.helpers import ROOT

DRAFT_2019_PLUS_KEYWORDS = {
    "$defs", "prefixItems", "unevaluatedProperties", "unevaluatedItems", "dependentRequired",
    "dependentSchemas", "$anchor", "$dynamicRef", "$dynamicAnchor", "minContains", "maxContains",
}


def _keywords(node: object) -> set[str]:
    if isinstance(node, dict):
        found = set(node)
        for key, value in node.items():
            if key != "properties":
                found |= _keywords(value)
            else:
                for sub in value.values():
                    found |= _keywords(sub)
        return found
    if isinstance(node, list):
        return set().union(*(_keywords(v) for v in node)) if node else set()
    return set()


@pytest.mark.parametrize("kind", KINDS)
def test_schema_is_valid_2020_12_and_uses_draft7_keywords_only(kind: str) -> None:
    document = schema(kind)
    assert document["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(document)
    Draft7Validator.check_schema(document)
    assert _keywords(document) & DRAFT_2019_PLUS_KEYWORDS == set()


def test_package_schemas_are_generated_from_the_script(tmp_path: Path) -> None:
    script = ROOT / "scripts" / "make_schemas.py"
    source = script.read_text(encoding="utf-8")
    copy = tmp_path / "make_schemas.py"
    copy.write_text(source.replace(
        'OUT = Path(__file__).resolve().parent.parent / "src" / "opsrepo" / "schemas"',
        f"OUT = Path({str(tmp_path / 'out')!r})",
    ), encoding="utf-8")
    subprocess.run([sys.executable, str(copy)], check=True)
    package = ROOT / "src" / "opsrepo" / "schemas"
    for kind in KINDS:
        assert (tmp_path / "out" / f"{kind}.schema.json").read_text(encoding="utf-8") == schema_text(kind)
        # the validators opsrepo runs are the code generated from these schemas
        assert (tmp_path / "out" / "compiled" / f"{kind}.py").read_text(encoding="utf-8") == \
            (package / "compiled" / f"{kind}.py").read_text(encoding="utf-8")


def test_the_generated_validators_run_without_fastjsonschema() -> None:
    code = ("import sys; from opsrepo import schemas; "
            "print([schemas._compiled(kind).__module__ for kind in schemas.KINDS], 'fastjsonschema' in sys.modules)")
    shown = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True).stdout
    assert shown == f"{[f'opsrepo.schemas.compiled.{kind}' for kind in KINDS]} False\n"


def test_exported_schemas_in_the_example_repo_are_current() -> None:
    for kind in KINDS:
        assert (ROOT / "schemas" / f"{kind}.schema.json").read_text(encoding="utf-8") == schema_text(kind)


def test_export_writes_every_kind(tmp_path: Path) -> None:
    written = export(tmp_path / "out")
    assert [p.name for p in written] == [f"{kind}.schema.json" for kind in KINDS]
    assert json.loads(written[0].read_text(encoding="utf-8"))["$id"].endswith("/org.schema.json")


def test_example_yaml_files_carry_a_modeline_to_the_exported_schema() -> None:
    kinds = {"teams": "team", "schedules": "schedule", "policies/escalation": "escalation"}
    for folder, kind in kinds.items():
        for path in sorted((ROOT / folder).glob("*.yaml")):
            first = path.read_text(encoding="utf-8").splitlines()[0]
            target = (path.parent / first.split("$schema=", 1)[1]).resolve()
            assert first.startswith("# yaml-language-server: $schema="), path
            assert target == (ROOT / "schemas" / f"{kind}.schema.json").resolve(), path


def test_example_rule_files_carry_a_modeline_to_their_kind() -> None:
    found = {}
    for path in sorted((ROOT / "alerts").rglob("*.yaml")):
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first.startswith("# yaml-language-server: $schema="), path
        target = (path.parent / first.split("$schema=", 1)[1]).resolve()
        documents = alertfiles.parse_rule_file(path.name, path.read_bytes())
        kinds = {document.kind for document, _ in documents if document is not None}
        assert [target] == [(ROOT / "schemas" / f"{kind}.schema.json").resolve() for kind in kinds], path
        found[path.name] = kinds
    assert {"alertrules", "prometheusrule"} <= {kind for kinds in found.values() for kind in kinds}
