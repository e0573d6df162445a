"""The rules catalog, the search page and the 404 page."""

from __future__ import annotations

from collections.abc import Iterator

from opsrepo.rules import catalog
from opsrepo.site.state import Page, SiteState
from opsrepo.site.urls import INDEXES


def pages(state: SiteState) -> Iterator[Page]:
    """Rules, search and 404."""
    del state
    rules = [{"code": r.code, "name": r.name, "family": r.family, "summary": r.summary} for r in catalog()]
    yield Page(INDEXES["rules"], "rules.html", "Validation rules", {"rules": rules})
    yield Page(INDEXES["search"], "search.html", "Search", {})
    yield Page(INDEXES["404"], "404.html", "Page not found", {})
