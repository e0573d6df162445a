"""The search index: Pagefind (the PyPI package carries its binary), whole or in parts.

A clean build makes one whole index, ``pagefind/0/``: one Pagefind run is
the fastest way to index every page, and one index ranks every page with
the whole site's word statistics. That is what CI builds and deploys.

Pagefind cannot update an index in place; it takes seconds for thousands of
pages. So when a later build of a large site must index pages again, the
searched pages are dealt into parts of about :data:`PART_PAGES` by a hash of
their path, each an index of its own (``pagefind/<n>/``, one Pagefind run
over hard links to its pages); from then on a rebuild makes again only the
parts of the pages it wrote. ``pagefind/parts.json`` lists the parts; the
browser loads the first and merges the others into it (Pagefind's
``mergeIndex``), so one query searches them all.

Merged parts find what one index finds only if every part knows every word:
where a word is missing from an index, Pagefind searches for a shorter word
instead, so a part without "rollback" would answer with pages that say
"roll". Each part therefore also indexes the site's vocabulary, as hidden
records that carry no ``kind``; the browser asks only for pages that have
one. The words of each page are kept (``.opsrepo-search/``) with how many
pages use each word, so a rebuild knows when the vocabulary changed; then
every part is made again. (Ranks still differ a little, since each part
scores with its own statistics, and Pagefind extends a word typed halfway
only within the index chunk it loads.)

The browser fetches only the index chunks a query needs, so search works
from GitHub Pages and from any folder served over HTTP, at any sub-path.
"""

from __future__ import annotations

import hashlib
import html
import json
import os
import re
import shutil
import subprocess
import tempfile
from collections import Counter
from collections.abc import Collection, Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from opsrepo.errors import OpsrepoError

#: the index's folder in the site, and the list of its parts in it
FOLDER = "pagefind"
LISTING = "parts.json"
#: the words of each page and the vocabulary, kept between builds (not published: a dot folder)
STATE = ".opsrepo-search"
#: pages a part holds on average (Pagefind indexes ~200 pages in about a tenth of a second)
PART_PAGES = 200
#: words in one hidden vocabulary record (about a page's worth, so page-length ranking is not skewed)
RECORD_WORDS = 300
#: Pagefind must finish a part within this
TIMEOUT_SECONDS = 600
#: files of Pagefind's bundle the site never loads (it has its own search page)
_UNUSED = ("pagefind-ui.js", "pagefind-ui.css", "pagefind-component-ui.js", "pagefind-component-ui.css",
           "pagefind-modular-ui.js", "pagefind-modular-ui.css", "pagefind-highlight.js")
_HINT = "reinstall opsrepo (pip install 'pagefind[bin]'), or build with --no-search"
#: elements whose text Pagefind does not index (a label's or a navigation's text neither)
_SKIPPED = re.compile(r"<(script|style|svg|form|template|label|nav)\b.*?</\1\s*>", re.S | re.I)
#: tags that part words for Pagefind (any other tag joins the text on either side into one word)
_PARTING = re.compile(r"</?(?:br|p|div|li|ul|ol|dl|dt|dd|h[1-6]|table|thead|tbody|tr|th|td|pre|blockquote"
                      r"|section|article|aside|header|footer|main|figure|figcaption|caption|details|summary|hr)"
                      r"\b[^>]*>", re.I)
_TAG = re.compile(r"<[^>]*>")
_BODY = "data-pagefind-body"


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


