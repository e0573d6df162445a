"""The search index: Pagefind (the PyPI package carries its binary), in shards the browser merges.

The searched pages are dealt into shards by a hash of their path, about
:data:`SHARD_PAGES` pages each, and each shard is one Pagefind index,
``pagefind/<shard>-<8 hex>/``. ``pagefind/parts.json`` lists them. A build
that wrote searched pages again indexes them in the recent part instead,
one small Pagefind index of the pages written since their shard was made,
merged last, and hides their shards' copies (:mod:`opsrepo.site.recent`):
an edited runbook costs one Pagefind run over a page or a few, whatever the
site's size, and a word no page had costs no more than any other edit.
Shards are made again (each into a new folder, the old one removed once
the listing names the new) where a hidden copy could change what a query
finds, and when the recent part grows past its bound. A page's shard
depends on its path and the number of shards alone; that number is kept
while the site stays between half and twice its intended size, and every
shard is made again when it changes. A site of one shard makes it again.

The browser (``static/search.js``) loads the first shard and merges the
others into it (Pagefind's ``mergeIndex``, one WebAssembly module for all),
so a query searches every shard at once. Where a shard has no word starting
with a query's word, Pagefind answers with the pages of the longest shorter
word it has instead ("roll" for "rollback"): a shard without "rollback"
would add pages that one index of the whole site does not find. The browser
therefore asks Pagefind for the words each result matched (its playground
mode, which the bundle's script is patched here to turn on for merged
indexes too, see :func:`~opsrepo.site.indexer.patch`) and keeps, for each word of the query,
the results that matched a word starting with it wherever any shard has
one: the pages one whole index finds. Each shard scores a word with its own
statistics; the listing keeps the whole site's pages and words (those of the
hidden copies left out), and the browser scores the results again with them,
so they come in one index's order.

The browser fetches only the index chunks a query needs, so search works
from GitHub Pages and from any folder served over HTTP, at any sub-path.
"""

from __future__ import annotations

import functools
import hashlib
import json
import secrets
import shutil
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from opsrepo.site import recent as _recent
from opsrepo.site.files import write_json
from opsrepo.site.indexer import TEMPORARY, index_pages, index_shards, new_folder, remove_temporary, runtime
from opsrepo.site.recent import PREFIX, Counts, Fragment, Hidden, Recent, fragments, orphans, stats, to_fold

#: the index's folder in the site, and the list of its shards in it
FOLDER = "pagefind"
LISTING = "parts.json"
#: the listing's format (3: shards and a recent part; 2: shards; 1 was a whole index and a recent one)
FORMAT = 3
#: searched pages a shard is meant to hold: one edit re-indexes this many pages (Pagefind indexes
#: a runbook of realistic text in 2-4 ms), and a query fetches one index chunk per shard
SHARD_PAGES = 100
#: from this many shards on, pages written since their shard was made are indexed in a recent part
RECENT_FROM = 2
#: how many pages of the shards have each token, kept beside the site (see recent.py)
COUNTS = ".opsrepo-site-tokens.json"
#: what earlier versions kept beside the site (the words of each page): removed
_OLD_STATE = ".opsrepo-search"


@dataclass(frozen=True)
class SearchIndex:
    """What indexing did: the pages searched, the shards, how many were made now, the recent part's pages."""

    pages: int
    shards: int
    indexed: int
    #: pages in the recent part (see :mod:`opsrepo.site.recent`), indexed again by this build when any
    recent: int = 0

    @property
    def parts(self) -> int:
        """The indexes the browser merges."""
        return self.shards + (1 if self.recent else 0)

    @property
    def whole(self) -> bool:
        """Every shard was made (a clean build, or the number of shards changed)."""
        return self.indexed == self.shards and not self.recent


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


@dataclass
class _Listing:
    """The index as ``parts.json`` lists it: each shard's folder and statistics by shard, the recent part."""

    names: list[str | None]
    stats: list[_Stats]
    recent: Recent = field(default_factory=Recent)

    def first(self) -> list[str]:
        """The first shard's folder (the one with Pagefind's script), if any."""
        return [name for name in self.names if name][:1]


