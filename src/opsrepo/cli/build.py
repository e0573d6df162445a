"""``opsrepo build``: validate, then calendars and the site, in one go (the main job)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from opsrepo.cli.common import echo, now, repo_option, resolve_root


@click.command("build")
@repo_option
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Output directory for the site (default: _site/ in the ops repo).")
@click.option("--allow-invalid", is_flag=True, help="Build even when validation finds errors.")
def command(repo: Path | None, out: Path | None, allow_invalid: bool) -> None:
    """Validate the repo, then render calendars and the runbook site."""
    from opsrepo.build import build
    from opsrepo.reporters.text import TextReporter

    root = resolve_root(repo)
    result = build(root, out or root / "_site", now(), allow_invalid=allow_invalid)
    reporter = TextReporter()
    for diagnostic in result.validation.diagnostics:
        click.echo(reporter.block(result.validation, diagnostic), err=True, nl=False)
    echo(TextReporter.summary(result.validation) + "\n")
    for line in result.steps:
        echo(line + "\n")
    sys.exit(0 if result.ok else 1)
