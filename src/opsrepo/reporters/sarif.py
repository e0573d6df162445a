"""SARIF 2.1.0 for GitHub code scanning."""

from __future__ import annotations

import json
from typing import Any

from opsrepo import __version__
from opsrepo.errors import Diagnostic, Severity
from opsrepo.rules import catalog
from opsrepo.validate import Validation

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


class SarifReporter:
    """One run; the catalog entries of the codes found as the tool's rules; one result each."""

    def render(self, validation: Validation) -> str:
        """The SARIF log."""
        used = {d.code for d in validation.diagnostics}
        rules = [rule for rule in catalog() if rule.code in used]
        index = {rule.code: i for i, rule in enumerate(rules)}
        log = {
            "$schema": SCHEMA,
            "version": "2.1.0",
            "runs": [{
                "tool": {"driver": {
                    "name": "opsrepo",
                    "version": __version__,
                    "rules": [self.rule(rule.code, rule.name, rule.summary) for rule in rules],
                }},
                "results": [self.result(d, index) for d in validation.diagnostics],
            }],
        }
        return json.dumps(log, indent=2, ensure_ascii=False) + "\n"

    @staticmethod
    def rule(code: str, name: str, summary: str) -> dict[str, Any]:
        """A ``reportingDescriptor``."""
        return {"id": code, "name": name, "shortDescription": {"text": summary}}

    @staticmethod
    def result(diagnostic: Diagnostic, index: dict[str, int]) -> dict[str, Any]:
        """A ``result`` with one physical location, and its cause as a related location."""
        text = diagnostic.message + (f" Hint: {diagnostic.hint}" if diagnostic.hint else "")
        cause = diagnostic.caused_by
        if cause is not None:
            text += f" Caused by [{cause.code}](1)."
        result: dict[str, Any] = {
            "ruleId": diagnostic.code,
            "level": "error" if diagnostic.severity is Severity.ERROR else "warning",
            "message": {"text": text},
            "locations": [_location(diagnostic.file, diagnostic.line, diagnostic.column)],
        }
        if cause is not None:
            result["relatedLocations"] = [{
                "id": 1, **_location(cause.file, cause.line, cause.column),
                "message": {"text": f"{cause.code}, the cause"},
            }]
        if diagnostic.code in index:
            result["ruleIndex"] = index[diagnostic.code]
        return result


def _location(file: str, line: int, column: int) -> dict[str, Any]:
    region = {"startLine": max(line, 1), "startColumn": max(column, 1)}
    return {"physicalLocation": {"artifactLocation": {"uri": file}, "region": region}}
