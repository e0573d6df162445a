"""Which files an import writes, merges, keeps or refuses to change (pure: texts in, texts out).

``opsrepo.yaml`` and ``policies/severity.yaml`` are written only where missing.
A team file that exists is merged: everything in it stays as written, and the
people, members and services the import brings that it lacks are added. Any
other file that exists and would change is rewritten only with ``--force``;
an unchanged file is left alone, so a second import of the same account writes
nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import yaml

from opsrepo.importers.common import MODELINES, kind_of
from opsrepo.importers.yamlout import dump

CREATED, UNCHANGED, REWRITTEN, MERGED = "created", "unchanged", "rewritten", "merged"
KEPT = "kept (exists; an import never changes it)"
REFUSED = "not written: it exists and would change (use --force)"
UNREADABLE = "not merged: the existing file does not parse as YAML"


@dataclass(frozen=True)
class Planned:
    """One file of the import: its new text (``None``: leave the file alone) and what happens to it."""

    path: str
    text: str | None
    status: str


def plan(
    documents: Mapping[str, dict[str, Any]], existing: Mapping[str, str | None], force: bool
) -> list[Planned]:
    """What to do with every document, given the texts of the files that exist (``None``: no file)."""
    return [_one(path, doc, existing.get(path), force) for path, doc in documents.items()]


def _one(path: str, document: dict[str, Any], old: str | None, force: bool) -> Planned:
    kind = kind_of(path)
    if old is None:
        return Planned(path, dump(document, MODELINES[kind]), CREATED)
    if kind in ("org", "severity"):
        return Planned(path, None, KEPT)
    if kind == "team":
        try:
            current = yaml.safe_load(old)
        except yaml.YAMLError:
            return Planned(path, None, UNREADABLE)
        if not isinstance(current, dict):
            return Planned(path, None, UNREADABLE)
        document = merge_team(current, document)
    text = dump(document, MODELINES[kind])
    if text == old:
        return Planned(path, None, UNCHANGED)
    if not force:
        return Planned(path, None, REFUSED)
    return Planned(path, text, MERGED if kind == "team" else REWRITTEN)


def _ids(entries: list[Any]) -> list[str]:
    return [e["id"] for e in entries if isinstance(e, dict) and "id" in e]


def merge_team(current: dict[str, Any], imported: dict[str, Any]) -> dict[str, Any]:
    """``current`` as it is, plus the imported people, members and services it lacks (by id)."""
    merged = dict(current)
    for key in ("people", "services"):
        have = _ids(merged.get(key) or [])
        added = [e for e in imported.get(key) or [] if e["id"] not in have]
        if added:
            merged[key] = [*(merged.get(key) or []), *added]
    wanted = imported.get("members") or []
    if wanted or "members" in current:
        base = list(current.get("members") or _ids(current.get("people") or []))
        new_people = (
            [p for p in _ids(merged.get("people") or []) if p not in base] if "members" in current else []
        )
        members = [*base, *new_people, *(m for m in wanted if m not in base and m not in new_people)]
        if members != _ids(merged.get("people") or []) or "members" in current:
            merged["members"] = members
    return {key: merged[key] for key in _order(merged)}


def _order(document: dict[str, Any]) -> list[str]:
    known = ["id", "name", "description", "chat", "people", "members", "services"]
    return [k for k in known if k in document] + [k for k in document if k not in known]
