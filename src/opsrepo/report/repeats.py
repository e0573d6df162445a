"""Repeat incidents: the same root-cause category again within the window, or an explicit link.

An incident repeats an earlier one (strictly earlier ``started``) when both
carry the same ``root_cause.category`` and it started at most
``repeat_window`` after the earlier one, or when it lists the earlier one in
``related``. Incidents linked by repeats form chains; a chain is listed when
one of its repeats falls in the period (earlier members may be older).
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from opsrepo.model import Postmortem
from opsrepo.report.period import Period


@dataclass(frozen=True)
class Repeat:
    """An incident that repeats earlier ones, and why."""

    id: str
    of: tuple[str, ...]
    #: "category", "related" or both, in that order
    reasons: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        """JSON shape."""
        return {"id": self.id, "repeats": list(self.of), "reasons": list(self.reasons)}


@dataclass(frozen=True)
class ChainLink:
    """One incident of a chain."""

    id: str
    started: str
    severity: str
    category: str | None
    in_period: bool


@dataclass(frozen=True)
class Repeats:
    """Repeat incidents of the period, the rate, per-month counts and the chains."""

    window: timedelta
    incidents: int
    repeats: tuple[Repeat, ...]
    per_month: Mapping[str, tuple[int, int]]
    chains: tuple[tuple[ChainLink, ...], ...]

    @property
    def rate(self) -> float | None:
        """Repeats over incidents in the period; ``None`` without incidents."""
        return len(self.repeats) / self.incidents if self.incidents else None

    def to_dict(self) -> dict[str, Any]:
        """JSON shape."""
        return {
            "window_seconds": self.window.total_seconds(),
            "incidents": self.incidents,
            "repeats": len(self.repeats),
            "rate": None if self.rate is None else round(self.rate, 4),
            "per_month": {m: {"incidents": n, "repeats": r} for m, (n, r) in self.per_month.items()},
            "repeat_incidents": [r.to_dict() for r in self.repeats],
            "chains": [[vars(link) for link in chain] for chain in self.chains],
        }


def repeat_links(postmortems: Iterable[Postmortem], window: timedelta) -> dict[str, Repeat]:
    """Every repeat among ``postmortems`` (all of them, not one period), by id."""
    ordered = sorted(postmortems, key=lambda pm: (pm.timeline.started, pm.id))
    by_id = {pm.id: pm for pm in ordered}
    by_category = _by_category(ordered)
    found: dict[str, Repeat] = {}
    for pm in ordered:
        by_reason = {
            "category": _same_category_before(pm, by_category, window),
            "related": [by_id[i] for i in pm.related
                        if i in by_id and by_id[i].timeline.started < pm.timeline.started],
        }
        earlier = {other.id: other for found_by in by_reason.values() for other in found_by}
        if earlier:
            of = tuple(sorted(earlier, key=lambda i: (earlier[i].timeline.started, i)))
            found[pm.id] = Repeat(pm.id, of, tuple(reason for reason, hit in by_reason.items() if hit))
    return found


def repeats(postmortems: Iterable[Postmortem], incidents: Sequence[Postmortem], period: Period,
            window: timedelta) -> Repeats:
    """Repeat incidents among the period's ``incidents``, looking back over every post-mortem."""
    everything = {pm.id: pm for pm in postmortems}
    links = repeat_links(everything.values(), window)
    in_period = {pm.id for pm in incidents}
    mine = tuple(links[pm.id] for pm in incidents if pm.id in links)
    per_month = {m.key: [0, 0] for m in period.months()}
    for pm in incidents:
        counts = per_month[period.month_key(pm.timeline.started)]
        counts[0] += 1
        counts[1] += pm.id in links
    chains = tuple(
        tuple(_link(everything[i], i in in_period) for i in chain)
        for chain in _chains(links, everything) if any(i in in_period and i in links for i in chain)
    )
    return Repeats(window, len(incidents), mine, {k: (n, r) for k, (n, r) in per_month.items()}, chains)


def _by_category(ordered: Sequence[Postmortem]) -> dict[str, list[Postmortem]]:
    groups: dict[str, list[Postmortem]] = defaultdict(list)
    for pm in ordered:
        if pm.root_cause_category:
            groups[pm.root_cause_category].append(pm)
    return groups


def _same_category_before(pm: Postmortem, by_category: Mapping[str, list[Postmortem]],
                          window: timedelta) -> list[Postmortem]:
    if not pm.root_cause_category:
        return []
    group = by_category[pm.root_cause_category]
    starts = [other.timeline.started for other in group]
    low = bisect.bisect_left(starts, pm.timeline.started - window)
    high = bisect.bisect_left(starts, pm.timeline.started)
    return group[low:high]


def _chains(links: Mapping[str, Repeat], everything: Mapping[str, Postmortem]) -> list[list[str]]:
    """Connected groups of incidents joined by repeats, each in time order, ordered by first incident."""
    parent: dict[str, str] = {}

    def find(node: str) -> str:
        while parent.setdefault(node, node) != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for repeat in links.values():
        for earlier in repeat.of:
            parent[find(repeat.id)] = find(earlier)
    groups: dict[str, list[str]] = defaultdict(list)
    for node in list(parent):
        groups[find(node)].append(node)
    key = lambda i: (everything[i].timeline.started, i)  # noqa: E731
    return sorted((sorted(group, key=key) for group in groups.values()), key=lambda g: key(g[0]))


def _link(pm: Postmortem, in_period: bool) -> ChainLink:
    return ChainLink(pm.id, pm.timeline.started.isoformat(), pm.severity, pm.root_cause_category, in_period)
