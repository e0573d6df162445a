"""The recent part of the search index: pages written since their shard was made, indexed apart.

An edited page's shard would cost a Pagefind run over a hundred pages to
change one (Pagefind's cost is per page: about 2.5 ms each, 10 ms a run). The
pages written since their shard was made are instead indexed together in one
small part, merged last by the browser (``recent-<8 hex>/``), and their old
copies in their shards (and those of removed pages) are *hidden*: the listing
names each one's Pagefind id, which the browser drops from the results, and
the number of pages and words the browser ranks with leaves them out. Those
ids are unique within one index only: a shard whose hidden copy's id another
page has, in any part, is made again rather than that page dropped too.

A hidden copy still holds its words in its shard. Where a shard's only words
starting with a query's word are on hidden copies, Pagefind answers with
those (dropped) rather than with the shard's longest shorter word, as the
shard without them would. That only changes the results when no page the
browser keeps has such a word either; so the words ("tokens": the text
between spaces, from which Pagefind makes its words) that a shard's hidden
copies alone have in that shard (its *orphans*) must each be on a recent
page. Otherwise the shard is made again (*folded*): its pages leave the
recent part. When the recent part would pass :data:`RECENT_PAGES`, every
shard with a hidden copy is folded.
"""

from __future__ import annotations

import gzip
import json
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from opsrepo.errors import OpsrepoError
from opsrepo.site.files import write_json
from opsrepo.site.indexer import HINT

#: pages the recent part holds at most: each edit indexes them all again (2.5 ms a page)
RECENT_PAGES = 40
#: the recent part's folder name starts with this (then random hex)
PREFIX = "recent-"
#: the file in the recent part's folder that keeps the orphans by shard
ORPHANS = "opsrepo-orphans.json"
#: how a Pagefind fragment file starts, once decompressed (then its JSON)
_FRAGMENT = b"pagefind_dcd"


@dataclass(frozen=True)
class Fragment:
    """One page as Pagefind indexed it: its id (its fragment's name), its words, the tokens of its text."""

    id: str
    words: int
    tokens: frozenset[str]


def fragments(bundle: Path) -> dict[str, Fragment]:
    """Each page of a Pagefind index (by its path in the site) as Pagefind indexed it.

    A fragment is a gzip of a signature and JSON: the page's URL (its path:
    the index keeps ``index.html``), text, meta fields and word count.
    """
    found = {}
    for path in (bundle / "fragment").iterdir():
        raw = gzip.decompress(path.read_bytes())
        if not raw.startswith(_FRAGMENT):
            raise OpsrepoError(f"{path} is not a Pagefind fragment", HINT)
        data = json.loads(raw[len(_FRAGMENT):])
        texts = [str(data.get("content", "")), *(str(v) for v in dict(data.get("meta") or {}).values())]
        tokens = frozenset(map(_plain, {token for text in texts for token in _split(text)}))
        found[str(data["url"]).removeprefix("/")] = Fragment(path.name.split(".")[0], int(data["word_count"]),
                                                             tokens)
    return found


def page_ids(bundle: Path) -> set[str]:
    """The Pagefind ids of an index's pages: its fragment files' names (what the browser's results carry).

    Pagefind makes a page's id of a few hex characters of a hash of its
    fragment, longer only where two pages of the same index would share it:
    unique within one index, not across the shards and the recent part.
    """
    return {path.name.split(".")[0] for path in (bundle / "fragment").iterdir()}


#: white space to Python's split() and none to Rust's (Pagefind's): the file, group, record, unit separators
_SEPARATORS = re.compile(r"[\x1c-\x1f]")
#: Rust's white space (Unicode's White_Space)
_SPACE = re.compile(r"[^\S\x1c-\x1f]+")


def _split(text: str) -> list[str]:
    """``text``'s tokens as Pagefind splits them (at Rust's white space)."""
    return text.split() if not _SEPARATORS.search(text) else [token for token in _SPACE.split(text) if token]


