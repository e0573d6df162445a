"""The search index: Pagefind (the PyPI package carries its binary), whole, plus what changed since.

A clean build makes one whole index, ``pagefind/0/``: one Pagefind run is
the fastest way to index every page, and one index ranks every page with the
whole site's word statistics. That is what CI builds and deploys.

Pagefind cannot update an index in place, and indexing thousands of pages
takes seconds. So a later build that wrote searched pages leaves the whole
index as it is and indexes the pages written since it was made, as they are
now, in a small second index, ``pagefind/recent-<8 hex>/`` (one Pagefind
run over hard links to them; a new folder each time, removed once the
listing names the next). ``pagefind/parts.json`` lists the two, the ids the
whole index gave those pages' older versions and pages since removed (read
from its fragment files), and the ids of pages whose text did not change,
which both indexes give the same id. The browser loads the whole index,
merges the recent one into it (Pagefind's ``mergeIndex``), so one query
searches both, drops the results with the first ids and shows the others
once.

Two merged indexes find what one index finds only if each knows every word:
where a word is missing from an index, Pagefind searches for a shorter word
instead, so an index without "rollback" would answer with pages that say
"roll". The recent index therefore also holds the site's vocabulary, as
hidden records that carry no ``kind`` (the browser asks only for pages that
have one), and the whole index is made again as soon as the site's
vocabulary is no longer the one it was made with: when a page brings a word
no page had, or takes away the last use of one. It is also made again once
the recent index would hold more than :data:`RECENT_PAGES` pages. The words
of each page, and on how many pages each word stands, are kept in
``.opsrepo-search/`` in the output folder. (Ranks may differ a little from
one index's, since each index scores with its own statistics.)

The browser fetches only the index chunks a query needs, so search works
from GitHub Pages and from any folder served over HTTP, at any sub-path.
"""

from __future__ import annotations

import hashlib
import html
import json
import multiprocessing
import os
import re
import secrets
import shutil
import subprocess
import zlib
from collections import Counter
from collections.abc import Collection, Iterable
from concurrent.futures import BrokenExecutor, ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from opsrepo.errors import OpsrepoError
from opsrepo.site.files import write_json
from opsrepo.workers import may_fork

#: the index's folder in the site, the list of its parts in it, and the two parts
FOLDER = "pagefind"
LISTING = "parts.json"
WHOLE = "0"
RECENT = "recent"
#: the words of each page and the vocabulary, kept between builds (not published: a dot folder)
STATE = ".opsrepo-search"
#: pages the recent index may hold before the whole index is made again (Pagefind indexes
#: about a page a millisecond, and the whole site in seconds)
RECENT_PAGES = 64
#: files the whole index's pages and their words are kept in (a rebuild reads those of its pages)
SHARDS = 64
#: the kept state's format (2: a page's words are one string), and its files, named by it so that
#: an older opsrepo, which would read this state's words letter by letter, finds none
STATE_FORMAT = 2
STATE_FILE = f"state-{STATE_FORMAT}.json"
#: from this many pages on, two forked processes read a whole index's fragments
PARALLEL_FRAGMENTS = 1000
#: words in one hidden vocabulary record (about a page's worth, so page-length ranking is not skewed)
RECORD_WORDS = 300
#: Pagefind must finish an index within this
TIMEOUT_SECONDS = 600
#: files of Pagefind's bundle the site never loads (it has its own search page)
_UNUSED = ("pagefind-ui.js", "pagefind-ui.css", "pagefind-component-ui.js", "pagefind-component-ui.css",
           "pagefind-modular-ui.js", "pagefind-modular-ui.css", "pagefind-highlight.js")
