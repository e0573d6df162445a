"""The main job: validate, then calendars and the site, all from one load."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from opsrepo.validate import Validation, validate_repo

if TYPE_CHECKING:
    from opsrepo.site import SiteResult


@dataclass
class BuildResult:
    """What ``opsrepo build`` did: the validation, the calendar files, the site."""

    validation: Validation
    calendars: list[Path] = field(default_factory=list)
    calendar_range: tuple[datetime, datetime] | None = None
    site: SiteResult | None = None

    @property
    def ok(self) -> bool:
        """Valid (or allowed through) and the site has no broken link."""
        return self.site is not None and self.site.ok


def build(
    root: Path, out: Path, now: datetime, *, allow_invalid: bool = False, search: bool = True
) -> BuildResult:
    """Validate ``root``; unless it is invalid, render calendars and the site into ``out``.

    An invalid repo is not published: a site that silently shows a broken
    rotation at 3 am is worse than yesterday's site. The calendars go to
    ``out/calendars/`` so the site links its feeds.
    """
    from opsrepo.calendar import default_range, write_calendars
    from opsrepo.site import build_site

    validation = validate_repo(root, now)
    result = BuildResult(validation)
    if not validation.ok and not allow_invalid:
        return result
    repo = validation.loaded.repo
    result.calendar_range = default_range(now, repo.org.timezone, repo.org.calendar_months)
    result.calendars = write_calendars(repo, *result.calendar_range, out / "calendars")
    result.site = build_site(validation.loaded, out, now, search=search)
    return result
