"""Markdown to safe HTML: parse, rewrite links for the site, highlight code, sanitise.

The sanitised HTML this module returns is the only author text the site marks
safe. Whatever the parser or the highlighter let through, nh3 keeps only an
allow-list of tags and attributes, drops every URL scheme that can run code,
and removes ``<script>`` and ``<style>`` with their content.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import nh3
from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

from opsrepo.rules.html_depth import MAX_HTML_DEPTH, html_depth
from opsrepo.rules.link_positions import Cursor
from opsrepo.rules.runbook_links import EXTERNAL_SCHEMES, Link, make_parser

#: tags authors may use (no script, style, iframe, form, svg, math, object, embed, base, meta, link)
TAGS = frozenset({
    "a", "abbr", "b", "blockquote", "br", "caption", "code", "col", "colgroup", "dd", "del", "details", "div",
    "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "input",
    "ins", "kbd", "label", "li", "mark", "ol", "p", "pre", "q", "s", "samp", "small", "span", "strong", "sub",
    "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "time", "tr", "u", "ul", "var", "wbr",
})
#: attributes per tag; no event handlers, no style, no srcset (a heading's link to itself is not searched)
ATTRIBUTES = {
    "a": {"href", "title", "class", "aria-label", "data-pagefind-ignore"},
    "img": {"src", "alt", "title", "width", "height"},
    "h1": {"id"}, "h2": {"id"}, "h3": {"id"}, "h4": {"id"}, "h5": {"id"}, "h6": {"id"},
    "input": {"checked", "class", "aria-labelledby"},
    "th": {"class", "colspan", "rowspan"}, "td": {"class", "colspan", "rowspan"},
    "code": {"class"}, "pre": {"class"}, "span": {"class", "id"}, "div": {"class"}, "li": {"class"},
    "ul": {"class"}, "ol": {"start"}, "details": {"open"}, "time": {"datetime"}, "abbr": {"title"},
}
_ID = re.compile(r"^[\w-]{1,200}\Z")
_CLASS = re.compile(r"[\w-]{1,60}\Z")
#: class words each of which ``_CLASS`` keeps, one space apart
_CLASSES = re.compile(r"[\w-]{1,60}(?: [\w-]{1,60})*\Z")
_ALIGN = re.compile(r"^text-align:(left|right|center)\Z")
#: the start of the checkbox the task list plugin puts at the head of an item
_TASK_BOX = '<input class="task-list-item-checkbox"'


@dataclass
class Rendered:
    """A Markdown body as safe HTML and its headings."""

    html: str
    #: (level, id, text) of each heading, for a table of contents
    headings: list[tuple[int, str, str]] = field(default_factory=list)


#: rewrites one link or image target: the new href, or None to drop the link (keeping its text)
LinkRewriter = Callable[[Link], str | None]


def render_markdown(body: str, body_line: int, rewrite: LinkRewriter, title: str | None = None) -> Rendered:
    """Render ``body`` (first line at file line ``body_line``) to sanitised HTML.

    A first heading that repeats ``title`` (the page shows the title itself) is left out.
    """
    parser = _parser()
    tokens = _without_title(parser.parse(body), title)
    if html_depth("".join(t.content for t in _raw_html(tokens))) > MAX_HTML_DEPTH:
        parser = _parser(raw_html=False)  # shown as text: the sanitiser takes quadratic time in deep nesting
        tokens = _without_title(parser.parse(body), title)
    headings = _prepare(tokens, rewrite, _Where(body.splitlines(), body_line))
    html = parser.renderer.render(tokens, parser.options, {})
    return Rendered(sanitise(html), headings)


def _raw_html(tokens: list[Token]) -> list[Token]:
    """The raw HTML of a body, in order (blocks, and the inline pieces of each paragraph)."""
    found = []
    for token in tokens:
        if token.type == "html_block":
            found.append(token)
        elif token.type == "inline":
            found.extend(child for child in token.children or [] if child.type == "html_inline")
    return found


def sanitise(html: str) -> str:
    """Keep only the allow-listed tags, attributes and URL schemes."""
    cleaned: str = _cleaner().clean(html)
    return cleaned


@lru_cache(maxsize=1)
def _cleaner() -> nh3.Cleaner:
    """The sanitiser, configured once (``nh3.clean`` converts its allow-lists at every call)."""
    return nh3.Cleaner(
        tags=set(TAGS), clean_content_tags={"script", "style"}, attributes=ATTRIBUTES,
        attribute_filter=_attribute_filter, url_schemes=set(EXTERNAL_SCHEMES), strip_comments=True,
        link_rel="noopener noreferrer", set_tag_attribute_values={"input": {"type": "checkbox"}},
    )


def _attribute_filter(tag: str, name: str, value: str) -> str | None:
    if name == "class":
        if _CLASSES.match(value):  # every word kept, as the highlighter writes them: the value as it is
            return value
        return " ".join(word for word in value.split() if _CLASS.match(word)) or None
    if name == "id":
        return value if _ID.match(value) else None
    return value


@lru_cache(maxsize=2)
def _parser(raw_html: bool = True) -> MarkdownIt:
    parser = make_parser(highlight=highlight, raw_html=raw_html)
    parser.core.ruler.at("normalize", _normalize)
    return parser


def _normalize(state: StateCore) -> None:
    r"""markdown-it's first rule without its regular expressions: line endings to ``\n``, NUL to U+FFFD.

    The same text as markdown-it's own rule, which replaces every line ending by a regular expression (each
    ``\n`` by itself too): 25 us of a 4 KB runbook, for nothing but the rare
    ``\r`` or NUL.
    """
    source = state.src
    if "\r" in source:
        source = source.replace("\r\n", "\n").replace("\r", "\n")
    if "\0" in source:
        source = source.replace("\0", "\ufffd")
    state.src = source


def _without_title(tokens: list[Token], title: str | None) -> list[Token]:
    if title is None or len(tokens) < 3 or tokens[0].type != "heading_open" or tokens[0].tag != "h1":
        return tokens
    text = " ".join(tokens[1].content.split()).casefold()
    return tokens[3:] if text == " ".join(title.split()).casefold() else tokens


@dataclass
class _Where:
    lines: list[str]
    body_line: int
    #: the block whose links are being found, and where the last one was
    cursor: tuple[int, Cursor] | None = None

    def link(self, href: str, block: Token, image: bool) -> Link:
        """The link as written, found after the previous link of its block (as the validator finds it)."""
        if self.cursor is None or self.cursor[0] != id(block):
            first, last = block.map or (0, 1)
            self.cursor = (id(block), Cursor(self.lines, first, last))
        line, column = self.cursor[1].find(href)
        return Link(href, self.body_line + line, column, image)


def _prepare(tokens: list[Token], rewrite: LinkRewriter, where: _Where) -> list[tuple[int, str, str]]:
    """Rewrite links, align table cells with classes, add heading permalinks, label task boxes."""
    headings: list[tuple[int, str, str]] = []
    tasks = 0
    for index, token in enumerate(tokens):
        if token.type == "inline" and token.children and _is_task(token.children[0]):
            tasks += 1
            _label_task(token, f"ops-task-{tasks}")
        if token.type in ("th_open", "td_open"):
            _align(token)
        elif token.type == "heading_open" and token.attrGet("id"):
            headings.append(_permalink(token, tokens[index + 1]))
        if token.type == "inline" and token.children:
            token.children = _rewrite_links(token, rewrite, where)
    return headings


def _is_task(child: Token) -> bool:
    return child.type == "html_inline" and child.content.startswith(_TASK_BOX)


def _label_task(inline: Token, anchor: str) -> None:
    """Name a task's checkbox by the item's text in a ``<span>``, not a ``<label>`` around both.

    A label would do the same for a screen reader, but search indexers (Pagefind)
    skip a label's text, so no step of a checklist could be found.
    """
    box, *text = inline.children or []
    checked = ' checked="checked"' if 'checked="checked"' in box.content else ""
    box.content = f'{_TASK_BOX}{checked} type="checkbox" aria-labelledby="{anchor}">'
    inline.children = [box, Token("html_inline", "", 0, content=f'<span id="{anchor}">'), *text,
                       Token("html_inline", "", 0, content="</span>")]


def _align(token: Token) -> None:
    style = token.attrGet("style")
    if style is None:
        return
    del token.attrs["style"]
    match = _ALIGN.match(str(style))
    if match:
        token.attrSet("class", f"align-{match.group(1)}")


def _permalink(heading: Token, inline: Token) -> tuple[int, str, str]:
    anchor = str(heading.attrGet("id"))
    text = "".join(c.content for c in inline.children or [] if c.type in ("text", "code_inline"))
    link = Token("link_open", "a", 1, attrs={"class": "anchor", "href": f"#{anchor}",
                                                "aria-label": f"Link to this section: {text}"[:200],
                                                "data-pagefind-ignore": ""})
    inline.children = [*(inline.children or []), Token("text", "", 0, content=" "), link,
                       Token("text", "", 0, content="#"), Token("link_close", "a", -1)]
    return int(heading.tag[1]), anchor, text


def _rewrite_links(block: Token, rewrite: LinkRewriter, where: _Where) -> list[Token]:
    kept: list[Token] = []
    dropping = 0
    for child in block.children or []:
        if child.type == "link_open" and child.info != "auto":
            href = rewrite(where.link(str(child.attrGet("href") or ""), block, False))
            if href is None:
                dropping += 1
                continue
            child.attrSet("href", href)
        elif child.type == "link_close" and dropping:
            dropping -= 1
            continue
        elif child.type == "image":
            src = rewrite(where.link(str(child.attrGet("src") or ""), block, True))
            if src is None:
                continue
            child.attrSet("src", src)
        kept.append(child)
    return kept


def prepare() -> None:
    """Make the parser, the sanitiser and the highlighter's formatter now (e.g. once, before forking workers).

    Each is made at its first use otherwise: in every worker, twice the
    imports and set-up (Pygments' alone is 20-30 ms).
    """
    import pygments.lexers  # noqa: F401  (the lexers' index, which finding a lexer reads)

    _parser()
    _cleaner()
    _formatter()


@lru_cache(maxsize=256)
def _lexer(language: str) -> Any:
    from pygments.lexers import get_lexer_by_name
    from pygments.util import ClassNotFound

    try:
        return get_lexer_by_name(language, stripnl=False, ensurenl=False)
    except ClassNotFound:
        return None


@lru_cache(maxsize=1)
def _formatter() -> Any:
    """One HTML formatter (making one builds its whole style sheet: a third of highlighting a block)."""
    from pygments.formatters import HtmlFormatter

    return HtmlFormatter(nowrap=True)


def highlight(code: str, language: str, _attrs: str) -> str:
    """A fenced code block as ``<pre class="highlight">`` with Pygments classes ('' when unknown)."""
    from pygments import highlight as pygments_highlight

    lexer = _lexer(language.lower()) if language and re.fullmatch(r"[\w+#.-]{1,40}", language) else None
    if lexer is None:
        return ""
    body = pygments_highlight(code, lexer, _formatter())
    return f'<pre class="highlight"><code class="language-{language.lower()}">{body}</code></pre>'