_HINT = "reinstall opsrepo (pip install 'pagefind[bin]'), or build with --no-search"
#: elements whose text Pagefind does not index (a label's or a navigation's text neither)
_SKIPPED = re.compile(r"<(script|style|svg|form|template|label|nav)\b.*?</\1\s*>", re.S | re.I)
#: a section or paragraph marked data-pagefind-ignore (the site nests neither inside its own kind there)
_IGNORED = re.compile(r"<(section|p)\b[^>]*\bdata-pagefind-ignore\b[^>]*>.*?</\1\s*>", re.S | re.I)
#: tags that part words for Pagefind (any other tag joins the text on either side into one word)
_PARTING = re.compile(r"</?(?:br|p|div|li|ul|ol|dl|dt|dd|h[1-6]|table|thead|tbody|tr|th|td|pre|blockquote"
                      r"|section|article|aside|header|footer|main|figure|figcaption|caption|details|summary|hr)"
                      r"\b[^>]*>", re.I)
_TAG = re.compile(r"<[^>]*>")
_BODY = "data-pagefind-body"
#: the folder of the hidden vocabulary records in an index's pages
_RECORDS = "_vocabulary"
#: how a Pagefind fragment file starts, once decompressed (then its JSON)
_FRAGMENT = b"pagefind_dcd"
#: temporary folders this module makes in the output folder (a crashed build may leave some)
_TEMPORARY = (".pagefind-", ".pages-", ".vocabulary-", ".recent-")


@dataclass(frozen=True)
class SearchIndex:
    """What indexing did: the pages searched, how many the recent index holds, whether the whole was made."""

    pages: int
    recent: int
    whole: bool

    @property
    def parts(self) -> int:
        """The indexes the browser merges."""
        return 2 if self.recent else 1


def words_of(page_html: str) -> set[str]:
    """The words of a page's searched text, as Pagefind reads them before stemming.

    The text inside the ``data-pagefind-body`` element, without scripts,
    styles, drawings, forms, labels, navigation and what is marked
    ``data-pagefind-ignore`` (Pagefind skips those),
    split at white space and block tags, lower-cased and trimmed of
    punctuation at either end. Like Pagefind, text on either side of an
    inline tag is one word (``5<sup>th</sup>`` is "5th"). A word's inside is
    kept (``pg_stat_activity``, ``5xx-rate``): Pagefind splits it the same
    way whether it reads it on a page or in the vocabulary.
    """
    start = page_html.find(_BODY)
    end = page_html.rfind("</main>")
    if start < 0 or end < start:
        return set()
    body = _SKIPPED.sub(" ", _IGNORED.sub(" ", page_html[page_html.find(">", start) + 1 : end]))
    return words_of_text(html.unescape(_TAG.sub("", _PARTING.sub(" ", body))))


def words_of_text(text: str) -> set[str]:
    """The words of text Pagefind extracted: split at white space, lower-cased, trimmed."""
    return {word for word in map(_trim, set(text.lower().split())) if word}


#: what :func:`_trim` takes off an ASCII token's ends: every ASCII character but letters, digits and _
_ASCII_EDGES = "".join(chr(c) for c in range(128) if not (chr(c).isalnum() or chr(c) == "_"))


def _trim(token: str) -> str:
    """``token`` without what is not a letter, digit or underscore at either end."""
    if token.isascii():
        return token.strip(_ASCII_EDGES)
    start, end = 0, len(token)
    while start < end and not (token[start].isalnum() or token[start] == "_"):
        start += 1
    while end > start and not (token[end - 1].isalnum() or token[end - 1] == "_"):
        end -= 1
    return token[start:end]


class _Lost(Exception):
    """Kept state that should be there is not: the whole index is made again."""


