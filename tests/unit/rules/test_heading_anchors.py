"""Heading anchors are named as mdit-py-plugins' anchors plugin names them, in linear time."""

from __future__ import annotations

import time

from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from mdit_py_plugins.anchors import anchors_plugin

from opsrepo.rules.runbook_links import heading_slug, make_parser

TITLES = st.lists(st.sampled_from(["A", "a", "A 1", "A-1", "a-1-1", "`ops-x`", "Step", "step 2", "Ünïcode", ""]),
                  max_size=30)


def _ids(parser: MarkdownIt, body: str) -> list[str]:
    return [str(t.attrGet("id")) for t in parser.parse(body) if t.type == "heading_open"]


@settings(max_examples=200, deadline=None)
@given(TITLES, st.lists(st.integers(1, 6), min_size=30, max_size=30))
def test_the_same_names_as_the_plugin(titles: list[str], levels: list[int]) -> None:
    body = "".join(f"{'#' * level} {title}\n" for title, level in zip(titles, levels, strict=False))
    plugin = MarkdownIt("commonmark").use(anchors_plugin, min_level=1, max_level=6, slug_func=heading_slug)
    assert _ids(make_parser(), body) == _ids(plugin, body)


def test_50k_identical_headings_take_linear_time() -> None:
    parser = make_parser()
    small = _timed(parser, 5000)
    large = _timed(parser, 50000)
    assert large < small * 25  # ten times the headings; the plugin took a hundred times as long
    assert _ids(parser, "## Step\n" * 3) == ["step", "step-1", "step-2"]


def _timed(parser: MarkdownIt, count: int) -> float:
    start = time.perf_counter()
    parser.parse("## Step\n" * count)
    return time.perf_counter() - start
