"""``opsrepo severity``: the severity matrix as a table, Markdown or JSON."""

from __future__ import annotations

import shutil
from pathlib import Path

import click

from opsrepo.cli.common import echo, format_option, repo_option, resolve_root
from opsrepo.errors import OpsrepoError


@click.command("severity")
@repo_option
@format_option("text", "md", "json")
def command(repo: Path | None, output_format: str) -> None:
    """Print the severity matrix: paging, channels, targets, roles, post-mortems."""
    from opsrepo import severity
    from opsrepo.load.repo import load_repo

    loaded = load_repo(resolve_root(repo))
    levels = loaded.repo.severities
    if not levels:
        if loaded.repo.has_severity_matrix:
            raise OpsrepoError("policies/severity.yaml does not load",
                               "run 'opsrepo validate' and fix what it reports")
        raise OpsrepoError("the repo has no severity matrix (policies/severity.yaml is missing)",
                           "create it with your levels, most urgent first (see docs/format.md)")
    if output_format == "json":
        echo(severity.to_json(levels), kind="json")
    elif output_format == "md":
        echo(severity.to_markdown(levels))
    else:
        echo(severity.to_text(levels, shutil.get_terminal_size((100, 24)).columns))
