"""The SPEC's JSON: ``{"ok", "errors", "warnings"}``."""

from __future__ import annotations

from collections.abc import Sequence
from json.encoder import encode_basestring as _text

from opsrepo.errors import Cause, Diagnostic
from opsrepo.validate import Validation


class JsonReporter:
    """Machine-readable diagnostics."""

    def render(self, validation: Validation) -> str:
        """One JSON document: ``json.dumps(document, indent=2, ensure_ascii=False)``, byte for byte.

        With ``indent``, ``json`` encodes in Python, value by value: each
        diagnostic is written here in one piece from its fields, each text
        encoded by ``json``'s own C function (half the time for a thousand
        schedules' findings; equality-tested against ``json.dumps`` of
        :meth:`~opsrepo.errors.Diagnostic.to_dict`).
        """
        return (f'{{\n  "ok": {"true" if validation.ok else "false"},\n'
                f'  "errors": {diagnostics_json(validation.errors)},\n'
                f'  "warnings": {diagnostics_json(validation.warnings)}\n}}\n')


def diagnostics_json(diagnostics: Sequence[Diagnostic]) -> str:
    """``json.dumps([d.to_dict() for d in diagnostics], indent=2, ensure_ascii=False)``, nested one level.

    Laid out as ``json`` lays out a list that is the value of a top-level key.
    """
    if not diagnostics:
        return "[]"
    return "[\n    " + ",\n    ".join(map(_diagnostic, diagnostics)) + "\n  ]"


def _diagnostic(d: Diagnostic) -> str:
    hint = "null" if d.hint is None else _text(d.hint)
    cause = "" if d.caused_by is None else f',\n      "caused_by": {_cause(d.caused_by)}'
    return (f'{{\n      "code": {_text(d.code)},\n      "file": {_text(d.file)},\n'
            f'      "line": {int.__repr__(d.line)},\n      "column": {int.__repr__(d.column)},\n'
            f'      "message": {_text(d.message)},\n      "hint": {hint}{cause}\n    }}')


def _cause(c: Cause) -> str:
    return (f'{{\n        "code": {_text(c.code)},\n        "file": {_text(c.file)},\n'
            f'        "line": {int.__repr__(c.line)},\n        "column": {int.__repr__(c.column)}\n      }}')

