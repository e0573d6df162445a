"""Links are found in order: a repeated link gets its own column, and 40,000 links take linear time."""

from __future__ import annotations

import time

from opsrepo.rules.runbook_links import outline


def test_a_repeated_link_is_reported_where_each_one_is() -> None:
    found = outline("See [a](x.md) and [b](x.md),\nthen [c](<y z.md>) and [d](x.md).\n", 10)
    assert [(link.href, link.line, link.column) for link in found.links] == [
        ("x.md", 10, 9), ("x.md", 10, 23), ("y%20z.md", 11, 11), ("x.md", 11, 28)]


def test_many_links_in_one_paragraph_take_linear_time() -> None:
    small, large = (_timed(count) for count in (4000, 40000))
    assert large < small * 25  # ten times the links; searching from the block's start each time: a hundred


def _timed(count: int) -> float:
    body = "".join(f"[x{n}](page-{n}.md) " for n in range(count))
    start = time.perf_counter()
    links = outline(body, 1).links
    assert links[-1].column == body.index(f"](page-{count - 1}.md)") + 3
    return time.perf_counter() - start
