"""The incremental build's memory: what each written page was made from.

Every page is a pure function of its template, the site's design and its data
(plain JSON, plus the Markdown source). The manifest keeps a hash of those
inputs per page; the next build re-renders only pages whose hash changed,
whose file is gone, or whose published images changed, and deletes pages
that no longer exist. Only files this manifest lists are ever deleted.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from opsrepo.site.files import write_json
from opsrepo.site.state import Page

MANIFEST = ".opsrepo-site.json"
FORMAT = 6


@dataclass(frozen=True)
class PageRecord:
    """What one page was made from last time, and what its Markdown pointed to."""

    fingerprint: str
    #: published image (repo path) -> content hash
    images: dict[str, str] = field(default_factory=dict)
    #: Markdown link as written ("l:" or "i:" for images, then the href) -> what the site wrote for it
    links: dict[str, str] = field(default_factory=dict)
    #: the Markdown file its links are relative to
    source: str | None = None
    #: the page is in the search index
    searched: bool = False

    def to_json(self) -> list[Any]:
        """The record as plain data: one short list (half the size of an object with named fields).

        It shares the record's maps, never changed: copying them took 0.1 s for 3213.
        """
        return [self.fingerprint, self.searched, self.source, self.images, self.links]

    @classmethod
    def from_json(cls, raw: Any) -> PageRecord:
        """A record from plain data (malformed: ``TypeError``, ``KeyError``, ``ValueError``...)."""
        if isinstance(raw, dict):  # format 5's record (the manifest of an earlier opsrepo's build)
            raw = [raw["print"], raw["searched"], raw["source"], raw["images"], raw["links"]]
        fingerprint, searched, source, images, links = raw
        if images:
            images = {str(k): str(v) for k, v in images.items()}
        elif images != {}:
            raise TypeError("images")
        if links:
            links = {str(k): str(v) for k, v in links.items()}
        elif links != {}:
            raise TypeError("links")
        return cls(str(fingerprint), images, links, None if source is None else str(source), searched is True)


@dataclass
class Manifest:
    """The design, each input's digest and each page's record, as of one build."""

    design: str = ""
    inputs: dict[str, str] = field(default_factory=dict)
    pages: dict[str, PageRecord] = field(default_factory=dict)
    #: the parts of the search index made with these pages (0: no index)
    search_parts: int = 0
    #: searched pages written or removed by builds without search since the index was made
    search_pending: frozenset[str] = frozenset()

    @classmethod
    def read(cls, out: Path) -> Manifest:
        """The manifest of the site at ``out`` (empty when there is none or it is unreadable)."""
        try:
            raw = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
            if raw.get("format") not in (5, FORMAT):  # 5: each record an object with named fields
                return cls()
            pages = {p: PageRecord.from_json(r) for p, r in raw["pages"].items() if is_page_path(p)}
            inputs = {str(k): str(v) for k, v in raw["inputs"].items()}
            parts, pending = raw["search_parts"], raw["search_pending"]
            if not isinstance(parts, int) or parts < 0 or not isinstance(pending, list):
                return cls()
            return cls(str(raw["design"]), inputs, pages, parts, frozenset(map(str, pending)))
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return cls()

    def changed(self, inputs: Mapping[str, str], design: str) -> frozenset[str]:
        """The kinds of input that differ from this manifest's (all of them for a new design)."""
        if design != self.design:
            return frozenset(inputs)
        return frozenset(kind for kind, digest in inputs.items() if self.inputs.get(kind) != digest)

    def write(self, out: Path) -> None:
        """Record the manifest (atomically: a crash never leaves half a manifest)."""
        document = {"format": FORMAT, "design": self.design, "search_parts": self.search_parts,
                    "search_pending": sorted(self.search_pending),
                    "inputs": dict(sorted(self.inputs.items())),
                    "pages": {path: record.to_json() for path, record in sorted(self.pages.items())}}
        write_json(out / MANIFEST, document)


def is_page_path(path: str) -> bool:
    """A relative ``.html`` path inside the site (a manifest from elsewhere never deletes outside it)."""
    return (path.endswith(".html") and not path.startswith("/") and ".." not in path.split("/")
            and "\\" not in path and "\0" not in path)


#: page inputs as canonical JSON; page data is plain JSON, never cyclic: the encoder's
#: check for cycles (a dict of every container's id) was an eighth of its time
_INPUTS = json.JSONEncoder(sort_keys=True, separators=(",", ":"), default=str, check_circular=False)


def fingerprint(page: Page, design: str, site: Mapping[str, Any]) -> str:
    """A hash of everything a page is rendered from."""
    inputs = [design, site, page.template, page.title, page.search, page.data, page.markdown]
    text = _INPUTS.encode(inputs)
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest()
