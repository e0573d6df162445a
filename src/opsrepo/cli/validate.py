"""``opsrepo validate``."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from opsrepo.cli.common import echo, format_option, kind_of, now, repo_option, resolve_root
from opsrepo.workers import gc_paused


@click.command("validate")
@repo_option
@format_option("text", "json", "github", "sarif")
def command(repo: Path | None, output_format: str) -> None:
    """Check the whole repo: schemas, references, schedules, policies, post-mortems."""
    with gc_paused(freeze=True):  # what validation builds (and imports) lives until the process ends
        from opsrepo.reporters import reporter
        from opsrepo.validate import validate_repo

        validation = validate_repo(resolve_root(repo), now())
        echo(reporter(output_format).render(validation), kind=kind_of(output_format))
    summary_file = os.environ.get("GITHUB_STEP_SUMMARY")
    if output_format == "github" and summary_file:
        from opsrepo.reporters.github import GithubReporter

        with open(summary_file, "a", encoding="utf-8") as handle:
            handle.write(GithubReporter.summary_markdown(validation))
    sys.exit(0 if validation.ok else 1)
