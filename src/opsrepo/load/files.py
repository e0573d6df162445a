"""Finding an ops repo's files and reading each into a :class:`Document`."""

from __future__ import annotations

import errno
import os
from collections.abc import Collection, Iterator
from dataclasses import field
from pathlib import Path
from typing import Any

from opsrepo.errors import Diagnostic, Location
from opsrepo.load.yamlsrc import ParsedYaml, SourceMap, compose, early_position, parse_yaml, position
from opsrepo.records import dataclass

#: files larger than this are refused (a runbook is a few KB, a team file less)
MAX_FILE_BYTES = 1024 * 1024

ORG_FILE = "opsrepo.yaml"

MARKDOWN_KINDS = frozenset({"runbook", "postmortem"})

#: places in one document found by walking its text (:meth:`Document.location`) before the source map is built
QUICK_LOOKUPS = 8


@dataclass
class Document:
    """One file of the ops repo, parsed: its data and where each value is.

    The source map is built on first use, by parsing the YAML again with
    positions: most documents never get a diagnostic, so loading skips it.
    """

    path: str
    kind: str
    text: str
    data: Any = None
    body: str = ""
    body_line: int = 0
    #: the YAML text (the front matter of Markdown files) and its first line - 1
    yaml_text: str = ""
    yaml_line_offset: int = 0
    #: problems the parser recorded while still reading the rest (duplicate keys, unquoted times, ...)
    problems: list[Diagnostic] = field(default_factory=list, compare=False)
    #: the paths of those problems: values left out or kept as written
    unreadable: list[tuple[str | int, ...]] = field(default_factory=list, compare=False)
    #: the paths of every value at fault (the parser's and the schema check's); see opsrepo.load.salvage
    condemned: list[tuple[Any, ...]] = field(default_factory=list, compare=False)
    _source_map: SourceMap | None = field(default=None, repr=False, compare=False)
    #: the composed node graph, kept for placing further diagnostics (False: it does not compose)
    _nodes: Any = field(default=None, repr=False, compare=False)
    #: the text parsed without a problem (no repeated key, no key that is not text, no bad value)
    clean: bool = field(default=False, compare=False)
    #: how many places were found without the source map (see :meth:`location`)
    _walked: int = field(default=0, repr=False, compare=False)

    @property
    def source_map(self) -> SourceMap:
        """Where each value and key is written (parsed on first use)."""
        if self._source_map is None:
            self._source_map = parse_yaml(self.yaml_text, self.path, self.yaml_line_offset).source_map
        return self._source_map

    def location(self, *path: str | int, key: bool = False) -> Location:
        """Where the value (or with ``key``, the key) at ``path`` is written.

        Read off the parser's events up to the place (a clean text), else off
        the node graph, where they give what the source map would: a walk down
        one path, several times cheaper than building the map. Each walk may
        read the whole text, so from the :data:`QUICK_LOOKUPS`-th place on the
        map is built once instead (a rule placing every one of 10,000 action
        items would otherwise read the text 10,000 times).
        """
        if key and path == ("id",) and self.clean and self.yaml_text.startswith(_ID_FIRST):
            # the first line's key: the root is a block mapping whose first key is 'id', and a clean
            # text has it once (the place most diagnostics of a record point at)
            return Location(self.path, 1 + self.yaml_line_offset, 1)
        if self._source_map is None and self._walked < QUICK_LOOKUPS:
            self._walked += 1
            found = early_position(self.yaml_text, path, key, self.yaml_line_offset) if self.clean else None
            if found is None:
                if self._nodes is None:
                    self._nodes = compose(self.yaml_text) or False
                found = position(self._nodes, path, key, self.yaml_line_offset) if self._nodes else None
            if found is not None:
                return Location(self.path, *found)
        line, column = (self.source_map.key if key else self.source_map.value)(path)
        return Location(self.path, line, column)


#: how a text whose first key is ``id`` begins
_ID_FIRST = ("id: ", "id:\n", "id:\r", "id:\t")


def classify(relative: str) -> str | None:
    """The document kind of a repo-relative posix path, or None when opsrepo ignores it."""
    folder, _, name = relative.rpartition("/")
    if not name or name == "README.md" or name.startswith(("_", ".")):
        return None
    if relative == ORG_FILE:
        return "org"
    suffix = name.rpartition(".")[2]
    if suffix in ("yaml", "yml"):
        if folder == "policies" and name.rpartition(".")[0] == "severity":
            return "severity"
        return {"teams": "team", "schedules": "schedule", "policies/escalation": "escalation"}.get(folder)
    if suffix == "md":
        if folder == "postmortems":
            return "postmortem"
        if folder == "runbooks" or folder.startswith("runbooks/"):
            return "runbook"
    return None


