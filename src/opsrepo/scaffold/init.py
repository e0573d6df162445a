"""``opsrepo init``: a new ops repo that validates and builds as soon as it is written.

Example data (two teams, three schedules, a severity matrix, two policies,
two runbooks, one post-mortem, a Prometheus rule file) with dates relative to today, so it stays
valid whenever it is created; the project's workflows with opsrepo installed
from ``--opsrepo-spec`` (default: this release's tag in the project's git
repository); a pre-commit config; the JSON Schemas; a README. Into a folder
that already holds files (a fresh GitHub clone) it lands as
:mod:`opsrepo.scaffold.existing` says.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path, PurePosixPath
from typing import Any

from opsrepo import __version__
from opsrepo.errors import OpsrepoError
from opsrepo.scaffold.existing import Placement, place
from opsrepo.scaffold.files import render, target_path, walk

#: the root workflows install opsrepo from their own checkout; a new ops repo installs ``--opsrepo-spec``
_INSTALL_FROM_CHECKOUT = re.compile(r"^(\s+run: )pip install \.$", re.MULTILINE)
WORKFLOWS = PurePosixPath(".github/workflows")
#: the project's repository (also pyproject's [project.urls] and the pre-commit hook's repo); each release
#: is tagged v<version> there, which the pre-commit config's ``rev`` needs too
PROJECT_URL = "https://github.com/kestrel-eng/opsrepo"
DEFAULT_SPEC = f"opsrepo @ git+{PROJECT_URL}@v{__version__}"
#: what pip takes as a requirement or URL, and what sits safely in a workflow's ``run: pip install "..."``
#: (no quote, $, backquote or backslash for the shell; ' #' and ': ' would end the YAML value)
_SPEC = re.compile(r"[A-Za-z0-9][A-Za-z0-9 ._\-\[\],<>=!~@+:/%#]{0,499}\Z")


@dataclass(frozen=True)
class InitRequest:
    """What ``opsrepo init`` creates, where, and as of which day."""

    target: Path
    name: str
    timezone: str
    today: date
    github_repo: str | None = None
    opsrepo_spec: str = DEFAULT_SPEC
    force: bool = False


def spec_problem(spec: str) -> str | None:
    """Why ``spec`` cannot be the workflows' ``pip install`` argument, or None."""
    if not _SPEC.match(spec) or " #" in spec or ": " in spec:
        return ("is not a requirement opsrepo can write into a workflow (letters, digits, spaces and "
                "._-[],<>=!~@+:/%# only)")
    return None


def adapt_workflow(text: str, spec: str = DEFAULT_SPEC) -> str:
    """A workflow of the opsrepo project, made to install ``spec`` (a requirement) instead of the checkout."""
    return _INSTALL_FROM_CHECKOUT.sub(lambda found: f'{found.group(1)}pip install "{spec}"', text)


def template_values(request: InitRequest) -> dict[str, Any]:
    """What the templates are filled with: names and dates around today."""
    today = request.today
    monday = today - timedelta(days=today.weekday())
    incident = today - timedelta(days=14)
    return {
        "name": request.name, "timezone": request.timezone, "github_repo": request.github_repo,
        "version": __version__, "opsrepo_spec": request.opsrepo_spec, "project_url": PROJECT_URL,
        "today": today.isoformat(),
        # a week before this week's Monday: the rotations are running, whatever the time of day
        "start": f"{(monday - timedelta(days=7)).isoformat()}T09:00",
        "vacation_from": (today + timedelta(days=30)).isoformat(),
        "vacation_to": (today + timedelta(days=34)).isoformat(),
        "incident": incident.isoformat(),
        "published": (incident + timedelta(days=3)).isoformat(),
        "due_high": (today + timedelta(days=14)).isoformat(),
        "due_medium": (today + timedelta(days=28)).isoformat(),
    }


def plan(request: InitRequest) -> dict[PurePosixPath, bytes]:
    """Every file ``opsrepo init`` writes, by path relative to the target, with its content."""
    from opsrepo import schemas

    values = template_values(request)
    files: dict[PurePosixPath, bytes] = {}
    for relative, template in walk("init"):
        path = target_path(relative, values)
        content = render(template, values)
        if path.parent == WORKFLOWS:
            content = adapt_workflow(content.decode("utf-8"), request.opsrepo_spec).encode("utf-8")
        files[path] = content
    for kind in schemas.KINDS:
        files[PurePosixPath("schemas", f"{kind}.schema.json")] = schemas.schema_text(kind).encode("utf-8")
    return dict(sorted(files.items()))


def init_repo(request: InitRequest) -> Placement:
    """Write the new ops repo; refuses, before writing anything, to overwrite a file unless ``force``."""
    if request.target.exists() and not request.target.is_dir():
        raise OpsrepoError(f"{request.target} is a file", "give a new or empty directory, or a clone")
    placement = place(request.target, plan(request))
    if placement.blocked:
        raise OpsrepoError(f"{_count(placement.blocked)} in {request.target} cannot be written, a folder or "
                           f"a file is in the way: {_listing(placement.blocked)}",
                           "nothing was written; move them away and run opsrepo init again")
    if placement.replace and not request.force:
        raise OpsrepoError(f"{_count(placement.replace)} in {request.target} already exist"
                           f"{'s' if len(placement.replace) == 1 else ''} with other content: "
                           f"{_listing(placement.replace)}",
                           "nothing was written; move them away, or run opsrepo init --force to overwrite "
                           "them (a README, a LICENSE and a .gitignore are always kept)")
    for path in (*placement.create, *placement.merged, *placement.replace):
        destination = request.target / path
        destination.parent.mkdir(parents=True, exist_ok=True)
        destination.write_bytes(placement.files[path])
    return placement


def _count(paths: tuple[PurePosixPath, ...]) -> str:
    return f"{len(paths)} file{'s' if len(paths) != 1 else ''}"


def _listing(paths: tuple[PurePosixPath, ...]) -> str:
    return ", ".join(path.as_posix() for path in paths)
