"""The site's one Jinja environment, and rendering one page to HTML.

Autoescape is on for every template and undefined names fail the build
(``StrictUndefined``). The only markup marked safe is the sanitised Markdown
from :mod:`opsrepo.site.markdown`.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
from collections.abc import Mapping, MutableMapping
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jinja2
from markupsafe import Markup

from opsrepo import __version__
from opsrepo.codedigest import code_digest
from opsrepo.csp import CSP, CSP_404
from opsrepo.site.markdown import Rendered
from opsrepo.site.state import Page
from opsrepo.site.tags import TAGS, escaped
from opsrepo.site.urls import Linker
from opsrepo.site.views.common import nav
from opsrepo.usercache import UNUSED_DAYS, VARIABLE, cache_folder, remove_unused, trusted

TEMPLATES = Path(__file__).parent / "templates"
STATIC = Path(__file__).parent / "static"

#: the end of an element that holds a piece of text of its own, right before the next tag
_TEXT_END = re.compile(r"(</(?:p|div|li|dt|dd|th|td|tr|thead|tbody|table|ul|ol|dl|h[1-6]|section|header"
                       r"|footer|nav|blockquote|figure|figcaption|caption|details|summary)>)(?=<)")
_PRE = re.compile(r"(<pre\b.*?</pre>)", re.S)


class _Template(jinja2.Template):
    """A template whose ``{{ }}`` outputs escape through :func:`opsrepo.site.tags.escaped`.

    Jinja's compiled code calls ``escape`` only on what it outputs, and joins
    the output as text, so a plain string escaped the same way makes the same
    page; ``escape`` returns ``Markup``, whose construction is a third of the
    cost of the 580,000 outputs of a 1620-page site.
    """

    @classmethod
    def _from_namespace(cls, environment: jinja2.Environment, namespace: MutableMapping[str, Any],
                        globals: MutableMapping[str, Any]) -> jinja2.Template:
        namespace["escape"] = escaped
        return super()._from_namespace(environment, namespace, globals)


class _Context(jinja2.runtime.Context):
    """A context that calls the Python tags directly.

    Jinja's ``call`` looks for a context, environment or loop argument to
    pass on every call; the tags take none (the loop's variables Jinja hands
    every call made in a loop are dropped), and they are most of the calls.
    """

    def call(__self, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        """``__obj(*args, **kwargs)``, with Jinja's own call for anything but a tag."""
        if id(__obj) in _TAG_IDS:
            kwargs.pop("_loop_vars", None)
            kwargs.pop("_block_vars", None)
            return __obj(*args, **kwargs)
        return super().call(__obj, *args, **kwargs)


#: the on-call part of runbook pages as rendered, by the data it was rendered from (kept with it, so that
#: its id is not another's): :func:`opsrepo.site.views.responders.responders` makes that data once per set
#: of services and folder, and a team's runbooks in a folder name the same few services
_SECTIONS: dict[int, tuple[Mapping[str, Any], Markup]] = {}
#: sections kept at most (a site's folders times the sets of services their runbooks name)
_SECTIONS_KEPT = 256


def responders_section(responders: Mapping[str, Any]) -> Markup:
    """A runbook page's "who is on call" part (``responders.html``): rendered once for the same data.

    It was half of a runbook page's rendering, the same for every runbook of
    a folder that names the same services.
    """
    known = _SECTIONS.get(id(responders))
    if known is not None and known[0] is responders:
        return known[1]
    html = Markup(environment().get_template("responders.html").render(responders=responders))
    if len(_SECTIONS) >= _SECTIONS_KEPT:
        _SECTIONS.clear()
    _SECTIONS[id(responders)] = (responders, html)
    return html


#: the functions templates call directly (see :class:`_Context`)
_TAG_IDS = frozenset(id(tag) for tag in [*TAGS.values(), responders_section])


class _Environment(jinja2.Environment):
    """Page data is plain dicts, so ``a.b`` looks the key up first.

    Jinja's default tries the attribute first, which for a dict fails with an
    exception before the key is tried: a third of the time of rendering a
    schedule page. No template calls a dict method, so the result is the same.
    """

    template_class = _Template
    context_class = _Context

    def getattr(self, obj: Any, attribute: str) -> Any:
        """``obj[attribute]`` for a dict holding that key, else Jinja's own lookup."""
        if type(obj) is dict:
            try:
                return obj[attribute]
            except KeyError:
                pass
        return super().getattr(obj, attribute)


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    """The Jinja environment: autoescape on, strict undefined, templates from the package.

    Templates compiled once are kept between builds (:func:`template_cache`):
    compiling the site's templates took a tenth of a second of every build.
    """
    env = _Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True, undefined=jinja2.StrictUndefined,
        trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True, auto_reload=False,
        bytecode_cache=template_cache(),
    )
    env.globals.update(TAGS, responders_section=responders_section)
    return env


#: where compiled templates are kept: a folder per design in the user's cache folder, which this names
CACHE_VARIABLE = VARIABLE
_CACHE_PREFIX = "templates-"
#: another design's compiled templates are removed when unused for this many days
CACHE_UNUSED_DAYS = UNUSED_DAYS


class _TemplateCache(jinja2.FileSystemBytecodeCache):
    """Jinja's bytecode cache in a folder of its own; a cache it cannot write is no reason to fail a build."""

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        """Keep the compiled template, if the folder takes it."""
        with contextlib.suppress(OSError):
            super().dump_bytecode(bucket)


