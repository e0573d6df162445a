"""``opsrepo rules``: the rule catalog."""

from __future__ import annotations

import json

import click

from opsrepo.cli.common import echo, format_option


@click.command("rules")
@format_option("text", "json", "md")
def command(output_format: str) -> None:
    """List every diagnostic code with its summary."""
    from opsrepo.rules import catalog

    rules = catalog()
    if output_format == "json":
        entries = [{"code": r.code, "name": r.name, "family": r.family, "summary": r.summary} for r in rules]
        echo(json.dumps(entries, indent=2) + "\n", kind="json")
    elif output_format == "md":
        rows = ["| code | name | family | summary |", "|---|---|---|---|"]
        rows += [f"| {r.code} | {r.name} | {r.family} | {r.summary} |" for r in rules]
        echo("\n".join(rows) + "\n")
    else:
        width = max(len(r.name) for r in rules)
        echo("".join(f"{r.code}  {r.name:<{width}}  {r.summary}\n" for r in rules))
