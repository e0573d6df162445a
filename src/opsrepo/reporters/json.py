"""The SPEC's JSON: ``{"ok", "errors", "warnings"}``."""

from __future__ import annotations

import json

from opsrepo.validate import Validation


class JsonReporter:
    """Machine-readable diagnostics."""

    def render(self, validation: Validation) -> str:
        """One JSON document."""
        document = {
            "ok": validation.ok,
            "errors": [d.to_dict() for d in validation.errors],
            "warnings": [d.to_dict() for d in validation.warnings],
        }
        return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
