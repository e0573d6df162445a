"""The HTML calendars carry the site's colours (a copy in ``calendar/html.STYLE``): the copy must not drift.

The calendars are a standalone output (``opsrepo calendar html``) with one
stylesheet of their own, so they copy the site's palette rather than link
to ``static/site.css``; this test is what keeps the two in step.
"""

from __future__ import annotations

import re
from importlib.resources import files

from opsrepo.calendar.html import STYLE

_VARIABLE = re.compile(r"--([\w-]+):\s*([^;]+);")


def palettes(css: str) -> tuple[dict[str, str], dict[str, str]]:
    """The custom properties of the first ``:root`` (light) and of the one in the dark media query."""
    light = css[css.index(":root"):]
    light = light[:light.index("}")]
    dark = css[css.index("@media (prefers-color-scheme: dark)"):]
    dark = dark[dark.index(":root"):]
    dark = dark[:dark.index("}")]
    return dict(_VARIABLE.findall(light)), dict(_VARIABLE.findall(dark))


def test_the_calendars_colours_are_the_sites() -> None:
    site = files("opsrepo.site").joinpath("static/site.css").read_text(encoding="utf-8")
    site_light, site_dark = palettes(site)
    light, dark = palettes(STYLE)
    assert sorted(light) == sorted(dark) == ["bg", "fg", "focus", "line", "link", "muted", "soft"]
    assert light == {name: site_light[name] for name in light}
    assert dark == {name: site_dark[name] for name in dark}
