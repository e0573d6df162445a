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
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from opsrepo.site.state import Page

MANIFEST = ".opsrepo-site.json"
FORMAT = 1


@dataclass
class Manifest:
    """Per page: the hash of its inputs and the images it publishes (with their hashes)."""

    design: str = ""
    pages: dict[str, str] = field(default_factory=dict)
    images: dict[str, dict[str, str]] = field(default_factory=dict)
    searched: bool = False

    @classmethod
    def read(cls, out: Path) -> Manifest:
        """The manifest of the site at ``out`` (empty when there is none or it is unreadable)."""
        try:
            raw = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
            if raw.get("format") != FORMAT:
                return cls()
            pages = {p: str(h) for p, h in raw["pages"].items() if is_page_path(p)}
            images = {p: {str(k): str(v) for k, v in used.items()} for p, used in raw["images"].items()}
            return cls(str(raw["design"]), pages, images, bool(raw["searched"]))
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return cls()

    def write(self, out: Path) -> None:
        """Record the manifest (atomically: a crash never leaves half a manifest)."""
        document = {"format": FORMAT, "design": self.design, "searched": self.searched,
                    "pages": dict(sorted(self.pages.items())), "images": dict(sorted(self.images.items()))}
        temporary = out / (MANIFEST + ".tmp")
        temporary.write_text(json.dumps(document, indent=0, sort_keys=True), encoding="utf-8")
        os.replace(temporary, out / MANIFEST)


def is_page_path(path: str) -> bool:
    """A relative ``.html`` path inside the site (a manifest from elsewhere never deletes outside it)."""
    pure = PurePosixPath(path)
    return (path.endswith(".html") and not pure.is_absolute() and ".." not in pure.parts
            and "\\" not in path and "\0" not in path)


def fingerprint(page: Page, design: str, site: Mapping[str, Any]) -> str:
    """A hash of everything a page is rendered from."""
    inputs = [design, site, page.template, page.title, page.search, page.data, page.markdown]
    text = json.dumps(inputs, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest()
