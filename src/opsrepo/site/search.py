"""The search index: Pagefind (the PyPI package carries its binary), in parts made again one by one.

Pagefind cannot update an index in place: it reads every page it is given
and writes a whole bundle. So the searched pages are dealt into parts of
about :data:`PART_PAGES` by a hash of their path, and each part is an index
of its own, ``pagefind/<n>/``, written by one Pagefind run over hard links
to its pages. ``pagefind/parts.json`` lists the parts; the browser loads the
first and merges the others into it (Pagefind's ``mergeIndex``), so a query
searches them all and the results are ranked together. Editing one runbook
makes one part again, a few hundred pages, not the whole site.

The browser fetches only the index chunks a query needs, so search works
from GitHub Pages and from any folder served over HTTP, at any sub-path.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import tempfile
from collections.abc import Collection, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from opsrepo.errors import OpsrepoError

#: the folder of the index in the site, and the list of its parts in it
FOLDER = "pagefind"
LISTING = "parts.json"
#: pages a part holds on average (Pagefind indexes ~200 pages in about a tenth of a second)
PART_PAGES = 200
#: Pagefind must finish a part within this
TIMEOUT_SECONDS = 600
#: files of Pagefind's bundle the site never loads (it has its own search page)
_UNUSED = ("pagefind-ui.js", "pagefind-ui.css", "pagefind-component-ui.js", "pagefind-component-ui.css",
           "pagefind-modular-ui.js", "pagefind-modular-ui.css", "pagefind-highlight.js")
_HINT = "reinstall opsrepo (pip install 'pagefind[bin]'), or build with --no-search"


@dataclass(frozen=True)
class SearchIndex:
    """What indexing did: the pages in the whole index, its parts, and how many were made again."""

    pages: int
    parts: int
    made: int


def part_of(path: str, parts: int) -> int:
    """The part that indexes the page at ``path`` (stable across builds for the same number of parts)."""
    digest = hashlib.blake2b(path.encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "big") % parts


def part_count(pages: int, previous: int) -> int:
    """How many parts ``pages`` searched pages are dealt into.

    A site that grows past a multiple of :data:`PART_PAGES` gets more parts
    (every page dealt again, once); one that shrinks keeps its parts until
    they hold a quarter of that on average, so a site near a boundary is not
    dealt again on every build.
    """
    wanted = max(1, -(-pages // PART_PAGES))
    if wanted <= previous and pages * 4 > previous * PART_PAGES:
        return previous
    return wanted


def update_index(out: Path, pages: Collection[str], touched: Iterable[str],
                 previous_parts: int) -> SearchIndex | None:
    """Make again the parts of the index of ``out`` that hold a page of ``touched``; None when none needed it.

    ``pages`` are the site's searched pages (paths relative to ``out``),
    ``touched`` the pages written or removed since the index was made, and
    ``previous_parts`` its number of parts then (0: there was no index). When
    the number of parts changes, or the index on disk is not the one
    recorded, every part is made again.
    """
    parts = part_count(len(pages), previous_parts)
    folder = out / FOLDER
    by_part: dict[int, list[str]] = {}
    for page in sorted(pages):
        by_part.setdefault(part_of(page, parts), []).append(page)
    if parts != previous_parts or _listing(folder) != _names(by_part):
        _write_all(out, by_part)
        return SearchIndex(len(pages), parts, len(by_part))
    redo = {part_of(page, parts) for page in touched}
    redo |= {n for n in by_part if not (folder / str(n) / "pagefind-entry.json").is_file()}
    if not redo:
        return None
    with ThreadPoolExecutor(_workers(len(redo))) as pool:
        list(pool.map(lambda n: _replace_part(out, n, by_part.get(n, [])), sorted(redo)))
    _write_listing(folder, by_part)
    return SearchIndex(len(pages), parts, len(redo))


def _write_all(out: Path, by_part: dict[int, list[str]]) -> None:
    """Every part into a new folder that then takes the old one's place (nothing stale is left)."""
    new = Path(tempfile.mkdtemp(prefix=".pagefind-", dir=out))
    try:
        with ThreadPoolExecutor(_workers(len(by_part))) as pool:
            list(pool.map(lambda n: _index_part(out, by_part[n], new / str(n)), sorted(by_part)))
        _write_listing(new, by_part)
        _swap(new, out / FOLDER)
    finally:
        shutil.rmtree(new, ignore_errors=True)


def _replace_part(out: Path, number: int, pages: list[str]) -> None:
    target = out / FOLDER / str(number)
    if not pages:  # its last page is gone
        shutil.rmtree(target, ignore_errors=True)
        return
    new = Path(tempfile.mkdtemp(prefix=f".{number}-", dir=out / FOLDER))
    try:
        _index_part(out, pages, new)
        _swap(new, target)
    finally:
        shutil.rmtree(new, ignore_errors=True)


def _swap(new: Path, target: Path) -> None:
    """Put the folder ``new`` where ``target`` is (the old one is removed)."""
    old = target.with_name(f".{target.name}-old")
    shutil.rmtree(old, ignore_errors=True)
    if target.exists():
        target.rename(old)
    new.rename(target)
    shutil.rmtree(old, ignore_errors=True)


def _index_part(out: Path, pages: list[str], bundle: Path) -> None:
    """One Pagefind run over hard links to ``pages``, writing its bundle to ``bundle``."""
    tree = Path(tempfile.mkdtemp(prefix=".pages-", dir=out))
    try:
        for page in pages:
            link = tree / page
            link.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.link(out / page, link)
            except OSError:  # a file system without hard links
                shutil.copyfile(out / page, link)
        command = [_executable(), "--site", str(tree), "--output-path", str(bundle), "--keep-index-url",
                   "--force-language", "en"]
        try:
            finished = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT_SECONDS,
                                      check=False)
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise OpsrepoError(f"the search indexer (Pagefind) did not run: {exc}", _HINT) from None
        if finished.returncode != 0:
            detail = (finished.stderr or finished.stdout).strip().splitlines()[-3:]
            raise OpsrepoError("the search indexer (Pagefind) failed: " + " / ".join(detail), _HINT)
    finally:
        shutil.rmtree(tree, ignore_errors=True)
    for name in _UNUSED:
        (bundle / name).unlink(missing_ok=True)


@cache
def _executable() -> str:
    """Pagefind's binary (the package's own, or one named by ``$PAGEFIND_BINARY_PATH`` or on PATH)."""
    from pagefind.service import get_executable

    found = get_executable()
    if found is None:
        raise OpsrepoError("the search indexer (Pagefind) is not installed", _HINT)
    return str(found)


def _names(by_part: dict[int, list[str]]) -> list[str]:
    return [f"{n}/" for n in sorted(by_part)]


def _listing(folder: Path) -> list[str] | None:
    """The parts ``parts.json`` lists (None when it is missing or not ours)."""
    try:
        raw = json.loads((folder / LISTING).read_text(encoding="utf-8"))
        return [str(name) for name in raw["parts"]]
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _write_listing(folder: Path, by_part: dict[int, list[str]]) -> None:
    temporary = folder / (LISTING + ".tmp")
    temporary.write_text(json.dumps({"parts": _names(by_part)}), encoding="utf-8")
    os.replace(temporary, folder / LISTING)


def _workers(jobs: int) -> int:
    return max(1, min(jobs, os.cpu_count() or 1, 2))
