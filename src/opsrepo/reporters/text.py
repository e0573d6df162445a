"""Compiler-style text: ``file:line:col: CODE message``, the line, a caret, the cause, a hint.

Diagnostics come in :func:`opsrepo.errors.ordered`'s order, so a cause is
always printed above what it causes.
"""

from __future__ import annotations

from opsrepo.errors import Diagnostic, Severity
from opsrepo.validate import Validation


class TextReporter:
    """Human-readable diagnostics."""

    def render(self, validation: Validation) -> str:
        """Every diagnostic, then a one-line summary."""
        blocks = [self.block(validation, d) for d in validation.diagnostics]
        return "".join(blocks) + self.summary(validation) + "\n"

    def block(self, validation: Validation, diagnostic: Diagnostic) -> str:
        """One diagnostic with its source line and caret."""
        kind = "error" if diagnostic.severity is Severity.ERROR else "warning"
        lines = [f"{diagnostic.file}:{diagnostic.line}:{diagnostic.column}: {diagnostic.code} "
                 f"{kind}: {diagnostic.message}"]
        source = validation.source_line(diagnostic)
        if source is not None:
            lines.append(f"    {source}")
            lines.append("    " + _caret_padding(source, diagnostic.column) + "^")
        if diagnostic.caused_by is not None:
            cause = diagnostic.caused_by
            lines.append(f"  caused by: {cause.file}:{cause.line}:{cause.column}: {cause.code} (above)")
        if diagnostic.hint:
            lines.append(f"  hint: {diagnostic.hint}")
        return "\n".join(lines) + "\n\n"

    @staticmethod
    def summary(validation: Validation) -> str:
        """``ok: N files checked`` or the counts of errors and warnings."""
        files = len({d.file for d in validation.diagnostics} | {d.path for d in validation.loaded.documents})
        errors = _plural(len(validation.errors), "error")
        counts = f"{errors}, {_plural(len(validation.warnings), 'warning')}"
        verdict = "ok" if validation.ok else "invalid"
        return f"{verdict}: {counts} in {_plural(files, 'file')} checked"


def _caret_padding(source: str, column: int) -> str:
    # keep tabs so the caret lines up under tab-indented text
    return "".join(ch if ch == "\t" else " " for ch in source[: max(column - 1, 0)])


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" + ("" if count == 1 else "s")
