"""``opsrepo site build``: the static runbook site."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from opsrepo.cli.common import echo, now, repo_option, resolve_root, say

if TYPE_CHECKING:
    from opsrepo.load.repo import Loaded
    from opsrepo.site import SiteResult


@click.group("site")
def command() -> None:
    """The static runbook site (GitHub Pages, any web server, a folder)."""


@command.command("build")
@repo_option
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Output folder (default: _site/ in the ops repo).")
@click.option("--search/--no-search", default=True, show_default=True,
              help="Build the Pagefind search index.")
@click.option("--jobs", type=click.IntRange(1, 64), default=None,
              help="Processes rendering pages of large sites [default: one per CPU].")
def build(repo: Path | None, out: Path | None, search: bool, jobs: int | None) -> None:
    """Render the site; only pages whose inputs changed are rewritten."""
    from opsrepo.workers import gc_paused

    # what the build imports and makes lives until the process ends: no collection rescans it (78 of them,
    # 20-30 ms of a one-runbook rebuild at 2000 runbooks)
    with gc_paused(freeze=True):
        from opsrepo.load.cache import cache_file
        from opsrepo.load.repo import load_repo
        from opsrepo.site import build_site

        root = resolve_root(repo)
        loaded = load_repo(root, cache=cache_file(root))
        out = out if out is not None else root / "_site"
        result = build_site(loaded, out, now(), search=search, jobs=jobs)
        report_site(loaded, result)
    sys.exit(0 if result.ok else 1)


def report_site(loaded: Loaded, result: SiteResult) -> None:
    """Broken links and notes on stderr, the summary line on stdout (also used by ``opsrepo build``)."""
    if result.problems:  # the reporter and validation's modules: 6 ms a site without problems need not import
        from opsrepo.reporters.text import TextReporter
        from opsrepo.validate import Validation

        reporter, shown = TextReporter(), Validation(loaded, tuple(result.problems))
        for problem in result.problems:
            echo(reporter.block(shown, problem), err=True)
    for note in result.notes:
        say(f"opsrepo: note: {note}")
    echo(summary(result) + "\n")


def summary(result: SiteResult) -> str:
    """One line: pages, what was rewritten, the search index, where."""
    index, searched = result.search, ", search index unchanged"
    if index is not None:
        searched = f", search index of {index.pages} pages"
        if not index.whole:
            plural = "s" if index.recent != 1 else ""
            recent = f", {index.recent} page{plural} in its recent part" if index.recent else ""
            searched += f" ({index.indexed} of its {index.shards} shards indexed again{recent})"
    broken = f", {len(result.problems)} broken link(s)" if result.problems else ""
    return (f"site: {result.pages} pages ({result.rendered} rendered, {result.removed} removed"
            f"{searched}){broken} in {result.out}")