@dataclass
class _State:
    """The whole index's pages and the pages written since, with their words; how many pages use each word.

    The whole index's pages are kept in :data:`SHARDS` files by a hash of the
    path, written once with that index; a rebuild reads only the shards of
    the pages it wrote.
    """

    out: Path
    #: the whole index's metadata file, which names its content (the state is of that index only)
    whole: str
    #: page -> (its id in the whole index, its words there, joined by spaces); only the shards read so far
    base: dict[str, tuple[str, str]] = field(default_factory=dict)
    #: page written since the whole index was made -> (its id there, if it was; its words now)
    recent: dict[str, tuple[str | None, list[str]]] = field(default_factory=dict)
    counts: Counter[str] = field(default_factory=Counter)
    #: shards read (or, after a scan, all of them, to be written)
    shards: set[int] = field(default_factory=set)
    scanned: bool = False

    @classmethod
    def read(cls, out: Path, whole: str) -> _State | None:
        """The kept state of the whole index named ``whole`` (None when missing, damaged or of another)."""
        try:
            raw = json.loads((out / STATE / STATE_FILE).read_text(encoding="utf-8"))
            if raw["whole"] != whole or raw.get("format") != STATE_FORMAT:
                return None
            recent = {str(page): (None if id_ is None else str(id_), [str(w) for w in words])
                      for page, (id_, words) in raw["recent"].items()}
            counts = Counter({str(word): int(n) for word, n in raw["counts"].items()})
            return cls(out, whole, {}, recent, counts)
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return None

    @classmethod
    def scan(cls, out: Path, whole: str) -> _State | None:
        """The state of the whole index, from its fragment files (None when one is unreadable).

        Each fragment is a page as Pagefind read it: its URL and its text.
        """
        try:
            base, counts = _scan(out / FOLDER / WHOLE)
        except (OSError, zlib.error, ValueError, KeyError, TypeError, BrokenExecutor):
            return None  # (a forked reader that died, e.g. killed for memory, breaks its pool)
        return cls(out, whole, base, counts=counts, shards=set(range(SHARDS)), scanned=True)

    def take(self, touched: Iterable[str], pages: Collection[str]) -> bool:
        """Take in the words of the ``touched`` pages as written now; whether the vocabulary changed."""
        changes: list[tuple[str, str | None, set[str], set[str]]] = []
        for page in touched:
            if page in self.recent:
                id_, was = self.recent[page][0], set(self.recent[page][1])
            else:
                id_, joined = self._base(page) or (None, "")
                was = set(joined.split())
            written = words_of(_read(self.out / page)) if page in pages else set()
            changes.append((page, id_, was, written))
        moved = {word for _, _, before, after in changes for word in before ^ after}
        had = {word for word in moved if self.counts[word] > 0}
        for page, id_, before, after in changes:
            self.counts.subtract(before - after)
            self.counts.update(after - before)
            if page in pages or id_ is not None:
                self.recent[page] = (id_, sorted(after))
            else:  # written since the whole index was made, and gone again
                self.recent.pop(page, None)
        now = {word for word in moved if self.counts[word] > 0}
        for word in moved - now:
            del self.counts[word]
        return now != had

    def marks(self, made: dict[str, str]) -> tuple[set[str], set[str]]:
        """The whole index's ids the browser drops, and those it shows once.

        A page written or removed since has its id in the whole index dropped,
        but where the recent index gave the page the same id (its text did not
        change), both indexes find it and the browser shows it once.
        """
        stale: set[str] = set()
        twice: set[str] = set()
        for page, (id_, _) in self.recent.items():
            if id_ is not None:
                (twice if made.get(page) == id_ else stale).add(id_)
        return stale, twice

    def _base(self, page: str) -> tuple[str, str] | None:
        shard = _shard(page)
        if shard not in self.shards:
            try:
                raw = json.loads((self.out / STATE / _shard_file(shard)).read_text(encoding="utf-8"))
                for kept, (id_, words) in raw.items():
                    if not isinstance(words, str):
                        raise TypeError(f"the words of {kept} in shard {shard} are not one string")
                    self.base[str(kept)] = (str(id_), words)
            except (OSError, ValueError, TypeError, AttributeError) as exc:
                raise _Lost from exc
            self.shards.add(shard)
        return self.base.get(page)

    def write(self) -> None:
        """Keep the state (the whole index's pages after a scan only: they change with it alone)."""
        folder = self.out / STATE
        folder.mkdir(exist_ok=True)
        if self.scanned:
            shards: dict[int, dict[str, tuple[str, str]]] = {shard: {} for shard in range(SHARDS)}
            for page, (id_, words) in self.base.items():
                shards[_shard(page)][page] = (id_, words)
            for shard, kept in shards.items():
                write_json(folder / _shard_file(shard), kept)
        recent = {page: [id_, words] for page, (id_, words) in sorted(self.recent.items())}
        write_json(folder / STATE_FILE, {"format": STATE_FORMAT, "whole": self.whole, "recent": recent,
                                            "counts": dict(sorted(self.counts.items()))})


