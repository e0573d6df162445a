"""The report as GitHub-flavoured Markdown (job summary, review issue, ``--format md``).

Every piece of text from the ops repo is escaped: it cannot open a tag, a
link, a table cell or a heading, and ``@name`` cannot mention anyone.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from opsrepo.report.blocks import (
    Block,
    Bullets,
    Cell,
    Definitions,
    Heading,
    Link,
    Para,
    Table,
    cell_text,
    item_text,
)
from opsrepo.report.definitions import definitions_markdown

#: characters that could start emphasis, code, a link, a table cell, strike-through or an issue reference
_PUNCTUATION = re.compile(r"([\\`*_\[\]#|~])")
_SPACE = re.compile(r"\s+")
_SAFE_URL = re.compile(r"^https://[^\s()<>]+\Z")


def escape(text: str) -> str:
    """Plain text that Markdown shows as is."""
    text = _SPACE.sub(" ", text)
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = _PUNCTUATION.sub(r"\\\1", text)
    # a zero-width joiner after @ keeps GitHub from notifying anyone
    return text.replace("@", "@&#8205;")


def code_spans(text: str) -> str:
    """Our own paragraph text: `quoted` pieces become code spans, the rest is escaped."""
    pieces = enumerate(text.split("`"))
    return "".join(f"`{piece}`" if index % 2 else escape(piece) for index, piece in pieces if piece)


def render_markdown(blocks: Iterable[Block]) -> str:
    """The whole Markdown document."""
    return "\n".join(_block(block) for block in blocks)


def _block(block: Block) -> str:
    if isinstance(block, Heading):
        return f"{'#' * block.level} {escape(block.text)}\n"
    if isinstance(block, Para):
        return f"{code_spans(block.text)}\n"
    if isinstance(block, Bullets):
        return "".join(f"- {escape(item_text(item))}\n" for item in block.items)
    if isinstance(block, Table):
        return _table(block)
    assert isinstance(block, Definitions)
    return definitions_markdown()


def _table(table: Table) -> str:
    align = ["---:" if i in table.numeric else "---" for i in range(len(table.headers))]
    lines = [_row(table.headers), "| " + " | ".join(align) + " |"]
    lines.extend(_row(row) for row in table.rows)
    return "\n".join(lines) + "\n"


def _row(cells: Iterable[Cell]) -> str:
    return "| " + " | ".join(_cell(cell) for cell in cells) + " |"


def _cell(cell: Cell) -> str:
    if isinstance(cell, Link) and _SAFE_URL.match(cell.url):
        return f"[{escape(cell.text)}]({cell.url})"
    return escape(cell_text(cell))
