"""The search index: Pagefind (the PyPI package carries its binary), in shards the browser merges.

The searched pages are dealt into shards by a hash of their path, about
:data:`SHARD_PAGES` pages each, and each shard is one Pagefind index,
``pagefind/<shard>-<8 hex>/``. ``pagefind/parts.json`` lists them. A build
that wrote searched pages again indexes only their shards (each into a new
folder, the old one removed once the listing names the new), so an edited
runbook costs one Pagefind run over a hundred pages, whatever the site's
size, and a word no page had costs no more than any other edit. A page's
shard depends on its path and the number of shards alone; that number is
kept while the site stays between half and twice its intended size, and
every shard is made again when it changes.

The browser (``static/search.js``) loads the first shard and merges the
others into it (Pagefind's ``mergeIndex``, one WebAssembly module for all),
so a query searches every shard at once. Where a shard has no word starting
with a query's word, Pagefind answers with the pages of the longest shorter
word it has instead ("roll" for "rollback"): a shard without "rollback"
would add pages that one index of the whole site does not find. The browser
therefore asks Pagefind for the words each result matched (its playground
mode, which the bundle's script is patched here to turn on for merged
indexes too, see :func:`_patch`) and keeps, for each word of the query,
the results that matched a word starting with it wherever any shard has
one: the pages one whole index finds. Each shard scores a word with its own
statistics; the listing keeps each shard's pages and words (:func:`_stats`),
and the browser scores the results again with the whole site's, so they come
in one index's order.

The browser fetches only the index chunks a query needs, so search works
from GitHub Pages and from any folder served over HTTP, at any sub-path.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import re
import secrets
import shutil
import subprocess
from collections.abc import Collection, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from opsrepo.errors import OpsrepoError
from opsrepo.site.files import write_json
from opsrepo.workers import available_cpus

#: the index's folder in the site, and the list of its shards in it
FOLDER = "pagefind"
LISTING = "parts.json"
#: the listing's format (2: shards; 1 was a whole index and a recent one)
FORMAT = 2
#: searched pages a shard is meant to hold: one edit re-indexes this many pages (Pagefind indexes
#: a runbook of realistic text in 2-4 ms), and a query fetches one index chunk per shard
SHARD_PAGES = 100
#: Pagefind must finish an index within this
TIMEOUT_SECONDS = 600
#: files of Pagefind's bundle the site never loads (it has its own search page)
_UNUSED = ("pagefind-ui.js", "pagefind-ui.css", "pagefind-component-ui.js", "pagefind-component-ui.css",
           "pagefind-modular-ui.js", "pagefind-modular-ui.css", "pagefind-highlight.js")
#: files of the bundle only the first shard's are loaded (the script, its worker, the WebAssembly)
_RUNTIME = re.compile(r"pagefind\.js|pagefind-worker\.js|wasm\.[\w-]+\.pagefind")
#: the patch of Pagefind's script (1.5) that lets the browser see the words each result matched:
#: playground mode for every merged index, not only the first, and the call on an instance
_PATCHES = (
    ("async enterPlaygroundMode(){await this.primary.enterPlaygroundMode();}",
     "async enterPlaygroundMode(){await Promise.all(this.instances.map((i)=>i.enterPlaygroundMode()));}",
     ("pagefind.js", "pagefind-worker.js")),
    ("filters:()=>wrapper.filters()};",
     "filters:()=>wrapper.filters(),enterPlaygroundMode:()=>wrapper.enterPlaygroundMode()};",
     ("pagefind.js",)),
)
_HINT = "reinstall opsrepo (pip install 'pagefind[bin]'), or build with --no-search"
#: how a Pagefind fragment file starts, once decompressed (then its JSON)
_FRAGMENT = b"pagefind_dcd"
#: temporary folders this module makes in the output folder (a crashed build may leave some)
_TEMPORARY = (".pagefind-", ".pages-", ".shard-")
#: what earlier versions kept beside the site (the words of each page): removed
_OLD_STATE = ".opsrepo-search"


@dataclass(frozen=True)
class SearchIndex:
    """What indexing did: the pages searched, the shards the index has, and how many were made now."""

    pages: int
    shards: int
    indexed: int

    @property
    def parts(self) -> int:
        """The indexes the browser merges."""
        return self.shards

    @property
    def whole(self) -> bool:
        """Every shard was made (a clean build, or the number of shards changed)."""
        return self.indexed == self.shards


def shard_count(pages: int) -> int:
    """The number of shards a site of ``pages`` searched pages is dealt into."""
    return max(1, -(-pages // SHARD_PAGES))


def shard_of(page: str, shards: int) -> int:
    """The shard of the page at ``page`` (a path in the site): a hash of the path, stable across builds."""
    digest = hashlib.blake2b(page.encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "big") % shards


def _fits(shards: int, pages: int) -> bool:
    """Whether ``shards`` shards still suit ``pages`` pages (between half and twice the intended size)."""
    return shards == shard_count(pages) or SHARD_PAGES // 2 <= pages / shards <= SHARD_PAGES * 2


def update_index(out: Path, pages: Collection[str], touched: Iterable[str],
                 previous_parts: int) -> SearchIndex | None:
    """Index the site at ``out`` again where it changed; None when nothing needed it.

    ``pages`` are the site's searched pages (paths relative to ``out``),
    ``touched`` the pages written or removed since the index was made, and
    ``previous_parts`` its number of parts then (0: there was no index).
    """
    folder = out / FOLDER
    _remove_temporary(out)
    listing = _listing(folder) if previous_parts else None
    if listing is not None and _fits(len(listing[0]), len(pages)):
        shards = len(listing[0])
        redo = {shard_of(page, shards) for page in touched}
        if not redo:
            return None
        names, stats = listing[0][:], listing[1][:]
    else:
        shards = shard_count(len(pages))
        redo = set(range(shards))
        names, stats = [None] * shards, [None] * shards
    by_shard: dict[int, list[str]] = {}
    for page in sorted(pages):
        by_shard.setdefault(shard_of(page, shards), []).append(page)
    made = _index_shards(out, {shard: by_shard.get(shard, []) for shard in sorted(redo)})
    for shard in redo:
        names[shard] = made.get(shard)
    if not any(names):  # no searched page at all: an empty shard keeps the site's search working
        names[0] = _index_shards(out, {0: []}, empty=True)[0]
        redo.add(0)
    for shard in redo:
        name = names[shard]
        stats[shard] = _stats(folder / name) if name else None
    kept = [name for name in names if name]
    _runtime(folder, kept, [name for name in (listing[0] if listing else []) if name][:1])
    _write_listing(folder, names, stats)
    _remove_unlisted(folder, set(kept))
    shutil.rmtree(out / _OLD_STATE, ignore_errors=True)
    return SearchIndex(len(pages), len(kept), len([shard for shard in redo if names[shard]]))


def _index_shards(out: Path, shards: dict[int, list[str]], empty: bool = False) -> dict[int, str]:
    """Index each shard's pages into a new folder of ``out/pagefind``; each shard's folder name.

    A shard without pages gets no folder, unless ``empty`` (an index of an empty
    page, for a site without searched pages). Shards are indexed side by side,
    one Pagefind process per CPU.
    """
    folder = out / FOLDER
    folder.mkdir(exist_ok=True)

    def one(shard: int) -> tuple[int, str]:
        name = f"{shard}-{secrets.token_hex(4)}"
        new = _new_folder(folder, ".shard-")
        try:
            _index_pages(out, shards[shard], new)
            new.rename(folder / name)
        finally:
            shutil.rmtree(new, ignore_errors=True)
        return shard, name

    wanted = [shard for shard, pages in shards.items() if pages or empty]
    with ThreadPoolExecutor(max(1, min(available_cpus(), len(wanted)))) as pool:
        return dict(pool.map(one, wanted))


def _runtime(folder: Path, names: list[str], previous: list[str]) -> None:
    """Leave Pagefind's script, worker and WebAssembly in the first listed shard only, patched.

    The first shard has them from Pagefind when it was just made, else from the
    one made now or from the previous first (its folder is removed after this).
    """
    if not names:
        return
    first = folder / names[0]
    if not (first / "pagefind.js").is_file():
        having = [folder / name for name in [*names, *previous] if (folder / name / "pagefind.js").is_file()]
        source = having[0] if having else None
        if source is None:
            raise OpsrepoError("the search index lost Pagefind's script: build with a clean output folder",
                               _HINT)
        for path in source.iterdir():
            if path.is_file() and _RUNTIME.fullmatch(path.name):
                shutil.copyfile(path, first / path.name)
    _patch(first)
    for name in names[1:]:
        for path in (folder / name).iterdir():
            if path.is_file() and _RUNTIME.fullmatch(path.name):
                path.unlink()


def _patch(bundle: Path) -> None:
    """Patch Pagefind's script in ``bundle`` so that merged indexes tell the words each result matched.

    The browser needs those words to drop the pages a shard finds by a
    shorter word (see the module's notes); Pagefind gives them in its
    playground mode, which its script turns on for the first index only and
    does not offer on an instance. A script already patched is left as it is.
    """
    for old, new, files in _PATCHES:
        for name in files:
            path = bundle / name
            text = path.read_text(encoding="utf-8")
            if new in text:
                continue
            if text.count(old) != 1:
                raise OpsrepoError(f"this Pagefind's script ({path.name}) is not the one opsrepo knows how "
                                   "to merge shards with", "install the Pagefind version opsrepo names "
                                   "(pip install 'pagefind[bin]>=1.5,<1.6'), or build with --no-search")
            path.write_text(text.replace(old, new), encoding="utf-8")


def _remove_unlisted(folder: Path, keep: set[str]) -> None:
    """Shards the listing no longer names, and what earlier versions left in the folder."""
    for path in folder.iterdir():
        if path.name == LISTING or path.name in keep or path.name.startswith(_TEMPORARY):
            continue
        if path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)


def _remove_temporary(out: Path) -> None:
    """Remove the folders a crashed build left."""
    for folder in (out, out / FOLDER):
        if folder.is_dir():
            for path in folder.iterdir():
                if path.name.startswith(_TEMPORARY) and path.is_dir():
                    shutil.rmtree(path, ignore_errors=True)


def _new_folder(parent: Path, prefix: str) -> Path:
    """A new empty folder in ``parent``, its name ``prefix`` and random hex, made as the site's other folders.

    Not :func:`tempfile.mkdtemp`, whose folders only their owner may read: each shard is
    such a folder renamed, and a web server must read it. This one has the mode the umask
    gives every folder the build makes (0755 under the usual 022).
    """
    while True:
        folder = parent / f"{prefix}{secrets.token_hex(6)}"
        try:
            folder.mkdir()
        except FileExistsError:
            continue
        return folder


def _index_pages(out: Path, pages: list[str], bundle: Path) -> None:
    """One Pagefind run over hard links to ``pages``, writing ``bundle`` (an empty page when there is none).

    Links rather than a glob over the site: a shard's pages share no folder,
    and Pagefind reads every HTML file it is given.
    """
    tree = _new_folder(out, ".pages-")
    try:
        for page in pages:
            link = tree / page
            link.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.link(out / page, link)
            except OSError:  # a file system without hard links
                shutil.copyfile(out / page, link)
        if not pages:
            (tree / "empty.html").write_text('<!doctype html><html lang="en"><body><main data-pagefind-body>'
                                             '</main></body></html>\n', encoding="utf-8")
        _run_pagefind(tree, bundle)
    finally:
        shutil.rmtree(tree, ignore_errors=True)
    for name in _UNUSED:
        (bundle / name).unlink(missing_ok=True)


def _run_pagefind(site: Path, bundle: Path) -> None:
    command = [_executable(), "--site", str(site), "--output-path", str(bundle),
               "--keep-index-url", "--force-language", "en"]
    try:
        finished = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT_SECONDS,
                                  check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise OpsrepoError(f"the search indexer (Pagefind) did not run: {exc}", _HINT) from None
    if finished.returncode != 0:
        detail = (finished.stderr or finished.stdout).strip().splitlines()[-3:]
        raise OpsrepoError("the search indexer (Pagefind) failed: " + " / ".join(detail), _HINT)


@cache
def _executable() -> str:
    """Pagefind's binary: the package's own, or one named by ``$PAGEFIND_BINARY_PATH`` or found on PATH.

    Run directly rather than through ``python -m pagefind``, which would
    start a second interpreter only to hand over to it.
    """
    from pagefind.service import get_executable

    found = get_executable()
    if found is None:
        raise OpsrepoError("the search indexer (Pagefind) is not installed", _HINT)
    return str(found)


#: a shard's pages and the words on them, as Pagefind counts them (None: a shard without pages)
_Stats = list[int] | None


def _listing(folder: Path) -> tuple[list[str | None], list[_Stats]] | None:
    """Each shard's folder and statistics by shard (None: no pages); None when missing, not ours, damaged."""
    try:
        raw = json.loads((folder / LISTING).read_text(encoding="utf-8"))
        if raw.get("format") != FORMAT:
            return None
        names: list[str | None] = [None if name is None else str(name) for name in raw["shards"]]
        stats: list[_Stats] = [None if one is None else [int(one[0]), int(one[1])] for one in raw["stats"]]
    except (OSError, ValueError, KeyError, TypeError, AttributeError, IndexError):
        return None
    kept = [name for name in names if name is not None]
    there = len(stats) == len(names) and all(
        name.startswith(f"{shard}-") and (folder / name / "pagefind-entry.json").is_file() and stats[shard]
        for shard, name in enumerate(names) if name is not None)
    return (names, stats) if kept and there and (folder / kept[0] / "pagefind.js").is_file() else None


def _stats(bundle: Path) -> list[int]:
    """The pages of a shard and the words on them (a fragment: gzip of a signature and JSON with the count).

    The browser ranks the merged shards' results with the whole site's numbers,
    as one index would (see ``static/search.js``).
    """
    pages = words = 0
    for fragment in (bundle / "fragment").iterdir():
        raw = gzip.decompress(fragment.read_bytes())
        if not raw.startswith(_FRAGMENT):
            raise OpsrepoError(f"{fragment} is not a Pagefind fragment", _HINT)
        pages, words = pages + 1, words + int(json.loads(raw[len(_FRAGMENT):])["word_count"])
    return [pages, words]


def _write_listing(folder: Path, names: list[str | None], stats: list[_Stats]) -> None:
    # "parts": the shards' folders to merge, the first holding Pagefind's script; "shards" and
    # "stats" (pages, words): by shard
    write_json(folder / LISTING, {"format": FORMAT, "parts": [f"{name}/" for name in names if name],
                                  "shards": names, "stats": stats})
