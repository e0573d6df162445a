"""Where in its file each link of a Markdown block is written (line and column), in linear time.

Inline tokens only know their block's lines, so each link target is looked
for in the text. Links are found in order: each search starts where the one
before ended, so a repeated link gets its own column and a block of 45,000
links is read once rather than once per link. A target not written as
markdown-it gives it (``<a b>`` becomes ``a%20b``) is looked for from the
block's start, at most :data:`FALLBACKS` times a block; after that such links
point at the block.
"""

from __future__ import annotations

from urllib.parse import unquote

#: searches from a block's start, for targets not found after the previous link, before giving up
FALLBACKS = 50


class Cursor:
    """Finds the links of one block (``lines[first:last]``) one after the other."""

    def __init__(self, lines: list[str], first: int, last: int) -> None:
        self.lines, self.first, self.last = lines, first, min(last, len(lines))
        self.line, self.column = first, 0
        self.fallbacks = FALLBACKS

    def find(self, text: str) -> tuple[int, int]:
        """The line (0-based in the body) and column (1-based) of the link target ``text``."""
        needles = [(f"]({text}", 2), (f"]({unquote(text)}", 2), (text, 0), (unquote(text), 0)]
        for needle, shift in needles:
            found = self._after(needle)
            if found is not None:
                self.line, self.column = found[0], found[1] + len(needle)
                return found[0], found[1] + 1 + shift
        if self.fallbacks > 0:
            self.fallbacks -= 1
            return position(text, self.lines, self.first, self.last)
        return self.first, 1

    def _after(self, needle: str) -> tuple[int, int] | None:
        for index in range(self.line, self.last):
            column = self.lines[index].find(needle, self.column if index == self.line else 0)
            if column >= 0:
                return index, column
        return None


def position(text: str, lines: list[str], first: int, last: int) -> tuple[int, int]:
    """The first place in ``lines[first:last]`` where ``text`` is written as a link target (or as is)."""
    needles = [(f"]({text}", 2), (f"]({unquote(text)}", 2), (text, 0), (unquote(text), 0)]
    for needle, shift in needles:
        for index in range(first, min(last, len(lines))):
            column = lines[index].find(needle)
            if column >= 0:
                return index, column + 1 + shift
    return first, 1
