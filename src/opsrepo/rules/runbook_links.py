"""Runbook Markdown as opsrepo reads it: one parser, the links, the heading anchors.

The validator and the site share this module so that a link the validator
accepts is exactly a link the site can render, and a heading anchor the site
writes is exactly the one the validator checks.

Links that point inside the site:

- relative (or ``/``-rooted) paths to repo files: ``../platform/dns.md``,
  ``../../postmortems/2026-03-14-payments-db-pool.md``,
  ``../../schedules/payments-primary.yaml``, optionally with ``#anchor``;
- object links by id, written like escalation targets: ``service:payments-api``,
  ``schedule:…``, ``policy:…``, ``person:…``, ``team:…``, ``runbook:…``,
  ``postmortem:…``, ``alert:…``, ``severity:SEV1``;
- ``#anchor`` within the runbook itself.

Other relative paths are assets (images); ``http``, ``https``, ``mailto`` and
``tel`` links leave the site; any other scheme is removed from the site.
"""

from __future__ import annotations

import difflib
import posixpath
import re
from collections.abc import Callable, Iterator, Mapping
from functools import lru_cache
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit

from opsrepo.errors import Diagnostic
from opsrepo.model import Repo, Runbook
from opsrepo.records import dataclass
from opsrepo.rules import suggest
from opsrepo.rules.html_depth import MAX_HTML_DEPTH, html_depth
from opsrepo.rules.link_positions import Cursor

if TYPE_CHECKING:  # markdown-it is imported where Markdown is read: a repo without runbooks never does
    from markdown_it import MarkdownIt
    from markdown_it.rules_core import StateCore
    from markdown_it.token import Token

#: broken links of a repo that get a did-you-mean; later ones get a general hint
SUGGESTIONS = 500
#: link schemes that name a site object by id, and the repo field holding them
OBJECT_SCHEMES = ("runbook", "service", "alert", "schedule", "policy", "person", "team", "postmortem",
                  "severity")
#: schemes that leave the site (the sanitiser's allow-list: ammonia's default, which has no script URLs)
EXTERNAL_SCHEMES = frozenset({
    "bitcoin", "ftp", "ftps", "geo", "http", "https", "im", "irc", "ircs", "magnet", "mailto", "mms", "mx",
    "news", "nntp", "openpgp4fpr", "sip", "sms", "smsto", "ssh", "tel", "url", "webcal", "wtai", "xmpp",
})
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")
#: repo folders whose files are site pages, and the object kind of each
_PAGE_FOLDERS = {"runbooks": "runbook", "postmortems": "postmortem", "teams": "team",
                 "schedules": "schedule", "policies/escalation": "policy"}

Highlighter = Callable[[str, str, str], str]


def make_parser(highlight: Highlighter | None = None, raw_html: bool = True) -> MarkdownIt:
    """The Markdown dialect of runbooks and post-mortems.

    CommonMark with raw HTML (sanitised by the site), tables, strikethrough,
    task lists (tickable; the site labels each box with its item's text) and
    an id on every heading.
    """
    from markdown_it import MarkdownIt
    from mdit_py_plugins.tasklists import tasklists_plugin

    options: dict[str, Any] = {"html": raw_html, "highlight": highlight}
    parser = MarkdownIt("commonmark", options).enable(["table", "strikethrough"])
    parser.use(tasklists_plugin, enabled=True)
    parser.core.ruler.push("anchor", _name_headings)
    return parser


def _name_headings(state: StateCore) -> None:
    """An id on every heading: its slug, then ``slug-1``, ``slug-2`` ... as the anchors plugin names them."""
    names = HeadingIds()
    for index, token in enumerate(state.tokens):
        if token.type != "heading_open":
            continue
        children = state.tokens[index + 1].children or []
        token.attrSet("id", names.take(heading_slug("".join(
            c.content for c in children if c.type in ("text", "code_inline")))))


