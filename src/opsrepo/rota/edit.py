"""Append overrides to a schedule file's text, leaving every other byte as it was.

The file is edited as text, not dumped again from data: comments, quoting,
key order and line breaks stay as the authors wrote them (a re-dump would
reflow them all, and a review would show every line changed). PyYAML's
composer says where the ``overrides`` value starts and ends; new entries are
flow mappings, one a line, in the style of the examples:

    overrides:
      - {person: carol, from: "2026-12-24T09:00", to: "2026-12-27T09:00", reason: swap with alice}

A block list gets new items after its last one (a comment on that line stays
on it), a flow list (``[]`` or ``[{...}]``) gets them before its ``]``, a
missing or empty ``overrides`` gets a block list.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence

import yaml

#: plain scalars a YAML 1.1 reader would not read as text
_NOT_TEXT = {"y", "yes", "n", "no", "on", "off", "true", "false", "null", "~"}
_PLAIN = re.compile(r"^[a-z][a-z0-9-]*\Z")


class EditError(ValueError):
    """The text cannot be edited safely (it does not parse, or has no top-level mapping)."""


def scalar(value: str) -> str:
    """``value`` as a YAML scalar: plain when it is a slug that reads back as text, else double-quoted."""
    if _PLAIN.fullmatch(value) and value.lower() not in _NOT_TEXT:
        return value
    return json.dumps(value, ensure_ascii=False)


def entry_text(entry: Mapping[str, str]) -> str:
    """``{person: x, from: "...", to: "...", reason: "..."}``: ids plain, times and reasons quoted."""
    parts = [f"{key}: {scalar(value) if key == 'person' else json.dumps(value, ensure_ascii=False)}"
             for key, value in entry.items()]
    return "{" + ", ".join(parts) + "}"


def append_overrides(text: str, entries: Sequence[Mapping[str, str]]) -> str:
    """``text`` with ``entries`` appended to its top-level ``overrides`` list."""
    if not entries:
        return text
    root = _compose(text)
    items = [entry_text(entry) for entry in entries]
    found = _overrides(root)
    if found is None:
        separator = "" if text.endswith("\n") or not text else "\n"
        return text + separator + "overrides:\n" + "".join(f"  - {item}\n" for item in items)
    key, value = found
    indent = key.start_mark.column + 2
    if isinstance(value, yaml.ScalarNode):  # `overrides:` with no value, or null
        if value.value not in ("", "~", "null", "Null", "NULL"):
            raise EditError("overrides is not a list")
        start = value.start_mark.index if value.value else key.end_mark.index + 1
        block = "".join(f"\n{' ' * indent}- {item}" for item in items)
        return text[:start].rstrip(" ") + block + text[value.end_mark.index if value.value else start:]
    if not isinstance(value, yaml.SequenceNode):
        raise EditError("overrides is not a list")
    if value.flow_style:
        return _into_flow(text, value, items)
    return _after_block(text, value, items)


def _compose(text: str) -> yaml.MappingNode:
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        raise EditError(f"the file does not parse: {exc}") from None
    if not isinstance(root, yaml.MappingNode):
        raise EditError("the file is not a mapping")
    return root


def _overrides(root: yaml.MappingNode) -> tuple[yaml.Node, yaml.Node] | None:
    for key, value in root.value:
        if isinstance(key, yaml.ScalarNode) and key.value == "overrides":
            return key, value
    return None


def _into_flow(text: str, value: yaml.SequenceNode, items: list[str]) -> str:
    close = value.end_mark.index - 1
    if text[close] != "]":
        raise EditError("cannot find the end of the overrides list")
    joined = ", ".join(items)
    return text[:close] + (", " if value.value else "") + joined + text[close:]


def _after_block(text: str, value: yaml.SequenceNode, items: list[str]) -> str:
    dash = value.start_mark.column
    last = _deepest_last(value.value[-1])
    line_end = text.find("\n", last.end_mark.index)
    if line_end == -1:
        return text + "".join(f"\n{' ' * dash}- {item}" for item in items) + "\n"
    return text[:line_end] + "".join(f"\n{' ' * dash}- {item}" for item in items) + text[line_end:]


def _deepest_last(node: yaml.Node) -> yaml.Node:
    """The node written last inside ``node`` (a block collection's own end mark lies past its comments)."""
    while isinstance(node, yaml.MappingNode | yaml.SequenceNode) and not node.flow_style and node.value:
        last = node.value[-1]
        node = last[1] if isinstance(last, tuple) else last
    return node
