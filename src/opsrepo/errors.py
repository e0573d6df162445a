"""Diagnostics (findings are data) and the few exceptions the CLI maps to exit codes."""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import field, replace
from typing import Any

from opsrepo.records import dataclass


class Severity(enum.Enum):
    """How bad a diagnostic is: errors make the repo invalid, warnings do not."""

    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Cause:
    """Where the diagnostic that caused another one is: its code and position."""

    code: str
    file: str
    line: int
    column: int

    def to_dict(self) -> dict[str, Any]:
        """``{"code", "file", "line", "column"}``."""
        return {"code": self.code, "file": self.file, "line": self.line, "column": self.column}

    def __str__(self) -> str:
        return f"{self.code} at {self.file}:{self.line}:{self.column}"


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
    #: the diagnostic this one follows from (fix that one and this one goes away)
    caused_by: Cause | None = field(default=None, compare=False)

    def to_dict(self) -> dict[str, Any]:
        """The SPEC's JSON shape, plus the optional ``hint``, and ``caused_by`` when there is a cause."""
        found: dict[str, Any] = {
            "code": self.code,
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "message": self.message,
            "hint": self.hint,
        }
        if self.caused_by is not None:
            found["caused_by"] = self.caused_by.to_dict()
        return found

    @property
    def cause_key(self) -> Cause:
        """Where this diagnostic is, as the cause of others."""
        return Cause(self.code, self.file, self.line, self.column)

    def because(self, cause: Diagnostic | Cause | None) -> Diagnostic:
        """A copy of this diagnostic naming ``cause`` as what it follows from."""
        if cause is None:
            return self
        key = cause.cause_key if isinstance(cause, Diagnostic) else cause
        return replace(self, caused_by=key)


def ordered(diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
    """Errors before warnings, each in file order; a diagnostic caused by another comes right after it.

    A cause missing from the list leaves its consequence in the ordinary order.
    """
    unique = set(diagnostics)
    if all(d.caused_by is None for d in unique):  # nearly always: every diagnostic is a root
        return sorted(unique, key=_rank)
    return by_causes(unique)


def _rank(d: Diagnostic) -> tuple[Any, ...]:
    return (d.severity is Severity.WARNING, d.file, d.line, d.column, d.code, d.message)


def by_causes(unique: set[Diagnostic]) -> list[Diagnostic]:
    """:func:`ordered` where some diagnostic names a cause (without any, the same answer: tested)."""
    causes = {d.cause_key for d in unique}
    children: dict[Cause, list[Diagnostic]] = {}
    roots = []
    for d in unique:
        if d.caused_by is not None and d.caused_by in causes and d.caused_by != d.cause_key:
            children.setdefault(d.caused_by, []).append(d)
        else:
            roots.append(d)
    result: list[Diagnostic] = []
    seen: set[Diagnostic] = set()

    def emit(d: Diagnostic) -> None:
        if d in seen:
            return
        seen.add(d)
        result.append(d)
        for child in sorted(children.get(d.cause_key, ()), key=_rank):
            emit(child)

    for d in sorted(roots, key=_rank):
        emit(d)
    for d in sorted(unique - seen, key=_rank):  # causes that form a loop: keep them all
        emit(d)
    return result


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
        return _diagnostic(self.file, self.line, self.column, code, message, Severity.ERROR, hint)

    def warning(self, code: str, message: str, hint: str | None = None) -> Diagnostic:
        """A warning diagnostic at this place."""
        return _diagnostic(self.file, self.line, self.column, code, message, Severity.WARNING, hint)


_new = object.__new__


def _diagnostic(file: str, line: int, column: int, code: str, message: str, severity: Severity,
                hint: str | None) -> Diagnostic:
    """``Diagnostic(file, line, column, code, message, severity, hint)``, made without its ``__init__``.

    The frozen ``__init__`` sets each of the eight fields by ``object.__setattr__``
    (twice the time, for every finding of a run); this one has the same instance
    dictionary, so it is equal, hashes and reads alike (tested against the constructor).
    """
    made = _new(Diagnostic)
    made.__dict__.update(file=file, line=line, column=column, code=code, message=message, severity=severity,
                         hint=hint, caused_by=None)
    return made


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
