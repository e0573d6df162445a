"""Small repos for diff tests: the minimal fixture with files replaced, loaded from memory."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from opsrepo import model as m
from opsrepo.load.repo import load_files
from tests.helpers import MINIMAL

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def minimal_files() -> dict[str, bytes]:
    """The minimal fixture repo's files by relative path."""
    return {p.relative_to(MINIMAL).as_posix(): p.read_bytes() for p in MINIMAL.rglob("*") if p.is_file()}


def repo(changes: dict[str, str | None] | None = None) -> m.Repo:
    """The minimal repo with files replaced, added, or deleted (None), by relative path."""
    files = minimal_files()
    for relative, text in (changes or {}).items():
        if text is None:
            files.pop(relative)
        else:
            files[relative] = text.encode("utf-8")
    loaded = load_files(Path("/fixture"), files)
    assert loaded.diagnostics == [], loaded.diagnostics
    return loaded.repo


def minimal_text(relative: str) -> str:
    """One file of the minimal fixture."""
    return (MINIMAL / relative).read_text(encoding="utf-8")


@dataclass(frozen=True)
class FakeShift:
    """A shift as the on-call engine returns it (the fields the diff reads)."""

    person: str | None
    start: datetime
    end: datetime


def at(day: int, hour: int = 9, month: int = 11, year: int = 2026) -> datetime:
    """An instant in UTC, briefly."""
    return datetime(year, month, day, hour, tzinfo=UTC)
