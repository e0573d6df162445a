"""Page builders: each yields makers of :class:`~opsrepo.site.state.Page` records of plain data.

A maker is called where the page is rendered (in a worker process for large
sites), so the data of the pages is computed in parallel too.
"""

from __future__ import annotations

from collections.abc import Iterator

from opsrepo.site.state import Maker, SiteState


def all_pages(state: SiteState) -> Iterator[Maker]:
    """A maker for every page of the site, in a stable order."""
    from opsrepo.site.views import catalog, oncall, pay, people, policies, postmortems, runbooks, services

    for module in (oncall, people, services, runbooks, policies, postmortems, catalog, pay):
        yield from module.pages(state)
