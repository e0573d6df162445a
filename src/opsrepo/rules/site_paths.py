"""Where the site writes each page and image, and whether it can (OPS608).

Runbook pages follow the runbook's path (``runbooks/x/y.md`` becomes
``runbooks/x/y.html``) and images keep their repo path, so two sources can
claim one place: ``runbooks/x.md`` makes the file ``runbooks/x.html`` while a
runbook in a folder ``runbooks/x.html/`` needs a folder of that name. A file
name also holds at most 255 bytes on every common file system, and the page's
``.html`` is two bytes longer than the source's ``.md``. ``validate`` reports
both, so a repo that validates builds.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterator, Mapping
from typing import Any

from opsrepo.errors import Diagnostic, Location
from opsrepo.model import Src
from opsrepo.records import dataclass
from opsrepo.rules import Context, rule

#: object kind -> folder of its detail pages
FOLDERS = {
    "runbook": "runbooks", "service": "services", "schedule": "schedules", "person": "people",
    "team": "teams", "policy": "policies", "postmortem": "postmortems",
}
#: list pages by name
INDEXES = {
    "home": "index.html", "runbooks": "runbooks.html", "services": "services.html",
    "schedules": "schedules.html", "people": "people.html", "teams": "teams.html",
    "policies": "policies.html", "severity": "severity.html", "postmortems": "postmortems.html",
    "rules": "rules.html", "search": "search.html", "404": "404.html",
    "reliability": "reliability.html", "pay": "pay.html",
}
#: the longest file name (in bytes) common file systems hold
NAME_MAX = 255


def page_path(kind: str, object_id: str) -> str:
    """The site path of an object's page (``severity`` levels are anchors of one page)."""
    if kind == "severity":
        return INDEXES["severity"]
    return f"{FOLDERS[kind]}/{object_id}.html"


@dataclass(frozen=True)
class Written:
    """A file the site writes, and the place in the repo that makes it write it."""

    path: str
    where: Location
    what: str


#: what makes the site write a file: a :class:`Written`, or an object's page as (kind, id, source)
_Entry = Written | tuple[str, str, Src]


def _written(ctx: Context) -> Iterator[tuple[str, _Entry]]:
    """Each file the site writes, by path; an object's page is described only when a diagnostic needs it.

    An org has a page per person, schedule and policy (tens of thousands): a
    tuple each, not a record with its sentence.
    """
    from opsrepo.rules.runbooks import published_images

    repo = ctx.repo
    for name in INDEXES.values():
        yield name, Written(name, Location("opsrepo.yaml"), "a page of the site")
    records: dict[str, Mapping[str, Any]] = {
        "service": repo.services, "schedule": repo.schedules, "person": repo.people, "team": repo.teams,
        "policy": repo.policies, "postmortem": repo.postmortems}
    for kind, found in records.items():
        folder = FOLDERS[kind]
        for object_id, record in found.items():
            yield f"{folder}/{object_id}.html", (kind, object_id, record.src)
    for runbook in repo.runbooks.values():
        path = page_path("runbook", runbook.id)
        yield path, Written(path, Location(runbook.path), f"the page of {runbook.path}")
    for source, link, path in published_images(ctx):
        yield path, Written(path, Location(source, link.line, link.column), "the image linked here")


def _described(path: str, entry: _Entry) -> Written:
    if isinstance(entry, Written):
        return entry
    kind, object_id, source = entry
    return Written(path, Location(source.file), f"the page of {kind} '{object_id}'")


def _folder(path: str) -> str:
    """``posixpath.dirname(path)`` (the common case in C: no doubled or leading slash)."""
    if "//" in path or path.startswith("/"):
        return posixpath.dirname(path)
    return path.rpartition("/")[0]


@rule("OPS608", "site-path")
def pages_can_be_written(ctx: Context) -> Iterator[Diagnostic]:
    """The site can write every page and image: names fit, and no page is where another needs a folder."""
    files = dict(_written(ctx))
    for path, entry in files.items():
        name = path.rpartition("/")[2]
        # a character is at most 4 bytes in UTF-8: most names need no encoding to be short enough
        if len(name) * 4 > NAME_MAX and len(name.encode("utf-8")) > NAME_MAX:
            written = _described(path, entry)
            yield written.where.error(
                "OPS608", f"the site cannot write {written.what}: its file name is "
                          f"{len(name.encode('utf-8'))} bytes long, file systems hold at most {NAME_MAX}",
                "shorten the file name (a page adds .html to the name of its runbook)")
            continue
        folder = _folder(path)
        while folder:
            taken = files.get(folder)
            if taken is not None:
                written = _described(path, entry)
                yield written.where.error(
                    "OPS608", f"the site cannot write {written.what} ({written.path}): "
                              f"{folder} is {_described(folder, taken).what}",
                    "rename the folder or the file, so a page and a folder do not share a name")
                break
            folder = _folder(folder)
