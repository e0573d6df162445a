"""The site's "Reliability" page: the report's context for the template, charts included.

The page shows the same report as ``opsrepo report`` (last 12 months up to
the build) with the charts, each followed by its data as a table, a list of
its sections at the top, every incident, person, team, service, schedule and
runbook linked to its page, and months without incidents left out of the
tables by month (a line names them). The
template renders every text with autoescape on; the only markup it receives
is the charts' SVG, wrapped in :class:`TrustedSvg` because
``opsrepo.report.svg`` writes it and escapes every text inside it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import date, datetime
from typing import Any

from opsrepo.model import Repo
from opsrepo.report.actions import StatusSnapshot
from opsrepo.report.blocks import (
    Block,
    Bullets,
    Heading,
    Link,
    Para,
    Ref,
    Table,
    cell_text,
    utc_minute,
)
from opsrepo.report.charts import charts
from opsrepo.report.core import Report, ReportRequest, build_report
from opsrepo.report.definitions import DEFINITIONS
from opsrepo.report.layout import headline, period_text, sections
from opsrepo.report.oncall_load import OncallLoad, ShiftSource

#: the page's title (and navigation label) and its template
TITLE = "Reliability"
TEMPLATE = "reliability.html"
#: what the site's search index leaves out (``searched`` false): the on-call load (who held how many
#: hours, nights, turns), as it does the schedule and person pages' shift listings; its chart, and the
#: section under this heading
UNSEARCHED_CHART = "chart-load"
UNSEARCHED_SECTION = "on-call-load"

#: a reference to a page of the site -> its href from the Reliability page (None: the repo has no such page)
Resolver = Callable[[Ref], str | None]


class TrustedSvg(str):
    """SVG markup written by ``opsrepo.report.svg`` (every text inside escaped): safe to embed as is.

    Jinja's autoescape leaves objects with ``__html__`` alone, so the template
    needs no ``|safe`` and nothing else can slip through as markup.
    """

    __slots__ = ()

    def __html__(self) -> str:
        """The markup itself."""
        return str(self)


def site_page(
    repo: Repo, now: datetime, *, status: StatusSnapshot | None = None, shifts: ShiftSource | None = None,
    last_changed: Mapping[str, date] | None = None, load: OncallLoad | None = None,
) -> dict[str, Any]:
    """The template context of the Reliability page as of ``now`` (``load``: the on-call load, computed)."""
    report = build_report(repo, ReportRequest(now=now, status=status, shifts=shifts,
                                              last_changed=last_changed or {}, load=load))
    return page_context(report, site_links(repo))


def site_links(repo: Repo) -> Resolver:
    """Hrefs from the Reliability page to the pages of the objects ``repo`` has (the site's own URLs)."""
    from opsrepo.site.urls import INDEXES, Linker

    link = Linker(INDEXES["reliability"])
    known: dict[str, Mapping[str, object]] = {
        "postmortem": repo.postmortems, "person": repo.people, "service": repo.services, "team": repo.teams,
        "schedule": repo.schedules, "runbook": repo.runbooks,
    }

    def resolve(target: Ref) -> str | None:
        return link.to(target.kind, target.id) if target.id in known[target.kind] else None

    return resolve


def no_links(target: Ref) -> None:
    """A resolver for a page of no site: nothing is linked."""
    return None


def page_context(report: Report, resolve: Resolver = no_links) -> dict[str, Any]:
    """The template context for an already computed report."""
    sections = _sections(report, resolve)
    return {
        "title": TITLE,
        "period": period_text(report),
        "generated": utc_minute(report.generated_at),
        "headline": list(headline(report)),
        "charts": [{"id": c.id, "title": c.title, "svg": TrustedSvg(c.svg), "table": _table(c.table, resolve),
                    "searched": c.id != UNSEARCHED_CHART} for c in charts(report)],
        "sections": sections,
        "contents": [{"id": "charts", "text": "Charts"},
                     *({"id": s["id"], "text": s["text"]} for s in sections
                       if s["kind"] == "heading" and s["level"] == 2),
                     {"id": "definitions", "text": "Definitions"}],
        "definitions": [{"term": term, "parts": code_parts(text)} for term, text in DEFINITIONS],
    }


def code_parts(text: str) -> list[dict[str, Any]]:
    """``a `b` c`` -> text and code pieces, for a template to render without markup in the data."""
    pieces = text.split("`")
    return [{"text": piece, "code": index % 2 == 1} for index, piece in enumerate(pieces) if piece]


def _sections(report: Report, resolve: Resolver) -> list[dict[str, Any]]:
    """The report's sections, each ``searched`` as the section it is in (under a heading of level 1 or 2).

    The page shows the title, period, headline and definitions itself.
    """
    blocks: list[dict[str, Any]] = []
    searched = True
    for block in sections(report, fold=True):
        made = _block(block, resolve)
        if made["kind"] == "heading" and made["level"] <= 2:
            searched = made["id"] != UNSEARCHED_SECTION
        blocks.append({**made, "searched": searched})
    return blocks


def _block(block: Block, resolve: Resolver) -> dict[str, Any]:
    if isinstance(block, Heading):
        return {"kind": "heading", "level": block.level, "text": block.text, "id": anchor(block.text)}
    if isinstance(block, Para):
        return {"kind": "para", "parts": code_parts(block.text)}
    if isinstance(block, Bullets):
        return {"kind": "bullets", "items": [_pieces(item, resolve) for item in block.items]}
    assert isinstance(block, Table)
    return {"kind": "table", **_table(block, resolve)}


def _pieces(item: str | tuple[str | Ref, ...], resolve: Resolver) -> list[dict[str, Any]]:
    """A list item as pieces of ``{"text", "url"}`` (``url`` None: plain text)."""
    pieces = (item,) if isinstance(item, str) else item
    return [{"text": p, "url": None} if isinstance(p, str) else {"text": p.text, "url": resolve(p)}
            for p in pieces]


def anchor(text: str) -> str:
    """``Post-mortem timeliness`` -> ``post-mortem-timeliness``: a section heading's id."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _table(table: Table, resolve: Resolver) -> dict[str, Any]:
    return {
        "headers": list(table.headers),
        "numeric": sorted(table.numeric),
        "rows": [[_cell(cell, resolve) for cell in row] for row in table.rows],
    }


def _cell(cell: Any, resolve: Resolver) -> dict[str, Any]:
    """``{"text", "url", "links"}``: ``links`` (text and url each) for a cell of several objects."""
    if isinstance(cell, tuple):
        return {"text": cell_text(cell), "url": None,
                "links": [{"text": one.text, "url": resolve(one)} for one in cell]}
    url = resolve(cell) if isinstance(cell, Ref) else _safe_url(cell)
    return {"text": cell_text(cell), "url": url, "links": []}


def _safe_url(cell: Any) -> str | None:
    """Only https links (issue URLs from the status file) become links."""
    return cell.url if isinstance(cell, Link) and cell.url.startswith("https://") else None
