"""How deep raw HTML in Markdown nests: the sanitiser takes quadratic time in it.

Markdown's own nesting is bounded by the parser (``maxNesting``), raw HTML
is not: 150,000 nested ``<div>`` kept the site's sanitiser busy for over two
minutes a page. Past :data:`MAX_HTML_DEPTH` the site shows a body's raw HTML
as text, and ``validate`` warns (OPS606).
"""

from __future__ import annotations

import re

MAX_HTML_DEPTH = 100
#: elements that never hold others
VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
                  "track", "wbr"})
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)[^<>]*?(/?)>")


def html_depth(html: str, limit: int = MAX_HTML_DEPTH) -> int:
    """How many elements ``html`` nests (counting stops a little past ``limit``); linear in its length."""
    depth = deepest = 0
    for match in _TAG.finditer(html):
        closing, name, self_closing = match.group(1), match.group(2).lower(), match.group(3)
        if closing:
            depth = max(depth - 1, 0)
        elif name not in VOID and not self_closing:
            depth += 1
            deepest = max(deepest, depth)
            if deepest > limit:
                break
    return deepest