def words_of(page_html: str) -> set[str]:
    """The words of a page's searched text, as Pagefind reads them before stemming.

    The text inside the ``data-pagefind-body`` element, without scripts,
    styles, drawings, forms, labels and navigation (Pagefind skips those),
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
    body = _SKIPPED.sub(" ", page_html[page_html.find(">", start) + 1 : end])
    words = set()
    for token in html.unescape(_TAG.sub("", _PARTING.sub(" ", body))).split():
        word = _trim(token.lower())
        if word:
            words.add(word)
    return words


def _trim(token: str) -> str:
    start, end = 0, len(token)
    while start < end and not (token[start].isalnum() or token[start] == "_"):
        start += 1
    while end > start and not (token[end - 1].isalnum() or token[end - 1] == "_"):
        end -= 1
    return token[start:end]


@dataclass
class _Words:
    """The words of every searched page by part, and on how many pages each word stands."""

    parts: int
    pages: dict[int, dict[str, list[str]]] = field(default_factory=dict)
    counts: Counter[str] = field(default_factory=Counter)

    @classmethod
    def read(cls, out: Path, parts: int) -> _Words | None:
        """The kept words of a site in ``parts`` parts (None when missing or kept for another number)."""
        try:
            raw = json.loads((out / STATE / "vocabulary.json").read_text(encoding="utf-8"))
            if raw["parts"] != parts:
                return None
            return cls(parts, {}, Counter({str(w): int(n) for w, n in raw["words"].items()}))
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return None

    def has_parts(self, out: Path, numbers: Iterable[int]) -> bool:
        """Read the kept words of the parts ``numbers`` (once); False when those of any are lost."""
        for number in numbers:
            if number in self.pages:
                continue
            try:
                raw = json.loads((out / STATE / f"{number}.json").read_text(encoding="utf-8"))
                self.pages[number] = {str(p): [str(w) for w in ws] for p, ws in raw.items()}
            except (OSError, ValueError, TypeError, AttributeError):
                return False
        return True

    def write(self, out: Path) -> None:
        folder = out / STATE
        folder.mkdir(exist_ok=True)
        for number, pages in self.pages.items():
            _write_json(folder / f"{number}.json", pages)
        counts = dict(sorted(self.counts.items()))
        _write_json(folder / "vocabulary.json", {"parts": self.parts, "words": counts})


def update_index(out: Path, pages: Collection[str], touched: Iterable[str],
                 previous_parts: int) -> SearchIndex | None:
    """Index the site at ``out`` again where it changed; None when nothing needed it.

    ``pages`` are the site's searched pages (paths relative to ``out``),
    ``touched`` the pages written or removed since the index was made, and
    ``previous_parts`` its number of parts then (0: there was no index).

    A clean build makes one whole index: one Pagefind run is the fastest way
    to index every page, and one index ranks with the whole site's word
    statistics. A later build of a large site that must index pages again
    deals the index into parts (once, as long as a whole build), and from
    then on makes again only the parts of the pages it wrote, or every part
    when the number of parts or the site's vocabulary changed.
    """
    touched = set(touched)
    folder = out / FOLDER
    if previous_parts == 0 or not _intact(folder):
        return _one_index(out, pages)
    if not touched:
        return None
    parts = part_count(len(pages), previous_parts if previous_parts > 1 else 0)
    if parts == 1:
        return _one_index(out, pages)
    by_part: dict[int, list[str]] = {}
    for page in sorted(pages):
        by_part.setdefault(part_of(page, parts), []).append(page)
    redo = {part_of(page, parts) for page in touched}
    words = _Words.read(out, parts) if parts == previous_parts else None
    if words is None or not words.has_parts(out, redo):
        # one whole index, parts dealt for another number, or the kept words lost
        _write_all(out, by_part, _all_words(out, parts, by_part))
        return SearchIndex(len(pages), parts, len(by_part))
    if _reread(out, words, redo, touched, by_part):
        _write_all(out, by_part, words)  # a word came or went: every part needs the new vocabulary
        return SearchIndex(len(pages), parts, len(by_part))
    vocabulary = _vocabulary_pages(out, words)
    try:
        with ThreadPoolExecutor(_workers(len(redo))) as pool:
            list(pool.map(lambda n: _replace_part(out, n, by_part.get(n, []), vocabulary), sorted(redo)))
    finally:
        shutil.rmtree(vocabulary, ignore_errors=True)
    _write_listing(folder, by_part)
    words.write(out)
    return SearchIndex(len(pages), parts, len(redo))


def _one_index(out: Path, pages: Collection[str]) -> SearchIndex:
    """One whole index of every searched page, replacing whatever index there was."""
    _write_all(out, {0: sorted(pages)}, None)
    return SearchIndex(len(pages), 1, 1)


def _intact(folder: Path) -> bool:
    """Whether the index at ``folder`` is one this module wrote and every part it lists is there."""
    listed = _listing(folder)
    return bool(listed) and all((folder / name / "pagefind-entry.json").is_file() for name in listed or ())


def _all_words(out: Path, parts: int, by_part: Mapping[int, list[str]]) -> _Words:
    words = _Words(parts)
    for number, pages in by_part.items():
        words.pages[number] = {page: _page_words(out, page) for page in pages}
        for page_words in words.pages[number].values():
            words.counts.update(page_words)
    return words


def _reread(out: Path, words: _Words, redo: set[int], touched: set[str],
            by_part: Mapping[int, list[str]]) -> bool:
    """Take in the words of the ``touched`` pages of the ``redo`` parts; whether the vocabulary changed.

    A page not touched since its part was made has the words kept for it; a
    part whose kept words are lost is read again whole.
    """
    moved: set[str] = set()  # words whose count changed
    had = set(words.counts)
    for number in redo:
        kept = words.pages[number]
        now = {page: kept[page] if page in kept and page not in touched else _page_words(out, page)
               for page in by_part.get(number, [])}
        for page in set(kept) | set(now):
            old, new = set(kept.get(page, ())), set(now.get(page, ()))
            words.counts.subtract(old - new)
            words.counts.update(new - old)
            moved |= old ^ new
        words.pages[number] = now
    gone = {word for word in moved if words.counts[word] <= 0}
    for word in gone:
        del words.counts[word]
    return bool(gone) or any(word not in had for word in moved)


def _page_words(out: Path, page: str) -> list[str]:
    return sorted(words_of(_read(out / page)))


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return ""


def _vocabulary_pages(out: Path, words: _Words) -> Path:
    """The site's vocabulary as hidden pages of :data:`RECORD_WORDS` words each, in a new folder."""
    folder = Path(tempfile.mkdtemp(prefix=".vocabulary-", dir=out))
    vocabulary = sorted(words.counts)
    for start in range(0, len(vocabulary), RECORD_WORDS):
        text = html.escape(" ".join(vocabulary[start : start + RECORD_WORDS]))
        (folder / f"{start // RECORD_WORDS}.html").write_text(
            f'<!doctype html><html lang="en"><head><title>vocabulary</title></head><body>'
            f"<main {_BODY}><p>{text}</p></main></body></html>\n", encoding="utf-8")
    return folder


