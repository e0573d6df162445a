"""The parsed-file cache: a file unchanged since the last load is not read, parsed and checked again.

A load of a repo of 2000 runbooks reads, parses and schema-checks 2452 files
(0.2 s); a site rebuild after one runbook's edit needs one of them again. The
cache keeps, for each file that loaded without a problem, what reading it made
(its text and parsed data), under the file's identity as ``lstat`` gives it:
size, modification and change times in nanoseconds, inode and device. A file
whose identity is the one kept is taken from the cache; any other is read as
without a cache, so a broken file is never kept and its diagnostics are
always made afresh.

Like git's index, the cache does not trust a *racy* file: one changed so
shortly before it was looked at that a later change could leave it with the
same identity (timestamps are coarse on some filesystems: a jiffy, a second,
two on FAT). A file is kept only when its change time is at least
:data:`RACY_NS` older than the moment the load began; it is read again on the
next load, and kept then.

The whole cache is one file, named by the repo's resolved path, in the
user's cache folder (``$XDG_CACHE_HOME/opsrepo/loaded/``, else
``~/.cache``); never beside the site, which may be published. It is written
whole, atomically (its header: a format number, Python's version, the digest
of opsrepo's code and PyYAML's version, the repo's path), by a load that
finds none, or more than :data:`REWRITE_AFTER` files (or a 64th of them)
differing from it, new or gone: until then the few files edited since are
read again.
A cache that cannot be read, that another opsrepo or Python wrote, or
that another user owns or others may write to, counts as none; it holds
only plain data (no object of any class is made from it), readable by its
user alone. Deleting it is always safe.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import stat
import sys
import time
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from opsrepo.codedigest import code_digest
from opsrepo.errors import Diagnostic
from opsrepo.load.files import Document
from opsrepo.plaindata import load_plain
from opsrepo.usercache import cache_folder, remove_unused, trusted, write_whole

#: the format of the cache file; another number is another format
FORMAT = 1

#: a file changed less than this long before a load began is not kept by it (see the module's text)
RACY_NS = 2_000_000_000

#: the cache is written again once more than this many files (or a 64th of them) differ from it: writing
#: it whole takes 23 ms at 2000 runbooks (95 ms at 6000), reading those files again under a tenth of a
#: millisecond each
REWRITE_AFTER = 16

#: where the caches are kept, below opsrepo's folder of the user's cache folder
FOLDER = "loaded"


Read = Callable[[Path, list[tuple[str, Path]]], list[tuple[Document | None, list[Diagnostic]]]]
#: one kept file: kind, size, mtime_ns, ctime_ns, inode, device, then the document's fields
Entry = tuple[Any, ...]


def cache_file(root: Path) -> Path | None:
    """The cache of the repo at ``root``, or None when there is no cache folder to use."""
    folder = cache_folder(FOLDER)
    if folder is None:
        return None
    name = hashlib.blake2b(os.fsencode(os.path.realpath(root)), digest_size=16).hexdigest()
    return Path(folder, f"{name}.pickle")


def read_all(root: Path, found: list[tuple[str, Path]], cache: Path,
             read: Read) -> list[tuple[Document | None, list[Diagnostic]]]:
    """What ``read(root, found)`` returns, each file unchanged since it was kept taken from ``cache``.

    ``found`` is (kind, path) as :func:`opsrepo.load.files.discover` yields
    them; ``read`` reads, parses and checks files (the loader's own reading).
    """
    began = time.time_ns()
    header = _header(root)
    kept = _read_cache(cache, header)
    results: list[tuple[Document | None, list[Diagnostic]] | None] = []
    identities: list[tuple[int, ...] | None] = []
    missing: list[int] = []
    entries: dict[str, Entry] = {}
    inside: dict[str, bool] = {}
    top = str(root)
    base = top + os.sep
    for index, (kind, path) in enumerate(found):
        name = str(path)
        relative = name[len(base):] if name.startswith(base) else path.relative_to(root).as_posix()
        identity = _identity(name)
        entry = kept.get(relative) if identity is not None else None
        if (entry is not None and entry[0] == kind and entry[1:6] == identity
                and _inside(top, name.rpartition(os.sep)[0], inside)):
            results.append((_document(relative, entry), []))
            entries[relative] = entry
        else:
            results.append(None)
            missing.append(index)
        identities.append(identity)
    fresh = read(root, [found[index] for index in missing]) if missing else []
    for index, done in zip(missing, fresh, strict=True):
        results[index] = done
        document, problems = done
        identity = identities[index]
        if identity is not None and document is not None and not problems and identity[2] < began - RACY_NS:
            entry = _entry(document, identity)
            if entry is not None:
                entries[document.path] = entry
    changed = sum(1 for relative, entry in entries.items() if kept.get(relative) is not entry) \
        + sum(1 for relative in kept if relative not in entries)
    if changed > max(REWRITE_AFTER, len(found) // 64) or (changed and not kept):
        _write_cache(cache, header, entries)
    elif kept:  # used, though not written again: not one to remove as unused
        with contextlib.suppress(OSError):
            os.utime(cache)
    return results  # type: ignore[return-value]


def _header(root: Path) -> tuple[Any, ...]:
    # libyaml's presence too: the loader means to read alike either way, but a cache need not rely on it
    return (FORMAT, sys.version, sys.implementation.cache_tag, code_digest(), yaml.__version__,
            yaml.__with_libyaml__, str(root))


def _identity(name: str) -> tuple[int, ...] | None:
    """A regular file's size, modification and change times (ns), inode and device; None for any other."""
    try:
        found = os.lstat(name)
    except OSError:
        return None
    if not stat.S_ISREG(found.st_mode):
        return None
    return found.st_size, found.st_mtime_ns, found.st_ctime_ns, found.st_ino, found.st_dev


def _inside(root: str, folder: str, known: dict[str, bool]) -> bool:
    """Whether ``folder`` (below ``root``) is reached from the root through folders only, no link.

    Then it lies inside the root as the loader checks it (a folder whose
    resolved path is inside). A folder reached through a link, even one that
    stays inside, is not taken from the cache: the loader reads its files.
    """
    if folder == root:
        return True
    found = known.get(folder)
    if found is None:
        parent = folder.rpartition(os.sep)[0]
        try:
            found = stat.S_ISDIR(os.lstat(folder).st_mode) and len(parent) >= len(root) \
                and _inside(root, parent, known)
        except OSError:
            found = False
        known[folder] = found
    return found


def _entry(document: Document, identity: tuple[int, ...]) -> Entry | None:
    """What is kept of a document that loaded without a problem; None when its parts are not its text's."""
    text, body, front = document.text, document.body, document.yaml_text
    start = text.find(front)
    if start < 0 or not text.endswith(body) or not document.clean:
        return None
    return (document.kind, *identity, text, document.data, len(text) - len(body), document.body_line,
            start, start + len(front), document.yaml_line_offset)


def _document(relative: str, entry: Entry) -> Document:
    (kind, _, _, _, _, _, text, data, body_start, body_line, front_start, front_end, line_offset) = entry
    return Document(relative, kind, text, data, text[body_start:], body_line, text[front_start:front_end],
                    line_offset, clean=True)


def _read_cache(cache: Path, header: tuple[Any, ...]) -> dict[str, Entry]:
    """The entries of ``cache`` when it was written with ``header``; none when it is missing or not one."""
    try:
        with open(cache, "rb") as file:
            if not trusted(os.fstat(file.fileno())):
                return {}
            raw = file.read()
        if raw[:_SUM] != zlib.crc32(memoryview(raw)[_SUM:]).to_bytes(_SUM, "big"):
            return {}
        kept = load_plain(raw, _SUM)
    except Exception:  # any damage (a cut file, another format): unpickling raises many kinds
        return {}
    if not (isinstance(kept, tuple) and len(kept) == 2 and kept[0] == header and isinstance(kept[1], dict)):
        return {}
    entries: dict[str, Entry] = kept[1]
    if not all(type(entry) is tuple and len(entry) == 13 and type(entry[6]) is str
               and type(entry[8]) is type(entry[9]) is type(entry[10]) is type(entry[11]) is int
               and type(entry[12]) is int for entry in entries.values()):
        return {}
    return entries


#: the cache file starts with a CRC-32 of the rest (a damaged file is no cache)
_SUM = 4


def _write_cache(cache: Path, header: tuple[Any, ...], entries: dict[str, Entry]) -> None:
    """Write the cache whole and atomically; a folder that cannot take it is no reason to fail a load."""
    with contextlib.suppress(OSError):
        made = not cache.exists()
        cache.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        try:
            data = pickle.dumps((header, entries), protocol=pickle.HIGHEST_PROTOCOL)
        except (pickle.PicklingError, TypeError, ValueError):
            return
        write_whole(cache, zlib.crc32(data).to_bytes(_SUM, "big"), data)  # its user's alone: the text
        if made:  # the other repos' caches unused for a month go
            remove_unused(cache.parent.glob("*.pickle"), cache)
