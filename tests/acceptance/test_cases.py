"""Every case file under tests/fixtures/cases: overlay snippets, validate, compare all diagnostics.

Like sqlfluff's rule cases: a case names its files and the exact list of
``[code, file, line, column, message]`` (plus the hint when ``hints: true``)
that validation must produce, nothing more and nothing less.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

import opsrepo
from opsrepo.rules import catalog
from opsrepo.validate import validate_repo
from tests.fixtures.cases import needs_unprivileged_reader, overlay_case
from tests.helpers import FIXTURES, MINIMAL, NOW, copy_repo

CASES = sorted((FIXTURES / "cases").glob("*.yaml"))


def _load_cases() -> list[Any]:
    found = []
    for path in CASES:
        for case in yaml.safe_load(path.read_text(encoding="utf-8")):
            found.append(pytest.param(case, id=f"{path.stem}/{case['name']}"))
    return found


ALL_CASES = _load_cases()


def test_the_corpus_is_large_and_names_are_unique() -> None:
    names = [param.id for param in ALL_CASES]
    assert len(names) == len(set(names))
    assert len(names) >= 200


def test_the_multi_error_corpus_finds_several_independent_errors_per_repo_in_one_run() -> None:
    """tests/fixtures/cases/multi.yaml: at least 30 repos, each with several problems found in one run."""
    multi = [param.values[0] for param in ALL_CASES if str(param.id).startswith("multi/")]
    assert len(multi) >= 30
    assert [case["name"] for case in multi if len(case["expect"]) < 2] == []
    assert [case["name"] for case in multi if len({(row[1], row[2]) for row in case["expect"]}) < 2] == []


@pytest.mark.parametrize("case", ALL_CASES)
def test_case(case: dict[str, Any], tmp_path: Path) -> None:
    if needs_unprivileged_reader(case):
        pytest.skip("root reads a file whatever its permissions; run it unprivileged (or without CAP_DAC_OVERRIDE)")
    root = copy_repo(MINIMAL, tmp_path / "repo")
    overlay_case(root, case["files"])
    validation = validate_repo(root, NOW)
    with_hints = case.get("hints", False)
    actual = [
        [d.code, d.file, d.line, d.column, d.message, *([d.hint] if with_hints else [])]
        for d in validation.diagnostics
    ]
    assert actual == case["expect"]
    assert validation.ok == case.get("ok", False)


VALID_CASES = [param for param in ALL_CASES if param.values[0].get("ok")]


@pytest.mark.parametrize("case", VALID_CASES)
def test_a_case_that_validates_builds(case: dict[str, Any], tmp_path: Path) -> None:
    """If validate passes, build builds: calendars and the site, with no broken link or unwritable page."""
    from opsrepo.build import build

    root = copy_repo(MINIMAL, tmp_path / "repo")
    overlay_case(root, case["files"])
    result = build(root, tmp_path / "site", NOW, search=False)
    assert result.validation.ok
    assert result.site is not None
    assert [(p.code, p.file, p.line, p.message) for p in result.site.problems] == []
    assert result.calendars


#: codes no repo file can produce, so no case can show them (each with why)
NO_CASE = {
    # the schema check's wording for a JSON Schema keyword it has no message of its own for; the
    # shipped schemas use none (test_schemas_use_only_keywords_with_their_own_code keeps it so)
    "OPS199",
}

PACKAGE = Path(opsrepo.__file__).parent


def _declared_codes() -> set[str]:
    """Every code the rules catalog lists or the package's source raises."""
    raised = {code for path in PACKAGE.rglob("*.py")
              for code in re.findall(r'"(OPS\d{3})"', path.read_text(encoding="utf-8"))}
    return raised | {entry.code for entry in catalog()}


def _case_codes(*, hinted: bool = False) -> set[str]:
    return {row[0] for param in ALL_CASES for row in param.values[0]["expect"]
            if param.values[0].get("hints") or not hinted}


def test_every_rule_code_has_a_case() -> None:
    declared = _declared_codes()
    assert sorted(declared - _case_codes() - NO_CASE) == []
    assert sorted(NO_CASE - declared) == []  # a code that no longer exists leaves the list
    assert sorted(NO_CASE & _case_codes()) == []  # so does one a case now shows


def test_every_rule_code_has_a_case_with_its_hint() -> None:
    assert sorted(set(_declared_codes()) - NO_CASE - _case_codes(hinted=True)) == []


#: JSON Schema keywords the schema check words with a code of its own (OPS101-OPS106), and those
#: that only hold other schemas or notes, so never fail by themselves
WORDED = {"additionalProperties", "required", "type", "enum", "pattern", "oneOf", "minItems", "minLength",
          "uniqueItems", "minimum", "maximum", "maxLength", "maxItems"}
SILENT = {"$schema", "$id", "$ref", "definitions", "properties", "items", "propertyNames", "x-format", "x-shape",
          "x-range", "title", "description"}
#: keywords whose value is data, not a schema
DATA = {"enum", "required", "pattern", "type", "x-format", "x-shape", "x-range", "$ref", "$schema", "$id", "title",
        "description", "minItems", "minLength", "minimum", "maximum", "uniqueItems", "maxLength", "maxItems"}


def _keywords(schema: object) -> set[str]:
    if not isinstance(schema, dict):
        return set()
    found = set(schema)
    for keyword, value in schema.items():
        if keyword in ("properties", "definitions"):
            found |= {k for sub in value.values() for k in _keywords(sub)}
        elif keyword not in DATA:
            for sub in value if isinstance(value, list) else [value]:
                found |= _keywords(sub)
    return found


def test_schemas_use_only_keywords_with_their_own_code() -> None:
    used = {k for path in (PACKAGE / "schemas").glob("*.schema.json")
            for k in _keywords(json.loads(path.read_text(encoding="utf-8")))}
    assert "pattern" in used and "oneOf" in used
    assert sorted(used - WORDED - SILENT) == []
