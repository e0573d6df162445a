"""Heading anchors are named as mdit-py-plugins' anchors plugin names them, in linear time."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from mdit_py_plugins.anchors import anchors_plugin

from opsrepo.rules.runbook_links import HeadingIds, heading_slug, make_parser

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
    names = HeadingIds()
    assert [names.take("step") for _ in range(50000)][:3] == ["step", "step-1", "step-2"]
    assert names.tries == 99999  # at most two names looked at per heading; the plugin looked at 1.25 billion
    names.take("step-1")  # a title that is an earlier repeat's id: the next free number is found
    assert names.used >= {"step-1-1"} and names.tries == 100001
    assert _ids(make_parser(), "## Step\n" * 3 + "## Step 1\n") == ["step", "step-1", "step-2", "step-1-1"]
