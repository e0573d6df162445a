"""Partial loads: ``opsrepo oncall --schedule`` reads only the files its answer depends on.

The answer is the one a whole load gives; only the diagnostics of files left
unread are not reported (a broken file that is read gives the same ones).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable
from functools import cache
from pathlib import Path

from opsrepo import model as m
from opsrepo.load.files import discover, schedule_files
from opsrepo.load.repo import Loaded, check_root, load_found, load_repo

#: what ``opsrepo oncall`` reads: people (and their time off) and schedules
ONCALL_KINDS = frozenset({"org", "team", "schedule"})


def load_for_schedules(root: Path, ids: Collection[str]) -> Loaded:
    """The org, the schedules ``ids`` with the schedules they derive from, and their people's teams.

    In a valid repo a schedule's file is named after its id; when one of
    ``ids`` is not found that way, every schedule and team is read. Of the
    team files, only those that may define a person the schedules name
    (members, overrides) are read: the others cannot change who is on call,
    nor the people's names and time off.
    """
    check_root(root)
    org_and_teams = list(discover(root, {"org", "team"}))
    org = [found for found in org_and_teams if found[0] == "org"]
    wanted = set(ids)
    while True:
        schedules = schedule_files(root, wanted)
        loaded = load_found(root, org + schedules).repo.schedules
        if not wanted <= set(loaded):
            return load_repo(root, kinds=ONCALL_KINDS)
        sources = {s.derive.source for s in loaded.values() if s.derive is not None} - wanted
        if not sources:
            break
        wanted |= sources
    people = named_people(loaded.values())
    behind_link = _behind_link(root.resolve())
    teams = [(kind, path) for kind, path in org_and_teams
             if kind == "team" and (behind_link(path) or may_define(path, people))]
    return load_found(root, org + teams + schedules)


def named_people(schedules: Iterable[m.Schedule]) -> set[str]:
    """Every person id the schedules name: their layers' members and their overrides."""
    return {person for schedule in schedules
            for person in (*(p for layer in schedule.layers for p in layer.members),
                           *(override.person for override in schedule.overrides))}


def may_define(path: Path, people: Collection[str]) -> bool:
    """False only when the file at ``path`` cannot define a person with one of the ids ``people``.

    Every YAML scalar is written out in its file unless an escape (a
    backslash in a double-quoted scalar) spells it; aliases, merge keys and
    tags only repeat text of the same file. So a file that contains none of
    the ids and no backslash defines none of them, parsed or broken. Links
    and files that cannot be read are kept (as are files behind links):
    :func:`~opsrepo.load.files.read_document` reports them, without following links.
    """
    if path.is_symlink():
        return True
    try:
        raw = path.read_bytes()
    except OSError:
        return True
    return b"\\" in raw or any(person.encode() in raw for person in people)


def _behind_link(real_root: Path) -> Callable[[Path], bool]:
    """Whether a file's folder lies outside ``real_root`` (behind a link); each folder is resolved once."""

    @cache
    def outside(folder: Path) -> bool:
        return not folder.resolve().is_relative_to(real_root)

    return lambda path: outside(path.parent)
