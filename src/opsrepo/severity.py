"""The severity matrix as a readable table, Markdown and JSON (``opsrepo severity``)."""

from __future__ import annotations

import json
import textwrap
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from opsrepo.model import SeverityLevel
from opsrepo.timeutil import format_duration

LABEL_WIDTH = 18
MIN_COLUMN = 14


def human_duration(value: timedelta) -> str:
    """Like the files write it, in days rather than weeks (``14d``, ``1d12h``, ``15m``)."""
    days, rest = divmod(value, timedelta(days=1))
    if days and rest:
        return f"{days}d{format_duration(rest)}"
    return f"{days}d" if days else format_duration(rest)


def _duration(value: timedelta | None, prefix: str = "") -> str:
    return f"{prefix}{human_duration(value)}" if value is not None else "-"


def _postmortem(level: SeverityLevel) -> str:
    if not level.postmortem.required:
        return "not required"
    within = level.postmortem.within
    return f"required within {human_duration(within)}" if within is not None else "required"


#: (label, value) of each row of the matrix, in the order shown
FIELDS: tuple[tuple[str, Callable[[SeverityLevel], str]], ...] = (
    ("Pages", lambda s: "yes" if s.pages else "no"),
    ("Channels", lambda s: ", ".join(s.channels) or "-"),
    ("Acknowledge within", lambda s: human_duration(s.acknowledge_within)),
    ("Resolve within", lambda s: human_duration(s.resolve_within)),
    ("Status updates", lambda s: _duration(s.update_every, "every ")),
    ("Roles", lambda s: ", ".join(s.roles) or "-"),
    ("Monitor after fix", lambda s: _duration(s.monitor_after_fix)),
    ("Post-mortem", _postmortem),
)


def to_text(levels: tuple[SeverityLevel, ...], width: int = 100) -> str:
    """Levels as columns and fields as rows when that fits ``width``, else one block per level."""
    header = [f"{s.id} {s.name}" for s in levels]
    rows = [(label, [value(s) for s in levels]) for label, value in FIELDS]
    words = [word for _, cells in rows for cell in cells for word in cell.split()] + header
    column = max(MIN_COLUMN, (width - LABEL_WIDTH - 2 * len(levels)) // max(len(levels), 1),
                 max(map(len, words), default=0))
    lines = ["Severity matrix (policies/severity.yaml), most urgent first", ""]
    if LABEL_WIDTH + len(levels) * (column + 2) <= width:
        lines += _text_row("", header, column)
        for label, cells in rows:
            lines += _text_row(label, cells, column)
    else:
        for index, title in enumerate(header):
            lines += [""] * bool(index) + [title]
            card = max(width - LABEL_WIDTH - 4, 20)
            for label, cells in rows:
                lines += _text_row(f"  {label}", [cells[index]], card, LABEL_WIDTH + 2)
    for level in levels:
        if not _about(level):
            continue
        lines += ["", f"{level.id} {level.name}"]
        for text in _about(level):
            lines += textwrap.wrap(text, max(width, 40), initial_indent="  ", subsequent_indent="    ")
    return "\n".join(lines) + "\n"


def _text_row(label: str, cells: list[str], column: int, label_width: int = LABEL_WIDTH) -> list[str]:
    wrapped = [textwrap.wrap(cell, column, break_long_words=False, break_on_hyphens=False) or [""]
               for cell in cells]
    height = max((len(cell) for cell in wrapped), default=1)
    out = []
    for index in range(height):
        parts = [(label if index == 0 else "").ljust(label_width)]
        parts += [(cell[index] if index < len(cell) else "").ljust(column) for cell in wrapped]
        out.append("  ".join(parts).rstrip())
    return out


def _about(level: SeverityLevel) -> list[str]:
    lines = []
    if level.description:
        lines.append(level.description)
    if level.impact:
        lines.append(f"Impact: {level.impact}")
    if level.examples:
        lines.append("Examples: " + "; ".join(level.examples))
    return lines


def to_markdown(levels: tuple[SeverityLevel, ...]) -> str:
    """A Markdown table (one row per level) and a section per level."""
    header = ["Level", *(label for label, _ in FIELDS)]
    lines = ["# Severity matrix", "", "Most urgent first.", "",
             _md_row(header), _md_row(["---"] * len(header))]
    for level in levels:
        name = f"**{_md_escape(level.id)}** {_md_escape(level.name, pipes=True)}"
        lines.append(_md_row([name, *(_md_escape(value(level), pipes=True) for _, value in FIELDS)]))
    for level in levels:
        if not _about(level):
            continue
        lines += ["", f"## {_md_escape(level.id)} {_md_escape(level.name)}", ""]
        if level.description:
            lines += [_md_escape(level.description), ""]
        if level.impact:
            lines += [f"**Impact:** {_md_escape(level.impact)}", ""]
        if level.examples:
            lines += ["**Examples:**", "", *(f"- {_md_escape(e)}" for e in level.examples), ""]
        if lines[-1] == "":
            lines.pop()
    return "\n".join(lines) + "\n"


def _md_row(cells: list[str]) -> str:
    """A table row of cells already escaped."""
    return "| " + " | ".join(cells) + " |"


def _md_escape(text: str, *, pipes: bool = False) -> str:
    """Text that Markdown shows as written: no HTML, no table breaks, no @-mentions, on one line."""
    text = " ".join(text.split())
    for special in "\\`*[]":
        text = text.replace(special, "\\" + special)
    # pasted into GitHub, "@team" would notify the team: an entity shows the @ and notifies no one
    text = text.replace("<", "&lt;").replace(">", "&gt;").replace("@", "&#64;")
    if pipes:
        return text.replace("|", "\\|")
    # at the start of a paragraph or list item these would make a heading, a list or an underline
    return "\\" + text if text[:1] in ("#", "-", "+", "=") else text


def to_json(levels: tuple[SeverityLevel, ...]) -> str:
    """``{"levels": [...]}`` most urgent first; durations as written in the files (``15m``)."""
    document = {"levels": [_level_dict(level) for level in levels]}
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _level_dict(level: SeverityLevel) -> dict[str, Any]:
    def duration(value: timedelta | None) -> str | None:
        return human_duration(value) if value is not None else None

    return {
        "id": level.id, "name": level.name, "rank": level.rank,
        "description": level.description, "impact": level.impact, "examples": list(level.examples),
        "pages": level.pages, "channels": list(level.channels),
        "acknowledge_within": duration(level.acknowledge_within),
        "resolve_within": duration(level.resolve_within),
        "update_every": duration(level.update_every), "roles": list(level.roles),
        "monitor_after_fix": duration(level.monitor_after_fix),
        "postmortem": {"required": level.postmortem.required, "within": duration(level.postmortem.within)},
    }
