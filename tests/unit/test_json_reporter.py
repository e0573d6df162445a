"""The JSON reporter writes exactly what ``json.dumps(..., indent=2, ensure_ascii=False)`` writes (hypothesis)."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from opsrepo.errors import Cause, Diagnostic, Severity
from opsrepo.load.repo import load_files
from opsrepo.reporters.json import JsonReporter
from opsrepo.validate import Validation

#: every kind of character json escapes or keeps: quotes, backslashes, controls, non-ASCII, line separators
_TEXTS = st.text(st.characters(codec="utf-8") | st.sampled_from(['"', "\\", "\n", "\t", "\x00", "\x7f", "é", "\u2028"]))
_CAUSES = st.builds(Cause, _TEXTS, _TEXTS, st.integers(0, 10**6), st.integers(0, 10**6))
_DIAGNOSTICS = st.builds(
    Diagnostic, _TEXTS, st.integers(0, 10**9), st.integers(0, 10**9), _TEXTS, _TEXTS,
    st.sampled_from(list(Severity)), st.none() | _TEXTS, st.none() | _CAUSES)


#: a repo of one file: the reporter reads only the diagnostics
_LOADED = load_files(Path("."), {"opsrepo.yaml": b"name: Kestrel\ntimezone: UTC\n"})


def _validation(diagnostics: list[Diagnostic]) -> Validation:
    return Validation(_LOADED, tuple(diagnostics))


def _plain(validation: Validation) -> str:
    """What the reporter wrote before: the standard library's encoder, with indent."""
    document = {
        "ok": validation.ok,
        "errors": [d.to_dict() for d in validation.errors],
        "warnings": [d.to_dict() for d in validation.warnings],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


@given(st.lists(_DIAGNOSTICS, max_size=6))
def test_the_report_is_json_dumps_byte_for_byte(diagnostics: list[Diagnostic]) -> None:
    validation = _validation(diagnostics)
    written = JsonReporter().render(validation)
    assert written == _plain(validation)
    assert json.loads(written)["errors"] == [d.to_dict() for d in validation.errors]


def test_no_findings_and_one_with_a_cause() -> None:
    assert JsonReporter().render(_validation([])) == '{\n  "ok": true,\n  "errors": [],\n  "warnings": []\n}\n'
    finding = Diagnostic("a.yaml", 3, 1, "OPS101", 'say "hi"', Severity.WARNING, None, Cause("OPS2", "b", 1, 2))
    assert JsonReporter().render(_validation([finding])) == (
        '{\n  "ok": true,\n  "errors": [],\n  "warnings": [\n    {\n      "code": "OPS101",\n'
        '      "file": "a.yaml",\n      "line": 3,\n      "column": 1,\n      "message": "say \\"hi\\"",\n'
        '      "hint": null,\n      "caused_by": {\n        "code": "OPS2",\n        "file": "b",\n'
        '        "line": 1,\n        "column": 2\n      }\n    }\n  ]\n}\n')
