"""The site's most called template snippets, written in Python.

``a``, ``people`` and ``local`` were Jinja macros called 67,000 times for
1620 pages, and a timeline bar was a dozen outputs of a loop run 10,000
times; a macro call costs Jinja a frame, a context and a ``Markup`` join.
These functions make exactly what the templates made: every value is
escaped as ``{{ }}`` would escape it, and the result is marked safe as a
macro's output is.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

import markupsafe
from markupsafe import Markup, escape

#: MarkupSafe 3's escaping of a plain string (its ``escape`` wraps this C function in two Python calls)
_ESCAPE_STR: Callable[[str], str] = getattr(markupsafe, "_escape_inner", escape)


def escaped(value: Any) -> str:
    """``value`` as ``{{ value }}`` writes it, escaped, as text (``Markup`` only costs more to make).

    Strings, numbers and markup take a short way (a number's text has
    nothing to escape); anything else goes through MarkupSafe's ``escape``.
    """
    kind = type(value)
    if kind is str:
        return _ESCAPE_STR(value)
    if kind is int or kind is float or kind is Markup:
        return str(value)
    return escape(value)


def a(target: Any) -> Markup:
    """A link to ``target`` (``{"href", "text"}``), its text alone without an href, nothing for none."""
    if not target:
        return Markup("")
    href = _field(target, "href")
    if href:
        return Markup(f'<a href="{escaped(href)}">{escaped(_field(target, "text"))}</a>')
    return Markup(escaped(_field(target, "text")))


def people(targets: Iterable[Any]) -> Markup:
    """Links to each target, separated by commas."""
    return Markup(", ").join([a(target) for target in targets])


def local(text: str, iso: str, zone: str, relative: bool = False) -> Markup:
    """A time that zone.js shows in the viewer's zone (``relative``: also as "in 3 hours")."""
    flag = " data-relative" if relative else ""
    shown = escaped(text)
    return Markup(f'<time datetime="{escaped(iso)}" data-local{flag} title="{shown} ({escaped(zone)})">'
                  f"{shown}</time>")


def timeline_bar(bar: Mapping[str, Any], row_y: int, row_height: int) -> Markup:
    """One bar of a schedule's timeline (a row of ``row_height`` at ``row_y``), with its times as a tooltip.

    The hottest loop of a schedule page: a row's bars were a dozen template outputs each.
    """
    hue = bar["hue"]
    classes = f"tl-bar tl-{escaped(bar['kind'])}" + ("" if hue is None else f" hue-{escaped(hue)}")
    return Markup(f'<svg class="{classes}" x="{escaped(bar["x"])}%" y="{row_y + 3}"'
                  f' width="{escaped(bar["width"])}%" height="{row_height - 6}">'
                  f'<title>{escaped(bar["title"])}</title><rect width="100%" height="100%" rx="3"></rect>'
                  f'<text x="4" y="{(row_height - 6) // 2 + 5}">{escaped(bar["label"])}</text></svg>')


def _field(target: Any, name: str) -> Any:
    """``target.name`` as a template reads it: a dict's key (page data is plain dicts), else an attribute."""
    return target[name] if type(target) is dict or isinstance(target, Mapping) else getattr(target, name)


#: the functions templates call, by name
TAGS = {"a": a, "people": people, "local": local, "timeline_bar": timeline_bar}
