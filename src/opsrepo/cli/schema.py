"""``opsrepo schema export DIR``."""

from __future__ import annotations

from pathlib import Path

import click

from opsrepo.cli.common import echo


@click.group("schema")
def command() -> None:
    """The JSON Schemas of every file kind."""


@command.command("export")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
def export(directory: Path) -> None:
    """Write every schema to DIRECTORY as <kind>.schema.json."""
    from opsrepo.schemas import export as write_all

    for path in write_all(directory):
        echo(f"wrote {path}\n")
