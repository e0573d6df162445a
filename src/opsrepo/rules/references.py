"""References between files resolve, and ids match file names (OPS2xx)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from pathlib import PurePosixPath
from typing import Any

from opsrepo.errors import Diagnostic
from opsrepo.model import Repo, Src
from opsrepo.rules import Context, rule, suggest, suggest_severity, unloaded


def dangling(
    repo: Repo, known: Mapping[str, Any], kind: str, what: str,
    references: Iterable[tuple[str, Src, tuple[str | int, ...]]],
) -> Iterator[Diagnostic]:
    """A diagnostic for each referenced id that is not known.

    An id defined where a problem stopped it from loading is reported as that
    problem's consequence; one that may be in a file that did not load at all
    (unknown ids there) is not reported: the file's own diagnostic says what to fix.
    """
    for target, src, path in references:
        if target in known:
            continue
        cause = repo.broken_cause(kind, target)
        if cause is not None:
            yield unloaded(src.at(*path), _CODES[kind], what, target, cause)
            continue
        if repo.is_broken(kind, target):
            continue
        hint = suggest_severity(target, known) if kind == "severity" else suggest(target, known, what)
        yield src.at(*path).error(_CODES[kind], f"unknown {what} '{target}'", hint)


_CODES = {"person": "OPS203", "team": "OPS204", "runbook": "OPS207", "service": "OPS208",
          "severity": "OPS209", "postmortem": "OPS210"}


@rule("OPS201", "id-file-name")
def id_matches_file_name(ctx: Context) -> Iterator[Diagnostic]:
    """A team's, schedule's, policy's or post-mortem's id equals its file name."""
    records: list[Any] = [*ctx.repo.teams.values(), *ctx.repo.schedules.values(),
                          *ctx.repo.policies.values(), *ctx.repo.postmortems.values()]
    for record in records:
        if _named_by_id(record.id, record.src.file):
            continue
        file = PurePosixPath(record.src.file)
        if record.id != file.stem:
            yield record.src.at("id").error(
                "OPS201", f"id '{record.id}' does not match the file name '{file.name}'",
                f"rename the file to {record.id}{file.suffix} or set id: {file.stem}",
            )


#: the suffixes of the files records are read from
_SUFFIXES = frozenset({".yaml", ".yml", ".md"})


def _named_by_id(record_id: str, file: str) -> bool:
    """True when ``file``'s last part is ``record_id`` and a suffix, so its stem is the id (nearly always).

    Read off the text, without a ``PurePosixPath`` per record; False sends the
    file to the path's own ``stem``.
    """
    name = file.rpartition("/")[2]
    return bool(record_id) and name.startswith(record_id) and name[len(record_id):] in _SUFFIXES


@rule("OPS203", "unknown-person")
def people_exist(ctx: Context) -> Iterator[Diagnostic]:
    """Team members, post-mortem leads, authors, role holders and action-item owners are people."""
    repo = ctx.repo
    references: list[tuple[str, Src, tuple[str | int, ...]]] = []
    for team in repo.teams.values():
        references += [(person, team.src, ("members", i)) for i, person in enumerate(team.members)]
    for pm in repo.postmortems.values():
        if pm.lead:
            references.append((pm.lead, pm.src, ("lead",)))
        references += [(person, pm.src, ("authors", i)) for i, person in enumerate(pm.authors)]
        references += [(person, pm.src, ("roles", role)) for role, person in pm.roles.items()]
        references += [(item.owner, item.src, ("owner",)) for item in pm.action_items]
    yield from dangling(repo, repo.people, "person", "person", references)


@rule("OPS204", "unknown-team")
def schedule_teams_exist(ctx: Context) -> Iterator[Diagnostic]:
    """A schedule's team exists."""
    references = [(s.team, s.src, ("team",)) for s in ctx.repo.schedules.values()]
    yield from dangling(ctx.repo, ctx.repo.teams, "team", "team", references)


@rule("OPS207", "unknown-runbook")
def service_runbooks_exist(ctx: Context) -> Iterator[Diagnostic]:
    """The runbooks a service lists exist under runbooks/."""
    references = [
        (runbook, service.src, ("runbooks", i))
        for service in ctx.repo.services.values() for i, runbook in enumerate(service.runbooks)
    ]
    yield from dangling(ctx.repo, ctx.repo.runbooks, "runbook", "runbook", references)


@rule("OPS208", "unknown-service")
def postmortem_services_exist(ctx: Context) -> Iterator[Diagnostic]:
    """The services a post-mortem names exist."""
    references = [
        (service, pm.src, ("services", i))
        for pm in ctx.repo.postmortems.values() for i, service in enumerate(pm.services)
    ]
    yield from dangling(ctx.repo, ctx.repo.services, "service", "service", references)


@rule("OPS209", "unknown-severity")
def postmortem_severity_exists(ctx: Context) -> Iterator[Diagnostic]:
    """A post-mortem's severity is a level of the severity matrix."""
    if not ctx.repo.severities:
        return
    levels = {level.id: level for level in ctx.repo.severities}
    references = [(pm.severity, pm.src, ("severity",)) for pm in ctx.repo.postmortems.values()]
    yield from dangling(ctx.repo, levels, "severity", "severity", references)


@rule("OPS210", "unknown-postmortem")
def related_postmortems_exist(ctx: Context) -> Iterator[Diagnostic]:
    """Related post-mortems exist and are not the post-mortem itself."""
    repo = ctx.repo
    for pm in repo.postmortems.values():
        for index, other in enumerate(pm.related):
            if other == pm.id:
                yield pm.src.at("related", index).error(
                    "OPS210", f"post-mortem '{pm.id}' lists itself as related", "remove it from related",
                )
    references = [
        (other, pm.src, ("related", i))
        for pm in repo.postmortems.values() for i, other in enumerate(pm.related) if other != pm.id
    ]
    yield from dangling(repo, repo.postmortems, "postmortem", "post-mortem", references)
