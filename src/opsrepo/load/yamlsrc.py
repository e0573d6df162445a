"""YAML text -> plain values plus a source map, with the checks PyYAML skips.

PyYAML (libyaml when present) only composes the node graph here; values are
built by :class:`_Builder` so that duplicate keys, YAML 1.1 sexagesimal numbers
(``9:00`` read as 540), alias bombs, recursive aliases and exotic tags become
diagnostics instead of silent surprises.

Problems local to one value are recorded and building goes on, so one run
reports every duplicate key and bad scalar of a file and the rest of the file
is still checked: a repeated key keeps its *first* value (the later ones are
reported and ignored), and a value opsrepo cannot read is left out and its
path listed in :attr:`ParsedYaml.unreadable`. Only problems that stop the
parser (syntax errors, several documents, nesting or alias expansion beyond
the bounds) leave no data.

Alert rule files may hold several documents (Kubernetes manifests often do):
:func:`split_documents` cuts such a stream into one text per document, each
then parsed alone, with the alias bound shared by the whole file.
"""

from __future__ import annotations

import functools
import itertools
import math
import operator
import re
import sys
import threading
from collections.abc import Callable
from dataclasses import field
from typing import Any, TypeVar, cast

import yaml

from opsrepo.errors import Diagnostic, Location, shown
from opsrepo.load.depth import first_too_deep
from opsrepo.load.yamlwords import explain, unquoted_time_hint
from opsrepo.records import dataclass

try:  # the C composer is several times faster
    _Base: Any = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on the build of PyYAML
    _Base = yaml.SafeLoader

_PLAIN = "!opsrepo/plain"  # a plain (unquoted) scalar, resolved by the builder
_STR, _SEQ, _MAP = "tag:yaml.org,2002:str", "tag:yaml.org,2002:seq", "tag:yaml.org,2002:map"
_MERGE = "tag:yaml.org,2002:merge"


class _Loader(_Base):
    """The safe loader, with implicit tag resolution left to :class:`_Builder`.

    Even libyaml's composer calls this Python method once per node; keeping it
    trivial and resolving plain scalars once per distinct text (ops repos
    repeat the same ids, times and durations thousands of times) is a third
    faster.
    """

    def resolve(self, kind: Any, value: Any, implicit: Any) -> str:
        if kind is yaml.ScalarNode:
            return _PLAIN if implicit[0] else _STR
        return _SEQ if kind is yaml.SequenceNode else _MAP

    # The composer also calls these around every node, for path resolvers (``add_path_resolver``), which
    # this loader has none of: PyYAML's do nothing then, but each is a Python call (two of the four a
    # node costs). Calls of C functions that do nothing either take their place (3 % of parsing).
    descend_resolver = staticmethod(operator.is_)  # (parent, index) -> ignored
    ascend_resolver = staticmethod(tuple)  # () -> ignored


#: held while libyaml parses: :func:`_plain_document` swaps the classes its composer makes for records
_COMPOSING = threading.RLock()
F = TypeVar("F", bound=Callable[..., Any])


def _parsing(function: F) -> F:
    """``function``, holding :data:`_COMPOSING` while it runs."""
    @functools.wraps(function)
    def holding(*args: Any, **kwargs: Any) -> Any:
        with _COMPOSING:
            return function(*args, **kwargs)
    return cast(F, holding)


_RESOLVER = yaml.resolver.Resolver()
_PLAIN_TAGS: dict[str, str] = {}


#: the first characters of the plain scalars YAML 1.1 may read as other than text (PyYAML's resolver
#: tries its patterns for these only); None where it has patterns for every text
_RESOLVED_FIRST = None if None in _RESOLVER.yaml_implicit_resolvers else \
    frozenset(_RESOLVER.yaml_implicit_resolvers)


def _resolve_plain(text: str) -> str:
    """The tag PyYAML's resolver gives the plain scalar ``text`` (once per distinct text)."""
    if text and _RESOLVED_FIRST is not None and text[0] not in _RESOLVED_FIRST:
        return _STR  # names, ids, zones: no pattern to try
    found = _PLAIN_TAGS.get(text)
    if found is None:
        found = _RESOLVER.resolve(yaml.ScalarNode, text, (True, False))
        if len(_PLAIN_TAGS) < 200_000:
            _PLAIN_TAGS[text] = found
    return str(found)

Path = tuple[str | int, ...]

#: how many nodes aliases may add to a document: each node of each copy counts
#: (a 60,000-item list aliased 300 times is 18 million nodes, however few aliases)
ALIAS_EXPANSION_LIMIT = 100_000
#: how many documents one file may hold, where several are allowed (alert rule files)
MAX_DOCUMENTS = 1000
#: how deeply collections may nest (ops files nest about 6 deep; libyaml's
#: composer recurses in C and crashes the process on some 10^5 levels)
MAX_DEPTH = 100
#: texts with more structure tokens than this are measured before composing (libyaml 0.2.6 refuses
#: 1000 levels; builds without that cap crash on some 10^5): below, no composer can be put at risk
_COMPOSED_SAFELY = 1000
#: every nesting level needs at least one of these, so their count bounds the depth
_STRUCTURE = ("[", "{", "- ", "-\n", "-\r", "-\t", ": ", ":\n", ":\r", ":\t", "? ")

_SEXAGESIMAL = re.compile(r"^[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+(\.[0-9_]*)?\Z")
_BOOL_WORDS = frozenset({"yes", "no", "on", "off", "y", "n"})
_TAG = "tag:yaml.org,2002:"