def _scan(bundle: Path) -> tuple[dict[str, tuple[str, str]], Counter[str]]:
    """Each page of a Pagefind bundle with its id and words (joined by spaces); how many pages use each word.

    Reading, unpacking and splitting 3200 fragments into words takes 0.4 s in
    one process; large bundles are read by two forked processes, half each.
    """
    fragments = sorted(str(path) for path in (bundle / "fragment").iterdir())
    if len(fragments) < PARALLEL_FRAGMENTS or not may_fork():
        return _scan_part(fragments)
    base: dict[str, tuple[str, str]] = {}
    counts: Counter[str] = Counter()
    with ProcessPoolExecutor(2, mp_context=multiprocessing.get_context("fork")) as pool:
        for part, part_counts in pool.map(_scan_part, [fragments[0::2], fragments[1::2]]):
            base.update(part)
            counts.update(part_counts)
    return base, counts


def _scan_part(fragments: list[str]) -> tuple[dict[str, tuple[str, str]], Counter[str]]:
    """The pages and word counts of some of a bundle's fragment files (one process's share)."""
    base: dict[str, tuple[str, str]] = {}
    counts: Counter[str] = Counter()
    for fragment in fragments:
        page, id_, content = _fragment(Path(fragment))
        words = sorted(words_of_text(content))
        base[page] = (id_, " ".join(words))
        counts.update(words)
    return base, counts


def _fragment(fragment: Path) -> tuple[str, str, str]:
    """One page as Pagefind read it: its path, its id and its text.

    A fragment file (named by the id) is gzip of a signature and JSON with the
    page's URL, kept as the file's path (Pagefind does not encode it), and text.
    """
    data = _unpack(fragment)
    if not data.startswith(_FRAGMENT):
        raise ValueError(f"{fragment} is not a Pagefind fragment")
    raw = json.loads(data[len(_FRAGMENT):])
    return str(raw["url"]).lstrip("/"), fragment.name.removesuffix(".pf_fragment"), str(raw["content"])


def _fragments(bundle: Path) -> list[tuple[str, str, str]]:
    """Each page of a (small) Pagefind bundle as Pagefind read it: its path, its id and its text."""
    return [_fragment(fragment) for fragment in sorted((bundle / "fragment").iterdir())]


def _unpack(fragment: Path) -> bytes:
    return zlib.decompress(fragment.read_bytes(), 16 + zlib.MAX_WBITS)


def _shard_file(shard: int) -> str:
    return f"base-{STATE_FORMAT}-{shard}.json"


def _shard(page: str) -> int:
    return int.from_bytes(hashlib.blake2b(page.encode("utf-8"), digest_size=4).digest(), "big") % SHARDS


def update_index(out: Path, pages: Collection[str], touched: Iterable[str],
                 previous_parts: int) -> SearchIndex | None:
    """Index the site at ``out`` again where it changed; None when nothing needed it.

    ``pages`` are the site's searched pages (paths relative to ``out``),
    ``touched`` the pages written or removed since the index was made, and
    ``previous_parts`` its number of parts then (0: there was no index).
    """
    touched = set(touched)
    folder = out / FOLDER
    _remove_temporary(out)
    listing = _listing(folder) if previous_parts else None
    whole = _whole_name(folder) if listing is not None else None
    if listing is None or whole is None:
        return _whole(out, pages)
    if not touched:
        return None
    state = _State.read(out, whole)
    if state is None:
        if listing != _Listing([f"{WHOLE}/"]):  # the pages indexed apart are not known any more
            return _whole(out, pages)
        state = _State.scan(out, whole)
    pages = set(pages)
    try:
        if state is None or state.take(touched, pages) or len(state.recent) > RECENT_PAGES:
            return _whole(out, pages)
    except _Lost:
        return _whole(out, pages)
    recent = sorted(page for page in state.recent if page in pages)
    name, made = _index_recent(out, recent, state.counts)
    stale, twice = state.marks(made)
    if stale & set(made.values()):  # an id both indexes give different pages (28 bits): not expressible
        shutil.rmtree(folder / name, ignore_errors=True)  # (made is not empty: name is a folder's)
        return _whole(out, pages)
    parts = [f"{WHOLE}/", *([f"{name}/"] if name else [])]
    _write_listing(folder, _Listing(parts, sorted(stale), sorted(twice)))
    _remove_recent(folder, keep=name)
    state.write()
    return SearchIndex(len(pages), len(recent), False)


