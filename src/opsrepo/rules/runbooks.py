"""Runbooks: links resolve, references exist, reviews are current (OPS6xx).

A broken link in a runbook is found at 3 am by the person who needs the
page it pointed to; these rules find it in the pull request instead.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator, Mapping
from typing import Any

from opsrepo.errors import Diagnostic, Location
from opsrepo.model import Repo, Runbook
from opsrepo.rules import Context, rule, suggest, unloaded
from opsrepo.rules.alert_links import runbook_of
from opsrepo.rules.link_files import file_verdict, image_verdict
from opsrepo.rules.runbook_links import Link, LinkResolver, Outline, outline, runbook_outline
from opsrepo.timeutil import get_zone


class Outlines:
    """Parsed runbook (and post-mortem) bodies, each parsed at most once, and only when asked for."""

    def __init__(self, repo: Repo) -> None:
        self.repo = repo
        self._parsed: dict[str, Outline] = {}
        self._postmortems: dict[str, Outline] = {}

    def __getitem__(self, runbook_id: str) -> Outline:
        if runbook_id not in self._parsed:
            self._parsed[runbook_id] = runbook_outline(self.repo.runbooks[runbook_id])
        return self._parsed[runbook_id]

    def with_markup(self) -> Iterator[tuple[Runbook, Outline]]:
        """Runbooks that may hold links or HTML (others are not parsed at all)."""
        for runbook in self.repo.runbooks.values():
            if _has_markup(runbook.body):
                yield runbook, self[runbook.id]

    def pages_with_markup(self) -> Iterator[tuple[str, Outline]]:
        """Every Markdown body the site renders that may hold links, by file: runbooks, then post-mortems."""
        for runbook, found in self.with_markup():
            yield runbook.path, found
        for key, postmortem in self.repo.postmortems.items():
            if _has_markup(postmortem.body):
                if key not in self._postmortems:  # three rules read every page: each is parsed once
                    self._postmortems[key] = outline(postmortem.body, postmortem.body_line)
                yield postmortem.path, self._postmortems[key]


def _has_markup(body: str) -> bool:
    return "[" in body or "<" in body or "](" in body


def _outlines(ctx: Context) -> Outlines:
    found: Outlines = ctx.memo("runbook-outlines", lambda: Outlines(ctx.repo))
    return found


def _resolver(ctx: Context) -> LinkResolver:
    found: LinkResolver = ctx.memo("runbook-links", lambda: LinkResolver(ctx.repo))
    return found


@rule("OPS601", "broken-link")
def links_resolve(ctx: Context) -> Iterator[Diagnostic]:
    """A runbook's or post-mortem's link leads to a page, a site object or a file the site publishes."""
    resolver = _resolver(ctx)
    for source, found in _outlines(ctx).pages_with_markup():
        for link in found.links:
            target = resolver.resolve(source, link.href)
            if target.kind == "object" and target.cause is not None and target.object is not None:
                yield _leads_into_unloaded(Location(source, link.line, link.column), link, target.object,
                                           target.cause)
                continue
            problem = _link_problem(ctx, resolver, source, link)
            if problem is not None:
                yield Location(source, link.line, link.column).error(
                    "OPS601", f"broken link '{link.href}': {problem[0]}", problem[1] or None)


def _leads_into_unloaded(where: Location, link: Link, target: tuple[str, str],
                         cause: Diagnostic) -> Diagnostic:
    """A link to a page whose file did not load: a consequence of that file's problem."""
    kind, key = target
    return where.error(
        "OPS601", f"broken link '{link.href}': {kind} '{key}' is in {cause.file}, which did not load "
        f"({cause.code} on line {cause.line})", f"fix {cause.file} first",
    ).because(cause)


def published_images(ctx: Context) -> Iterator[tuple[str, Link, str]]:
    """(file, link, repo path) of each image link the site publishes (when the repo's files are known)."""
    if ctx.files is None:
        return
    resolver = _resolver(ctx)
    for source, found in _outlines(ctx).pages_with_markup():
        for link in found.links:
            target = resolver.resolve(source, link.href) if link.image else None
            if target is not None and target.kind == "asset" and image_verdict(ctx.files, target.path).href:
                yield source, link, target.path


def _link_problem(ctx: Context, resolver: LinkResolver, source: str, link: Link) -> tuple[str, str] | None:
    """Why the site cannot render ``link`` (as :class:`opsrepo.site.links.LinkContext` decides), or None."""
    target = resolver.resolve(source, link.href)
    if target.kind == "broken":
        return target.problem, target.hint
    if target.kind != "asset" or ctx.files is None:
        return None
    org = ctx.repo.org
    verdict = (image_verdict(ctx.files, target.path) if link.image
               else file_verdict(ctx.files, target.path, org.repo_url, org.branch))
    return None if verdict.href is not None else (verdict.problem, verdict.hint)


@rule("OPS609", "external-image")
def images_are_the_sites(ctx: Context) -> Iterator[Diagnostic]:
    """An image comes from the repo: the site's Content-Security-Policy shows no image from another host."""
    resolver = _resolver(ctx)
    for source, found in _outlines(ctx).pages_with_markup():
        for link in found.links:
            if link.image and resolver.resolve(source, link.href).kind == "external":
                yield Location(source, link.line, link.column).warning(
                    "OPS609", f"the site does not show the image '{link.href}' from another host",
                    "copy the image into the repo and link it by its path (a page that loads images from "
                    "other hosts tells them who reads it, and when)")