#: ASCII punctuation Pagefind drops from a word's letters and splits a compound at, and that is no emoji
#: ("_", which it keeps, and "#" and "*", which the emoji test matches, are not)
_EDGE = "!\"$%&'()+,-./:;<=>?@[\\]^`{|}~"
#: a plain word: lower-case letters, or a capital then lower-case letters, or digits
_PLAIN = re.compile(r"[A-Z]?[a-z]+|[0-9]+")


@lru_cache(maxsize=1 << 16)  # (a site's tokens recur from page to page)
def _plain(token: str) -> str:
    """``token`` without the punctuation around it where Pagefind makes the same words of both.

    Pagefind makes a token's words from the token alone (``fossick/splitting.rs``):
    its letters, digits and kept characters in lower case, stemmed, and where
    it has punctuation or an inner capital (a compound) the parts between
    them. Punctuation around a plain word adds no part ("place." and "Place"
    are "place"), nor around an ASCII compound ("INC-4112:" is "INC-4112");
    around a word that is neither ("ab1." has a part "ab" that "ab1" has not)
    the token is kept as it is.
    """
    core = token.strip(_EDGE)
    if not core or core == token:
        return core.lower() if core and _PLAIN.fullmatch(core) else token
    if _PLAIN.fullmatch(core):
        return core.lower()
    compound = core.isascii() and (any(not c.isalnum() for c in core) or any(c.isupper() for c in core[1:]))
    return core if compound else token


def stats(pages: Iterable[Fragment]) -> list[int]:
    """The number of pages and the words on them."""
    listed = list(pages)
    return [len(listed), sum(page.words for page in listed)]


@dataclass(frozen=True)
class Hidden:
    """A page's copy in its shard that the browser drops: the shard, its Pagefind id and its words."""

    shard: int
    id: str
    words: int

    def to_json(self) -> list[object]:
        """As the listing keeps it."""
        return [self.shard, self.id, self.words]


@dataclass
class Recent:
    """The recent part as a listing names it: its folder, pages and stats, hidden copies, orphans by shard."""

    name: str | None = None
    pages: list[str] = field(default_factory=list)
    stats: list[int] | None = None
    hidden: dict[str, Hidden] = field(default_factory=dict)
    orphans: dict[int, dict[str, int]] = field(default_factory=dict)

    @classmethod
    def from_json(cls, raw: Mapping[str, object], folder: Path, shards: int) -> Recent:
        """The recent part from a listing and its folder in ``folder``.

        Raises ``ValueError``, ``TypeError``, ``KeyError`` or ``OSError`` when malformed or missing.
        """
        part, hidden = raw["recent"], raw["hidden"]
        if not isinstance(part, dict) or not isinstance(hidden, dict):
            raise TypeError("not a recent part")
        name, stats = part["name"], part["stats"]
        copies = {str(page): Hidden(int(one[0]), str(one[1]), int(one[2])) for page, one in hidden.items()}
        found = cls(None if name is None else str(name), [str(page) for page in part["pages"]],
                    None if stats is None else [int(stats[0]), int(stats[1])], copies)
        if any(not 0 <= one.shard < shards for one in copies.values()) or (name is None) != (stats is None) \
                or (name is None and copies):  # (their orphans are kept in the recent part's folder)
            raise ValueError("a hidden copy outside the shards, or without a recent part")
        if found.name is not None:
            if not found.name.startswith(PREFIX):
                raise ValueError("not a recent part")
            kept = json.loads((folder / found.name / ORPHANS).read_text(encoding="utf-8"))
            found.orphans = {int(shard): {str(token): int(copies) for token, copies in tokens.items()}
                             for shard, tokens in kept.items()}
        return found

    def to_json(self) -> dict[str, object]:
        """What the listing holds of it (the orphans are in its folder: the browser needs none)."""
        return {"recent": {"name": self.name, "pages": sorted(self.pages), "stats": self.stats},
                "hidden": {page: one.to_json() for page, one in sorted(self.hidden.items())}}

    def write_orphans(self, folder: Path) -> None:
        """Keep the orphans in the recent part's folder (there are none without a recent part)."""
        if self.name is not None:
            kept = {str(shard): lonely for shard, lonely in sorted(self.orphans.items())}
            write_json(folder / self.name / ORPHANS, kept)

    def hidden_in(self, shard: int) -> list[str]:
        """The pages whose copy in ``shard`` is hidden."""
        return [page for page, one in self.hidden.items() if one.shard == shard]

    def drop_shards(self, shards: set[int], home: Callable[[str], int]) -> None:
        """Forget what the recent part kept of ``shards`` (made again: their pages are current there)."""
        self.hidden = {page: one for page, one in self.hidden.items() if one.shard not in shards}
        self.orphans = {shard: lonely for shard, lonely in self.orphans.items() if shard not in shards}
        self.pages = [page for page in self.pages if home(page) not in shards]


