"""The labels the sync owns: names, colours and descriptions.

The sync manages only these label families on its issues (the sync label,
``priority:*``, ``kind:*``, ``severity:*``, ``needs-owner``,
``removed-from-postmortem``); any other label a person adds is kept.
GitHub compares label names case-insensitively, and so does everything here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

NEEDS_OWNER = "needs-owner"
REMOVED = "removed-from-postmortem"
FAMILIES = ("priority:", "kind:", "severity:")

PRIORITY_COLOURS = {"critical": "b60205", "high": "d93f0b", "medium": "fbca04", "low": "0e8a16"}
KIND_COLOURS = {"prevent": "1d76db", "detect": "5319e7", "mitigate": "0052cc", "process": "bfd4f2"}
#: by rank in the severity matrix, most urgent first; lower ranks use the last colour
SEVERITY_COLOURS = ("b60205", "d93f0b", "fbca04", "c2e0c6")


@dataclass(frozen=True)
class LabelSpec:
    """A label as the sync creates it when the repo lacks it."""

    name: str
    color: str
    description: str


def sync_label(name: str) -> LabelSpec:
    """The label that marks the issues of the sync (``actions.label``)."""
    return LabelSpec(name, "5319e7", "Post-mortem action item, kept in step by opsrepo")


def priority(value: str) -> LabelSpec:
    """``priority:<value>``."""
    colour = PRIORITY_COLOURS.get(value, "ededed")
    return LabelSpec(f"priority:{value}", colour, f"Action item priority: {value}")


def kind(value: str) -> LabelSpec:
    """``kind:<value>``."""
    return LabelSpec(f"kind:{value}", KIND_COLOURS.get(value, "ededed"), f"Action item kind: {value}")


def severity(level_id: str, rank: int | None) -> LabelSpec:
    """``severity:<level>``, coloured by the level's urgency."""
    colour = SEVERITY_COLOURS[min(rank, len(SEVERITY_COLOURS) - 1)] if rank is not None else "ededed"
    return LabelSpec(f"severity:{level_id}", colour, f"Incident severity {level_id}")


def needs_owner() -> LabelSpec:
    """The owner of the item cannot be assigned on GitHub."""
    return LabelSpec(NEEDS_OWNER, "e99695", "The owner cannot be assigned: fix it in the ops repo")


def removed() -> LabelSpec:
    """The item is no longer in its post-mortem."""
    return LabelSpec(REMOVED, "cfd3d7", "No longer an action item of its post-mortem")


def folded(names: Iterable[str]) -> frozenset[str]:
    """Label names in GitHub's comparison form (case-insensitive)."""
    return frozenset(name.casefold() for name in names)


def is_managed(name: str, sync: str) -> bool:
    """True for a label the sync owns on its issues."""
    lowered = name.casefold()
    return (lowered in (sync.casefold(), NEEDS_OWNER, REMOVED)
            or any(lowered.startswith(family) for family in FAMILIES))
