"""How deeply a YAML text nests its collections, measured by opsrepo itself.

The YAML parser that happens to be installed must not decide what opsrepo
reports: libyaml 0.2.6 (bundled with PyYAML 6.0.4) refuses 1000 levels of
nesting while scanning ahead, long before the 101st level is handed out as an
event, and older builds crash on 10^5 levels. :func:`first_too_deep` reads the
text once, without recursion and without the parser, and finds where the first
collection deeper than a limit starts: the position the parser's own
``CollectionStartEvent`` carries for it.

It knows enough YAML to place collections: block sequences and mappings by
indentation (compact ``- - x`` and ``- key: v`` forms, a sequence at its key's
indentation), flow collections by brackets, and it steps over what cannot
start one: quoted scalars (across lines), comments, block scalars and plain
text. A text that is not YAML at all gets a best effort; the parser then
reports its syntax error wherever the depth stays within the limit.
"""

from __future__ import annotations

import re
from dataclasses import field

from opsrepo.records import dataclass

#: characters that matter inside flow collections
_FLOW_STOP = re.compile(r"[\[\]{}\"'#,:?&!]")
#: a mapping indicator or a comment in block context, whichever comes first
_BLOCK_KEY = re.compile(r":(?=[ \t]|\Z)|[ \t]#")
_PROPERTY = re.compile(r"[&!][^ \t]*[ \t]*")
_NODE_START = "[{,:?"


@dataclass
class _Scan:
    limit: int
    lines: list[str]
    #: open block collections, innermost last: (indent, "seq" | "map")
    block: list[tuple[int, str]] = field(default_factory=list)
    flow: int = 0
    #: inside a quoted scalar that runs on: its quote character
    quote: str = ""
    #: inside a block scalar: the indent its lines must exceed
    literal_owner: int | None = None
    #: the last significant character seen in flow context
    last: str = "["
    #: where the properties (anchor, tag) of the next node started
    pending: tuple[int, int] | None = None
    found: tuple[int, int] | None = None

    def open(self, line: int, column: int) -> bool:
        """Count one more level at (line, column); True once it is too deep."""
        if len(self.block) + self.flow > self.limit - 1:
            start = self.pending or (line, column)
            self.found = (start[0] + 1, start[1] + 1)
            return True
        self.pending = None
        return False


def first_too_deep(text: str, limit: int) -> tuple[int, int] | None:
    """The 1-based (line, column) where nesting first exceeds ``limit``, or None."""
    scan = _Scan(limit, text.split("\n"))
    for number, line in enumerate(scan.lines):
        if _line(scan, number, line.rstrip("\r")):
            return scan.found
    return None


def _line(scan: _Scan, number: int, line: str) -> bool:
    if scan.quote:
        end = _quote_end(line, 0, scan.quote)
        if end is None:
            return False
        scan.quote = ""
        return _rest(scan, number, line, end)
    if scan.literal_owner is not None:
        stripped = line.lstrip(" ")
        if not stripped or len(line) - len(stripped) > scan.literal_owner:
            return False
        scan.literal_owner = None
    if scan.flow:
        return _flow(scan, number, line, 0)
    return _block(scan, number, line)


def _block(scan: _Scan, number: int, line: str) -> bool:
    stripped = line.lstrip(" ")
    if not stripped or stripped.startswith("#") or line.startswith("%"):
        return False
    if line.startswith(("---", "...")) and line[3:4] in ("", " ", "\t"):
        scan.block.clear()
        scan.pending = None
        return _node(scan, number, line, 3, -1) if line.startswith("---") else False
    indent = len(line) - len(stripped)
    while scan.block and scan.block[-1][0] > indent:
        scan.block.pop()
    if scan.block and scan.block[-1] == (indent, "seq") and not _is_entry(line, indent):
        scan.block.pop()  # a sequence written at its key's indentation has ended
    return _node(scan, number, line, indent, indent)


def _is_entry(line: str, at: int) -> bool:
    return line.startswith("-", at) and line[at + 1:at + 2] in ("", " ", "\t")


