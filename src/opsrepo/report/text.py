"""The report as plain text for a terminal."""

from __future__ import annotations

import textwrap
from collections.abc import Iterable, Sequence

from opsrepo.report.blocks import Block, Bullets, Definitions, Heading, Para, Table, cell_text, item_text
from opsrepo.report.definitions import DEFINITIONS

WIDTH = 100


def render_text(blocks: Iterable[Block]) -> str:
    """The whole text document."""
    return "\n".join(_block(block) for block in blocks)


def _block(block: Block) -> str:
    if isinstance(block, Heading):
        underline = "=" if block.level == 1 else "-" if block.level == 2 else "·"
        return f"{block.text}\n{underline * len(block.text)}\n"
    if isinstance(block, Para):
        return textwrap.fill(block.text, WIDTH) + "\n"
    if isinstance(block, Bullets):
        return "".join(textwrap.fill(item_text(item), WIDTH, initial_indent="- ",
                                     subsequent_indent="  ") + "\n"
                       for item in block.items)
    if isinstance(block, Table):
        return _table(block)
    assert isinstance(block, Definitions)
    return "".join(textwrap.fill(f"{term}: {text.replace('`', '')}", WIDTH, subsequent_indent="  ") + "\n"
                   for term, text in DEFINITIONS)


def _table(table: Table) -> str:
    rows = [list(table.headers), *([cell_text(c) for c in row] for row in table.rows)]
    widths = [max(len(row[i]) for row in rows) for i in range(len(table.headers))]
    lines = [_line(rows[0], widths, table.numeric), "  ".join("-" * w for w in widths)]
    lines.extend(_line(row, widths, table.numeric) for row in rows[1:])
    return "\n".join(line.rstrip() for line in lines) + "\n"


def _line(cells: Sequence[str], widths: Sequence[int], numeric: frozenset[int]) -> str:
    return "  ".join(cell.rjust(w) if i in numeric else cell.ljust(w)
                     for i, (cell, w) in enumerate(zip(cells, widths, strict=True)))
