"""Every case file under tests/fixtures/cases: overlay snippets, validate, compare all diagnostics.

Like sqlfluff's rule cases: a case names its files and the exact list of
``[code, file, line, column, message]`` (plus the hint when ``hints: true``)
that validation must produce, nothing more and nothing less.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

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
    assert len(names) >= 60


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