@dataclass
class SourceMap:
    """Where each value (and each mapping key) of a document starts, 1-based."""

    values: dict[Path, tuple[int, int]] = field(default_factory=dict)
    keys: dict[Path, tuple[int, int]] = field(default_factory=dict)
    #: plain scalars YAML 1.1 turned into booleans: path -> the text written
    bool_words: dict[Path, str] = field(default_factory=dict)

    def value(self, path: Path) -> tuple[int, int]:
        """Position of the value at ``path``, or of its nearest ancestor."""
        return self._nearest(self.values, path)

    def key(self, path: Path) -> tuple[int, int]:
        """Position of the key of ``path``, or of the value where it has no key."""
        if path in self.keys:
            return self.keys[path]
        return self._nearest(self.values, path)

    @staticmethod
    def _nearest(table: dict[Path, tuple[int, int]], path: Path) -> tuple[int, int]:
        for end in range(len(path), -1, -1):
            found = table.get(path[:end])
            if found is not None:
                return found
        return (1, 1)


@dataclass
class ParsedYaml:
    """The result of parsing one YAML text.

    ``data`` is None when the text could not be read as a whole (then
    ``diagnostics`` says why); otherwise it holds every value that could be
    read, and ``diagnostics`` the problems of the others, whose paths are in
    ``unreadable`` (their values are left out or kept as written).
    """

    data: Any = None
    source_map: SourceMap = field(default_factory=SourceMap)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    unreadable: list[Path] = field(default_factory=list)
    #: True when the builder saw every collection and none nested deeper than :data:`MAX_DEPTH`
    depth_known: bool = False


@dataclass
class AliasBudget:
    """How many nodes aliases have added so far: one budget for every document of a file."""

    expanded: int = 0


class _Unreadable:
    """Stands for a value that could not be read: a mapping leaves its key out, a list holds None."""


_UNREADABLE: Any = _Unreadable()


class _Abort(Exception):
    """Stop building: the diagnostic is already recorded."""


class _TooDeep(Exception):
    """Stop building: collections nest past :data:`MAX_DEPTH` as built."""


def parse_yaml(text: str, file: str, line_offset: int = 0, *, positions: bool = True,
               budget: AliasBudget | None = None) -> ParsedYaml:
    """Parse one YAML document; ``line_offset`` shifts lines (front matter).

    With ``positions=False`` the source map stays empty (a third cheaper); a
    caller that later needs positions parses again. ``budget`` shares the
    alias bound between the documents of one file.

    Nesting is measured before composing only where the text could nest past
    what every libyaml composes safely; other texts are composed, and the
    builder measures how deep they nest on its way (aliases, merges and
    collections it does not enter make it measure the text instead).

    Structure tokens are counted only where the answer matters: a text of at
    most :data:`_COMPOSED_SAFELY` characters cannot hold more tokens, nor can
    one with fewer characters that may begin a token (:func:`_structure_bound`,
    five one-character counts), and a plain tree (:func:`_plain_tree`) that
    builds without a problem needs no bound on the builder's depth.
    """
    tokens = _structure_tokens(text) if len(text) > _COMPOSED_SAFELY and \
        _structure_bound(text) > _COMPOSED_SAFELY else None
    if tokens is not None and tokens > _COMPOSED_SAFELY:
        deep = _deep(text, file, line_offset)
        if deep is not None:
            return deep
    spent = budget.expanded if budget is not None else 0
    tree = not positions and _plain_tree(text)
    try:
        result = _parse(text, file, line_offset, positions, limited=tokens, budget=budget, tree=tree)
    except _TooDeep:  # nested past the limit as built (aliases count): the text says whether it is
        return _deep(text, file, line_offset) or \
            _parse(text, file, line_offset, positions, limited=False, budget=budget)
    if result.depth_known:
        return result
    if tokens is None:
        tokens = _structure_tokens(text)
    if tokens <= MAX_DEPTH or tokens > _COMPOSED_SAFELY:
        return result
    deep = _deep(text, file, line_offset)
    if deep is not None and budget is not None:
        budget.expanded = spent  # the document is refused as written: what its aliases added does not count
    return deep or result


def _structure_tokens(text: str) -> int:
    """How many structure tokens ``text`` holds: at least one per collection, so a bound on nesting."""
    return sum(text.count(token) for token in _STRUCTURE) + text.endswith((":", "-"))


def _structure_bound(text: str) -> int:
    """At least :func:`_structure_tokens`: each token has one of these characters, each at its own place."""
    return text.count("-") + text.count(":") + text.count("[") + text.count("{") + text.count("?")


def _deep(text: str, file: str, line_offset: int) -> ParsedYaml | None:
    """The OPS014 result where collections nest more than :data:`MAX_DEPTH` deep, else None."""
    found = first_too_deep(text, MAX_DEPTH)
    if found is None:
        return None
    line, column = found
    result = ParsedYaml()
    result.diagnostics.append(Location(file, line + line_offset, column).error(
        "OPS014", f"collections nest more than {MAX_DEPTH} levels deep here",
        "flatten the structure; opsrepo files need only a few levels",
    ))
    return result


