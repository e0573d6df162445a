"""Ids from names and emails: lowercase slugs, unique, and stable across re-imports.

Collisions are settled by the vendor ids, sorted: the object with the smallest
vendor id keeps the plain slug, the next gets ``-2`` and so on, whatever order
the vendor listed them in.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from typing import Any

_NOT_SLUG = re.compile(r"[^a-z0-9]+")
MAX_LENGTH = 60
#: Latin letters that Unicode does not decompose into a base letter and a mark
_LETTERS = str.maketrans(
    {
        "ı": "i",
        "ø": "o",
        "Ø": "O",
        "æ": "ae",
        "Æ": "AE",
        "œ": "oe",
        "Œ": "OE",
        "ß": "ss",
        "đ": "d",
        "Đ": "D",
        "ł": "l",
        "Ł": "L",
        "þ": "th",
        "Þ": "Th",
        "ð": "d",
        "Ð": "D",
    }
)


def slug(text: str) -> str:
    """``"Zoë O'Brien"`` -> ``"zoe-o-brien"``; empty when nothing Latin is left."""
    folded = unicodedata.normalize("NFKD", text.translate(_LETTERS)).encode("ascii", "ignore").decode("ascii")
    folded = folded.lower()
    cleaned = _NOT_SLUG.sub("-", folded).strip("-")
    return cleaned[:MAX_LENGTH].rstrip("-")


def first_slug(*candidates: str | None) -> str:
    """The slug of the first candidate that has one."""
    for candidate in candidates:
        if candidate:
            made = slug(candidate)
            if made:
                return made
    return "x"


def allocate(wanted: Iterable[tuple[str, str]], taken: Iterable[str] = ()) -> dict[str, str]:
    """Vendor id -> unique slug, from ``(vendor id, wanted slug)`` pairs.

    ``taken`` are ids already used (by other kinds sharing the namespace, or by
    the repo the import merges into) that no allocated id may equal.
    """
    used = set(taken)
    found: dict[str, str] = {}
    for vendor_id, base in sorted(wanted, key=lambda pair: (pair[1], pair[0])):
        candidate, number = base, 1
        while candidate in used:
            number += 1
            candidate = f"{base}-{number}"
        used.add(candidate)
        found[vendor_id] = candidate
    return found


def ids_by_name(objects: Iterable[dict[str, Any]]) -> dict[str, str]:
    """Vendor id -> unique slug of each object's ``name`` (its ``id`` when it has none)."""
    return allocate([(o["id"], first_slug(o.get("name"), o["id"])) for o in objects])
