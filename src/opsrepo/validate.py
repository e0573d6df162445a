"""``opsrepo validate``'s core: load, check, and return every diagnostic."""

from __future__ import annotations

from datetime import datetime
from functools import cached_property
from pathlib import Path

from opsrepo.errors import Diagnostic, Location, Severity, ordered
from opsrepo.load.disk import DiskFiles
from opsrepo.load.repo import Loaded, load_repo
from opsrepo.records import dataclass
from opsrepo.rules import run_rules
from opsrepo.workers import gc_paused


@dataclass(frozen=True)
class Validation:
    """The outcome of validating one repo."""

    loaded: Loaded
    #: errors before warnings, in file order; a diagnostic caused by another right after it
    diagnostics: tuple[Diagnostic, ...]

    @property
    def errors(self) -> list[Diagnostic]:
        """Diagnostics that make the repo invalid."""
        return [d for d in self.diagnostics if d.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Diagnostic]:
        """Diagnostics that do not."""
        return [d for d in self.diagnostics if d.severity is Severity.WARNING]

    @property
    def ok(self) -> bool:
        """True when there is no error."""
        return not self.errors

    def source_line(self, diagnostic: Diagnostic) -> str | None:
        """The text of the line a diagnostic points at, when it can be read."""
        if diagnostic.line < 1:
            return None
        if diagnostic.file not in self._lines:
            self._lines[diagnostic.file] = self._read_lines(diagnostic.file)
        lines = self._lines[diagnostic.file]
        return lines[diagnostic.line - 1] if lines is not None and diagnostic.line <= len(lines) else None

    @cached_property
    def _lines(self) -> dict[str, list[str] | None]:
        """Each file's lines, split once for all the diagnostics that show one."""
        return {}

    @cached_property
    def _texts(self) -> dict[str, str]:
        return {document.path: document.text for document in self.loaded.documents}

    def _read_lines(self, file: str) -> list[str] | None:
        """The lines of a loaded document's text; a file that failed to load is read again."""
        text = self._texts.get(file)
        if text is not None:
            return text.splitlines()
        path = self.loaded.root
        for part in file.split("/"):
            path = path / part
            if path.is_symlink():
                return None  # never read through a link (OPS015): it may point anywhere
        try:
            return path.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError):
            return None


#: diagnostics of one code listed for one file; the rest are counted in one more
MAX_PER_FILE_AND_CODE = 100


def validate_repo(root: Path, now: datetime) -> Validation:
    """Load the repo at ``root`` and run every rule as of ``now``."""
    with gc_paused():  # what is built here lives until the end; ordering the findings makes no cycles
        loaded = load_repo(root)
        found = set(loaded.diagnostics)
        found.update(run_rules(loaded.repo, now, DiskFiles(root)))
        listed = ordered(found)
        kept = capped(listed)
        # ordered() depends only on the set it is given: what nothing was capped from stays in order
        return Validation(loaded, tuple(listed if kept is listed else ordered(kept)))


def capped(diagnostics: list[Diagnostic], limit: int = MAX_PER_FILE_AND_CODE) -> list[Diagnostic]:
    """At most ``limit`` diagnostics of one code for one file, then one that counts the others.

    10,000 overlapping overrides made 10,000 warnings, 45,000 broken links as
    many errors: the first hundred say what to fix, and output stays readable.
    The count is an error when any it stands for is. Where no code of a file
    is over the limit (nearly always), ``diagnostics`` itself comes back.
    """
    groups: dict[tuple[str, str], list[Diagnostic]] = {}
    for diagnostic in diagnostics:
        groups.setdefault((diagnostic.file, diagnostic.code), []).append(diagnostic)
    if all(len(group) <= limit for group in groups.values()):
        return diagnostics  # nothing to cap (nearly always): the very list, in its order
    kept: list[Diagnostic] = []
    for (file, code), group in groups.items():
        kept.extend(group[:limit])
        rest = group[limit:]
        if rest:
            first = rest[0]
            errors = any(d.severity is Severity.ERROR for d in rest)
            where = Location(file, first.line, first.column)
            kind = "error" if errors else "warning"
            message = f"{len(rest)} more {code} {kind}s in this file are not listed"
            hint = f"fix the {limit} above first, then validate again"
            kept.append(where.error(code, message, hint) if errors else where.warning(code, message, hint))
    return kept