def _parse(text: str, file: str, line_offset: int, positions: bool, *, limited: bool | int | None,
           budget: AliasBudget | None, tree: bool = False) -> ParsedYaml:
    """Compose and build one document.

    ``limited``: stop building past :data:`MAX_DEPTH` levels (a bool), or the
    text's structure tokens (an int, None: not counted yet), which decide it:
    more than :data:`MAX_DEPTH` of them. ``tree``: the text is a plain tree
    (:func:`_plain_tree`), built by :func:`_plain_document` unless it has a
    problem to report.
    """
    if tree:
        data = _plain_document(text)
        if data is not _MISSING:
            return ParsedYaml(data=data, depth_known=True)
    result = ParsedYaml()
    with _COMPOSING:
        node = _compose_one(text, file, line_offset, result)
    if node is None:  # the diagnostic is in the result
        return result
    spent = budget.expanded if budget is not None else 0
    if limited is None:
        limited = _structure_tokens(text)
    if not isinstance(limited, bool):
        limited = limited > MAX_DEPTH
    builder = _Builder(file, line_offset, result.source_map if positions else None, spent, limited=limited)
    try:
        data = builder.build(node, ())
    except _Abort:  # aliases expanded beyond the bound: nothing of the document is trusted
        data = None
        builder.deepest = MAX_DEPTH + 1  # not all of it was built: measure the text
    if budget is not None:
        budget.expanded = builder._expanded
    if builder.diagnostics and data is not None and not positions:
        # rare: the paths of the problems need positions (the same text, the same alias count)
        return parse_yaml(text, file, line_offset, budget=None if budget is None else AliasBudget(spent))
    result.data = None if data is _UNREADABLE else data
    result.diagnostics.extend(builder.diagnostics)
    result.unreadable = builder.unreadable
    result.depth_known = builder.deepest <= MAX_DEPTH
    return result


def _compose_one(text: str, file: str, line_offset: int, result: ParsedYaml) -> yaml.Node | None:
    """The node graph of the text's one document, or None (the diagnostic then goes in ``result``)."""
    loader = _Loader(text)
    try:
        node = loader.get_node() if loader.check_node() else None
        if node is not None and loader.check_node():
            extra = loader.get_node()
            line = _separator_line(text, extra.start_mark.line) + 1 + line_offset
            result.diagnostics.append(
                Location(file, line, 1).error(
                    "OPS009",
                    "this file holds several YAML documents; opsrepo reads exactly one",
                    "remove the '---' separator and split the documents into separate files",
                )
            )
            return None
    except yaml.MarkedYAMLError as exc:
        result.diagnostics.append(_syntax_error(exc, file, line_offset))
        return None
    except yaml.YAMLError as exc:  # reader errors (control characters) carry a position too
        result.diagnostics.append(_reader_error(exc, text, file, line_offset))
        return None
    finally:
        loader.dispose()
    if node is None:
        result.diagnostics.append(
            Location(file, 1 + line_offset, 1).error(
                "OPS007", "the document is empty", "write the document's fields, starting with its id"
            )
        )
    return node


@_parsing
def split_documents(text: str, file: str) -> tuple[list[tuple[int, str]], Diagnostic | None]:
    """The documents of a YAML stream, (0-based first line, text) each, and the error that stopped reading.

    Each document's text runs from its ``---`` to the next one (the first
    from the top of the file), so parsing it alone gives the positions it has
    in the file. Only libyaml's event parser runs here: no values are built.
    A syntax error keeps the documents before the broken one (the parser
    cannot read past it).
    """
    starts = [0]
    loader = _Loader(text)
    first = True
    problem: Diagnostic | None = None
    try:
        while not loader.check_event(yaml.StreamEndEvent):
            event = loader.get_event()
            if not isinstance(event, yaml.DocumentStartEvent):
                continue
            if first:  # the first document's text starts at the top, with the comments before it
                first = False
                continue
            line = event.start_mark.line if event.start_mark is not None else starts[-1]
            if line > starts[-1]:
                if len(starts) == MAX_DOCUMENTS:
                    return [], Location(file, line + 1, 1).error(
                        "OPS009", f"this file holds more than {MAX_DOCUMENTS} YAML documents",
                        "split it into several files",
                    )
                starts.append(line)
    except yaml.MarkedYAMLError as exc:
        problem = _syntax_error(exc, file, 0)
    except yaml.YAMLError as exc:
        problem = _reader_error(exc, text, file, 0)
    finally:
        loader.dispose()
    lines = text.splitlines(keepends=True)
    if problem is not None:  # the document the error is in is the last one begun
        lines = lines[: starts.pop()]
    bounds = [*starts, len(lines)]
    found = [(start, "".join(lines[start:end])) for start, end in itertools.pairwise(bounds) if start < end]
    return found, problem


def too_deep(text: str) -> tuple[int, int] | None:
    """Where nesting first exceeds :data:`MAX_DEPTH`, or None.

    Counting structural tokens (C-speed) settles nearly every file at once;
    the others are measured by :mod:`opsrepo.load.depth`, never by the parser,
    whose own caps differ between PyYAML and libyaml releases (libyaml 0.2.6
    refuses 1000 levels while scanning ahead, before level 101 is handed out).
    """
    tokens = sum(text.count(token) for token in _STRUCTURE) + text.endswith((":", "-"))
    if tokens <= MAX_DEPTH:
        return None
    return first_too_deep(text, MAX_DEPTH)


@_parsing
def compose(text: str) -> yaml.Node | None:
    """The node graph of ``text`` (with positions), or None when it does not compose."""
    loader = _Loader(text)
    try:
        return loader.get_single_node()
    except yaml.YAMLError:
        return None
    finally:
        loader.dispose()


