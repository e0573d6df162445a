"""Links are found in order: a repeated link gets its own column, and 40,000 links take linear time."""

from __future__ import annotations

from typing import SupportsIndex

from opsrepo.rules.link_positions import Cursor
from opsrepo.rules.runbook_links import outline


def test_a_repeated_link_is_reported_where_each_one_is() -> None:
    found = outline("See [a](x.md) and [b](x.md),\nthen [c](<y z.md>) and [d](x.md).\n", 10)
    assert [(link.href, link.line, link.column) for link in found.links] == [
        ("x.md", 10, 9), ("x.md", 10, 23), ("y%20z.md", 11, 11), ("x.md", 11, 28)]


def test_many_links_in_one_paragraph_take_linear_time() -> None:
    count = 40000
    body = "".join(f"[x{n}](page-{n}.md) " for n in range(count))
    line = _CountingText(body)
    cursor = Cursor([line], 0, 1)
    places = [cursor.find(f"page-{n}.md") for n in range(count)]
    assert places[-1] == (0, body.index(f"](page-{count - 1}.md)") + 3)
    assert outline(body, 1).links[-1].column == places[-1][1]
    # each search starts where the last link ended: the text is read about once (searching from the
    # block's start each time read it 20,000 times)
    assert line.read < 1.1 * len(body)


class _CountingText(str):
    """A line that counts the characters its searches could read."""

    read = 0

    def find(self, sub: str, start: SupportsIndex | None = None, end: SupportsIndex | None = None) -> int:
        found = super().find(sub, start, end)
        begin = 0 if start is None else int(start)
        self.read += (len(self) if found < 0 else found + len(sub)) - begin
        return found
