"""The validator's outline of a Markdown body (links, anchors, unsafe markup) is the whole parse's.

Its parser leaves out the inline text that cannot hold a link, an image, raw
HTML or a heading (:func:`opsrepo.rules.runbook_links._outlined_inlines`).
"""

from __future__ import annotations

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from opsrepo.rules.runbook_links import Link, Outline, make_parser, outline, outline_of

#: inline pieces: text, emphasis, code, escapes, entities, links of every form, images, raw HTML, brackets
INLINE = st.sampled_from([
    "restart the pod", "*now*", "_really_", "**twice**", "~~gone~~", "`kubectl get [pods]`", "\\[not a link]",
    "&amp;", "&lt;b&gt;", "[the dashboard](https://grafana.example/d/1)", "[db](../payments/db.md#failover)",
    "[svc](service:payments-api)", "![graph](img/graph.png)", "[ref]", "[ref][]", "<https://status.example>",
    "<b>bold</b>", "<span onclick=\"x()\">hi</span>", "[x](javascript:alert(1))", "a ] b", "[unclosed",
    "[a](<b c>)", "<!-- note -->", "<script>alert(1)</script>", "|", "#", "1.", "-", "\\<b>",
])
LINE = st.lists(INLINE, min_size=1, max_size=5).map(" ".join)
BLOCK = st.one_of(
    LINE,
    LINE.map(lambda text: f"# {text}"), LINE.map(lambda text: f"### {text}"),
    LINE.map(lambda text: f"{text}\n==="), LINE.map(lambda text: f"{text}\n---"),
    LINE.map(lambda text: f"- {text}"), LINE.map(lambda text: f"- [ ] {text}"), LINE.map(lambda text: f"- [x] {text}"),
    LINE.map(lambda text: f"1. {text}\n   {text}"), LINE.map(lambda text: f"> {text}"),
    LINE.map(lambda text: f"    {text}"), LINE.map(lambda text: f"```\n{text}\n```"),
    st.tuples(LINE, LINE).map(lambda cells: f"| {cells[0]} | b |\n| --- | --- |\n| {cells[1]} | c |"),
    st.just("[ref]: https://example.com/ref"), st.just("<div>\n<iframe src=x></iframe>\n</div>"),
    st.just("<details><summary>more</summary>"),
)
BODIES = st.lists(BLOCK, max_size=8).flatmap(
    lambda blocks: st.sampled_from(["\n", "\n\n"]).map(lambda gap: gap.join(blocks) + "\n"))


def _whole(body: str, body_line: int) -> Outline:
    return outline_of(make_parser().parse(body), body.splitlines(), body_line)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(BODIES, st.integers(1, 40))
@example("- [ ] check [the dashboard](https://grafana.example/d/1)\n", 3)
@example("Plain *text*, no link.\n\n## Fix `it` *now*\n", 1)
def test_the_outline_is_the_whole_parses(body: str, body_line: int) -> None:
    assert outline(body, body_line) == _whole(body, body_line)


def test_links_anchors_and_unsafe_markup_of_a_runbook() -> None:
    body = ("# Payments DB\n\nRestart the pool (no link here).\n\n## Fail over\n\n"
            "- [ ] open [the dashboard](https://grafana.example/d/1)\n- page <b>them</b>\n\n"
            "See ![graph](img/graph.png) and [svc](service:payments-api).\n\n<script>alert(1)</script>\n")
    found = outline(body, 5)
    # each link is where its target is written
    assert found.links == (Link("https://grafana.example/d/1", 11, 28), Link("img/graph.png", 14, 14, image=True),
                           Link("service:payments-api", 14, 39))
    assert found.anchors == {"payments-db", "fail-over"}
    assert found.unsafe == ((16, 1, "a <script> element"),)