def position(root: yaml.Node, path: Path, key: bool, line_offset: int = 0) -> tuple[int, int] | None:
    """What :meth:`SourceMap.key` (``key``) or :meth:`SourceMap.value` gives, read off the node graph.

    One walk down ``path`` instead of building every value with its position:
    the nearest node that exists, or the key of the last mapping entry. None
    (build the source map) where a mapping on the way merges others (``<<``)
    or repeats a key, or the way comes back to a node through an alias: the
    map then holds positions of other nodes.
    """
    node, key_node, above = root, None, set()
    for part in path:
        if id(node) in above:
            return None  # a recursive alias: the builder stops there
        above.add(id(node))
        if isinstance(node, yaml.MappingNode) and node.tag == _MAP:
            entry = _entry(node, part)
            if entry is None:
                return None
            if not entry:
                break
            key_node, node = entry
        elif isinstance(node, yaml.SequenceNode) and node.tag == _SEQ and isinstance(part, int) \
                and 0 <= part < len(node.value):
            key_node, node = None, node.value[part]
        else:  # a scalar, a path the document does not have, or a collection with a tag (not built)
            break
    else:
        if key and key_node is not None:
            node = key_node
    return node.start_mark.line + 1 + line_offset, node.start_mark.column + 1


@_parsing
def early_position(text: str, path: Path, key: bool, line_offset: int = 0) -> tuple[int, int] | None:
    """:func:`position` read from the parser's events, stopping where ``path`` is found.

    For a text that parsed without any problem (no repeated key, no key that
    is not a scalar), so the first entry found for a key is the only one.
    None (compose the text) where an alias or a merge key is on the way.

    The parser makes :class:`_Event` records here instead of PyYAML's event
    objects, whose Python ``__init__`` ran once per event read (half of the
    walk); where this PyYAML's parser does not make them, None.
    """
    if _composer is None or not _events_work():
        return None
    return _event_records_position(text, path, key, line_offset)


def _event_records_position(text: str, path: Path, key: bool, line_offset: int) -> tuple[int, int] | None:
    names = _composer.__dict__  # the parser finds its event classes among its module's globals
    with _COMPOSING:
        made = _events_now(names)
        try:
            names.update(_EVENT_CLASSES)
            loader = _RecordLoader(text)
            try:
                return _walk_events(loader.get_event, path, key, line_offset)
            except yaml.YAMLError:
                return None
            finally:
                loader.dispose()
        finally:
            names.update(zip(_EVENT_CLASSES, made, strict=True))


class _Event(BaseException):
    """An event of libyaml's parser as a record: ``args`` as PyYAML's event class is called with.

    Like the node records (:class:`_Scalar`), an exception class keeps its
    arguments in C, without a Python ``__init__``.
    """

    __slots__ = ()


class _NodeEvent(_Event):
    """An alias, a scalar or the start of a collection."""

    __slots__ = ()


class _AliasEvent(_NodeEvent):
    """``args`` = (anchor, start_mark, end_mark)."""

    __slots__ = ()


class _ScalarEvent(_NodeEvent):
    """``args`` = (anchor, tag, (plain_implicit, quoted_implicit), value, start_mark, end_mark, style)."""

    __slots__ = ()


class _StartEvent(_NodeEvent):
    """``args`` = (anchor, tag, implicit, start_mark, end_mark, flow_style)."""

    __slots__ = ()


class _SequenceStartEvent(_StartEvent):
    __slots__ = ()


class _MappingStartEvent(_StartEvent):
    __slots__ = ()


class _EndEvent(_Event):
    """The end of a collection: ``args`` = (start_mark, end_mark)."""

    __slots__ = ()


#: the event classes libyaml's parser finds by its module's globals, and the records that stand in for them
_EVENT_CLASSES = {
    "StreamStartEvent": _Event, "StreamEndEvent": _EndEvent, "DocumentStartEvent": _Event,
    "DocumentEndEvent": _Event, "AliasEvent": _AliasEvent, "ScalarEvent": _ScalarEvent,
    "SequenceStartEvent": _SequenceStartEvent, "SequenceEndEvent": _EndEvent,
    "MappingStartEvent": _MappingStartEvent, "MappingEndEvent": _EndEvent,
}

#: the event classes the parser makes now, read off its module's globals
_events_now = operator.itemgetter(*_EVENT_CLASSES)

#: whether this PyYAML's parser makes the event records (None: not tried yet)
_EVENTS_WORK: bool | None = None


def _events_work() -> bool:
    """Whether swapping the parser's event classes gives records here, tried once on a small text.

    Like :func:`_records_work` for the composer: a PyYAML that makes its own
    events or fails leaves every place to the node graph (:func:`position`).
    """
    global _EVENTS_WORK
    if _EVENTS_WORK is None:
        try:
            found = _event_records_position("a:\n  - b\n  - {c: d}\n", ("a", 1, "c"), True, 0)
            _EVENTS_WORK = found == (3, 6)
        except Exception:  # any failure of the probe means: do not use the records
            _EVENTS_WORK = False
    return _EVENTS_WORK


def _start_mark(event: Any) -> Any:
    """Where a scalar or the start of a collection begins."""
    return event.args[4] if event.__class__ is _ScalarEvent else event.args[3]


def _walk_events(next_event: Any, path: Path, key: bool, line_offset: int) -> tuple[int, int] | None:
    event = next_event()
    while event.__class__ is _Event:  # the stream's and the document's start
        event = next_event()
    if not isinstance(event, _NodeEvent):  # an empty stream, or not a record (the probe of a foreign parser)
        return None
    key_event = None
    for part in path:
        cls = event.__class__
        if cls is _AliasEvent:
            return None
        if cls is _MappingStartEvent and event.args[1] in (None, "!", _MAP):
            entry = _find_key(next_event, part)
            if entry is None:
                return None
            if not entry:
                break
            key_event, event = entry
        elif cls is _SequenceStartEvent and event.args[1] in (None, "!", _SEQ) \
                and isinstance(part, int) and part >= 0:
            found = _find_item(next_event, part)
            if found is None:
                break
            key_event, event = None, found
        else:
            break
    else:
        if event.__class__ is _AliasEvent:
            return None
        if key and key_event is not None:
            event = key_event
    mark = _start_mark(event)
    return mark.line + 1 + line_offset, mark.column + 1


