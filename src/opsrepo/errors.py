"""Diagnostics (findings are data) and the few exceptions the CLI maps to exit codes."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any


class Severity(enum.Enum):
    """How bad a diagnostic is: errors make the repo invalid, warnings do not."""

    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One finding about one place in one file.

    ``line`` and ``column`` are 1-based; 0 means "the whole file".
    """

    file: str
    line: int
    column: int
    code: str
    message: str
    severity: Severity = field(default=Severity.ERROR, compare=False)
    hint: str | None = field(default=None, compare=False)

    def to_dict(self) -> dict[str, Any]:
        """The SPEC's JSON shape, plus the optional ``hint``."""
        return {
            "code": self.code,
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "message": self.message,
            "hint": self.hint,
        }


@dataclass(frozen=True)
class Location:
    """A place in a file: relative posix path and 1-based line and column.

    A diagnostic about a whole file (or a file that is missing) points at its
    start, line 1 column 1, so every output format has a real position.
    """

    file: str
    line: int = 1
    column: int = 1

    def error(self, code: str, message: str, hint: str | None = None) -> Diagnostic:
        """An error diagnostic at this place."""
        return Diagnostic(self.file, self.line, self.column, code, message, Severity.ERROR, hint)

    def warning(self, code: str, message: str, hint: str | None = None) -> Diagnostic:
        """A warning diagnostic at this place."""
        return Diagnostic(self.file, self.line, self.column, code, message, Severity.WARNING, hint)


def shown(text: str, limit: int = 80) -> str:
    r"""``text`` as a message quotes it: control characters escaped (``\n``), at most ``limit`` characters.

    A value from a file may hold a newline or be 200 KB long; a diagnostic
    stays one readable line either way.
    """
    if len(text) > limit:
        text = text[:limit - 1] + "…"
    if text.isprintable():
        return text
    return "".join(char if char.isprintable() else repr(char)[1:-1] for char in text)


class OpsrepoError(Exception):
    """An operation failed for a reason the user must fix (exit code 1)."""

    exit_code = 1

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


class UsageError(OpsrepoError):
    """Bad flags, unknown ids, unparsable instants (exit code 2)."""

    exit_code = 2


class UnknownIdError(UsageError):
    """An id the command line names that the repo does not define (exit code 2).

    When some of the repo's files failed to load, the id may live in one of
    them: callers may then report the repo rather than the call.
    """
