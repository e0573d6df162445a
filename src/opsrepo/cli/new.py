"""``opsrepo new postmortem|runbook|schedule``: start a file from a template."""

from __future__ import annotations

import os
from pathlib import Path

import click

from opsrepo.cli.common import echo, now, repo_option, resolve_root


def _create(repo: Path | None, kind: str, name: str, **fields: object) -> None:
    from opsrepo.load.repo import load_repo
    from opsrepo.scaffold.new import NewRequest, new_file

    root = resolve_root(repo)
    request = NewRequest(kind, name, now(), **fields)  # type: ignore[arg-type]
    created = new_file(root, load_repo(root).repo, request)
    echo(_shown(created) + "\n")


def _shown(path: Path) -> str:
    """The path relative to the working directory when it is below it."""
    try:
        return os.path.relpath(path)
    except ValueError:  # another drive
        return str(path)


@click.group("new")
def command() -> None:
    """Start a post-mortem, runbook or schedule from a template (never overwrites)."""


@command.command("postmortem")
@click.argument("name")
@repo_option
@click.option("--title", default=None, help="The title (default: from NAME).")
@click.option("--service", "services", multiple=True, metavar="ID",
              help="An affected service (repeat for several).")
@click.option("--severity", default=None, metavar="ID",
              help="The severity (default: the least urgent level that requires a post-mortem).")
@click.option("--lead", default=None, metavar="PERSON", help="Who leads the post-mortem.")
def postmortem(name: str, repo: Path | None, title: str | None, services: tuple[str, ...],
               severity: str | None, lead: str | None) -> None:
    """Create postmortems/<today>-NAME.md, a draft, and print its path."""
    _create(repo, "postmortem", name, title=title, services=services, severity=severity, lead=lead)


@command.command("runbook")
@click.argument("path")
@repo_option
@click.option("--title", default=None, help="The title (default: from PATH).")
@click.option("--team", default=None, metavar="ID", help="The team that owns it.")
@click.option("--service", "services", multiple=True, metavar="ID", help="A service it is for (repeatable).")
def runbook(path: str, repo: Path | None, title: str | None, team: str | None,
            services: tuple[str, ...]) -> None:
    """Create runbooks/PATH.md (e.g. payments/high-latency) and print its path."""
    _create(repo, "runbook", path, title=title, team=team, services=services)


@command.command("schedule")
@click.argument("schedule_id", metavar="ID")
@repo_option
@click.option("--title", default=None, help="The schedule's name (default: from ID).")
@click.option("--team", default=None, metavar="ID",
              help="The team it belongs to (its members rotate weekly).")
def schedule(schedule_id: str, repo: Path | None, title: str | None, team: str | None) -> None:
    """Create schedules/ID.yaml, a weekly rotation of the team's members, and print its path."""
    _create(repo, "schedule", schedule_id, title=title, team=team)
