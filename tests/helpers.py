"""Shared test helpers: fixture repos, pinned clocks, case overlays."""

from __future__ import annotations

import base64
import shutil
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

FIXTURES = Path(__file__).parent / "fixtures"
MINIMAL = FIXTURES / "repos" / "valid" / "minimal"
ROOT = Path(__file__).parent.parent

#: the instant every fixture-based test validates at
NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def copy_repo(source: Path, target: Path) -> Path:
    """A writable copy of a fixture repo."""
    shutil.copytree(source, target)
    return target


def file_bytes(spec: Any) -> bytes:
    """Bytes for a case file: text, ``{base64: ...}``, ``{repeat, times, prefix, suffix}``,
    ``{template, times, prefix, suffix}`` (the template formatted with ``n`` = 0, 1, ... times - 1) or
    ``{parts: [spec, ...]}`` (those, one after the other)."""
    if isinstance(spec, str):
        return spec.encode("utf-8")
    if "parts" in spec:
        return b"".join(file_bytes(part) for part in spec["parts"])
    if "base64" in spec:
        return base64.b64decode(spec["base64"])
    middle = ("".join(spec["template"].format(n=n) for n in range(spec["times"])) if "template" in spec
              else spec["repeat"] * spec["times"])
    return (spec.get("prefix", "") + middle + spec.get("suffix", "")).encode("utf-8")


def overlay(root: Path, files: dict[str, Any]) -> None:
    """Write (or with None, delete) each file below ``root``."""
    for relative, spec in files.items():
        path = root / relative
        if spec is None:
            path.unlink()
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(file_bytes(spec))


def count_pools(monkeypatch: Any, module: Any) -> list[int]:
    """The workers of each process pool ``module`` makes from now on (the pools still run)."""
    made: list[int] = []
    real = module.ProcessPoolExecutor

    class Counted(real):  # type: ignore[misc, valid-type]
        def __init__(self, workers: int, **options: Any) -> None:
            made.append(workers)
            super().__init__(workers, **options)

    monkeypatch.setattr(module, "ProcessPoolExecutor", Counted)
    return made


#: what :func:`_planted_call` was called with: unpickling a :class:`Planted` calls it
PLANTED_CALLS: list[Any] = []


def _planted_call(value: Any) -> Any:
    PLANTED_CALLS.append(value)
    return value


class Planted:
    """Pickled as a call of a function that gives ``value`` back: what a planted pickle could run.

    A reader of plain data must refuse it; a test asserts :data:`PLANTED_CALLS` stays empty.
    """

    def __init__(self, value: Any) -> None:
        self.value = value

    def __reduce__(self) -> tuple[Any, ...]:
        return _planted_call, (self.value,)
