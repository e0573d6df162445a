"""The Python template tags make what the Jinja macros they replace made, escaping included."""

from __future__ import annotations

from typing import Any

import jinja2
import pytest
from markupsafe import Markup

from opsrepo.site.render import environment
from opsrepo.site.tags import a, local, people, timeline_bar

#: the macros as they were (templates/macros.html and zone.html), rendered the way the site renders
MACROS = """\
{% macro a(target) -%}
{%- if target and target.href %}<a href="{{ target.href }}">{{ target.text }}</a>{% elif target %}{{ target.text }}{% endif -%}
{%- endmacro %}
{% macro people(list) -%}
{%- for p in list %}{{ a(p) }}{% if not loop.last %}, {% endif %}{% endfor -%}
{%- endmacro %}
{% macro bar(b, row, view) -%}
<svg class="tl-bar tl-{{ b.kind }}{% if b.hue is not none %} hue-{{ b.hue }}{% endif %}" x="{{ b.x }}%" y="{{ row.y + 3 }}" width="{{ b.width }}%" height="{{ view.row - 6 }}"><title>{{ b.title }}</title><rect width="100%" height="100%" rx="3"></rect><text x="4" y="{{ (view.row - 6) // 2 + 5 }}">{{ b.label }}</text></svg>
{%- endmacro %}
{% macro local(text, iso, zone, relative=False) -%}
<time datetime="{{ iso }}" data-local{% if relative %} data-relative{% endif %} title="{{ text }} ({{ zone }})">{{ text }}</time>
{%- endmacro %}
"""

TARGETS: list[Any] = [
    None, {}, {"href": "people/ana.html", "text": "Ana"}, {"href": None, "text": "Bo <b>&\"'"},
    {"href": "", "text": 7}, {"href": 'a"b<c>&d', "text": "x & y"},
]


def _macros() -> Any:
    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined, trim_blocks=True,
                             lstrip_blocks=True, keep_trailing_newline=True)
    return env.from_string(MACROS).module


@pytest.mark.parametrize("target", TARGETS)
def test_a_is_the_macro(target: Any) -> None:
    assert str(a(target)) == str(_macros().a(target))


def test_a_writes_an_escaped_link() -> None:
    assert a({"href": 'x"y.html', "text": "<Ana & Bo>"}) == '<a href="x&#34;y.html">&lt;Ana &amp; Bo&gt;</a>'


def test_people_is_the_macro() -> None:
    listed = [t for t in TARGETS if t]
    assert str(people(listed)) == str(_macros().people(listed))
    assert str(people([])) == str(_macros().people([])) == ""
    assert people(listed[:2]) == '<a href="people/ana.html">Ana</a>, Bo &lt;b&gt;&amp;&#34;&#39;'


@pytest.mark.parametrize("relative", [False, True])
def test_local_is_the_macro(relative: bool) -> None:
    args = ("Mon 7 Dec <09:00>", "2026-12-07T09:00:00+01:00", "Europe/Paris & co", relative)
    assert str(local(*args)) == str(_macros().local(*args))


def test_local_writes_a_time_for_zone_js() -> None:
    assert local("09:00", "2026-12-07T09:00:00Z", "UTC", True) == (
        '<time datetime="2026-12-07T09:00:00Z" data-local data-relative title="09:00 (UTC)">09:00</time>')


def test_templates_output_tags_unescaped() -> None:
    template = environment().from_string("{{ people(list) }} at {{ local(t, iso, zone) }}")
    assert template.render(list=[{"href": "a.html", "text": "A"}], t="9", iso="Z", zone="UTC") == (
        '<a href="a.html">A</a> at <time datetime="Z" data-local title="9 (UTC)">9</time>')


class _Html:
    def __html__(self) -> str:
        return "<b>safe</b>"


def test_outputs_escape_as_jinja_does() -> None:
    """The site's environment outputs plain-string escapes; every kind of value comes out as Jinja's own."""
    source = ('{% macro m(x) %}[{{ x }}]{% endmacro %}{% set block %}<{{ s }}>{% endset %}'
              '{{ s }} {{ n }} {{ f }} {{ tiny }} {{ yes }} {{ none }} {{ html }} {{ markup }} {{ m(s) }} {{ block }} {{ s ~ markup }}'
              ' {{ [s]|join(",") }} {{ d.k }} {% for c in s %}{{ c }}{% endfor %}')
    values = {"s": "<a href=\"x\">'&'</a>", "n": 3, "f": 12.5, "tiny": -2.5e-07, "yes": True, "none": None, "html": _Html(),
              "markup": Markup("<i>x</i>"), "d": {"k": "a<b"}}
    plain = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
    assert environment().from_string(source).render(values) == plain.from_string(source).render(values)
    assert environment().from_string("{{ s }}{{ m }}").render(s="<&>", m=Markup("<i>")) == "&lt;&amp;&gt;<i>"


@pytest.mark.parametrize("bar", [
    {"x": 0, "width": 14.286, "label": "Ana <a&b>", "kind": "layer", "hue": 3, "title": "Ana: Mon 09:00 to \"x\""},
    {"x": 57.143, "width": 0.5, "label": "gap: nobody on call", "kind": "gap", "hue": None, "title": "gap"},
])
def test_timeline_bar_is_the_template_line(bar: dict[str, Any]) -> None:
    made = timeline_bar(bar, 48, 30)
    assert str(made) == str(_macros().bar(bar, {"y": 48}, {"row": 30}))
    if bar["hue"] is None:
        assert made == ('<svg class="tl-bar tl-gap" x="57.143%" y="51" width="0.5%" height="24"><title>gap</title>'
                        '<rect width="100%" height="100%" rx="3"></rect><text x="4" y="17">gap: nobody on call</text></svg>')


def test_templates_call_tags_and_macros_in_loops() -> None:
    template = environment().from_string(
        "{% macro m(x) %}<{{ x }}>{% endmacro %}{% for p in ps %}{{ a(p) }}{{ m(loop.index) }}{% endfor %}"
        "{% for p in ps %}{% set q = p %}{{ people([q]) }}{% endfor %}")
    assert template.render(ps=[{"href": "a.html", "text": "A"}, {"href": None, "text": "B&"}]) == (
        '<a href="a.html">A</a><1>B&amp;<2><a href="a.html">A</a>B&amp;')


def test_calling_an_undefined_name_still_fails() -> None:
    with pytest.raises(jinja2.UndefinedError, match="'nosuchtag' is undefined"):
        environment().from_string("{% for p in [1] %}{{ nosuchtag(p) }}{% endfor %}").render()
