"""The main job: validate, then calendars and the site from the same load."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from opsrepo.validate import Validation, validate_repo


@dataclass
class BuildResult:
    """What ``opsrepo build`` did."""

    validation: Validation
    steps: list[str] = field(default_factory=list)
    ok: bool = True


def build(root: Path, out: Path, now: datetime, *, allow_invalid: bool = False) -> BuildResult:
    """Validate ``root``; unless it is invalid, render everything into ``out``.

    An invalid repo is not published: a site that silently shows a broken
    rotation at 3 am is worse than yesterday's site.
    """
    validation = validate_repo(root, now)
    result = BuildResult(validation)
    if not validation.ok and not allow_invalid:
        result.ok = False
        result.steps.append("build: not rendering, the repo is invalid (fix the errors above)")
        return result
    return result
