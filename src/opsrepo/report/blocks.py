"""A report laid out as plain blocks (headings, paragraphs, tables, lists), rendered per format.

Cells and paragraphs hold unescaped text; each renderer escapes for its own
format, so text from the ops repo (titles, names) can never become markup.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from opsrepo.timeutil import format_duration


@dataclass(frozen=True)
class Link:
    """Text pointing at a URL."""

    text: str
    url: str


@dataclass(frozen=True)
class Ref:
    """An object of the repo by kind and id, shown as ``text``: the site links it to the object's page."""

    #: ``postmortem``, ``person``, ``service``, ``team``, ``schedule`` or ``runbook``
    kind: str
    id: str
    text: str


#: several objects in one cell, shown comma-separated
Refs = tuple[Ref, ...]
Cell = str | Link | Ref | Refs


@dataclass(frozen=True)
class Heading:
    """A section title (level 1 is the report's title)."""

    level: int
    text: str


@dataclass(frozen=True)
class Para:
    """A paragraph of plain text."""

    text: str


@dataclass(frozen=True)
class Bullets:
    """A list of items: plain text, or pieces of text and objects of the repo (the site links those)."""

    items: tuple[str | tuple[str | Ref, ...], ...]


@dataclass(frozen=True)
class Table:
    """Rows under headers; ``numeric`` columns are right-aligned."""

    headers: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    numeric: frozenset[int] = frozenset()


@dataclass(frozen=True)
class Definitions:
    """The footer: every definition (Markdown-formatted text written by us)."""


Block = Heading | Para | Bullets | Table | Definitions


def human(value: timedelta | None) -> str:
    """A duration for people: whole minutes from one minute up (``1h35m``), else seconds."""
    if value is None:
        return "—"
    seconds = value.total_seconds()
    if seconds >= 60:
        value = timedelta(minutes=int(seconds // 60 + (1 if seconds % 60 >= 30 else 0)))
    return format_duration(value)


def percent(value: float | None) -> str:
    """``0.142857`` -> ``14%``; ``None`` -> ``—``."""
    return "—" if value is None else f"{value * 100:.0f}%"


def number(value: float | None) -> str:
    """A count or an amount without needless decimals (``12``, ``12.5``)."""
    if value is None:
        return "—"
    return f"{value:.1f}".rstrip("0").rstrip(".") if value != int(value) else str(int(value))


def cell_text(cell: Cell) -> str:
    """The visible text of a cell."""
    if isinstance(cell, tuple):
        return ", ".join(ref.text for ref in cell)
    return cell if isinstance(cell, str) else cell.text


def item_text(item: str | tuple[str | Ref, ...]) -> str:
    """The visible text of a list item."""
    return item if isinstance(item, str) else "".join(p if isinstance(p, str) else p.text for p in item)


def ref(kind: str, object_id: str, text: str | None = None) -> Ref:
    """``object_id`` of ``kind``, shown as ``text`` (default: the id)."""
    return Ref(kind, object_id, object_id if text is None else text)


def utc_minute(value: datetime) -> str:
    """``2026-11-23 09:00 UTC``."""
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


def minute(value: datetime, zone: str | None) -> str:
    """``Mon 2026-11-23 10:00 CET`` in the display zone ``zone`` (without one, ``utc_minute``)."""
    if zone is None:
        return utc_minute(value)
    from opsrepo.instants import Clock, wall

    return wall(value, Clock(value, zone))
