"""Keep what a file with problems still says: leave out the values at fault, build the rest.

A duplicate key, a bad scalar or one malformed entry must not hide the rest of
its file: the values at fault (the paths the parser and the schema check
condemn) are left out, the schema check runs again on what is left, and what
it then condemns (a mapping that lost a required key, a list left empty) is
left out too, until the rest is valid. Each round starts from the file as
written, so positions never drift: the pruned copy gets a source map
translated from the original's. What was left out is reported as lost, so
references to it are not reported as unknown ids.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import field, replace
from typing import Any

from opsrepo import schemas
from opsrepo.load.files import Document
from opsrepo.load.yamlsrc import SourceMap
from opsrepo.records import dataclass

Path = tuple[Any, ...]
#: list paths (as written) -> the indexes of their items that were kept
Kept = dict[Path, list[int]]

_GONE: Any = object()
#: rounds of "leave out, check again" before a file is given up
MAX_ROUNDS = 8


@dataclass
class Pruned:
    """A pruned copy of a document and how to find its values in the original."""

    original: Document
    condemned: frozenset[Path]
    document: Document
    kept: Kept = field(default_factory=dict)

    def original_path(self, path: Path) -> Path:
        """Where a path of the pruned data is written in the original."""
        found: list[Any] = []
        for part in path:
            indexes = self.kept.get(tuple(found))
            found.append(indexes[part] if isinstance(part, int) and indexes is not None else part)
        return tuple(found)

    def condemn(self, path: Path) -> Pruned | None:
        """Prune again without one more value (a path of the pruned data); None if that changes nothing."""
        if not _exists(self.document.data, path):
            return None
        return prune(self.original, {*self.condemned, self.original_path(path)})


def prune(document: Document, condemned: set[Path] | frozenset[Path]) -> Pruned | None:
    """The document without the values at ``condemned``, valid by its schema; None when nothing is left."""
    bad = {path for path in condemned if _exists(document.data, path)}
    for _ in range(MAX_ROUNDS):
        data, kept = _without(document.data, bad, _prefixes(bad))
        if data is _GONE:
            return None
        copy = replace(document, data=data, problems=[], unreadable=[], condemned=[], _source_map=None)
        pruned = Pruned(document, frozenset(bad), copy, kept)
        more = {pruned.original_path(path) for path in schemas.check(copy)[1]}
        if not more:
            copy._source_map = _translate(document.source_map, kept)
            return pruned
        if more <= bad:
            return None
        bad |= more
    return None


def _prefixes(paths: set[Path]) -> set[Path]:
    return {path[:end] for path in paths for end in range(len(path))}


def _without(value: Any, bad: set[Path], prefixes: set[Path], path: Path = ()) -> tuple[Any, Kept]:
    if path in bad:
        return _GONE, {}
    if path not in prefixes:
        return value, {}
    kept: Kept = {}
    if isinstance(value, dict):
        result: dict[str, Any] = {}
        for key, item in value.items():
            found, inner = _without(item, bad, prefixes, (*path, key))
            kept.update(inner)
            if found is not _GONE:
                result[key] = found
        return result, kept
    if isinstance(value, list):
        items, indexes = [], []
        for index, item in enumerate(value):
            found, inner = _without(item, bad, prefixes, (*path, index))
            kept.update(inner)
            if found is not _GONE:
                items.append(found)
                indexes.append(index)
        if len(indexes) < len(value):
            kept[path] = indexes
        return items, kept
    return value, kept


def _new_path(path: Path, kept: Kept) -> Path | None:
    """Where a path as written lies in the pruned data; None when it was left out."""
    found: list[Any] = []
    for end, part in enumerate(path):
        indexes = kept.get(path[:end])
        if isinstance(part, int) and indexes is not None:
            if part not in indexes:
                return None
            part = indexes.index(part)
        found.append(part)
    return tuple(found)


def _translate(source: SourceMap, kept: Kept) -> SourceMap:
    if not kept:
        return source
    result = SourceMap()
    for table, target in ((source.values, result.values), (source.keys, result.keys),
                          (source.bool_words, result.bool_words)):
        for path, where in table.items():
            moved = _new_path(path, kept)
            if moved is not None:
                target.setdefault(moved, where)  # type: ignore[arg-type]
    return result


#: list entries that define ids other files refer to: (document kind, list path) -> id kind
_ENTITIES = {("team", ("people",)): "person", ("team", ("services",)): "service",
             ("severity", ("levels",)): "severity"}


def lost(pruned: Pruned) -> set[tuple[str, str]]:
    """The ids the original defines in entries the pruned copy left out ("*" where an id is unreadable).

    Such an id is still defined (its entry's own problem is reported), so
    references to it are not reported as unknown.
    """
    original = pruned.original
    found = {(kind, ident) for kind, path, ident in _entities(original.kind, original.data)
             if ident == "*" or _new_path(path, pruned.kept) is None or path in pruned.condemned}
    if original.kind == "team" and any(path[:1] == ("members",) for path in pruned.condemned):
        found.add(("members", str(original.data.get("id"))))
    return found


def _entities(kind: str, data: Any) -> Iterator[tuple[str, Path, str]]:
    if not isinstance(data, dict):
        return
    for (document_kind, (key,)), entity in _ENTITIES.items():
        if document_kind != kind or key not in data:
            continue
        entries = data[key]
        if not isinstance(entries, list):
            yield entity, (key,), "*"
            continue
        for index, entry in enumerate(entries):
            ident = entry.get("id") if isinstance(entry, dict) else None
            yield entity, (key, index), ident if isinstance(ident, str) else "*"
            if entity == "service" and isinstance(entry, dict):
                yield from _alerts(entry.get("alerts"), (key, index, "alerts"))


def _alerts(alerts: Any, path: Path) -> Iterator[tuple[str, Path, str]]:
    if alerts is None:
        return
    if not isinstance(alerts, list):
        yield "alert", path, "*"
        return
    for index, alert in enumerate(alerts):
        ident = alert.get("id") if isinstance(alert, dict) else None
        yield "alert", (*path, index), ident if isinstance(ident, str) else "*"


def _exists(data: Any, path: Path) -> bool:
    for part in path:
        listed = isinstance(data, list) and isinstance(part, int) and part < len(data)
        if listed or (isinstance(data, dict) and part in data):
            data = data[part]
        else:
            return False
    return True