def _find_key(next_event: Any, part: str | int) -> tuple[Any, Any] | tuple[()] | None:
    """After a mapping's start: the events of the key ``part`` and of its value; () when absent."""
    while True:
        event = next_event()
        if event.__class__ is _EndEvent:
            return ()
        if event.__class__ is not _ScalarEvent:
            return None
        _, tag, implicit, text = event.args[:4]
        plain = tag in (None, "!") and implicit[0]
        if tag == _TAG + "merge" or (plain and text == "<<"):
            return None
        value = next_event()
        if text == part:
            return event, value
        _skip(next_event, value)


def _find_item(next_event: Any, index: int) -> Any:
    """After a sequence's start: the event of item ``index``; None when the sequence is shorter."""
    for _ in range(index):
        event = next_event()
        if event.__class__ is _EndEvent:
            return None
        _skip(next_event, event)
    event = next_event()
    return None if event.__class__ is _EndEvent else event


def _skip(next_event: Any, event: Any) -> None:
    """Read past the node ``event`` starts."""
    depth = 1 if isinstance(event, _StartEvent) else 0
    while depth:
        event = next_event()
        if isinstance(event, _StartEvent):
            depth += 1
        elif event.__class__ is _EndEvent:
            depth -= 1


def _entry(node: yaml.MappingNode, part: str | int) -> tuple[yaml.Node, yaml.Node] | tuple[()] | None:
    """The (key, value) nodes of ``part``; () when absent; None when the mapping is not plain."""
    found: tuple[yaml.Node, yaml.Node] | tuple[()] = ()
    seen = set()
    for key_node, value_node in node.value:
        if not isinstance(key_node, yaml.ScalarNode) or key_node.tag == _TAG + "merge" or (
                key_node.value == "<<" and key_node.tag == _PLAIN) or key_node.value in seen:
            return None
        seen.add(key_node.value)
        if not found and key_node.value == part:
            found = (key_node, value_node)
    return found


def _syntax_error(exc: yaml.MarkedYAMLError, file: str, line_offset: int) -> Diagnostic:
    mark = exc.problem_mark or exc.context_mark
    line, column = (mark.line + 1 + line_offset, mark.column + 1) if mark else (1 + line_offset, 1)
    problem = exc.problem or "invalid YAML"
    context = f" ({exc.context})" if exc.context else ""
    hint = "check the indentation and quoting on this line and the one before it"
    if "\t" in problem or "tab" in problem:
        hint = "YAML does not allow tabs for indentation; indent with spaces"
    plain = explain(problem)
    said = f"{plain} (the parser says: {problem}{context})" if plain else f"{problem}{context}"
    return Location(file, line, column).error("OPS002", f"YAML syntax error: {said}", hint)


def _separator_line(text: str, content_line: int) -> int:
    """The 0-based line of the ``---`` that opens the document whose content starts at ``content_line``."""
    lines = text.splitlines()
    for index in range(min(content_line, len(lines) - 1), -1, -1):
        if lines[index].startswith("---"):
            return index
    return content_line


def _reader_error(exc: yaml.YAMLError, text: str, file: str, line_offset: int) -> Diagnostic:
    position = int(getattr(exc, "position", 0) or 0)
    before = text[:position]
    line = before.count("\n") + 1 + line_offset
    column = position - (before.rfind("\n") + 1) + 1
    return Location(file, line, column).error(
        "OPS002",
        f"YAML syntax error: {getattr(exc, 'reason', None) or exc}",
        "remove control characters from the file",
    )


def _plain_tree(text: str) -> bool:
    """Whether ``text`` composes to a tree of untagged nodes without merge keys (three C-speed searches)."""
    return "&" not in text and "!" not in text and "<<" not in text


class _NotPlain(Exception):
    """The tree has something :func:`_value` leaves to :class:`_Builder`: a problem to report, or depth."""


class _Scalar(BaseException):
    """A scalar as libyaml's composer makes it for :func:`_plain_document`: ``args`` = (tag, text, .., style).

    These records stand in for PyYAML's node classes, whose Python
    ``__init__`` runs once per node: an exception class keeps the arguments
    it is called with (``args``) in C.
    """

    __slots__ = ()


class _Collection(BaseException):
    """A sequence or mapping: ``args`` = (tag, items, ...); the composer sets ``end_mark``."""

    __slots__ = ("end_mark",)


class _Sequence(_Collection):
    __slots__ = ()


class _Mapping(_Collection):
    """``args[1]`` holds (key, value) pairs."""

    __slots__ = ()


#: called with anything, it answers the empty text, making nothing: positions (PyYAML's ``Mark``) and tags are
#: never read in the shortcut, where a problem sends the text the general way
_NOTHING: Any = "".format


_composer: Any
try:
    from yaml import _yaml as _composer  # PyYAML built with libyaml: the composer's module
except ImportError:  # pragma: no cover - depends on the build of PyYAML
    _composer = None

#: libyaml's parser and composer alone, without PyYAML's constructor and resolver mixed in
_CParser: Any = _composer.CParser if _composer is not None else _Base


