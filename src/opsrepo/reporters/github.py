"""GitHub Actions workflow commands (annotations).

GitHub shows at most 10 annotations of each kind per step, so the full list
also goes to the job summary (``$GITHUB_STEP_SUMMARY``) by the CLI.
"""

from __future__ import annotations

from opsrepo.errors import Diagnostic, Severity
from opsrepo.reporters.text import TextReporter
from opsrepo.validate import Validation


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


class GithubReporter:
    """``::error file=...,line=...,col=...,title=...::message`` lines."""

    def render(self, validation: Validation) -> str:
        """One workflow command per diagnostic, then the summary line."""
        lines = [self.command(d) for d in validation.diagnostics]
        lines.append(TextReporter.summary(validation))
        return "\n".join(lines) + "\n"

    @staticmethod
    def command(diagnostic: Diagnostic) -> str:
        """The annotation for one diagnostic."""
        kind = "error" if diagnostic.severity is Severity.ERROR else "warning"
        message = diagnostic.message + (f"\n{diagnostic.hint}" if diagnostic.hint else "")
        if diagnostic.caused_by is not None:
            message += f"\ncaused by {diagnostic.caused_by}"
        properties = f"file={_escape_property(diagnostic.file)}"
        if diagnostic.line:
            properties += f",line={diagnostic.line},col={diagnostic.column}"
        properties += f",title={_escape_property(diagnostic.code)}"
        return f"::{kind} {properties}::{_escape_data(message)}"

    @staticmethod
    def summary_markdown(validation: Validation) -> str:
        """The full list as a Markdown table for the job summary."""
        head = "## opsrepo validate\n\n" + TextReporter.summary(validation) + "\n"
        if not validation.diagnostics:
            return head
        rows = ["| | code | where | message |", "|---|---|---|---|"]
        for d in validation.diagnostics:
            mark = "❌" if d.severity is Severity.ERROR else "⚠️"
            cause = f" (caused by `{d.caused_by}`)" if d.caused_by is not None else ""
            text = (d.message + (f" — {d.hint}" if d.hint else "") + cause).replace("|", "\\|")
            rows.append(f"| {mark} | `{d.code}` | `{d.file}:{d.line}:{d.column}` | {text} |")
        return head + "\n" + "\n".join(rows) + "\n"
