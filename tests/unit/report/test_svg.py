"""Hand-written SVG charts: whole output, escaping, no external resources, axis ticks."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Callable

import pytest

from opsrepo.report.svg import PALETTE, Series, horizontal_bars, lines, stacked_bars, ticks

SVG = "{http://www.w3.org/2000/svg}"


def test_a_small_bar_chart_whole() -> None:
    assert stacked_bars("c", "T", "D", ["a", "b"], [Series("x", (1.0, 2.0))]) == (
        '<svg xmlns="http://www.w3.org/2000/svg" id="c" class="opsrepo-chart" viewBox="0 0 720 300" role="img" '
        'aria-labelledby="c-title c-desc" font-family="system-ui, sans-serif" font-size="12" fill="currentColor">'
        '<title id="c-title">T</title><desc id="c-desc">D</desc>'
        '<g aria-hidden="true"><rect class="s0" fill="#0072B2" x="64" y="10" width="12" height="12"/>'
        '<text x="80" y="20">x</text></g>'
        '<g aria-hidden="true"><line class="grid" stroke="currentColor" stroke-opacity="0.2" x1="64" x2="704" '
        'y1="260.0" y2="260.0"/><text x="58" y="264.0" text-anchor="end">0</text>'
        '<line class="grid" stroke="currentColor" stroke-opacity="0.2" x1="64" x2="704" y1="148.0" y2="148.0"/>'
        '<text x="58" y="152.0" text-anchor="end">1</text>'
        '<line class="grid" stroke="currentColor" stroke-opacity="0.2" x1="64" x2="704" y1="36.0" y2="36.0"/>'
        '<text x="58" y="40.0" text-anchor="end">2</text></g>'
        '<rect class="s0" fill="#0072B2" x="112.0" y="148.0" width="224.0" height="112.0"><title>a, x: 1</title>'
        '</rect><rect class="s0" fill="#0072B2" x="432.0" y="36.0" width="224.0" height="224.0">'
        "<title>b, x: 2</title></rect>"
        '<line class="axis" stroke="currentColor" stroke-opacity="0.6" x1="64" x2="704" y1="260" y2="260"/>'
        '<g aria-hidden="true"><text x="224.0" y="278" text-anchor="middle">a</text>'
        '<text x="544.0" y="278" text-anchor="middle">b</text></g></svg>'
    )


def test_no_inline_style_so_a_strict_csp_keeps_the_charts() -> None:
    for draw in (stacked_bars, lines, horizontal_bars):
        svg = draw("c", "T", "D", ["a"], [Series("x", (1.0,))])
        assert "<style" not in svg and "style=" not in svg


def test_the_palette_has_3_to_1_contrast_on_light_and_dark_backgrounds() -> None:
    def luminance(colour: str) -> float:
        channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    for colour in PALETTE:
        value = luminance(colour)
        assert 1.05 / (value + 0.05) >= 3 and (value + 0.05) / (luminance("#121212") + 0.05) >= 3, colour


HOSTILE = '<script>alert("x")</script> & \'q\''


@pytest.mark.parametrize("draw", [stacked_bars, lines, horizontal_bars])
def test_text_from_the_repo_is_escaped_and_nothing_is_external(draw: Callable[..., str]) -> None:
    svg = draw("chart-x", HOSTILE, HOSTILE, [HOSTILE, "b"], [Series(HOSTILE, (1.0, None))])
    root = ET.fromstring(svg)        # well-formed XML
    assert (root.findtext(f"{SVG}title"), root.findtext(f"{SVG}desc")) == (HOSTILE, HOSTILE)
    assert "<script" not in svg
    assert list(root.iter(f"{SVG}script")) == [] and list(root.iter(f"{SVG}foreignObject")) == []
    assert re.findall(r"https?://[^\"]*", svg) == ["http://www.w3.org/2000/svg"]
    assert "href" not in svg and "url(" not in svg and "@import" not in svg
    assert root.get("role") == "img" and root.get("aria-labelledby") == "chart-x-title chart-x-desc"


def test_every_mark_has_a_tooltip_title() -> None:
    svg = lines("l", "T", "D", ["2026-01", "2026-02", "2026-03"], [Series("median", (5.0, None, 7.0))])
    root = ET.fromstring(svg)
    tooltips = [c.findtext(f"{SVG}title") for c in root.iter(f"{SVG}circle")]
    assert tooltips == ["2026-01, median: 5", "2026-03, median: 7"]
    assert list(root.iter(f"{SVG}polyline")) == []   # a gap breaks the line; single points stay dots


def test_a_line_joins_consecutive_values() -> None:
    root = ET.fromstring(lines("l", "T", "D", ["a", "b", "c"], [Series("s", (1.0, 2.0, None))]))
    assert [p.get("points") for p in root.iter(f"{SVG}polyline")] == ["170.7,148.0 384.0,36.0"]


def test_long_labels_are_shortened_but_the_tooltip_keeps_them() -> None:
    name = "Maximiliane Alexandra von Hohenzollern-Sigmaringen"
    root = ET.fromstring(horizontal_bars("h", "T", "D", [name], [Series("hours", (12.0,))]))
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert "Maximiliane Alexandra von…" in texts
    assert [r.findtext(f"{SVG}title") for r in root.iter(f"{SVG}rect") if r.find(f"{SVG}title") is not None] == [
        f"{name}, hours: 12"]


@pytest.mark.parametrize(("value", "expected"), [
    (0, [0, 1]), (2, [0, 1, 2]), (5, [0, 1, 2, 3, 4, 5]), (7, [0, 2, 4, 6, 8]), (40, [0, 10, 20, 30, 40]),
    (3192, [0, 1000, 2000, 3000, 4000]),
])
def test_ticks(value: float, expected: list[float]) -> None:
    assert ticks(value) == expected


def test_duration_ticks_use_the_given_steps() -> None:
    assert ticks(410, (1, 2, 5, 10, 15, 30, 60, 120)) == [0, 120, 240, 360, 480]


def test_the_second_line_is_dashed_and_the_first_drawn_on_top() -> None:
    root = ET.fromstring(lines("l", "T", "D", ["a", "b"], [Series("median", (1.0, 2.0)), Series("p90", (2.0, 3.0))]))
    polylines = list(root.iter(f"{SVG}polyline"))
    assert [(p.get("class"), p.get("stroke-dasharray")) for p in polylines] == [("line s1", "6 4"), ("line s0", None)]