class _RecordLoader(_CParser):
    """libyaml's composer, composing :class:`_Scalar`, :class:`_Sequence` and :class:`_Mapping` records.

    A plain tree's nodes have no tag but the one resolved, and whether a
    scalar is plain is its style, so the resolver's answer is not needed: a
    C call that makes nothing stands in for it.

    The composer looks up ``resolve``, ``descend_resolver`` and
    ``ascend_resolver`` on the loader for every node. Built on the C parser
    alone, with no instance dictionary (``__slots__``), each lookup is one
    search of a two-class MRO instead of the safe loader's seven and a
    missed search of the instance's dictionary: about 8 % of composing.
    """

    __slots__ = ()
    resolve: Any = staticmethod(_NOTHING)
    descend_resolver = staticmethod(operator.is_)  # (parent, index) -> ignored
    ascend_resolver = staticmethod(tuple)  # () -> ignored

_MADE = ("ScalarNode", "SequenceNode", "MappingNode", "Mark")
_RECORDS = (_Scalar, _Sequence, _Mapping, _NOTHING)
#: plain scalars' values by their text, for those :meth:`_Builder._scalar` reads without a problem
_PLAIN_VALUES: dict[str, Any] = {}
_MISSING: Any = object()
_intern = sys.intern


def _plain_document(text: str) -> Any:
    """What :class:`_Builder` builds of a plain tree (:func:`_plain_tree`) without positions; else _MISSING.

    libyaml's composer makes records instead of PyYAML's nodes here (a fifth
    of parsing), and :func:`_value` builds each value once, straight down:
    a tree has no alias to count or follow. _MISSING (the general way then
    parses the text and reports what it has) where the text is not one
    document that composes, or :func:`_value` finds something to report.
    """
    if _composer is None or not _records_work():
        return _MISSING
    return _records_document(text)


#: whether this PyYAML's composer makes the records (None: not tried yet)
_RECORDS_WORK: bool | None = None
#: the probe: a mapping, a sequence, plain and quoted scalars
_PROBE = ("a: [b, 'c']\n", {"a": ["b", "c"]})


def _records_work() -> bool:
    """Whether swapping the composer's classes gives records here, tried once on a small text.

    The swap relies on how PyYAML's C composer (``yaml._yaml``) finds its node
    classes: by module globals, called with (tag, value, start, end, style).
    A PyYAML built otherwise makes its own nodes or fails: then every text
    takes the general way, as slow as before and as right.
    """
    global _RECORDS_WORK
    if _RECORDS_WORK is None:
        try:
            _RECORDS_WORK = _records_document(_PROBE[0]) == _PROBE[1]
        except Exception:  # any failure of the probe means: do not use the records
            _RECORDS_WORK = False
    return _RECORDS_WORK


#: the records by the names of the classes they stand in for
_NODE_RECORDS = dict(zip(_MADE, _RECORDS, strict=True))
#: the classes the composer makes now, read off its module's globals (one C call)
_made_now = operator.itemgetter(*_MADE)


def _records_document(text: str) -> Any:
    # the swap is three dictionary calls on the composer's module globals, where it finds the classes
    # (a getattr and a setattr per name took a twelfth of parsing a small file)
    names = _composer.__dict__
    with _COMPOSING:
        made = _made_now(names)
        try:
            names.update(_NODE_RECORDS)
            loader = _RecordLoader(text)
            try:
                root = loader.get_node() if loader.check_node() else None
                if root is None or loader.check_node():
                    return _MISSING
            except yaml.YAMLError:  # its marks are records too: the general way reports it
                return _MISSING
            finally:
                loader.dispose()
        finally:
            names.update(zip(_MADE, made, strict=True))
    try:
        return _value(root, 1)
    except _NotPlain:
        return _MISSING


def _value(node: Any, depth: int) -> Any:
    """What :meth:`_Builder.build` builds from the record ``node`` of a plain tree without any problem.

    Plain scalars are read once per distinct text (:data:`_PLAIN_VALUES`).
    Anything the builder would report (a repeated key, a key that is not
    text, a value it cannot read) or nesting deeper than :data:`MAX_DEPTH`
    raises :class:`_NotPlain`.
    """
    if depth > MAX_DEPTH:
        raise _NotPlain
    cls = node.__class__
    if cls is _Mapping:
        result: dict[str, Any] = {}
        pairs = node.args[1]
        for key_node, value_node in pairs:
            if key_node.__class__ is not _Scalar:
                raise _NotPlain
            if value_node.__class__ is _Scalar:  # most values: what _scalar_value reads, without the call
                _, text, _, _, style = value_node.args
                if style:
                    value = _QUOTED.get(text) or _quoted(text)
                else:
                    value = _PLAIN_VALUES.get(text, _MISSING)
                    if value is _MISSING:
                        value = _plain_value(text, style)
            else:
                value = _value(value_node, depth + 1)
            result[_intern(key_node.args[1])] = value
        if len(result) < len(pairs):  # a repeated key: its later value was stored over the first
            raise _NotPlain
        return result
    if cls is _Sequence:
        return [_scalar_value(item) if item.__class__ is _Scalar else _value(item, depth + 1)
                for item in node.args[1]]
    return _scalar_value(node)


def _scalar_value(node: Any) -> Any:
    """What :meth:`_Builder._scalar` reads from the scalar record ``node``; else :class:`_NotPlain`."""
    _, text, _, _, style = node.args
    if style:  # quoted or a block: text
        return _QUOTED.get(text) or _quoted(text)
    value = _PLAIN_VALUES.get(text, _MISSING)
    return _plain_value(text, style) if value is _MISSING else value


#: short quoted texts by themselves: one object per distinct text (pickled once, see the loader's fork)
_QUOTED: dict[str, str] = {}


def _quoted(text: str) -> str:
    """``text``, remembered as the one object for its text where short."""
    if len(text) <= 64 and len(_QUOTED) < 200_000:
        _QUOTED[text] = text
    return text