def template_cache() -> jinja2.BytecodeCache | None:
    """The compiled templates' cache: ``$XDG_CACHE_HOME/opsrepo/templates-<design>/`` (else ``~/.cache``).

    A template's compiled code depends on its text (Jinja checks that), the
    environment's options and the Jinja and Python that compiled it: the folder
    is named by the design's fingerprint (the templates and opsrepo's code)
    and Jinja's version, and Jinja marks the code with Python's. A build marks
    its folder used (its modification time); making a folder removes the other
    designs' folders unused for :data:`CACHE_UNUSED_DAYS` days, so two opsrepo
    versions used in turn keep theirs. None when there is no cache folder to
    use (the templates are then compiled in every process, as without), or
    when the folder is another user's or others may write to it: Jinja runs
    the code it finds there, so a planted file would run in the build.
    """
    base = cache_folder()
    if base is None:
        return None
    parent = Path(base)
    folder = parent / f"{_CACHE_PREFIX}{design_fingerprint()[:20]}-{jinja2.__version__}"
    if folder.is_dir():
        if not trusted(folder.stat()):
            return None
        with contextlib.suppress(OSError):
            os.utime(folder)
        return _TemplateCache(str(folder), "%s.jinja")
    try:
        folder.mkdir(parents=True, mode=0o700)
    except FileExistsError:
        pass  # made by another build meanwhile
    except OSError:
        return None
    remove_unused(parent.glob(f"{_CACHE_PREFIX}*"), folder)
    return _TemplateCache(str(folder), "%s.jinja")


def compile_templates() -> None:
    """Compile every template of the site now (the environment keeps them), e.g. before forking workers."""
    env = environment()
    for name in sorted(path.name for path in TEMPLATES.glob("*.html")):
        env.get_template(name)


def http_url(value: str | None) -> str | None:
    """``value`` when it is an http(s) URL, else None (a config value never becomes a script URL)."""
    if not value:
        return None
    return value if urlsplit(value.strip()).scheme.lower() in ("http", "https") else None


def site_globals(title: str, org: str, repo_url: str | None, base_url: str | None) -> dict[str, Any]:
    """What every page shows about the site."""
    return {"title": title, "org": org, "repo_url": http_url(repo_url), "version": __version__,
            "base_path": base_path(base_url)}


def base_path(base_url: str | None) -> str:
    """The site's path on its host, ending in ``/`` (the 404 page's ``<base href>``).

    Only a plain absolute path: ``https://good.example//evil.example/`` has the
    path ``//evil.example/``, which as a base would load the 404 page's
    scripts from another host (the schema refuses it too).
    """
    path = urlsplit(http_url(base_url) or "/").path or "/"
    segments = path.split("/")[1:]
    if not path.startswith("/") or "\\" in path or any(s in ("", ".", "..") for s in segments[:-1]):
        return "/"
    return path if path.endswith("/") else path + "/"


def section_of(path: str) -> str:
    """The header's current section: ``runbooks`` for ``runbooks/x.html`` and ``runbooks.html``."""
    first = path.split("/", 1)[0]
    return "home" if first == "index.html" else first.removesuffix(".html")


def render_page(page: Page, site: Mapping[str, Any], rendered: Rendered | None) -> str:
    """The HTML of one page."""
    link = Linker(page.path)
    template = environment().get_template(page.template)
    context = {
        **page.data, "site": {**site, "csp": CSP_404 if page.path == "404.html" else CSP},
        "title": page.title, "root": link.root, "nav": nav(link), "section": section_of(page.path),
        "search_kind": page.search, "base_path": site["base_path"],
        "body": Markup(rendered.html) if rendered is not None else "",
        "toc": rendered.headings if rendered is not None else [],
        # <body data-template>: the browser tests find a page of every template by it
        "template": page.template.removesuffix(".html"),
    }
    return spaced(template.render(context))


def spaced(page_html: str) -> str:
    """``page_html`` with a line break between an element holding its own text and the next tag.

    Browsers lay such elements out apart, but a search indexer reads
    ``<dt>Team</dt><dd>Payments</dd>`` or ``<th>Item</th><th>Owner</th>`` as
    one word ("TeamPayments"), so a person's team or a post-mortem's severity
    could not be found. Preformatted text is left as it is.
    """
    pieces = _PRE.split(page_html)
    return "".join(piece if index % 2 else _TEXT_END.sub(_line_break_after, piece)
                   for index, piece in enumerate(pieces))


def _line_break_after(match: re.Match[str]) -> str:
    # a function, not the template "\\1\n": Python 3.11 expands a template per match at twice the cost
    return match[1] + "\n"


@lru_cache(maxsize=1)
def design_fingerprint() -> str:
    """A hash of the templates, the static files and opsrepo's code: a changed design re-renders every page.

    The code counts because a page none of whose inputs changed is not made
    again: without it, an opsrepo whose views changed but not its version
    (an editable install, between releases) would keep the old pages.
    """
    digest = hashlib.blake2b(code_digest(), digest_size=16)  # the version and the code
    for folder in (TEMPLATES, STATIC):
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                digest.update(path.relative_to(folder).as_posix().encode() + b"\0" + path.read_bytes())
    digest.update(CSP.encode())
    return digest.hexdigest()
