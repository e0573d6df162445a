"""Page builders: each turns the repo into :class:`~opsrepo.site.state.Page` records of plain data."""

from __future__ import annotations

from collections.abc import Iterator

from opsrepo.site.state import Page, SiteState


def all_pages(state: SiteState) -> Iterator[Page]:
    """Every page of the site, in a stable order."""
    from opsrepo.site.views import catalog, oncall, people, policies, postmortems, runbooks, services

    for module in (oncall, people, services, runbooks, policies, postmortems, catalog):
        yield from module.pages(state)
