"""Which PagerDuty object is which opsrepo object, and which ones opsrepo may change at all.

An object is opsrepo's when its description carries opsrepo's marker, when
the state file records it, or when the user adopts it (``--adopt
KIND:ID=PAGERDUTY_ID``). Everything else was made by hand: opsrepo never
changes or deletes it, and never creates an object with the same name next
to it (PagerDuty refuses two services or policies of one name, and two
schedules of one name would confuse everyone): the plan asks to adopt it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Protocol

from opsrepo.apply.observe import owner
from opsrepo.apply.state import State

KIND_WORDS = {"schedule": "schedule", "escalation_policy": "escalation policy", "service": "service"}


class Named(Protocol):
    """What ownership looks at."""

    @property
    def id(self) -> str:
        """PagerDuty's id."""

    @property
    def name(self) -> str:
        """The name shown in PagerDuty."""

    @property
    def description(self) -> str:
        """The description (where the marker is)."""


@dataclass(frozen=True)
class Match:
    """The PagerDuty object of one opsrepo object (None: to be created)."""

    pagerduty_id: str | None
    adopted: bool = False
    #: other objects carrying the same marker (a duplicate from a concurrent run): deleted
    duplicates: tuple[str, ...] = ()


@dataclass
class Ownership:
    """For one kind: the match of every wanted id, the owned objects nobody wants, and problems that block."""

    matches: dict[str, Match] = field(default_factory=dict)
    #: (opsrepo id, PagerDuty id) of owned objects no longer in the repo
    unwanted: list[tuple[str, str]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def owned_ids(self) -> set[str]:
        """PagerDuty ids of every owned object of this kind."""
        found = {m.pagerduty_id for m in self.matches.values() if m.pagerduty_id}
        found |= {d for m in self.matches.values() for d in m.duplicates}
        return found | {pd for _, pd in self.unwanted}


def resolve(
    kind: str,
    wanted: Mapping[str, str],
    observed: Mapping[str, Named],
    state: State,
    adopt: Mapping[str, str],
) -> Ownership:
    """Match ``wanted`` (opsrepo id -> name) with ``observed`` (PagerDuty id -> object) for ``kind``."""
    out = Ownership()
    marked: dict[str, list[str]] = {}
    for pd_id, item in sorted(observed.items()):
        found = owner(item.description)
        if found is not None and found[0] == kind:
            marked.setdefault(found[1], []).append(pd_id)
    claimed: set[str] = set()
    for object_id in sorted(wanted):
        match = _match(kind, object_id, observed, state, adopt, marked, out.problems)
        out.matches[object_id] = match
        claimed |= {match.pagerduty_id or "", *match.duplicates}
    for object_id, ids in sorted(marked.items()):
        if object_id not in wanted:
            out.unwanted += [(object_id, pd_id) for pd_id in ids if pd_id not in claimed]
    for (owned_kind, object_id), entry in sorted(state.objects.items()):
        if (
            owned_kind == kind
            and object_id not in wanted
            and entry.pagerduty_id in observed
            and entry.pagerduty_id not in claimed
            and (object_id, entry.pagerduty_id) not in out.unwanted
        ):
            out.unwanted.append((object_id, entry.pagerduty_id))
    _name_clashes(kind, wanted, observed, out)
    return out


def _match(
    kind: str,
    object_id: str,
    observed: Mapping[str, Named],
    state: State,
    adopt: Mapping[str, str],
    marked: Mapping[str, list[str]],
    problems: list[str],
) -> Match:
    ours = list(marked.get(object_id, []))
    if object_id in adopt:
        target = adopt[object_id]
        if target not in observed:
            problems.append(
                f"--adopt {kind}:{object_id}={target}: PagerDuty has no {KIND_WORDS[kind]} {target}"
            )
            return Match(None)
        other = owner(observed[target].description)
        if other is not None and other != (kind, object_id):
            problems.append(
                f"--adopt {kind}:{object_id}={target}: {target} is opsrepo's {other[0]} {other[1]}"
            )
            return Match(None)
        return Match(target, adopted=True, duplicates=tuple(pd for pd in ours if pd != target))
    known = state.owned_id(kind, object_id)
    if known in observed:
        return Match(
            known,
            adopted=state.objects[(kind, object_id)].adopted,
            duplicates=tuple(pd for pd in ours if pd != known),
        )
    if ours:
        return Match(ours[0], duplicates=tuple(ours[1:]))
    return Match(None)


def _name_clashes(
    kind: str, wanted: Mapping[str, str], observed: Mapping[str, Named], out: Ownership
) -> None:
    owned = out.owned_ids()
    by_name: dict[str, list[Named]] = {}
    for item in observed.values():
        if item.id not in owned:
            by_name.setdefault(item.name.casefold(), []).append(item)
    for object_id, name in sorted(wanted.items()):
        if out.matches[object_id].pagerduty_id is not None:
            continue
        for item in by_name.get(name.casefold(), []):
            word = KIND_WORDS[kind]
            adopt_kind = "policy" if kind == "escalation_policy" else kind
            out.problems.append(
                f"PagerDuty already has {_article(word)} {word} named {item.name!r} ({item.id}) that opsrepo "
                "did "
                "not make: "
                f"adopt it with --adopt {adopt_kind}:{object_id}={item.id}, or rename one of them"
            )


def _article(word: str) -> str:
    return "an" if word[0] in "aeiou" else "a"


def foreign(observed: Iterable[Named], owned: set[str]) -> list[Named]:
    """Objects made by hand."""
    return [item for item in observed if item.id not in owned]
