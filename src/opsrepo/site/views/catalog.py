"""The rules catalog, the search page and the 404 page."""

from __future__ import annotations

from collections.abc import Iterator

from opsrepo.rules import catalog
from opsrepo.site.state import ORG, Maker, Page, SiteState
from opsrepo.site.urls import INDEXES


def pages(state: SiteState) -> Iterator[Maker]:
    """Rules, search and 404."""
    del state
    only_org = frozenset({ORG})
    yield Maker(INDEXES["rules"], only_org, rules_page)
    yield Maker(INDEXES["search"], only_org, lambda: Page(INDEXES["search"], "search.html", "Search", {}))
    yield Maker(INDEXES["404"], only_org, lambda: Page(INDEXES["404"], "404.html", "Page not found", {}))


def rules_page() -> Page:
    """Every diagnostic code, from the rule registry."""
    rules = [{"code": r.code, "name": r.name, "family": r.family, "summary": r.summary} for r in catalog()]
    return Page(INDEXES["rules"], "rules.html", "Validation rules", {"rules": rules})
