"""``opsrepo init DIR``: scaffold a new ops repo that validates and builds immediately."""

from __future__ import annotations

import re
from pathlib import Path

import click

from opsrepo.cli.common import echo, now
from opsrepo.errors import UsageError

_GITHUB_REPO = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})/[A-Za-z0-9._-]{1,100}\Z")


def default_name(directory: Path) -> str:
    """``acme-ops`` -> ``Acme ops``."""
    words = re.sub(r"[-_.]+", " ", directory.resolve().name).strip() or "Our"
    return words[0].upper() + words[1:]


def check_options(timezone: str, github_repo: str | None) -> None:
    """Usage errors for a timezone or repository name that cannot work."""
    from opsrepo.timeutil import get_zone

    try:
        get_zone(timezone)
    except ValueError:
        raise UsageError(f"--timezone {timezone!r} is not an IANA timezone",
                         "write e.g. Europe/Berlin, America/New_York or UTC") from None
    if github_repo is not None and not _GITHUB_REPO.match(github_repo):
        raise UsageError(f"--github-repo {github_repo!r} is not owner/name", "write e.g. acme/ops")


@click.command("init")
@click.argument("directory", type=click.Path(path_type=Path))
@click.option("--name", default=None, help="The organisation's name (default: from DIRECTORY).")
@click.option("--timezone", default="UTC", show_default=True, help="The default IANA timezone.")
@click.option("--github-repo", default=None, metavar="OWNER/NAME",
              help="The GitHub repository where post-mortem action items become issues.")
def command(directory: Path, name: str | None, timezone: str, github_repo: str | None) -> None:
    """Create a new ops repo in DIRECTORY: example data, workflows, pre-commit config, README.

    It validates and builds as it is; replace the example people, schedules
    and services with your own. Existing files are never overwritten.
    """
    from opsrepo.scaffold.init import InitRequest, init_repo

    check_options(timezone, github_repo)
    request = InitRequest(directory, name or default_name(directory), timezone, now().date(), github_repo)
    written = init_repo(request)
    echo(f"created {len(written)} files in {directory}: an example ops repo for {request.name} (2 teams, "
         "3 schedules, a severity matrix, 2 escalation policies, 2 runbooks, 1 post-mortem, "
         "2 alert rules), "
         "GitHub workflows, a pre-commit config, JSON Schemas and a README\n\n"
         f"next:\n  cd {directory}\n  opsrepo validate && opsrepo oncall\n"
         "  git init -b main && git add . && git commit -m 'Start the ops repo'\n"
         "  then replace the example people, schedules and services with your own (see README.md)\n")