def update_index(out: Path, pages: Collection[str], touched: Iterable[str],
                 previous_parts: int) -> SearchIndex | None:
    """Index the site at ``out`` again where it changed; None when nothing needed it.

    ``pages`` are the site's searched pages (paths relative to ``out``),
    ``touched`` the pages written or removed since the index was made, and
    ``previous_parts`` its number of parts then (0: there was no index).
    A site of two shards or more indexes the pages written since their shard
    was made in its recent part (:mod:`opsrepo.site.recent`); one of one shard
    makes it again.
    """
    folder = out / FOLDER
    remove_temporary(out, folder)
    previous = _listing(folder) if previous_parts else None
    touched = set(touched)
    if previous is not None and _fits(len(previous.names), len(pages)):
        if not touched:
            return None
        listing = _Listing(previous.names[:], previous.stats[:], previous.recent)
        if len(listing.names) >= RECENT_FROM:
            redo = _update_recent(out, listing, set(pages), touched)
        else:
            home = functools.partial(shard_of, shards=len(listing.names))
            redo = {home(page) for page in [*touched, *listing.recent.pages, *listing.recent.hidden]}
            _remake(out, listing, pages, redo)
    else:
        shards = shard_count(len(pages))
        listing = _Listing([None] * shards, [None] * shards)
        redo = set(range(shards))
        _remake(out, listing, pages, redo)
    if not any(listing.names):  # no searched page at all: an empty shard keeps the site's search working
        made = index_shards(out, folder, {0: []}, empty=True)[0]
        listing.names[0], listing.stats[0] = made, stats(fragments(folder / made).values())
        redo.add(0)
    kept = [name for name in listing.names if name]
    parts = [*kept, *([listing.recent.name] if listing.recent.name else [])]
    runtime(folder, parts, previous.first() if previous else [])
    _write_listing(folder, listing)
    _remove_unlisted(folder, set(parts))
    shutil.rmtree(out / _OLD_STATE, ignore_errors=True)
    return SearchIndex(len(pages), len(kept), len([shard for shard in redo if listing.names[shard]]),
                       len(listing.recent.pages) if listing.recent.name else 0)


def _remake(out: Path, listing: _Listing, pages: Iterable[str], redo: set[int],
            read: Mapping[int, Mapping[str, Fragment]] | None = None) -> None:
    """Index the shards ``redo`` again with their pages; the recent part keeps none of theirs.

    ``read``: the pages of shards already read (the token counts lose those of
    the shards made again).
    """
    folder, shards = out / FOLDER, len(listing.names)
    home = functools.partial(shard_of, shards=shards)
    before = listing.names[:]
    whole = all(name is None or shard in redo for shard, name in enumerate(before))
    gone = None if whole else {shard: (read or {}).get(shard) or fragments(folder / str(before[shard]))
                               for shard in redo if before[shard]}
    by_shard: dict[int, list[str]] = {}
    for page in sorted(pages):
        shard = home(page)
        if shard in redo:
            by_shard.setdefault(shard, []).append(page)
    names = index_shards(out, folder, {shard: by_shard.get(shard, []) for shard in sorted(redo)})
    made = {shard: fragments(folder / name) for shard, name in names.items()}
    for shard in redo:
        listing.names[shard] = names.get(shard)
        listing.stats[shard] = stats(made[shard].values()) if shard in made else None
    Counts(out / COUNTS).update(before, listing.names, made, gone)
    recent = listing.recent
    recent.drop_shards(redo, home)
    if not recent.pages:
        recent.name, recent.stats = None, None


def _update_recent(out: Path, listing: _Listing, searched: set[str], touched: set[str]) -> set[int]:
    """Index the pages written since their shard was made in the recent part, and hide their shard's copies.

    The shards with an orphan that no page the browser keeps has, those
    with a hidden copy whose id another page has (see :func:`_clashing`),
    and every shard with a hidden copy once the recent part would hold more
    than :data:`~opsrepo.site.recent.RECENT_PAGES`, are made again instead
    (returned) and their pages leave the recent part.
    """
    folder, recent = out / FOLDER, listing.recent
    home = functools.partial(shard_of, shards=len(listing.names))
    read: dict[int, dict[str, Fragment]] = {}

    def shard_pages(shard: int) -> dict[str, Fragment]:
        name = listing.names[shard]
        if shard not in read:
            read[shard] = fragments(folder / name) if name else {}
        return read[shard]

    recent.pages = sorted((set(recent.pages) | touched) & searched)
    fold: set[int] = set()
    if len(recent.pages) > _recent.RECENT_PAGES:  # (their shards' copies need not be looked for)
        fold = {home(page) for page in [*recent.pages, *touched, *recent.hidden]}
        recent.drop_shards(fold, home)
    hide = [page for page in sorted(touched - set(recent.hidden)) if home(page) not in fold
            and page in shard_pages(home(page))]
    for page in hide:
        copy = read[home(page)][page]
        recent.hidden[page] = Hidden(home(page), copy.id, copy.words)
    indexed = _index_recent(out, recent)
    # a page written back as its shard has it (Pagefind names a page by its content): its copy is current
    back = [page for page, fragment in indexed.items()
            if page in recent.hidden and recent.hidden[page].id == fragment.id]
    for page in back:
        del recent.hidden[page]
        recent.pages.remove(page)
    for shard in {home(page) for page in [*hide, *back]} - fold:  # the shards whose hidden copies changed
        lonely = orphans(shard_pages(shard), recent.hidden_in(shard))
        recent.orphans.pop(shard, None)
        if lonely:
            recent.orphans[shard] = lonely
    tokens = set().union(*(indexed[page].tokens for page in recent.pages if page in indexed))
    more = to_fold(recent, tokens, lambda: Counts(out / COUNTS).read(listing.names))
    made: set[int] = set()
    while True:
        recent.drop_shards(more, home)
        if not recent.pages:  # (the orphans are kept in the recent part's folder: no copy hidden without one)
            more |= {one.shard for one in recent.hidden.values()}
            recent.drop_shards(more, home)
        fold |= more
        if set(recent.pages) != set(indexed):
            indexed = _index_recent(out, recent)
        if fold - made:
            _remake(out, listing, searched, fold - made, read)
            made |= fold
        # (a shard folded hides nothing after: each round folds others, until no hidden id clashes)
        more = _clashing(folder, listing)
        if not more:
            return fold


