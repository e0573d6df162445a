"""Build the static site from a loaded repo: pages, images, design, search index.

Two phases, as the style guide asks: the data of each page is computed from
the loaded repo (plain data), then the page is rendered through the one Jinja
environment. Builds are incremental at two levels:

- a page none of whose kinds of input changed (:mod:`opsrepo.site.inputs`)
  is not made again, once its Markdown links are checked to lead where they did;
- a page that is made again is only rewritten when its data's fingerprint
  changed (:mod:`opsrepo.site.manifest`).

Large sites are made by forked processes, one per CPU, taking runs of pages as they are free.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from opsrepo.errors import Diagnostic, Location, Severity, UsageError
from opsrepo.git.history import Change
from opsrepo.load.repo import Loaded
from opsrepo.rules.runbook_links import Link, LinkResolver, leads_anywhere
from opsrepo.site import render
from opsrepo.site.assets import copy_assets, digest, write_static
from opsrepo.site.files import write_page
from opsrepo.site.inputs import input_digests, load_shifts, save_shifts, schedules_key, shifts_fit
from opsrepo.site.links import LinkContext
from opsrepo.site.manifest import Manifest, PageRecord, fingerprint
from opsrepo.site.markdown import prepare as prepare_markdown
from opsrepo.site.markdown import render_markdown
from opsrepo.site.parts import Plan, make_run, plan_parts, runs, save_parts, take
from opsrepo.site.search import SearchIndex, update_index
from opsrepo.site.sources import extra_pages, feeds_in, issue_links, read_status, runbook_history
from opsrepo.site.state import Maker, Page, SiteState
from opsrepo.site.urls import Linker
from opsrepo.site.views import all_pages
from opsrepo.workers import available_cpus, gc_paused, may_fork

#: from this many pages to make on, two forked processes share the work
PARALLEL_PAGES = 300
#: pages a worker takes at a time
CHUNK = 100


@dataclass
class SiteResult:
    """What a site build did."""

    out: Path
    pages: int = 0
    #: pages whose data was computed, and pages written
    made: int = 0
    rendered: int = 0
    #: parts of pages made from parts (the Reliability page's teams) made by this build, not kept
    parts: list[str] = field(default_factory=list)
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
               search: bool = True, jobs: int | None = None) -> SiteResult:
    """Render the site for ``loaded`` into ``out`` as of ``now``; only what changed is rewritten.

    ``jobs``: processes that make pages for large sites (default: one per CPU this process may use).
    """
    with gc_paused():
        return _build(loaded, out, now, history, search, jobs if jobs is not None else available_cpus())


def _build(loaded: Loaded, out: Path, now: datetime, history: Mapping[str, Change] | None, search: bool,
           jobs: int) -> SiteResult:
    """:func:`build_site`: prepare what pages share, make and write the pages, then the rest and the index."""
    out = _check_out(loaded.root, out)
    result, clock = SiteResult(out), _Clock()
    repo, now = loaded.repo, now.astimezone(UTC)
    status = read_status(loaded.root, result.notes)
    state = SiteState(repo, now, history if history is not None else runbook_history(loaded),
                      feeds=feeds_in(out), issues=issue_links(status))
    inputs = input_digests(loaded, state.history, state.issues, state.feeds, now)
    previous, design = Manifest.read(out), render.design_fingerprint()
    current = Manifest(design, inputs)
    key = schedules_key(inputs, state.window)
    state.prepare(lambda: load_shifts(out, key), lambda: shifts_fit(out, key))
    makers = [*extra_pages(state, status, inputs), *all_pages(state)]  # the slowest first (see _run)
    site = render.site_globals(repo.org.site_title, repo.org.name, repo.org.repo_url, repo.org.site_base_url)
    job = _Job(loaded, out, site, makers, state.links, previous, design, previous.changed(inputs, design),
               _written(out, previous.pages))
    # pages made from parts (the Reliability page) that this build makes: their parts are planned
    plans, kept_parts = plan_parts((m for m in makers if m.parts is not None and _kept(job, m) is None), out,
                                   design)
    job.makers = [m for m in makers if m.path not in {plan.maker.path for plan in plans}]
    result.parts = sorted(name for plan in plans for name in plan.todo)
    clock.lap(result, "prepare")
    if _forks(job, jobs, plans):  # what every worker needs, made once before forking
        state.decode_all()
        state.shifts_by_person()
    searched, touched = set(), set()  # pages in the search index; those written again
    for done in _run(job, jobs, plans):
        if done.searched:
            searched.add(done.path)
        was = previous.pages.get(done.path)
        if done.rendered and (done.searched or (was is not None and was.searched)):
            touched.add(done.path)
        result.pages += 1
        result.made += done.made
        result.rendered += done.rendered
        result.problems.extend(done.problems)
        # a page with problems is made again until they are fixed (no fingerprint matches ""),
        # and recorded, so that it is deleted with its source
        record = replace(done.record, fingerprint="") if done.problems else done.record
        current.pages[done.path] = record
    removed = _remove_gone(out, previous, {maker.path for maker in makers})
    result.removed = len(removed)
    touched.update(path for path in removed if previous.pages[path].searched)
    clock.lap(result, "render")
    _finish(loaded, out, state, previous, current, key)
    save_parts(out, plans, kept_parts)
    touched |= previous.search_pending
    if search:
        result.search = update_index(out, searched, touched, previous.search_parts)
        current.search_parts = result.search.parts if result.search else previous.search_parts
        clock.lap(result, "search")
    else:  # the index stays as it was: the next build with search indexes these pages again
        current.search_parts, current.search_pending = previous.search_parts, frozenset(touched)
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


def _finish(loaded: Loaded, out: Path, state: SiteState, previous: Manifest, current: Manifest,
            key: str) -> None:
    """The design's files, the published images, and the shifts kept for the next build."""
    write_static(out)
    # a page's record holds the hash of each image as this build read (or checked) it
    published = {image: h for record in current.pages.values() for image, h in record.images.items()}
    before = {image: h for record in previous.pages.values() for image, h in record.images.items()}
    copy_assets(loaded.root, out, published, before)
    if state.computed_shifts:
        save_shifts(out, key, state.all_shifts())


