"""Build the static site from a loaded repo: pages, images, design, calendars, search index.

Two phases, as the style guide asks: every page's data is computed first
(plain data, from the loaded repo), then pages are rendered through the one
Jinja environment. Rendering is incremental (see :mod:`opsrepo.site.manifest`)
and, for large sites, split over two forked processes.
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from opsrepo.errors import Diagnostic, Severity, UsageError
from opsrepo.git.history import Change
from opsrepo.load.repo import Loaded
from opsrepo.rules.runbook_links import LinkResolver
from opsrepo.site import render
from opsrepo.site.assets import copy_assets, digest, write_static
from opsrepo.site.links import LinkContext
from opsrepo.site.manifest import Manifest, fingerprint
from opsrepo.site.markdown import render_markdown
from opsrepo.site.search import SearchIndex, index_site
from opsrepo.site.sources import extra_pages, feeds_in, issue_links, read_status, runbook_history
from opsrepo.site.state import Page, SiteState
from opsrepo.site.urls import Linker
from opsrepo.site.views import all_pages

#: from this many pages to render on, two forked processes share the work
PARALLEL_PAGES = 300


@dataclass
class SiteResult:
    """What a site build did."""

    out: Path
    pages: int = 0
    rendered: int = 0
    removed: int = 0
    problems: list[Diagnostic] = field(default_factory=list)
    search: SearchIndex | None = None
    notes: list[str] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """False when a page has a broken link or a file the site cannot publish."""
        return not any(p.severity is Severity.ERROR for p in self.problems)


def build_site(loaded: Loaded, out: Path, now: datetime, *, history: Mapping[str, Change] | None = None,
               search: bool = True, jobs: int = 2) -> SiteResult:
    """Render the site for ``loaded`` into ``out`` as of ``now``; only what changed is rewritten."""
    out = _check_out(loaded.root, out)
    result, clock = SiteResult(out), _Clock()
    repo = loaded.repo
    status = read_status(loaded.root, result.notes)
    state = SiteState(repo, now.astimezone(UTC), history if history is not None else runbook_history(loaded),
                      feeds=feeds_in(out), issues=issue_links(status))
    pages = [*all_pages(state), *extra_pages(state, status)]
    clock.lap(result, "pages")
    site = render.site_globals(repo.org.site_title, repo.org.name, repo.org.repo_url, repo.org.site_base_url)
    previous, design = Manifest.read(out), render.design_fingerprint()
    current = Manifest(design, searched=search)
    prints = {page.path: fingerprint(page, design, site) for page in pages}
    stale = [page for page in pages if _needs_render(page, prints[page.path], previous, out)]
    job = _Job(loaded, out, site, stale, state.links)
    for path, problems, images in _render_all(job, jobs):
        result.problems.extend(problems)
        if not problems:
            current.images[path] = images
    for page in pages:
        if page.path in current.images or page.path not in {p.path for p in stale}:
            current.pages[page.path] = prints[page.path]
            current.images.setdefault(page.path, previous.images.get(page.path, {}))
    result.pages, result.rendered = len(pages), len(stale)
    result.removed = _remove_gone(out, previous, set(prints))
    clock.lap(result, "render")
    write_static(out)
    published = {image for used in current.images.values() for image in used}
    copy_assets(loaded.root, out, published, _all_images(previous))
    if search and (stale or result.removed or not previous.searched or not (out / "pagefind").is_dir()):
        result.search = index_site(out)
        clock.lap(result, "search")
    current.write(out)
    result.problems.sort()
    return result


def _check_out(root: Path, out: Path) -> Path:
    out = out.resolve()
    if out == root.resolve() or root.resolve().is_relative_to(out):
        raise UsageError(f"the site cannot be written to {out}: it holds the ops repo",
                         "write it to a folder of its own, e.g. --out _site")
    if out.exists() and not out.is_dir():
        raise UsageError(f"{out} is a file, not a folder", "pass a folder for the site with --out")
    out.mkdir(parents=True, exist_ok=True)
    return out


def _needs_render(page: Page, print_: str, previous: Manifest, out: Path) -> bool:
    if previous.design != "" and previous.pages.get(page.path) == print_ and (out / page.path).is_file():
        return any(not (out / image).is_file() for image in previous.images.get(page.path, {}))
    return True


def _all_images(manifest: Manifest) -> dict[str, str]:
    return {image: digest for used in manifest.images.values() for image, digest in used.items()}


def _remove_gone(out: Path, previous: Manifest, current: set[str]) -> int:
    removed = 0
    for path in sorted(set(previous.pages) - current):
        target = out / path
        if target.is_file() and target.resolve().is_relative_to(out):
            target.unlink()
            removed += 1
            _prune(target.parent, out)
    return removed


def _prune(folder: Path, out: Path) -> None:
    while folder != out and folder.is_relative_to(out) and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent


@dataclass
class _Job:
    loaded: Loaded
    out: Path
    site: dict[str, Any]
    pages: list[Page]
    resolver: LinkResolver


#: the job a forked worker renders (inherited from the parent; never pickled)
_JOB: _Job | None = None

Rendered = tuple[str, list[Diagnostic], dict[str, str]]


def _render_all(job: _Job, jobs: int) -> list[Rendered]:
    if jobs < 2 or len(job.pages) < PARALLEL_PAGES or sys.platform != "linux" or threading.active_count() > 1:
        return _render_range(job, 0, len(job.pages))
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    global _JOB
    _JOB = job
    render.environment()  # compile templates once, before forking
    half = len(job.pages) // 2
    try:
        with ProcessPoolExecutor(2, mp_context=multiprocessing.get_context("fork")) as pool:
            parts = list(pool.map(_render_forked, [(0, half), (half, len(job.pages))]))
    finally:
        _JOB = None
    return [rendered for part in parts for rendered in part]


def _render_forked(bounds: tuple[int, int]) -> list[Rendered]:
    assert _JOB is not None
    return _render_range(_JOB, *bounds)


def _render_range(job: _Job, start: int, end: int) -> list[Rendered]:
    return [_render_one(job, page) for page in job.pages[start:end]]


def _render_one(job: _Job, page: Page) -> Rendered:
    """Write one page; its broken links and the images it publishes."""
    rendered, links = None, None
    if page.markdown is not None:
        org = job.loaded.repo.org
        links = LinkContext(job.loaded.repo, job.resolver, job.loaded.root, page.markdown[0],
                            Linker(page.path), render.http_url(org.repo_url), org.branch)
        rendered = render_markdown(page.markdown[1], page.markdown[2], links.rewrite, page.title)
    target = job.out / page.path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(render.render_page(page, job.site, rendered), encoding="utf-8")
    if links is None:
        return page.path, [], {}
    return page.path, links.problems, {i: digest(job.loaded.root / i) for i in sorted(links.images)}


class _Clock:
    def __init__(self) -> None:
        self.start = time.perf_counter()

    def lap(self, result: SiteResult, name: str) -> None:
        now = time.perf_counter()
        result.seconds[name] = round(now - self.start, 4)
        self.start = now
