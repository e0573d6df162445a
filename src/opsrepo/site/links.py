"""Turning the links authors write in Markdown into links that work on the site.

Links to runbooks, post-mortems and other repo files become relative links
to their pages; ``service:<id>``-style links become links to those pages;
images are published next to their page; links that lead nowhere are build
errors that name the file, line and column (the same code, OPS601, that
``opsrepo validate`` reports).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from opsrepo.errors import Diagnostic, Location
from opsrepo.load.disk import DiskFiles
from opsrepo.model import Repo
from opsrepo.rules.link_files import RepoFiles, file_verdict, image_verdict
from opsrepo.rules.runbook_links import Link, LinkResolver, Resolution
from opsrepo.site.urls import Linker


@dataclass
class LinkContext:
    """What rewriting one page's links needs, and what it found."""

    repo: Repo
    resolver: LinkResolver
    root: Path
    source: str
    link: Linker
    repo_url: str | None
    branch: str
    problems: list[Diagnostic] = field(default_factory=list)
    #: repo files (images) this page publishes
    images: set[str] = field(default_factory=set)
    #: every link as written ("l:"/"i:" and the href) -> what the site wrote ("!" and why: dropped)
    resolved: dict[str, str] = field(default_factory=dict)
    #: the repo's files as link checks see them (default: read below ``root``)
    files: RepoFiles | None = None

    def rewrite(self, found: Link) -> str | None:
        """The href the site writes for ``found``; None drops the link (keeping its text)."""
        problems = len(self.problems)
        href = self._rewrite(found)
        outcome = href if href is not None else "!" + " ".join(p.message for p in self.problems[problems:])
        self.resolved[("i:" if found.image else "l:") + found.href] = outcome
        return href

    def _rewrite(self, found: Link) -> str | None:
        target = self.resolver.resolve(self.source, found.href)
        if target.kind == "external":
            return found.href
        if target.kind == "anchor":
            return "#" + quote(target.fragment, safe="-_.~")
        if target.kind == "object":
            return self._object(found, target)
        if target.kind == "asset":
            return self._asset(found, target)
        return self._problem(found, target.problem, target.hint)

    def _object(self, found: Link, target: Resolution) -> str | None:
        assert target.object is not None
        kind, object_id = target.object
        if kind == "alert":
            alert = self.repo.alerts.get(object_id)
            if alert is None:
                return self._problem(found, f"alert '{object_id}' is in a file that does not load")
            return self.link.to("service", alert.service, f"alert-{object_id}")
        if kind != "severity" and object_id not in self.resolver.objects[kind]:
            return self._problem(found, f"{kind} '{object_id}' is in a file that does not load",
                                 "fix the errors opsrepo validate reports for it")
        return self.link.to(kind, object_id, target.fragment)

    def _asset(self, found: Link, target: Resolution) -> str | None:
        if self.files is None:
            self.files = DiskFiles(self.root)
        if found.image:
            verdict = image_verdict(self.files, target.path)
            if verdict.href is None:
                return self._problem(found, verdict.problem, verdict.hint)
            self.images.add(target.path)
            return self.link.path(target.path, target.fragment)
        verdict = file_verdict(self.files, target.path, self.repo_url, self.branch)
        if verdict.href is None:
            return self._problem(found, verdict.problem, verdict.hint)
        return verdict.href

    def _problem(self, found: Link, problem: str, hint: str = "") -> str | None:
        self.problems.append(Location(self.source, found.line, found.column).error(
            "OPS601", f"broken link '{found.href}': {problem}", hint or None))
        return None