def _plain_value(text: str, style: str | None) -> Any:
    """The value of a plain scalar as :meth:`_Builder._scalar` reads it; else :class:`_NotPlain`."""
    if style != "":  # pragma: no cover - libyaml gives every scalar a style
        raise _NotPlain
    tag = _PLAIN_TAGS.get(text) or _resolve_plain(text)
    value: Any
    if tag == _STR or tag == _TAG + "timestamp":
        value = text
    elif tag == _TAG + "null":
        value = None
    elif tag == _TAG + "bool":
        value = text.lower() in ("true", "yes", "on", "y")
    elif tag in (_TAG + "int", _TAG + "float") and not _SEXAGESIMAL.match(text):
        value = _int(text) if tag == _TAG + "int" else _float(text)
        if value is None:
            raise _NotPlain
    else:  # a sexagesimal number, or a tag opsrepo does not read
        raise _NotPlain
    if len(_PLAIN_VALUES) < 200_000:
        _PLAIN_VALUES[text] = value
    return value


class _Builder:
    """Turns a composed node graph into plain values while filling the source map."""

    def __init__(self, file: str, line_offset: int, source_map: SourceMap | None, expanded: int = 0, *,
                 limited: bool = False) -> None:
        self.file = file
        #: stop (:class:`_TooDeep`) past :data:`MAX_DEPTH` levels, before Python's recursion limit
        self.limited = limited
        self.line_offset = line_offset
        self.record = source_map is not None
        self.map = source_map if source_map is not None else SourceMap()
        self.diagnostics: list[Diagnostic] = []
        #: paths whose value could not be read (left out, or kept as written)
        self.unreadable: list[Path] = []
        self._seen: set[int] = set()
        self._on_stack: set[int] = set()
        self._expanded = expanded
        #: how many reused (aliased) collections are being built right now
        self._expanding = 0
        self._copied: yaml.Node = yaml.ScalarNode(_STR, "")
        #: the deepest nesting built; past :data:`MAX_DEPTH` where some collection was not entered
        self.deepest = 0
        self._depth = 0

    def _where(self, node: yaml.Node) -> tuple[int, int]:
        return node.start_mark.line + 1 + self.line_offset, node.start_mark.column + 1

    def _fail(self, node: yaml.Node, code: str, message: str, hint: str) -> _Abort:
        line, column = self._where(node)
        self.diagnostics.append(Location(self.file, line, column).error(code, message, hint))
        return _Abort()

    def _skip(self, node: yaml.Node, path: Path, code: str, message: str, hint: str) -> None:
        """Record a problem of the value at ``path`` only: building goes on without it."""
        self._fail(node, code, message, hint)
        self.unreadable.append(path)

    def build(self, node: yaml.Node, path: Path) -> Any:
        if self._expanding:
            self._count_expansion()
        if self.record:
            self.map.values.setdefault(path, self._where(node))
        if node.__class__ is yaml.ScalarNode:
            return self._scalar(node, path)
        # only collections can recurse or multiply through aliases
        ident = id(node)
        if ident in self._on_stack:
            self._skip(
                node, path, "OPS006", "an alias refers to a node that contains it (a recursive alias)",
                "replace the alias with a copy of the values you meant",
            )
            return _UNREADABLE
        reused = ident in self._seen
        self._seen.add(ident)
        expected = _SEQ if isinstance(node, yaml.SequenceNode) else _MAP
        if node.tag != expected:
            self.deepest = MAX_DEPTH + 1  # its items are not built: measure the text
            return self._unsupported_tag(node, path, node.tag)
        self._on_stack.add(ident)
        if reused and not self._expanding:
            self._copied = node
        self._expanding += reused
        self._depth += 1
        if self._depth > self.deepest:
            self.deepest = self._depth
            if self.limited and self._depth > MAX_DEPTH:
                raise _TooDeep
        try:
            if isinstance(node, yaml.SequenceNode):
                if not self.record:
                    plain = not self._expanding
                    items = [self._scalar(item, path) if plain and item.__class__ is yaml.ScalarNode
                             else self.build(item, path) for item in node.value]
                else:
                    items = [self.build(item, (*path, index)) for index, item in enumerate(node.value)]
                return [None if item is _UNREADABLE else item for item in items] if self.unreadable else items
            assert isinstance(node, yaml.MappingNode)
            return self._mapping(node, path)
        finally:
            self._on_stack.discard(ident)
            self._expanding -= reused
            self._depth -= 1

    def _count_expansion(self) -> None:
        """Count one node built again through an alias: every node of a copy counts, not each alias."""
        self._expanded += 1
        if self._expanded > ALIAS_EXPANSION_LIMIT:
            raise self._fail(  # at the anchored collection whose copies went over
                self._copied, "OPS006",
                f"aliases expand to more than {ALIAS_EXPANSION_LIMIT} nodes",
                "write the values out instead of nesting aliases (this looks like a 'billion laughs')",
            )

    def _mapping(self, node: yaml.MappingNode, path: Path) -> dict[str, Any]:
        result: dict[str, Any] = {}
        explicit: dict[str, yaml.Node] = {}  # each key's first key node
        merged: dict[str, Any] = {}
        plain = not self.record and not self._expanding  # scalar values built here, without build()
        for key_node, value_node in node.value:
            tag = key_node.tag
            if tag == _MERGE or (tag == _PLAIN and key_node.value == "<<" and _resolve_plain("<<") == _MERGE):
                merged.update(self._merge_sources(value_node, path))
                self.deepest = MAX_DEPTH + 1  # a list of sources is not built as a list: measure the text
                continue
            key = key_node.value if key_node.__class__ is yaml.ScalarNode else self._key(key_node)
            if key is None:
                continue
            if key in explicit:
                # The first value is kept (the one a reader meets first); the later one is still built,
                # so the problems inside it are reported too, and then dropped.
                first = explicit[key].start_mark.line + 1 + self.line_offset
                self._fail(
                    key_node, "OPS003", f"duplicate key {key!r} (first written on line {first}); "
                    "opsrepo checks the first value and ignores this one",
                    "remove one of the two: other YAML tools silently keep the last",
                )
                self.build(value_node, (*path, key) if self.record else path)
                continue
            explicit[key] = key_node
            if plain and value_node.__class__ is yaml.ScalarNode:
                value = self._scalar(value_node, path)
            elif self.record:
                child = (*path, key)
                self.map.keys[child] = self._where(key_node)
                value = self.build(value_node, child)
            else:
                value = self.build(value_node, path)
            if value is not _UNREADABLE:
                result[key] = value
        for key, value in merged.items():
            result.setdefault(key, value)
        return result

    def _merge_sources(self, node: yaml.Node, path: Path) -> dict[str, Any]:
        sources = node.value if isinstance(node, yaml.SequenceNode) else [node]
        merged: dict[str, Any] = {}
        for source in reversed(sources):
            if not isinstance(source, yaml.MappingNode):
                self._fail(source, "OPS002", "YAML syntax error: '<<' must merge a mapping",
                           "point '<<' at an anchored mapping, e.g. <<: *defaults")
                continue
            merged.update(self.build(source, path))
        return merged

    def _key(self, node: yaml.Node) -> str | None:
        if not isinstance(node, yaml.ScalarNode):
            self.deepest = MAX_DEPTH + 1  # the key is not built: measure the text
            self._fail(node, "OPS012", "a mapping key must be a plain word, not a list or mapping",
                       "write the key as text")
            return None
        return str(node.value)

    def _scalar(self, node: yaml.ScalarNode, path: Path) -> Any:
        tag = node.tag
        text: str = node.value
        if tag is _STR or tag == _STR:
            return text
        if tag == _PLAIN:
            tag = _PLAIN_TAGS.get(text) or _resolve_plain(text)
            if tag == _STR:  # most plain scalars: ids, names, durations
                return text
        if not tag.startswith(_TAG):
            return self._unsupported_tag(node, path, tag)
        kind = tag[len(_TAG):]
        if kind == "str":
            return text
        if kind in ("int", "float") and _SEXAGESIMAL.match(text):
            what, hint = unquoted_time_hint(text, path)
            self._skip(  # kept as written, so the rest of the file is checked; its own check is this one
                node, path, "OPS004",
                f"unquoted {text} is read by YAML 1.1 as the number {_sexagesimal(text)}, not {what}", hint,
            )
            return text
        if kind == "null":
            return None
        if kind == "bool":
            if text.lower() in _BOOL_WORDS and self.record:
                self.map.bool_words[path] = text
            return text.lower() in ("true", "yes", "on", "y")
        if kind in ("int", "float"):
            number = _int(text) if kind == "int" else _float(text)
            if number is None:
                self._skip(node, path, "OPS016", f"the number {shown(text, 40)} is out of range: opsrepo "
                           f"reads finite numbers of at most {MAX_DIGITS} digits", "write a smaller number")
                return text  # kept as written; its schema check is this one
            return number
        if kind == "timestamp":
            return text  # dates and instants stay text; schemas and rules parse them
        return self._unsupported_tag(node, path, tag)

    def _unsupported_tag(self, node: yaml.Node, path: Path, tag: str) -> Any:
        shown = "!!" + tag[len(_TAG):] if tag.startswith(_TAG) else tag
        self._skip(node, path, "OPS011", f"unsupported YAML tag '{shown}'",
                   "remove the tag; opsrepo files hold only text, numbers, lists and mappings")
        return _UNREADABLE


