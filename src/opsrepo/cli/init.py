"""``opsrepo init DIR``: scaffold a new ops repo that validates and builds immediately."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

import click

from opsrepo.cli.common import echo, now
from opsrepo.errors import UsageError

if TYPE_CHECKING:
    from opsrepo.scaffold.existing import Placement
    from opsrepo.scaffold.init import InitRequest

_GITHUB_REPO = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})/[A-Za-z0-9._-]{1,100}\Z")


def default_name(directory: Path) -> str:
    """``acme-ops`` -> ``Acme ops``."""
    words = re.sub(r"[-_.]+", " ", directory.resolve().name).strip() or "Our"
    return words[0].upper() + words[1:]


def check_options(timezone: str, github_repo: str | None, opsrepo_spec: str) -> None:
    """Usage errors for a timezone, repository name or requirement that cannot work."""
    from opsrepo.scaffold.init import spec_problem
    from opsrepo.timeutil import get_zone

    try:
        get_zone(timezone)
    except ValueError:
        raise UsageError(f"--timezone {timezone!r} is not an IANA timezone",
                         "write e.g. Europe/Berlin, America/New_York or UTC") from None
    if github_repo is not None and not _GITHUB_REPO.match(github_repo):
        raise UsageError(f"--github-repo {github_repo!r} is not owner/name", "write e.g. acme/ops")
    problem = spec_problem(opsrepo_spec)
    if problem is not None:
        raise UsageError(f"--opsrepo-spec {opsrepo_spec!r} {problem}",
                         "write e.g. 'opsrepo==0.1.0' or 'opsrepo @ git+https://github.com/acme/opsrepo@v0.1.0'")


@click.command("init")
@click.argument("directory", type=click.Path(path_type=Path))
@click.option("--name", default=None, help="The organisation's name (default: from DIRECTORY).")
@click.option("--timezone", default="UTC", show_default=True, help="The default IANA timezone.")
@click.option("--github-repo", default=None, metavar="OWNER/NAME",
              help="The GitHub repository where post-mortem action items become issues.")
@click.option("--opsrepo-spec", default=None, metavar="REQUIREMENT",
              help="What the workflows pip install (default: this release from the project's repository).")
@click.option("--force", is_flag=True,
              help="Overwrite files in the way (a README, LICENSE and .gitignore are kept).")
def command(directory: Path, name: str | None, timezone: str, github_repo: str | None,
            opsrepo_spec: str | None, force: bool) -> None:
    """Create a new ops repo in DIRECTORY: example data, workflows, pre-commit config, README.

    It validates and builds as it is; replace the example people, schedules
    and services with your own. DIRECTORY may be a fresh clone: its README
    (opsrepo's goes to OPSREPO.md), LICENSE and .gitignore (merged) are kept.
    Any other file in the way stops init before it writes anything, unless
    --force.
    """
    from opsrepo.scaffold.init import DEFAULT_SPEC, InitRequest, init_repo

    spec = DEFAULT_SPEC if opsrepo_spec is None else opsrepo_spec
    check_options(timezone, github_repo, spec)
    is_clone = (directory / ".git").exists()
    request = InitRequest(directory, name or default_name(directory), timezone, now().date(), github_repo,
                          spec, force)
    echo(summary(request, init_repo(request), is_clone))


CONTENTS = ("an example ops repo for {name} (2 teams, 3 schedules, a severity matrix, 2 escalation policies, "
            "2 runbooks, 1 post-mortem, 2 alert rules), GitHub workflows, a pre-commit config, JSON Schemas "
            "and a README")
NEXT = ("next:\n  cd {target}\n  opsrepo validate && opsrepo oncall\n"
        "  {git_init}git add . && git commit -m 'Start the ops repo'\n"
        "  then replace the example people, schedules and services with your own (see {readme})\n")


def summary(request: InitRequest, placement: Placement, is_clone: bool) -> str:
    """What init did, a line for each of the user's files it kept or changed, and what to do next."""
    lines = [f"kept {path} (yours)" for path in placement.kept]
    if placement.readme.name != "README.md":
        lines[0] += f"; opsrepo's README for the team is {placement.readme}"
    if placement.gitignore_added:
        lines.append(f"merged .gitignore: added {', '.join(placement.gitignore_added)}")
    elif placement.gitignore_added == ():
        lines.append("kept .gitignore (yours): it already ignores opsrepo's output")
    if placement.replace:
        lines.append(f"overwrote {len(placement.replace)} files (--force): "
                     + ", ".join(path.as_posix() for path in placement.replace))
    if placement.unchanged:
        lines.append(f"left {len(placement.unchanged)} files as they are: already what opsrepo init writes")
    if placement.create:
        readme = f" ({placement.readme})" if placement.readme.name != "README.md" else ""
        lines.append(f"created {len(placement.create)} files in {request.target}: "
                     + CONTENTS.format(name=request.name) + readme)
    else:
        lines.append(f"created nothing in {request.target}: the new ops repo is all there")
    git_init = "" if is_clone else "git init -b main && "
    return "\n".join(lines) + "\n\n" + NEXT.format(target=request.target, git_init=git_init,
                                                    readme=placement.readme)