def _written(out: Path, pages: Iterable[str]) -> frozenset[str]:
    """Those of ``pages`` that are files in ``out``: one listing of each of their folders.

    Rather than a ``stat`` of each page (pathlib took a third of a no-op
    rebuild, ``os.path.isfile`` 8 ms for 3214 pages; their 300 folders' listings
    take half of that, the types coming with the names).
    """
    found: set[str] = set()
    for folder in {path.rpartition("/")[0] for path in pages}:
        prefix = f"{folder}/" if folder else ""
        try:
            with os.scandir(out / folder if folder else out) as listing:
                found.update(prefix + entry.name for entry in listing if entry.is_file())
        except OSError:  # no such folder (any more), or not a folder
            continue
    return frozenset(found)


def _remove_gone(out: Path, previous: Manifest, current: set[str]) -> list[str]:
    """Delete the pages of the previous build that this one did not make; their paths."""
    removed = []
    for path in sorted(set(previous.pages) - current):
        target = out / path
        if target.is_file() and target.resolve().is_relative_to(out):
            target.unlink()
            removed.append(path)
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
    makers: list[Maker]
    resolver: LinkResolver
    previous: Manifest
    design: str
    #: kinds of input that changed since the previous build
    changed: frozenset[str]
    #: the previous build's pages that are files in the site as this build begins
    written: frozenset[str] = frozenset()

    def links(self, page_path: str, source: str) -> LinkContext:
        """A fresh link rewriter for the Markdown of one page."""
        org = self.loaded.repo.org
        return LinkContext(self.loaded.repo, self.resolver, self.loaded.root, source, Linker(page_path),
                           render.http_url(org.repo_url), org.branch)


@dataclass(frozen=True)
class _Done:
    """One page: its record, whether it was made and written again, and its problems."""

    path: str
    record: PageRecord
    made: bool
    rendered: bool
    problems: list[Diagnostic]
    #: the page is in the search index (rewriting the home page, which is not, needs no new index)
    searched: bool


#: the job forked workers do, and the plans of pages made from parts (inherited at fork; never pickled)
_JOB: _Job | None = None
_PLANS: list[Plan] = []


def _forks(job: _Job, jobs: int, plans: list[Plan]) -> bool:
    """Whether enough pages (or parts) must be made again to share them between forked workers."""
    if jobs < 2 or not may_fork():
        return False
    to_make = sum(1 for m in job.makers if m.reads & job.changed or m.path not in job.previous.pages)
    return to_make + sum(len(plan.todo) for plan in plans) >= PARALLEL_PAGES