class HeadingIds:
    """The ids of one document's headings, handed out in order.

    The anchors plugin tries ``slug-1``, ``slug-2`` ... in turn for each
    repeat, so 50,000 headings "Step" took it over a minute; here the next
    number to try is kept per slug, and ``tries`` counts the names looked at
    (linear in the headings: tested).
    """

    def __init__(self) -> None:
        self.used: set[str] = set()
        self.following: dict[str, int] = {}
        self.tries = 0

    def take(self, slug: str) -> str:
        """The first of ``slug``, ``slug-1``, ``slug-2`` ... not yet taken, now taken."""
        unique, number = slug, self.following.get(slug, 1)
        self.tries += 1
        while unique in self.used:
            unique, number = f"{slug}-{number}", number + 1
            self.tries += 1
        self.following[slug] = number
        self.used.add(unique)
        return unique


def heading_slug(title: str) -> str:
    """GitHub's heading anchors, except that ``ops-`` (the site's own element ids) is never produced."""
    from mdit_py_plugins.anchors.index import slugify

    slug = slugify(title)
    return f"section-{slug}" if slug.startswith("ops-") else slug


@lru_cache(maxsize=1)
def _shared_parser() -> MarkdownIt:
    """The validator's parser: :func:`make_parser`, parsing only the inline text an outline reads."""
    parser = make_parser()
    parser.core.ruler.at("inline", _outlined_inlines)
    return parser


def _outlined_inlines(state: StateCore) -> None:
    """markdown-it's ``inline`` rule for the inline text that can hold what :func:`outline_of` reads.

    A link, an image, an autolink or raw HTML starts with ``[`` or ``<``, and a
    heading's text makes its anchor; the other paragraphs, list items and
    table cells (nine in ten inline runs of a runbook) keep no children. The
    outlines are those of the whole parse (property test).
    """
    tokens = state.tokens
    for index, token in enumerate(tokens):
        if token.type != "inline":
            continue
        if token.children is None:
            token.children = []
        text = token.content
        if "[" in text or "<" in text or (index and tokens[index - 1].type == "heading_open"):
            state.md.inline.parse(text, state.md, state.env, token.children)


@dataclass(frozen=True)
class Link:
    """A Markdown link or image as written, and where (1-based, in the file)."""

    href: str
    line: int
    column: int
    image: bool = False


@dataclass(frozen=True)
class Outline:
    """What the validator needs from one runbook body: links, heading anchors, unsafe markup."""

    links: tuple[Link, ...]
    anchors: frozenset[str]
    #: (line, column, what) of markup the site's sanitiser removes
    unsafe: tuple[tuple[int, int, str], ...] = ()


def outline(body: str, body_line: int) -> Outline:
    """Parse ``body`` (which starts on file line ``body_line``) into links and anchors."""
    return outline_of(_shared_parser().parse(body), body.splitlines(), body_line)


def outline_of(tokens: list[Token], lines: list[str], body_line: int) -> Outline:
    """Links and anchors of an already parsed body."""
    links: list[Link] = []
    anchors: set[str] = set()
    unsafe: list[tuple[int, int, str]] = []
    raw: list[tuple[Token, str]] = []  # raw HTML in order, with the block that holds it
    for token in tokens:
        if token.type == "heading_open" and token.attrGet("id") is not None:
            anchors.add(str(token.attrGet("id")))
        if token.type == "inline" and token.children:
            links.extend(_links_in(token, lines, body_line))
            raw.extend((token, c.content) for c in token.children if c.type == "html_inline")
        if token.type in ("html_block", "inline"):
            unsafe.extend(_unsafe_in(token, lines, body_line))
        if token.type == "html_block":
            raw.append((token, token.content))
    if raw and html_depth("".join(text for _, text in raw)) > MAX_HTML_DEPTH:
        first = (raw[0][0].map or (0, 1))[0]
        deep = f"raw HTML nested more than {MAX_HTML_DEPTH} elements deep (it shows all the raw HTML as text)"
        unsafe.append((body_line + first, 1, deep))
    return Outline(tuple(links), frozenset(anchors), tuple(unsafe))


#: raw HTML (or Markdown) the sanitiser drops, and how to name it
_UNSAFE = re.compile(
    r"<\s*(?P<tag>script|iframe|frame|object|embed|form|style|svg|math|base|meta|link|button|textarea)\b"
    r"|\s(?P<handler>on[a-z]+)\s*="
    r"|(?P<scheme>javascript|vbscript|data)\s*:"
    r"|\s(?P<style>style)\s*=",
    re.IGNORECASE,
)


