"""``opsrepo build``: validate, then calendars and the site, in one go (the main job)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from opsrepo.cli.common import echo, now, repo_option, resolve_root


@click.command("build")
@repo_option
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Output folder (default: _site/ in the ops repo); calendars go to OUT/calendars/.")
@click.option("--allow-invalid", is_flag=True, help="Render even when validation finds errors.")
@click.option("--search/--no-search", default=True, show_default=True,
              help="Build the Pagefind search index.")
def command(repo: Path | None, out: Path | None, allow_invalid: bool, search: bool) -> None:
    """Validate the repo, then render calendars and the runbook site."""
    from opsrepo.build import build
    from opsrepo.cli.site import report_site
    from opsrepo.reporters.text import TextReporter

    root = resolve_root(repo)
    out = out or root / "_site"
    result = build(root, out, now(), allow_invalid=allow_invalid, search=search)
    reporter = TextReporter()
    for diagnostic in result.validation.diagnostics:
        echo(reporter.block(result.validation, diagnostic), err=True)
    echo(f"validate: {TextReporter.summary(result.validation)}\n")
    if result.site is None:
        echo("build: nothing rendered, the repo is invalid (fix the errors above, or --allow-invalid)\n")
        sys.exit(1)
    if result.calendar_range is not None:
        start, end = result.calendar_range
        echo(f"calendars: {len(result.calendars)} files written ({start.date()} to {end.date()}) "
             f"in {out / 'calendars'}\n")
    report_site(result.validation.loaded, result.site)
    sys.exit(0 if result.ok else 1)