def _node(scan: _Scan, number: int, line: str, at: int, owner: int) -> bool:
    """Read the block node(s) starting at column ``at`` of ``line``."""
    while True:
        while at < len(line) and line[at] in " \t":
            at += 1
        if at >= len(line) or line[at] == "#":
            return False
        if _is_entry(line, at) or line.startswith("? ", at):
            kind = "seq" if line[at] == "-" else "map"
            if scan.block and scan.block[-1] == (at, kind):
                scan.pending = None
            elif scan.open(number, at):
                return True
            else:
                scan.block.append((at, kind))
            owner, at = at, at + 1
            continue
        if line[at] in "&!":
            if scan.pending is None:
                scan.pending = (number, at)
            at = _PROPERTY.match(line, at).end()  # type: ignore[union-attr]
            continue
        if line[at] in "[{":
            return _flow(scan, number, line, at)
        if line[at] in "|>":
            scan.literal_owner = owner
            scan.pending = None
            return False
        if line[at] in "\"'":
            end = _quote_end(line, at + 1, line[at])
            if end is None:
                scan.quote = line[at]
                return False
            value_at = _after_key(line, end)
        else:
            indicator = _BLOCK_KEY.search(line, at)
            if indicator is None or line[indicator.start()] != ":":
                scan.pending = None
                return False
            value_at = indicator.end()
        if value_at is None:
            scan.pending = None
            return False
        if scan.block and scan.block[-1] == (at, "map"):
            scan.pending = None
        elif scan.open(number, at):
            return True
        else:
            scan.block.append((at, "map"))
        owner, at = at, value_at


def _after_key(line: str, end: int) -> int | None:
    """After a quoted scalar ending before ``end``: where its value starts if it is a key."""
    rest = end
    while rest < len(line) and line[rest] in " \t":
        rest += 1
    if line.startswith(":", rest) and line[rest + 1:rest + 2] in ("", " ", "\t"):
        return rest + 1
    return None


def _flow(scan: _Scan, number: int, line: str, at: int) -> bool:
    """Scan flow context from column ``at``; leaves ``scan.flow`` at the depth reached."""
    while True:
        match = _FLOW_STOP.search(line, at)
        if match is None:
            if line[at:].strip():
                scan.last = "a"
            return False
        position = match.start()
        if line[at:position].strip():
            scan.last = "a"
        char = line[position]
        if char in "[{":
            if scan.open(number, position):
                return True
            scan.flow += 1
        elif char in "]}":
            scan.flow = max(scan.flow - 1, 0)
            scan.pending = None
            if not scan.flow:
                scan.last = "["
                return _rest(scan, number, line, position + 1)
        elif char == "#" and (position == 0 or line[position - 1] in " \t"):
            return False
        elif char in "\"'" and scan.last in _NODE_START:
            end = _quote_end(line, position + 1, char)
            if end is None:
                scan.quote = char
                return False
            position = end - 1
        elif char in "&!" and scan.last in _NODE_START and scan.pending is None:
            scan.pending = (number, position)
        scan.last = char if char in _NODE_START else "a"
        at = position + 1


def _rest(scan: _Scan, number: int, line: str, at: int) -> bool:
    """Go on after a quoted scalar or a flow collection closed partway through a line."""
    if scan.flow:
        scan.last = "a"
        return _flow(scan, number, line, at)
    value_at = _after_key(line, at)
    return value_at is not None and _node(scan, number, line, value_at, -1)


def _quote_end(line: str, at: int, quote: str) -> int | None:
    """The index just past the closing ``quote`` from ``at`` on, or None if it runs on."""
    while True:
        found = line.find(quote, at)
        if found < 0:
            return None
        if quote == "'":
            if line.startswith("''", found):
                at = found + 2
                continue
            return found + 1
        backslashes = len(line[:found]) - len(line[:found].rstrip("\\"))
        if backslashes % 2 == 0:
            return found + 1
        at = found + 1