def _whole(out: Path, pages: Collection[str]) -> SearchIndex:
    """One whole index of every searched page, replacing whatever index there was.

    Pagefind reads the site itself; the index is written to a new folder that
    then takes the old one's place, so nothing stale is left.
    """
    new = _new_folder(out, ".pagefind-")
    try:
        _run_pagefind(out, new / WHOLE, _glob(pages))
        _drop_unused(new / WHOLE)
        _write_listing(new, _Listing([f"{WHOLE}/"]))
        _swap(new, out / FOLDER)
    finally:
        shutil.rmtree(new, ignore_errors=True)
    shutil.rmtree(out / STATE, ignore_errors=True)
    _keep_state(out)
    return SearchIndex(len(pages), 0, True)


def _keep_state(out: Path) -> None:
    """The new whole index's pages and words, read from its fragments and kept now.

    Reading them takes 0.2-0.3 s for 3200 pages: here, after the seconds
    Pagefind took, rather than in the first rebuild after, which must stay
    well under half a second. A bundle that cannot be read keeps nothing
    (the next rebuild tries again, and makes the index again if it fails).
    """
    whole = _whole_name(out / FOLDER)
    state = _State.scan(out, whole) if whole is not None else None
    if state is not None:
        state.write()


def _index_recent(out: Path, pages: list[str], counts: Counter[str]) -> tuple[str, dict[str, str]]:
    """A new recent index of ``pages`` and the site's vocabulary: its folder's name and each page's id.

    Each recent index has a folder of its own: the one ``parts.json`` lists,
    and a browser still reading it, keep theirs until the listing names the
    new one.
    """
    if not pages:
        return "", {}
    vocabulary = _vocabulary_pages(out, sorted(counts))
    new = _new_folder(out / FOLDER, ".recent-")
    try:
        _index_pages(out, pages, new, vocabulary)
        made = {page: id_ for page, id_, _ in _fragments(new) if not page.startswith(f"{_RECORDS}/")}
        name = f"{RECENT}-{secrets.token_hex(4)}"
        new.rename(out / FOLDER / name)
    finally:
        shutil.rmtree(new, ignore_errors=True)
        shutil.rmtree(vocabulary, ignore_errors=True)
    return name, made


def _remove_recent(folder: Path, keep: str) -> None:
    """Recent indexes the listing no longer names."""
    for path in folder.iterdir():
        if path.name.startswith(RECENT) and path.name != keep and path.is_dir():
            shutil.rmtree(path, ignore_errors=True)


def _whole_name(folder: Path) -> str | None:
    """The name of the whole index's metadata file, which changes with its content."""
    found = sorted(path.name for path in (folder / WHOLE).glob("pagefind.*.pf_meta"))
    return found[0] if len(found) == 1 else None


def _remove_temporary(out: Path) -> None:
    """Remove the folders a crashed build left (Pagefind never reads them: see :func:`_glob`)."""
    for folder in (out, out / FOLDER):
        if folder.is_dir():
            for path in folder.iterdir():
                if path.name.startswith(_TEMPORARY) and path.is_dir():
                    shutil.rmtree(path, ignore_errors=True)


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return ""