#: the folders of an ops repo and the kinds of document each may hold
FOLDERS = {
    "teams": {"team"}, "schedules": {"schedule"}, "policies": {"severity", "escalation"},
    "runbooks": {"runbook"}, "postmortems": {"postmortem"},
}


def discover(root: Path, kinds: Collection[str] | None = None) -> Iterator[tuple[str, Path]]:
    """Every (kind, file) of the repo at ``root``, in a stable order.

    With ``kinds``, only the folders that may hold those kinds are walked
    (links, of kind ``link``, are then found in those folders only).
    """
    candidates = [(ORG_FILE, root / ORG_FILE)] if (root / ORG_FILE).is_file() else []
    for folder, held in FOLDERS.items():
        if kinds is not None and not held & set(kinds):
            continue
        base = root / folder
        if base.is_dir():
            below = _files_below(str(base))
            candidates.extend((f"{folder}/{relative}", base / relative) for relative in below)
    for relative, path in candidates:
        kind = classify(relative)
        if kind is not None or path.is_symlink():
            yield kind or "link", path  # links of any name are reported, never read


def _files_below(base: str) -> list[str]:
    """``sorted(p for p in Path(base).rglob("*") if p.is_file() or p.is_symlink())``, relative to ``base``.

    The same walk (into folders, not into links to folders; a folder that may
    not be read is left out) on directory entries, whose types come with the
    listing, instead of a path object and a ``stat`` per file.
    """
    found: list[tuple[str, ...]] = []
    pending: list[tuple[str, tuple[str, ...]]] = [(base, ())]
    while pending:
        folder, parts = pending.pop()
        try:
            with os.scandir(folder) as listing:
                entries = list(listing)
        except PermissionError:
            continue
        for entry in entries:
            if entry.is_symlink() or entry.is_file():
                found.append((*parts, entry.name))
            elif _is_dir(entry):
                pending.append((entry.path, (*parts, entry.name)))
    found.sort()  # part by part: the order of paths
    return ["/".join(parts) for parts in found]