#: the most digits a number in a file may have (Python refuses to read more than 4300, and no field needs 16)
MAX_DIGITS = 15


def _int(text: str) -> int | None:
    """The integer ``text`` means, None when it has more than :data:`MAX_DIGITS` digits."""
    if sum(char.isalnum() for char in text) > MAX_DIGITS + 2:  # 0x, 0o, 0b
        return None
    cleaned = text.replace("_", "")
    sign = -1 if cleaned.startswith("-") else 1
    digits = cleaned.lstrip("+-")
    octal = len(digits) > 1 and digits.startswith("0")  # YAML 1.1: 017 is octal
    base = {"0b": 2, "0x": 16, "0o": 8}.get(digits[:2], 8 if octal else 10)
    value = sign * int(digits[2:] if digits[1:2].isalpha() else digits, base)
    return value if abs(value) < 10 ** MAX_DIGITS else None


def _float(text: str) -> float | None:
    """The float ``text`` means; None for ``.nan``, ``.inf`` and magnitudes beyond :data:`MAX_DIGITS` digits.

    A NaN limit compares false with everything: ``max_hours_28d: .nan`` silently turned the check off.
    """
    cleaned = text.replace("_", "").lower()
    if cleaned.lstrip("+-") in (".inf", ".nan"):
        return None
    value = float(cleaned)
    return value if math.isfinite(value) and abs(value) < 10 ** MAX_DIGITS else None


def _sexagesimal(text: str) -> int | float:
    sign = -1 if text.startswith("-") else 1
    parts = text.lstrip("+-").replace("_", "").split(":")
    value: float = 0
    for part in parts:
        value = value * 60 + float(part)
    return sign * (int(value) if value.is_integer() else value)
