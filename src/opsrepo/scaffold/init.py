"""``opsrepo init``: a new ops repo that validates and builds as soon as it is written.

Example data (two teams, three schedules, a severity matrix, two policies,
two runbooks, one post-mortem, a Prometheus rule file) with dates relative to today, so it stays
valid whenever it is created; the project's workflows with opsrepo installed
from the package index; a pre-commit config; the JSON Schemas; a README.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path, PurePosixPath
from typing import Any

from opsrepo import __version__
from opsrepo.errors import OpsrepoError
from opsrepo.scaffold.files import render, target_path, walk

#: the root workflows install opsrepo from their own checkout; a new ops repo installs the release
_INSTALL_FROM_CHECKOUT = re.compile(r"^(\s+run: )pip install \.$", re.MULTILINE)
WORKFLOWS = PurePosixPath(".github/workflows")


@dataclass(frozen=True)
class InitRequest:
    """What ``opsrepo init`` creates, where, and as of which day."""

    target: Path
    name: str
    timezone: str
    today: date
    github_repo: str | None = None


def adapt_workflow(text: str, version: str = __version__) -> str:
    """A workflow of the opsrepo project, made to install opsrepo ``version`` instead of the checkout."""
    return _INSTALL_FROM_CHECKOUT.sub(rf'\1pip install "opsrepo=={version}"', text)


def template_values(request: InitRequest) -> dict[str, Any]:
    """What the templates are filled with: names and dates around today."""
    today = request.today
    monday = today - timedelta(days=today.weekday())
    incident = today - timedelta(days=14)
    return {
        "name": request.name, "timezone": request.timezone, "github_repo": request.github_repo,
        "version": __version__, "today": today.isoformat(),
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
            content = adapt_workflow(content.decode("utf-8")).encode("utf-8")
        files[path] = content
    for kind in schemas.KINDS:
        files[PurePosixPath("schemas", f"{kind}.schema.json")] = schemas.schema_text(kind).encode("utf-8")
    return dict(sorted(files.items()))


def init_repo(request: InitRequest) -> list[PurePosixPath]:
    """Write the new ops repo; refuses (before writing anything) to overwrite a file."""
    files = plan(request)
    if request.target.exists() and not request.target.is_dir():
        raise OpsrepoError(f"{request.target} is a file", "give a new or empty directory")
    taken = [path for path in files if (request.target / path).exists()]
    if taken:
        more = f" and {len(taken) - 1} more" if len(taken) > 1 else ""
        raise OpsrepoError(f"{request.target / taken[0]}{more} already exist{'s' if not more else ''}",
                           "opsrepo init never overwrites files: give a new or empty directory")
    for path, content in files.items():
        destination = request.target / path
        destination.parent.mkdir(parents=True, exist_ok=True)
        destination.write_bytes(content)
    return list(files)