def _unsafe_in(token: Token, lines: list[str], body_line: int) -> Iterator[tuple[int, int, str]]:
    children = token.children or []
    texts = [token.content] if token.type == "html_block" else [c.content for c in children
                                                                if c.type == "html_inline"]
    if token.type == "inline" and "](" in token.content:
        texts.append(" ".join(re.findall(r"\]\(\s*[a-z]+\s*:", token.content, re.IGNORECASE)))
    first, last = token.map or (0, 1)
    for text in texts:
        cursor = Cursor(lines, first, last)
        for match in _UNSAFE.finditer(text):
            line, column = cursor.find(match.group(0).strip())
            yield body_line + line, column, _describe(match)


def _describe(match: re.Match[str]) -> str:
    if match.group("tag"):
        return f"a <{match.group('tag').lower()}> element"
    if match.group("handler"):
        return f"an event handler attribute ({match.group('handler').lower()}=)"
    if match.group("scheme"):
        return f"a {match.group('scheme').lower()}: URL"
    return "a style attribute"


def _links_in(inline: Token, lines: list[str], body_line: int) -> Iterator[Link]:
    first, last = inline.map or (0, 1)
    cursor = Cursor(lines, first, last)
    for child in inline.children or []:
        if child.type == "link_open" and not child.info:  # info "auto": an autolink
            href = str(child.attrGet("href") or "")
        elif child.type == "image":
            href = str(child.attrGet("src") or "")
        else:
            continue
        line, column = cursor.find(href)
        yield Link(href, body_line + line, column, image=child.type == "image")


@dataclass(frozen=True)
class Resolution:
    """Where a link goes.

    ``kind`` is ``external``, ``object`` (a site page), ``anchor`` (this page),
    ``asset`` (a repo file that is no page) or ``broken``.
    """

    kind: str
    object: tuple[str, str] | None = None
    fragment: str = ""
    path: str = ""
    problem: str = ""
    hint: str = ""
    #: for an object whose file did not load: the problem that stopped it (the link leads nowhere)
    cause: Diagnostic | None = None