def _write_all(out: Path, by_part: Mapping[int, list[str]], words: _Words | None) -> None:
    """Every part into a new folder that then takes the old one's place (nothing stale is left)."""
    new = Path(tempfile.mkdtemp(prefix=".pagefind-", dir=out))
    vocabulary = _vocabulary_pages(out, words) if words is not None else None
    try:
        if words is None and len(by_part) == 1:  # one whole index: Pagefind reads the site itself
            _run_pagefind(out, new / "0")
            _drop_unused(new / "0")
        else:
            with ThreadPoolExecutor(_workers(len(by_part))) as pool:
                list(pool.map(lambda n: _index_part(out, by_part[n], new / str(n), vocabulary),
                              sorted(by_part)))
        _write_listing(new, by_part)
        _swap(new, out / FOLDER)
    finally:
        shutil.rmtree(new, ignore_errors=True)
        if vocabulary is not None:
            shutil.rmtree(vocabulary, ignore_errors=True)
    if words is None:
        shutil.rmtree(out / STATE, ignore_errors=True)
    else:
        words.write(out)


def _replace_part(out: Path, number: int, pages: list[str], vocabulary: Path | None) -> None:
    target = out / FOLDER / str(number)
    if not pages:  # its last page is gone
        shutil.rmtree(target, ignore_errors=True)
        return
    new = Path(tempfile.mkdtemp(prefix=f".{number}-", dir=out / FOLDER))
    try:
        _index_part(out, pages, new, vocabulary)
        _swap(new, target)
    finally:
        shutil.rmtree(new, ignore_errors=True)


def _swap(new: Path, target: Path) -> None:
    """Put the folder ``new`` where ``target`` is; the old one is removed."""
    old = target.with_name(f".{target.name}-old")
    shutil.rmtree(old, ignore_errors=True)
    if target.exists():
        target.rename(old)
    new.rename(target)
    shutil.rmtree(old, ignore_errors=True)


def _index_part(out: Path, pages: list[str], bundle: Path, vocabulary: Path | None) -> None:
    """One Pagefind run over hard links to ``pages`` (and the vocabulary records), writing ``bundle``."""
    tree = Path(tempfile.mkdtemp(prefix=".pages-", dir=out))
    try:
        links = [(out / page, tree / page) for page in pages]
        if vocabulary is not None:
            links += [(record, tree / "_vocabulary" / record.name) for record in vocabulary.iterdir()]
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


def _run_pagefind(site: Path, bundle: Path) -> None:
    command = [_executable(), "--site", str(site), "--output-path", str(bundle), "--keep-index-url",
               "--force-language", "en"]
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


def _names(by_part: Mapping[int, list[str]]) -> list[str]:
    return [f"{n}/" for n in sorted(by_part)]


def _listing(folder: Path) -> list[str] | None:
    """The parts ``parts.json`` lists (None when it is missing or not ours)."""
    try:
        raw = json.loads((folder / LISTING).read_text(encoding="utf-8"))
        return [str(name) for name in raw["parts"]]
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _write_listing(folder: Path, by_part: Mapping[int, list[str]]) -> None:
    # "vocabulary": the parts hold hidden vocabulary records, which the browser leaves out by kind
    _write_json(folder / LISTING, {"parts": _names(by_part), "vocabulary": len(by_part) > 1})


def _write_json(path: Path, document: object) -> None:
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_text(json.dumps(document, separators=(",", ":")), encoding="utf-8")
    os.replace(temporary, path)


def _workers(jobs: int) -> int:
    return max(1, min(jobs, os.cpu_count() or 1, 2))
