"""Ops-repo documents as YAML text: the repo's own style, deterministic, every ambiguous scalar quoted.

Short mappings in lists (windows, levels, overrides) are written in flow style
on one line, as the example repo writes them; everything else in block style.
A string is left plain only when YAML 1.1 and 1.2 both read it back as that
string (no ``09:00``, ``no``, ``2026-01-05`` or ``1e3`` unquoted).
"""

from __future__ import annotations

import json
import re
from datetime import date
from typing import Any

WIDTH = 110
_PLAIN = re.compile(r"^[A-Za-z_][A-Za-z0-9_.@/+: -]*[A-Za-z0-9_.]\Z|^[A-Za-z]\Z")
_DURATION = re.compile(r"^(?=.)([0-9]+w)?([0-9]+d)?([0-9]+h)?([0-9]+m)?([0-9]+s)?\Z")
_RESERVED = {"y", "n", "yes", "no", "on", "off", "true", "false", "null", "nan", "inf"}


def scalar(value: Any) -> str:
    """One scalar as YAML text."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    if value is None:
        return "null"
    text = str(value)
    if (_PLAIN.match(text) and text.lower() not in _RESERVED and "  " not in text and ": " not in text) or (
        _DURATION.match(text) and not text.isdigit()
    ):
        return text
    return json.dumps(text, ensure_ascii=False)


def _is_scalar(value: Any) -> bool:
    return not isinstance(value, dict | list)


def _flow(value: Any) -> str | None:
    """Flow text of a list of scalars, or of a mapping of scalars and such lists; None when nested deeper."""
    if isinstance(value, list):
        if not all(_is_scalar(v) for v in value):
            return None
        return "[" + ", ".join(scalar(v) for v in value) + "]"
    if isinstance(value, dict):
        parts = []
        for key, item in value.items():
            text = scalar(item) if _is_scalar(item) else _flow(item) if isinstance(item, list) else None
            if text is None:
                return None
            parts.append(f"{key}: {text}")
        return "{" + ", ".join(parts) + "}"
    return scalar(value)


#: lists whose items are always written in block style (one key per line: easier to review)
BLOCK = frozenset({"people", "layers", "services"})


def _mapping(value: dict[str, Any], indent: int) -> list[str]:
    lines: list[str] = []
    pad = " " * indent
    for key, item in value.items():
        flow = _flow(item) if isinstance(item, list) else None
        if _is_scalar(item):
            lines.append(f"{pad}{key}: {scalar(item)}")
        elif flow is not None and indent + len(key) + 2 + len(flow) <= WIDTH:
            lines.append(f"{pad}{key}: {flow}")
        elif isinstance(item, list):
            lines.append(f"{pad}{key}:")
            lines.extend(_sequence(item, indent + 2, block=key in BLOCK))
        else:
            lines.append(f"{pad}{key}:")
            lines.extend(_mapping(item, indent + 2))
    return lines


def _sequence(value: list[Any], indent: int, block: bool = False) -> list[str]:
    lines: list[str] = []
    pad = " " * indent
    for item in value:
        flow = _flow(item) if isinstance(item, dict) and not block else None
        if _is_scalar(item):
            lines.append(f"{pad}- {scalar(item)}")
        elif flow is not None and indent + 2 + len(flow) <= WIDTH:
            lines.append(f"{pad}- {flow}")
        elif isinstance(item, dict):
            inner = _mapping(item, indent + 2)
            lines.append(f"{pad}- {inner[0].lstrip()}")
            lines.extend(inner[1:])
        else:
            lines.append(f"{pad}-")
            lines.extend(_sequence(item, indent + 2))
    return lines


def dump(document: dict[str, Any], modeline: str | None = None) -> str:
    """The whole file: the schema modeline (when given), then the document."""
    head = [f"# yaml-language-server: $schema={modeline}"] if modeline else []
    return "\n".join([*head, *_mapping(document, 0)]) + "\n"