def _is_dir(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir()
    except OSError:
        return False


def schedule_files(root: Path, ids: Collection[str]) -> list[tuple[str, Path]]:
    """What :func:`discover` finds of the schedule files named after ``ids``, without listing the folder.

    Only ``schedules/<id>.yaml`` and ``schedules/<id>.yml`` are looked at, so
    the cost follows the ids asked for, not the number of schedules.
    """
    names = [f"{ident}.{suffix}" for ident in ids if "/" not in ident and ident not in ("", ".", "..")
             for suffix in ("yaml", "yml")]
    paths = sorted(root / "schedules" / name for name in names)
    return [("schedule", path) for path in paths if (path.is_file() or path.is_symlink())
            and classify(path.relative_to(root).as_posix()) == "schedule"]


def read_document(root: Path, kind: str, path: Path,
                  real_dirs: dict[str, bool] | None = None) -> tuple[Document | None, list[Diagnostic]]:
    """Read and parse one file; a failure is returned as diagnostics, never raised.

    ``real_dirs`` keeps what was found of each folder for the next file (one ``realpath`` per folder,
    not per file): whether it lies inside the root once links are resolved.
    """
    relative, raw, problems = read_bytes(root, path, real_dirs)
    if raw is None:
        return None, problems
    return parse_document(relative, kind, raw)


def read_bytes(root: Path, path: Path,
               real_dirs: dict[str, bool] | None = None) -> tuple[str, bytes | None, list[Diagnostic]]:
    """The repo-relative path and the bytes of one file, or the diagnostics that say why not."""
    name, base = str(path), str(root)
    relative = name[len(base) + 1:] if name.startswith(base + "/") else path.relative_to(root).as_posix()
    # never read through links: a pull request could point one at a secret
    # (e.g. /proc/self/environ) and the diagnostics would echo its lines
    if (not _NO_FOLLOW and path.is_symlink()) or not _inside(root, path, real_dirs):
        return relative, None, [_linked(relative)]
    try:
        return relative, _read(name), []
    except OSError as exc:
        if _NO_FOLLOW and exc.errno == errno.ELOOP:  # the file itself is a link
            return relative, None, [_linked(relative)]
        return relative, None, [Location(relative).error("OPS013", f"cannot read the file: {exc.strerror}",
                                                         "check the file's permissions")]


#: opening refuses a link itself (ELOOP) where the system can, sparing an ``lstat`` per file
_NO_FOLLOW = getattr(os, "O_NOFOLLOW", 0)


#: files are read in pieces of this size; a file shorter than one piece is read with one call
_PIECE = 1 << 16


def _read(name: str) -> bytes:
    """The bytes of the file ``name``; a link is refused where :data:`_NO_FOLLOW` can.

    A first read shorter than asked for has met the end of the (regular)
    file: nearly every file of an ops repo is read with one ``read`` and no
    ``fstat``; longer ones are read on until a read finds nothing more.
    """
    handle = os.open(name, os.O_RDONLY | _NO_FOLLOW | getattr(os, "O_CLOEXEC", 0))
    try:
        first = os.read(handle, _PIECE)
        if len(first) < _PIECE:
            return first
        chunks = [first]
        while chunk := os.read(handle, _PIECE):
            chunks.append(chunk)
        return b"".join(chunks)
    finally:
        os.close(handle)


def _linked(relative: str) -> Diagnostic:
    return Location(relative).error(
        "OPS015", "the file is a symbolic link (or lies behind one); opsrepo does not follow links",
        "commit the file itself instead of a link",
    )


def _inside(root: Path, path: Path, known: dict[str, bool] | None) -> bool:
    """Whether the folder of ``path`` lies inside ``root`` once every link is resolved (known: by folder)."""
    folder = str(path).rpartition(os.sep)[0] if known is not None else ""
    found = known.get(folder) if known is not None else None
    if found is None:
        found = path.parent.resolve().is_relative_to(root.resolve())
        if known is not None:
            known[folder] = found
    return found


def decode_text(relative: str, raw: bytes) -> tuple[str | None, list[Diagnostic]]:
    """The text of a file's bytes, unless it is too large, not UTF-8 or empty."""
    if len(raw) > MAX_FILE_BYTES:
        return None, [Location(relative, 1, 1).error(
            "OPS008", f"the file is {len(raw)} bytes, more than the limit of {MAX_FILE_BYTES}",
            "split it into smaller files; ops repo files are meant to be read in review",
        )]
    text, problem = _decode(relative, raw)
    if problem is not None:
        return None, [problem]
    if not text or text.isspace():  # not text.strip(), without copying the text
        return None, [Location(relative, 1, 1).error("OPS007", "the file is empty",
                                                     "write the document's fields, or delete the file")]
    return text, []


def parse_document(relative: str, kind: str, raw: bytes) -> tuple[Document | None, list[Diagnostic]]:
    """Parse the bytes of one file of the given kind."""
    text, problems = decode_text(relative, raw)
    if text is None:
        return None, problems
    document = Document(relative, kind, text, yaml_text=text)
    if kind in MARKDOWN_KINDS:
        return _parse_markdown(document)
    return finish(document, parse_yaml(text, relative, positions=False))


def _decode(relative: str, raw: bytes) -> tuple[str, Diagnostic | None]:
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8"), None
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        column = len(before) - (before.rfind(b"\n") + 1) + 1
        what = f"not UTF-8 (byte 0x{raw[exc.start]:02x} at offset {exc.start})"
        if raw.startswith((b"\xff\xfe", b"\xfe\xff")):  # a UTF-16 byte-order mark (some Windows editors)
            what = "UTF-16, not UTF-8"
        return "", Location(relative, line, column).error("OPS001", f"the file is {what}",
                                                          "save the file as UTF-8")


def _parse_markdown(document: Document) -> tuple[Document | None, list[Diagnostic]]:
    lines = document.text.splitlines(keepends=True)
    if not lines or lines[0].rstrip() != "---":
        return None, [Location(document.path, 1, 1).error(
            "OPS010", "the file has no YAML front matter",
            "start the file with a line '---', the front matter fields, and another '---'",
        )]
    for index in range(1, len(lines)):
        if lines[index].rstrip() in ("---", "..."):
            break
    else:
        return None, [Location(document.path, 1, 1).error(
            "OPS010", "the front matter is not closed",
            "end the front matter with a line '---' before the Markdown body",
        )]
    front = "".join(lines[1:index])
    document.body = "".join(lines[index + 1 :])
    document.body_line = index + 2
    if not front.strip():
        return None, [Location(document.path, 2, 1).error(
            "OPS007", "the front matter is empty", "write the document's fields between the '---' lines",
        )]
    document.yaml_text, document.yaml_line_offset = front, 1
    return finish(document, parse_yaml(front, document.path, line_offset=1, positions=False))


def finish(document: Document, parsed: ParsedYaml) -> tuple[Document | None, list[Diagnostic]]:
    """The document, unless the parser could read none of it; problems it read past stay on it."""
    if parsed.data is None and parsed.diagnostics:
        return None, parsed.diagnostics
    document.data = parsed.data
    document.clean = not parsed.diagnostics
    if parsed.diagnostics:
        document.problems, document.unreadable = parsed.diagnostics, parsed.unreadable
        document._source_map = parsed.source_map  # parsed with positions to place the problems
    return document, list(parsed.diagnostics)
