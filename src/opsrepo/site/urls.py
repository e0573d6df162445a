"""Where each page lives in the site, and relative links between pages.

Every link the site writes is relative to the page it is on, so the site works
from any sub-path (``https://org.github.io/ops/``), any web server and a
folder on a laptop. Pages are flat ``.html`` files: no server-side index
resolution is needed.
"""

from __future__ import annotations

from functools import lru_cache
from urllib.parse import quote

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


def page_path(kind: str, object_id: str) -> str:
    """The site path of an object's page (``severity`` levels are anchors of one page)."""
    if kind == "severity":
        return INDEXES["severity"]
    return f"{FOLDERS[kind]}/{object_id}.html"


def fragment_id(kind: str, object_id: str) -> str:
    """The id of the element an object has on a shared page (severity levels, alerts)."""
    return f"{kind}-{object_id}"


class Linker:
    """Relative hrefs from one page to the others (a site has hundreds of thousands of links)."""

    def __init__(self, here: str) -> None:
        self.here = here
        self.root = "../" * here.count("/")
        self.folder = here.rpartition("/")[0] + "/" if "/" in here else ""

    def path(self, target: str, fragment: str = "") -> str:
        """An href to the site path ``target`` (e.g. ``static/site.css``)."""
        return _href(self.root, self.folder, target, fragment)

    def to(self, kind: str, object_id: str, fragment: str = "") -> str:
        """An href to an object's page."""
        if kind == "severity" and object_id:
            return self.path(page_path(kind, object_id), fragment or fragment_id("severity", object_id))
        return self.path(page_path(kind, object_id), fragment)

    def index(self, name: str) -> str:
        """An href to a list page (``runbooks``, ``services``, …, ``home``)."""
        return self.path(INDEXES[name])


@lru_cache(maxsize=1 << 17)
def _href(root: str, folder: str, target: str, fragment: str) -> str:
    """``target`` relative to a page in ``folder`` (``root`` climbs from it to the site root)."""
    relative = target[len(folder):] if folder and target.startswith(folder) else root + target
    href = quote(relative, safe="/.-_~")
    return f"{href}#{quote(fragment, safe='-_.~')}" if fragment else href
