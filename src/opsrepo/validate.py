"""``opsrepo validate``'s core: load, check, and return every diagnostic."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from opsrepo.errors import Diagnostic, Severity
from opsrepo.load.repo import Loaded, load_repo
from opsrepo.rules import run_rules


@dataclass(frozen=True)
class Validation:
    """The outcome of validating one repo."""

    loaded: Loaded
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
        path = self.loaded.root
        for part in diagnostic.file.split("/"):
            path = path / part
            if path.is_symlink():
                return None  # never read through a link (OPS015): it may point anywhere
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError):
            return None
        return lines[diagnostic.line - 1] if diagnostic.line <= len(lines) else None


def validate_repo(root: Path, now: datetime) -> Validation:
    """Load the repo at ``root`` and run every rule as of ``now``."""
    loaded = load_repo(root)
    found = set(loaded.diagnostics)
    found.update(run_rules(loaded.repo, now))
    return Validation(loaded, tuple(sorted(found)))
