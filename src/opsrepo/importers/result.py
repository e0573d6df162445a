"""What an import made: documents by path, and the report of every source object."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class Loss:
    """A field or behaviour of a source object that the import did not carry over exactly, and why."""

    what: str
    why: str


@dataclass
class Item:
    """One source object: its vendor kind, id and name, what it became, and its losses and notes."""

    kind: str
    vendor_id: str
    name: str
    became: list[str] = field(default_factory=list)
    losses: list[Loss] = field(default_factory=list)
    #: how a vendor semantic was mapped (not a loss): said so the reader can check it
    notes: list[str] = field(default_factory=list)
    #: vendor settings outside what opsrepo models (alert handling, notifications): not carried over,
    #: and not counted as a loss of who is paged when
    ignored: list[str] = field(default_factory=list)

    def lose(self, what: str, why: str) -> None:
        """Record a loss (each once)."""
        loss = Loss(what, why)
        if loss not in self.losses:
            self.losses.append(loss)

    def ignore(self, text: str) -> None:
        """Record a setting outside opsrepo's scope (each once)."""
        if text not in self.ignored:
            self.ignored.append(text)

    def note(self, text: str) -> None:
        """Record a note (each once)."""
        if text not in self.notes:
            self.notes.append(text)


@dataclass(frozen=True)
class Difference:
    """``[start, end)`` where opsrepo and the vendor put different people on call."""

    start: datetime
    end: datetime
    ours: tuple[str, ...]
    theirs: tuple[str, ...]
    reasons: tuple[str, ...] = ()


@dataclass(frozen=True)
class Verification:
    """One imported schedule (or the group of schedules one vendor schedule became) against the vendor."""

    vendor_id: str
    name: str
    schedules: tuple[str, ...]
    start: datetime | None
    end: datetime | None
    #: ``exact``, ``differs`` or ``unverified``
    status: str
    differences: tuple[Difference, ...] = ()
    why_unverified: str | None = None


@dataclass
class Report:
    """Every source object, in a stable order, and the verification results."""

    vendor: str
    items: list[Item] = field(default_factory=list)
    verifications: list[Verification] = field(default_factory=list)
    #: files: path -> written, unchanged, created, or skipped (would change, needs --force)
    files: dict[str, str] = field(default_factory=dict)

    def item(self, kind: str, vendor_id: str, name: str) -> Item:
        """A new item, kept in the report."""
        made = Item(kind, vendor_id, name)
        self.items.append(made)
        return made

    @property
    def lossy(self) -> bool:
        """True when some source object was not carried over exactly."""
        return any(item.losses for item in self.items)

    @property
    def differs(self) -> bool:
        """True when verification found a difference."""
        return any(v.status == "differs" for v in self.verifications)


@dataclass
class Imported:
    """The documents an import makes (path -> document) and its report.

    ``groups`` maps a vendor schedule id to the opsrepo schedules it became
    (one, or one per rotation when its rotations put several people on call
    at once), for verification; ``people`` maps vendor user ids to person ids.
    """

    documents: dict[str, dict[str, Any]]
    report: Report
    groups: dict[str, tuple[str, ...]] = field(default_factory=dict)
    people: dict[str, str] = field(default_factory=dict)
    #: vendor user references by other keys (Opsgenie usernames) -> person ids
    aliases: dict[str, str] = field(default_factory=dict)
    #: the organisation's zone the import assumed where a vendor object had none
    timezone: str = "UTC"