@rule("OPS602", "broken-anchor")
def anchors_resolve(ctx: Context) -> Iterator[Diagnostic]:
    """A link's ``#anchor`` into a runbook names one of its headings."""
    resolver, outlines = _resolver(ctx), _outlines(ctx)
    for runbook, found in outlines.with_markup():
        for link in found.links:
            target = resolver.resolve(runbook.path, link.href)
            into = runbook.id if target.kind == "anchor" else _runbook_of(target.object)
            if not target.fragment or into is None or into not in ctx.repo.runbooks:
                continue
            anchors = outlines[into].anchors
            if target.fragment not in anchors:
                close = difflib.get_close_matches(target.fragment, anchors, n=1, cutoff=0.6)
                yield Location(runbook.path, link.line, link.column).warning(
                    "OPS602", f"'#{target.fragment}' is not a heading of runbooks/{into}.md",
                    f"did you mean '#{close[0]}'?" if close else "link to one of its headings")


def _runbook_of(target: tuple[str, str] | None) -> str | None:
    return target[1] if target is not None and target[0] == "runbook" else None


@rule("OPS603", "runbook-references")
def runbook_references_exist(ctx: Context) -> Iterator[Diagnostic]:
    """A runbook's team, owner and services exist."""
    repo = ctx.repo
    for runbook in repo.runbooks.values():
        references: list[tuple[str, str, Mapping[str, Any], tuple[str | int, ...]]] = []
        if runbook.team:
            references.append(("team", runbook.team, repo.teams, ("team",)))
        if runbook.owner:
            references.append(("person", runbook.owner, repo.people, ("owner",)))
        references += [("service", service, repo.services, ("services", index))
                       for index, service in enumerate(runbook.services)]
        for kind, target, known, path in references:
            if target in known:
                continue
            cause = repo.broken_cause(kind, target)
            if cause is not None:
                yield unloaded(runbook.src.at(*path), "OPS603", kind, target, cause)
            elif not repo.is_broken(kind, target):  # an id a file that did not load may hold: not known
                yield runbook.src.at(*path).error(
                    "OPS603", f"unknown {kind} '{target}'", suggest(target, known, kind))


@rule("OPS604", "unreferenced-runbook")
def runbooks_are_referenced(ctx: Context) -> Iterator[Diagnostic]:
    """No service lists a runbook and no alert (nor a rule file's runbook_url) points to it."""
    repo = ctx.repo
    if repo.is_broken("service", "*") or repo.is_broken("alert", "*"):
        return  # a broken team file may hold the references
    used = {r for service in repo.services.values() for r in service.runbooks}
    used |= {alert.runbook for alert in repo.alerts.values()}
    used |= {r.id for r in repo.runbooks.values() if r.services}
    used |= {found for alert in repo.alert_rules if (found := runbook_of(repo, alert)) is not None}
    for runbook in repo.runbooks.values():
        if runbook.id not in used:
            yield Location(runbook.path, 1, 1).warning(
                "OPS604", f"runbook '{runbook.id}' is not listed by any service or alert",
                "add it to a service's runbooks or an alert's runbook in a team file, "
                "or name the services it is for in its front matter")


@rule("OPS605", "review-overdue")
def reviews_are_current(ctx: Context) -> Iterator[Diagnostic]:
    """A runbook's ``reviewed`` date is not in the future nor older than its review interval."""
    today = ctx.now.astimezone(get_zone(ctx.repo.org.timezone)).date()
    for runbook in ctx.repo.runbooks.values():
        if runbook.reviewed is None:
            continue
        every = runbook.review_every or ctx.repo.org.review_every
        due = runbook.reviewed + every
        if runbook.reviewed > today:
            yield runbook.src.at("reviewed").warning(
                "OPS605", f"reviewed {runbook.reviewed.isoformat()} is in the future",
                "write the date the runbook was last reviewed")
        elif due < today:
            yield runbook.src.at("reviewed").warning(
                "OPS605", f"review overdue since {due.isoformat()} (reviewed {runbook.reviewed.isoformat()}, "
                          f"every {every.days} days)",
                "review the runbook, then set reviewed: to today's date")


@rule("OPS606", "unsafe-markup")
def markup_is_safe(ctx: Context) -> Iterator[Diagnostic]:
    """A runbook holds markup the site removes (scripts, frames, event handlers, script URLs, styles)."""
    for runbook, found in _outlines(ctx).with_markup():
        for line, column, what in found.unsafe:
            yield Location(runbook.path, line, column).warning(
                "OPS606", f"the site removes {what} from runbooks",
                "write plain Markdown; the site allows links, images, tables, <details> and <kbd>")


@rule("OPS607", "empty-runbook")
def runbooks_have_content(ctx: Context) -> Iterator[Diagnostic]:
    """A runbook has a body: front matter alone helps nobody."""
    for runbook in ctx.repo.runbooks.values():
        if not runbook.body.strip():
            yield Location(runbook.path, max(runbook.body_line - 1, 1), 1).warning(
                "OPS607", f"runbook '{runbook.id}' has no text after its front matter",
                "write what to check and what to do, step by step")
