"""``opsrepo new``: one file from a template, with today's date and every required field.

Each file starts with the schema modeline (``# yaml-language-server: $schema=``,
inside the front matter for Markdown) pointing at the repo's ``schemas/``
folder, as ``opsrepo init`` writes it and ``opsrepo schema export schemas``
refreshes it, so editors check the fields while they are typed.

References (team, services, severity, lead) are checked against the loaded
repo before anything is written, so the new file validates as it is (a new
runbook is still unreferenced until a service or alert lists it).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path, PurePosixPath
from typing import Any

from opsrepo import model as m
from opsrepo.errors import OpsrepoError, UsageError
from opsrepo.scaffold.files import render_named
from opsrepo.timeutil import get_zone

#: kind -> its template under templates/new/ (without .jinja)
TEMPLATES = {"postmortem": "postmortem.md", "runbook": "runbook.md", "schedule": "schedule.yaml"}
_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*\Z")


@dataclass(frozen=True)
class NewRequest:
    """What to create: the kind, its id (a runbook: its path), and optional fields."""

    kind: str
    name: str
    now: datetime
    title: str | None = None
    team: str | None = None
    services: tuple[str, ...] = ()
    severity: str | None = None
    lead: str | None = None


def new_file(root: Path, repo: m.Repo, request: NewRequest) -> Path:
    """Write the new file below ``root`` and return its path; never overwrites."""
    today = request.now.astimezone(get_zone(repo.org.timezone)).date()
    relative, values = {"postmortem": _postmortem, "runbook": _runbook, "schedule": _schedule}[request.kind](
        repo, request, today)
    target = root / relative
    if target.exists():
        raise OpsrepoError(f"{relative} already exists",
                           "opsrepo new never overwrites a file: choose another name, or edit the file")
    schemas = "/".join([".."] * (len(PurePosixPath(relative).parts) - 1) + ["schemas"])
    text = render_named(TEMPLATES[request.kind], {"today": today.isoformat(), "schemas": schemas, **values})
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    return target


def _slug(name: str, what: str) -> str:
    if not _SLUG.match(name):
        raise UsageError(f"{what} {name!r} is not an id",
                         "use lowercase letters, digits and dashes, e.g. api-outage")
    return name


def _title(request: NewRequest, slug: str) -> str:
    words = slug.replace("-", " ")
    return request.title or words[0].upper() + words[1:]


def _known(kind: str, value: str, choices: Iterable[str]) -> str:
    from opsrepo.rules import suggest

    known = sorted(choices)
    if value not in known:
        raise UsageError(f"unknown {kind} {value!r}", suggest(value, known, kind))
    return value


def _schedule(repo: m.Repo, request: NewRequest, today: date) -> tuple[str, Mapping[str, Any]]:
    sid = _slug(request.name, "schedule")
    if sid in repo.schedules:
        raise OpsrepoError(f"a schedule with id {sid!r} exists already ({repo.schedules[sid].src.file})",
                           "choose another id")
    team = repo.teams[_team(repo, request.team)]
    members = team.members or team.people
    if not members:
        raise UsageError(f"team {team.id!r} has no members to rotate", "add members to the team first")
    start = _last_monday(request.now, repo.org.timezone)
    return f"schedules/{sid}.yaml", {
        "id": sid, "title": _title(request, sid), "team": team.id, "timezone": repo.org.timezone,
        "members": members, "start": start.isoformat(timespec="minutes"),
    }


def _team(repo: m.Repo, team: str | None) -> str:
    if team is not None:
        return _known("team", team, repo.teams)
    if len(repo.teams) == 1:
        return next(iter(repo.teams))
    raise UsageError("which team's schedule is it?", f"pass --team (one of: {', '.join(sorted(repo.teams))})"
                     if repo.teams else "define a team in teams/ first")


def _last_monday(now: datetime, zone: str) -> datetime:
    """The latest Monday 09:00 (wall time) not after ``now``: the rotation runs from the start."""
    local = now.astimezone(get_zone(zone)).replace(tzinfo=None)
    monday = datetime.combine(local.date() - timedelta(days=local.weekday()), time(9))
    return monday if monday <= local else monday - timedelta(days=7)


def _runbook(repo: m.Repo, request: NewRequest, today: date) -> tuple[str, Mapping[str, Any]]:
    path = request.name.removesuffix(".md").strip("/")
    for part in path.split("/"):
        _slug(part, "runbook path part")
    return f"runbooks/{path}.md", {
        "title": _title(request, path.rsplit("/", 1)[-1]),
        "team": _known("team", request.team, repo.teams) if request.team else None,
        "services": [_known("service", s, repo.services) for s in request.services],
    }


def _postmortem(repo: m.Repo, request: NewRequest, today: date) -> tuple[str, Mapping[str, Any]]:
    slug = _slug(request.name, "post-mortem name")
    pid = slug if slug.startswith(today.isoformat()) else f"{today.isoformat()}-{slug}"
    if not request.services:
        known = ", ".join(sorted(repo.services)) or "none"
        raise UsageError("which services did the incident affect?",
                         f"pass --service ID, once per service (known: {known})")
    severity = _severity(repo, request.severity)
    level = repo.severity(severity)
    return f"postmortems/{pid}.md", {
        "id": pid, "title": _title(request, slug), "severity": severity,
        "services": [_known("service", s, repo.services) for s in request.services],
        "lead": _known("person", request.lead, repo.people) if request.lead else None,
        # the roles the matrix requires (OPS507), first filled by the lead: edit who held each
        "roles": [role for role in (level.roles if level else ()) if role != "incident-lead"],
    }


def _severity(repo: m.Repo, given: str | None) -> str:
    levels = [level.id for level in repo.severities]
    if given is not None:
        if given not in levels:
            raise UsageError(f"unknown severity {given!r}", f"one of: {', '.join(levels)}" if levels
                             else "the repo has no severity matrix (policies/severity.yaml)")
        return given
    required = [level.id for level in repo.severities if level.postmortem.required]
    if required:
        return required[-1]  # the least urgent level that needs a post-mortem: why one is being written
    if repo.severities:
        return repo.severities[-1].id
    raise UsageError("the repo has no severity matrix", "add policies/severity.yaml, or pass --severity")