class LinkResolver:
    """Resolves runbook links against one repo (built once, used for every link)."""

    def __init__(self, repo: Repo) -> None:
        self.repo = repo
        self.objects: dict[str, Mapping[str, Any]] = {
            "runbook": repo.runbooks, "service": repo.services, "alert": repo.alerts,
            "schedule": repo.schedules, "policy": repo.policies, "person": repo.people,
            "team": repo.teams, "postmortem": repo.postmortems,
            "severity": {level.id: level for level in repo.severities},
        }
        self.by_path: dict[str, tuple[str, str]] = {}
        for kind, records in self.objects.items():
            if kind in _PAGE_FOLDERS.values():
                self.by_path.update((record.src.file, (kind, key)) for key, record in records.items())
        self.by_path.update((runbook.path, ("runbook", key)) for key, runbook in repo.runbooks.items())
        if repo.severities:
            self.by_path[repo.severities[0].src.file] = ("severity", "")
        #: (folder of the linking file, href) -> where it leads: a did-you-mean is not worked out 45,000 times
        self._resolved: dict[tuple[str, str], Resolution] = {}
        #: did-you-means left to work out (validate lists the first 100 broken links of a file)
        self._suggestions = SUGGESTIONS

    def resolve(self, source: str, href: str) -> Resolution:
        """Where ``href``, written in the repo file ``source``, leads (worked out once a folder)."""
        key = (posixpath.dirname(source), href)
        found = self._resolved.get(key)
        if found is None:
            found = self._resolved[key] = self._resolve(source, href)
        return found

    def _resolve(self, source: str, href: str) -> Resolution:
        scheme = _SCHEME.match(href)
        if _external(href, scheme):
            return Resolution("external")
        if scheme:
            return self._by_id(scheme.group(1).lower(), href[scheme.end():])
        parts = urlsplit(href)
        fragment = unquote(parts.fragment)
        if not parts.path:
            return Resolution("anchor", fragment=fragment)
        return self._by_path(source, unquote(parts.path), fragment)

    def _by_id(self, scheme: str, rest: str) -> Resolution:
        if scheme not in self.objects:
            close = difflib.get_close_matches(scheme, OBJECT_SCHEMES, n=1, cutoff=0.6)
            return Resolution("broken", problem=f"the site cannot link '{scheme}:' (it removes such links)",
                              hint=f"did you mean '{close[0]}:'?" if close else
                              "link with https:, mailto:, a relative path or one of "
                              + ", ".join(f"{name}:<id>" for name in OBJECT_SCHEMES))
        key, _, fragment = unquote(rest).partition("#")
        known = self.objects[scheme]
        if key in known or (scheme == "severity" and not key):
            return Resolution("object", (scheme, key), fragment)
        loaded_as = scheme if scheme != "policy" else "escalation"
        if self.repo.is_broken(loaded_as, key):  # its own file's error says why; the link follows from it
            return Resolution("object", (scheme, key), fragment, cause=self.repo.broken_cause(loaded_as, key))
        hint = suggest(key, known, scheme) if self._suggesting() else f"check the spelling of the {scheme} id"
        return Resolution("broken", problem=f"unknown {scheme} '{key}'", hint=hint)

    def _by_path(self, source: str, path: str, fragment: str) -> Resolution:
        base = "" if path.startswith("/") else posixpath.dirname(source)
        joined = posixpath.normpath(posixpath.join(base, path.lstrip("/")))
        if joined == ".." or joined.startswith("../"):
            return Resolution("broken", problem=f"'{path}' points outside the ops repo",
                              hint="link to files inside the repo, or use a full https:// URL")
        if joined in self.by_path:
            return Resolution("object", self.by_path[joined], fragment, joined)
        folder = _page_folder(joined)
        if folder is None:
            return Resolution("asset", fragment=fragment, path=joined)
        kind = _PAGE_FOLDERS[folder]
        stem = posixpath.basename(joined).rsplit(".", 1)[0]
        key = joined[len("runbooks/"):-3] if kind == "runbook" else stem
        loaded_as = kind if kind != "policy" else "escalation"
        if self.repo.is_broken(loaded_as, key):  # the file is there but did not load: its error says why
            cause = self.repo.broken_cause(loaded_as, key)
            return Resolution("object", (kind, key), fragment, joined, cause=cause)
        close: list[str] = []
        if self._suggesting():
            here = base or "."
            candidates = [posixpath.relpath(p, here) for p, (k, _) in self.by_path.items() if k == kind]
            close = difflib.get_close_matches(posixpath.relpath(joined, here), candidates, n=1, cutoff=0.8)
        hint = f"did you mean '{close[0]}'?" if close else "paths are relative to the file the link is in"
        return Resolution("broken", problem=f"no {kind} at {joined}", hint=hint)

    def _suggesting(self) -> bool:
        """Whether a did-you-mean is still worked out: each compares with every page of its kind."""
        self._suggestions -= 1
        return self._suggestions >= 0


def leads_anywhere(href: str) -> bool:
    """Whether :meth:`LinkResolver.resolve` answers the same for ``href`` in every repo and file.

    True for an external URL and for an anchor on the same page: a page
    written earlier needs no check that such a link still leads where it did.
    """
    scheme = _SCHEME.match(href)
    return _external(href, scheme) or (scheme is None and not urlsplit(href).path)


def _external(href: str, scheme: re.Match[str] | None) -> bool:
    """An external URL: another site (``//host``) or a scheme opsrepo leaves as it is."""
    return href.startswith("//") or (scheme is not None and scheme.group(1).lower() in EXTERNAL_SCHEMES)


def _page_folder(path: str) -> str | None:
    """The page folder a ``.md``/``.yaml`` path would be a page of, if any."""
    folder, _, name = path.rpartition("/")
    if name.endswith(".md") and (folder == "runbooks" or folder.startswith("runbooks/")):
        return "runbooks"
    if name.endswith(".md") and folder == "postmortems":
        return "postmortems"
    if name.endswith((".yaml", ".yml")) and folder in _PAGE_FOLDERS:
        return folder
    return None


def runbook_outline(runbook: Runbook) -> Outline:
    """The links and anchors of a runbook."""
    return outline(runbook.body, runbook.body_line)