def _vocabulary_pages(out: Path, vocabulary: list[str]) -> Path:
    """The site's vocabulary as hidden pages of :data:`RECORD_WORDS` words each, in a new folder."""
    folder = _new_folder(out, ".vocabulary-")
    for start in range(0, len(vocabulary), RECORD_WORDS):
        text = html.escape(" ".join(vocabulary[start : start + RECORD_WORDS]))
        (folder / f"{start // RECORD_WORDS}.html").write_text(
            f'<!doctype html><html lang="en"><head><title>vocabulary</title></head><body>'
            f"<main {_BODY}><p>{text}</p></main></body></html>\n", encoding="utf-8")
    return folder


def _new_folder(parent: Path, prefix: str) -> Path:
    """A new empty folder in ``parent``, its name ``prefix`` and random hex, made as the site's other folders.

    Not :func:`tempfile.mkdtemp`, whose folders only their owner may read: the whole and
    the recent index are such folders renamed, and a web server must read them. This one
    has the mode the umask gives every folder the build makes (0755 under the usual 022).
    """
    while True:
        folder = parent / f"{prefix}{secrets.token_hex(6)}"
        try:
            folder.mkdir()
        except FileExistsError:
            continue
        return folder


def _swap(new: Path, target: Path) -> None:
    """Put the folder ``new`` where ``target`` is; the old one is removed."""
    old = target.with_name(f".{target.name}-old")
    shutil.rmtree(old, ignore_errors=True)
    if target.exists():
        target.rename(old)
    new.rename(target)
    shutil.rmtree(old, ignore_errors=True)


def _index_pages(out: Path, pages: list[str], bundle: Path, vocabulary: Path | None) -> None:
    """One Pagefind run over hard links to ``pages`` (and the vocabulary records), writing ``bundle``."""
    tree = _new_folder(out, ".pages-")
    try:
        links = [(out / page, tree / page) for page in pages]
        if vocabulary is not None:
            links += [(record, tree / _RECORDS / record.name) for record in vocabulary.iterdir()]
        for source, link in links:
            link.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.link(source, link)
            except OSError:  # a file system without hard links
                shutil.copyfile(source, link)
        _run_pagefind(tree, bundle)
    finally:
        shutil.rmtree(tree, ignore_errors=True)
    _drop_unused(bundle)


def _drop_unused(bundle: Path) -> None:
    for name in _UNUSED:
        (bundle / name).unlink(missing_ok=True)


def _glob(pages: Collection[str]) -> str:
    """Pagefind's glob for the searched pages' folders and top-level pages only.

    Pagefind reads every HTML file it is given, pages it will not index too:
    the calendars' month pages that ``opsrepo build`` writes beside the site
    would add a third to its time on a large org.
    """
    tops = sorted({page.split("/", 1)[0] + "/**/*" if "/" in page else page.removesuffix(".html")
                   for page in pages})
    if not tops or not all(re.fullmatch(r"[\w.-]+(/\*\*/\*)?", top) for top in tops):
        return "**/*.html"  # a name the glob would read as a pattern: every file, as Pagefind's default
    return "{" + ",".join(tops) + "}.html"


def _run_pagefind(site: Path, bundle: Path, glob: str = "**/*.html") -> None:
    command = [_executable(), "--site", str(site), "--glob", glob, "--output-path", str(bundle),
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


@dataclass(frozen=True)
class _Listing:
    """``parts.json``: the indexes to merge, and the whole index's ids to drop or to show once."""

    parts: list[str]
    stale: list[str] = field(default_factory=list)
    twice: list[str] = field(default_factory=list)


def _listing(folder: Path) -> _Listing | None:
    """The listing of the index at ``folder`` (None when it is missing, not ours, or a part is gone)."""
    try:
        raw = json.loads((folder / LISTING).read_text(encoding="utf-8"))
        listing = _Listing([str(name) for name in raw["parts"]], [str(id_) for id_ in raw["stale"]],
                           [str(id_) for id_ in raw["twice"]])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    there = all((folder / name / "pagefind-entry.json").is_file() for name in listing.parts)
    return listing if listing.parts and there else None


def _write_listing(folder: Path, listing: _Listing) -> None:
    # "stale": ids the browser drops; "twice": ids it shows once
    write_json(folder / LISTING, {"parts": listing.parts, "stale": listing.stale, "twice": listing.twice})