def _clashing(folder: Path, listing: _Listing) -> set[int]:
    """The shards with a hidden copy whose Pagefind id another page has, in any part.

    The browser drops results by id alone, and Pagefind's ids are unique
    within one index only: such a page would be dropped too. Its ids are read
    from each part's fragment files' names, those of the hidden copies
    themselves left out.
    """
    recent = listing.recent
    if not recent.hidden:
        return set()
    hidden: dict[int, set[str]] = {}
    for one in recent.hidden.values():
        hidden.setdefault(one.shard, set()).add(one.id)
    live = _recent.page_ids(folder / recent.name) if recent.name else set()
    for shard, name in enumerate(listing.names):
        if name:
            live |= _recent.page_ids(folder / name) - hidden.get(shard, set())
    return {one.shard for one in recent.hidden.values() if one.id in live}


def _index_recent(out: Path, recent: Recent) -> dict[str, Fragment]:
    """Index the recent part's pages into a new folder (none without pages); each page as indexed."""
    folder = out / FOLDER
    if not recent.pages:
        recent.name, recent.stats = None, None
        return {}
    bundle = new_folder(folder, ".shard-")
    try:
        index_pages(out, recent.pages, bundle)
        name = f"{PREFIX}{secrets.token_hex(4)}"
        bundle.rename(folder / name)
    finally:
        shutil.rmtree(bundle, ignore_errors=True)
    indexed = fragments(folder / name)
    recent.name, recent.stats = name, stats(indexed.values())
    return indexed


def _remove_unlisted(folder: Path, keep: set[str]) -> None:
    """Shards the listing no longer names, and what earlier versions left in the folder."""
    for path in folder.iterdir():
        if path.name == LISTING or path.name in keep or path.name.startswith(TEMPORARY):
            continue
        if path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)


#: a shard's pages and the words on them, as Pagefind counts them (None: a shard without pages)
_Stats = list[int] | None


def _listing(folder: Path) -> _Listing | None:
    """The index as its listing has it; None when missing, not ours or damaged."""
    try:
        raw = json.loads((folder / LISTING).read_text(encoding="utf-8"))
        if raw.get("format") != FORMAT:
            return None
        names: list[str | None] = [None if name is None else str(name) for name in raw["shards"]]
        stats: list[_Stats] = [None if one is None else [int(one[0]), int(one[1])] for one in raw["stats"]]
        recent = Recent.from_json(raw, folder, len(names))
    except (OSError, ValueError, KeyError, TypeError, AttributeError, IndexError):
        return None
    kept = [name for name in names if name is not None]
    there = len(stats) == len(names) and all(
        name.startswith(f"{shard}-") and (folder / name / "pagefind-entry.json").is_file() and stats[shard]
        for shard, name in enumerate(names) if name is not None)
    recent_there = recent.name is None or (folder / recent.name / "pagefind-entry.json").is_file()
    # (each copy hidden in its page's shard, orphans kept only where copies are hidden: else a hand edit)
    homes = {page: shard_of(page, len(names)) for page in recent.hidden}
    consistent = all(one.shard == homes[page] for page, one in recent.hidden.items()) \
        and set(recent.orphans) <= set(homes.values())
    if kept and there and recent_there and consistent and (folder / kept[0] / "pagefind.js").is_file():
        return _Listing(names, stats, recent)
    return None


def _write_listing(folder: Path, listing: _Listing) -> None:
    # "parts": the folders to merge, the first holding Pagefind's script, the recent part last;
    # "shards" and "stats" (pages, words as indexed): by shard; "site": the pages and words the
    # browser ranks with (without the hidden copies); then the recent part and the hidden copies
    # (see recent.py)
    recent = listing.recent
    pages, words = (sum(one[n] for one in [*listing.stats, recent.stats] if one) for n in (0, 1))
    site = [pages - len(recent.hidden), words - sum(one.words for one in recent.hidden.values())]
    parts = [*(name for name in listing.names if name), *([recent.name] if recent.name else [])]
    recent.write_orphans(folder)
    write_json(folder / LISTING, {"format": FORMAT, "parts": [f"{name}/" for name in parts],
                                  "shards": listing.names, "stats": listing.stats, "site": site,
                                  **recent.to_json()})