def orphans(shard: Mapping[str, Fragment], hidden: Iterable[str]) -> dict[str, int]:
    """The tokens of a shard's hidden copies that no other page of it has, and how many copies have each."""
    hide = set(hidden)
    seen: set[str] = set()
    for page, fragment in shard.items():
        if page not in hide:
            seen |= fragment.tokens
    lonely: dict[str, int] = {}
    for page in sorted(hide & set(shard)):
        for token in shard[page].tokens - seen:
            lonely[token] = lonely.get(token, 0) + 1
    return dict(sorted(lonely.items()))


def to_fold(recent: Recent, recent_tokens: set[str],
            counts: Callable[[], Mapping[str, int] | None]) -> set[int]:
    """The shards with an orphan that no page the browser keeps has, recent or in a shard.

    Folding shards leaves the words the browser keeps as they were (their
    recent pages move into them, their hidden copies go), so each shard is
    judged alone. ``counts`` gives the pages of the shards that have each
    token (see :class:`Counts`), read only when an orphan is on no recent
    page; None (unknown) folds every shard with such an orphan. A token is on
    a kept page of some shard when more pages have it than the hidden copies
    where it is an orphan.
    """
    missing = {shard: [token for token in lonely if token not in recent_tokens]
               for shard, lonely in recent.orphans.items()}
    missing = {shard: tokens for shard, tokens in missing.items() if tokens}
    if not missing:
        return set()
    known = counts()
    if known is None:
        return set(missing)
    hidden: dict[str, int] = {}
    for lonely in recent.orphans.values():
        for token, copies in lonely.items():
            hidden[token] = hidden.get(token, 0) + copies
    return {shard for shard, tokens in missing.items()
            if any(known.get(token, 0) <= hidden[token] for token in tokens)}


class Counts:
    """How many pages of the shards have each token, kept beside the site for the shards it names.

    Made with every shard, brought up to date when shards are made again;
    another listing's (a build that crashed between the two files) is unknown.
    """

    def __init__(self, path: Path) -> None:
        self.path = path

    def read(self, names: list[str | None]) -> dict[str, int] | None:
        """The counts, when kept for the shards ``names``; None otherwise."""
        try:
            raw = json.loads(self.path.read_text(encoding="utf-8"))
            if raw.get("format") != 1 or raw["shards"] != names:
                return None
            return {str(token): int(count) for token, count in raw["counts"].items()}
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return None

    def update(self, before: list[str | None], after: list[str | None],
               made: Mapping[int, Mapping[str, Fragment]],
               gone: Mapping[int, Mapping[str, Fragment]] | None) -> None:
        """Keep the counts for the shards ``after``, made from those ``before`` by making the shards ``made``.

        ``gone``: the pages of the shards they replace (None: every shard was
        made, the counts start again). When the counts of the shards before are
        not there, or lack a token of the pages they replace (not theirs: a
        file edited by hand), none are kept: the next build reads None.
        """
        counts = {} if gone is None else self.read(before)
        lost = Counter(token for pages in (gone or {}).values() for fragment in pages.values()
                       for token in fragment.tokens)
        if counts is None or any(counts.get(token, 0) < copies for token, copies in lost.items()):
            self.path.unlink(missing_ok=True)
            return
        for token, copies in lost.items():
            counts[token] -= copies
        for pages in made.values():
            for fragment in pages.values():
                for token in fragment.tokens:
                    counts[token] = counts.get(token, 0) + 1
        write_json(self.path, {"format": 1, "shards": after,
                               "counts": {token: count for token, count in counts.items() if count > 0}})