def _run(job: _Job, jobs: int, plans: list[Plan]) -> list[_Done]:
    """Every page, made and rendered where needed: in ``jobs`` forked processes for large sites.

    The parts of pages made from parts go first; such a page is put together
    in this process once its parts are made, while the workers make pages.
    """
    if not _forks(job, jobs, plans):
        for run in runs(plans):
            take(plans, make_run(plans, run))
        return [*(_one(job, plan.assembled()) for plan in plans), *_range(job, 0, len(job.makers))]
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    global _JOB, _PLANS
    _JOB, _PLANS = job, plans
    render.compile_templates()  # once, before forking, rather than once in each worker
    prepare_markdown()
    # Small runs of pages (and parts), taken by whichever worker is free: the other worker is not left idle.
    pages = [(start, min(start + CHUNK, len(job.makers))) for start in range(0, len(job.makers), CHUNK)]
    try:
        with ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("fork")) as pool:
            made = [pool.submit(_forked_parts, run) for run in runs(plans)]
            done = [pool.submit(_forked, run) for run in pages]
            for future in made:
                take(plans, future.result())
            assembled = [_one(job, plan.assembled()) for plan in plans]
            results = [assembled, *(future.result() for future in done)]
    finally:
        _JOB, _PLANS = None, []
    return sorted((one for result in results for one in result), key=lambda d: d.path)


def _forked(run: tuple[int, int]) -> list[_Done]:
    assert _JOB is not None
    return _range(_JOB, *run)


def _forked_parts(run: tuple[int, tuple[str, ...]]) -> tuple[int, dict[str, Any]]:
    return make_run(_PLANS, run)


def _range(job: _Job, start: int, stop: int) -> list[_Done]:
    """The pages ``start`` to ``stop`` (not included)."""
    return [_one(job, maker) for maker in job.makers[start:stop]]


def _kept(job: _Job, maker: Maker) -> _Done | None:
    """The page as the last build left it, when none of its inputs changed and it is still valid."""
    record = job.previous.pages.get(maker.path)
    if record is not None and record.fingerprint and not (maker.reads & job.changed) \
            and _still_valid(job, maker.path, record):
        return _Done(maker.path, record, False, False, [], record.searched)
    return None


def _one(job: _Job, maker: Maker) -> _Done:
    kept = _kept(job, maker)
    if kept is not None:
        return kept
    record = job.previous.pages.get(maker.path)
    if record is not None and not record.fingerprint:  # it had problems: made again until they are fixed
        record = None
    page = maker.make()
    print_ = fingerprint(page, job.design, job.site)
    if record is not None and record.fingerprint == print_ and _still_valid(job, page.path, record):
        return _Done(page.path, record, True, False, [], record.searched)
    return _render(job, page, print_)


def _still_valid(job: _Job, path: str, record: PageRecord) -> bool:
    """The written page is there, its images unchanged, and its links still lead where they did."""
    if path not in job.written:
        return False
    for image, hash_ in record.images.items():
        if not (job.out / image).is_file() or not (job.loaded.root / image).is_file() \
                or digest(job.loaded.root / image) != hash_:
            return False
    checked = list(_to_check(record.links))
    if not checked or record.source is None:
        return True
    links = job.links(path, record.source)
    for written in checked:
        links.rewrite(Link(written[2:], 0, 0, image=written.startswith("i:")))
    return all(links.resolved[written] == record.links[written] for written in checked)


def _to_check(resolved: Mapping[str, str]) -> dict[str, str]:
    """The links of a page that may lead elsewhere once other files change (what its record keeps).

    External URLs and same-page anchors (most links: "#diagnosis") lead where
    they did whatever changed: a kept page need not check them, and the
    manifest, read and written by every build, does not list them.
    """
    return {written: outcome for written, outcome in resolved.items()
            if written[2:3] != "#" and not leads_anywhere(written[2:])}


def _render(job: _Job, page: Page, print_: str) -> _Done:
    """Write one page; its record and the problems of its Markdown."""
    rendered, links = None, None
    if page.markdown is not None:
        links = job.links(page.path, page.markdown[0])
        rendered = render_markdown(page.markdown[1], page.markdown[2], links.rewrite, page.title)
    target = job.out / page.path
    searched = bool(page.search)
    try:
        write_page(target, render.render_page(page, job.site, rendered))
    except OSError as exc:  # a folder where the page goes, a name too long (validate reports both: OPS608)
        problem = Location(page.markdown[0] if page.markdown else page.path).error(
            "OPS608", f"the site cannot write {page.path}: {exc.strerror}")
        return _Done(page.path, PageRecord(print_, searched=searched), True, False, [problem], searched)
    if links is None:
        return _Done(page.path, PageRecord(print_, searched=searched), True, True, [], searched)
    images = {image: digest(job.loaded.root / image) for image in sorted(links.images)}
    source = page.markdown[0] if page.markdown else None
    record = PageRecord(print_, images, _to_check(links.resolved), source, searched)
    return _Done(page.path, record, True, True, links.problems, searched)


class _Clock:
    def __init__(self) -> None:
        self.start = time.perf_counter()

    def lap(self, result: SiteResult, name: str) -> None:
        now = time.perf_counter()
        result.seconds[name] = round(now - self.start, 4)
        self.start = now
