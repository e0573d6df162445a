"""The proof: opsrepo's final schedule against the vendor's rendering of the same window (pure).

Both sides are lists of ``(start, end, person)`` entries (aware instants; the
vendor's users already mapped to person ids). Several entries may cover one
instant: Opsgenie puts every rotation's user on call at once, and a vendor
schedule that became several ops-repo schedules is compared as their union. So
each side becomes, at every instant, a *set* of people, and the comparison
lists every interval where the two sets differ.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import datetime, timedelta
from itertools import pairwise

from opsrepo.importers.result import Difference

Entry = tuple[datetime, datetime, str]
Segment = tuple[datetime, datetime, frozenset[str]]


def segments(entries: Iterable[Entry], start: datetime, end: datetime) -> list[Segment]:
    """Who is on call in ``[start, end)``, as maximal intervals of one set of people (gaps included).

    One sweep over the entries' bounds, in order: linear in the entries (after sorting), so a long
    window or a busy schedule costs what it holds.
    """
    changes: dict[datetime, Counter[str]] = {}
    for a, b, who in entries:
        a, b = max(a, start), min(b, end)
        if a < b:
            changes.setdefault(a, Counter())[who] += 1
            changes.setdefault(b, Counter())[who] -= 1
    bounds = sorted({start, end, *changes})
    on: Counter[str] = Counter()
    found: list[Segment] = []
    for low, high in pairwise(bounds):
        on.update(changes.get(low, {}))
        people = frozenset(who for who, count in on.items() if count > 0)
        if found and found[-1][2] == people:
            found[-1] = (found[-1][0], high, people)
        else:
            found.append((low, high, people))
    return found


def compare(
    ours: Iterable[Entry],
    theirs: Iterable[Entry],
    start: datetime,
    end: datetime,
    reasons: tuple[str, ...] = (),
) -> list[Difference]:
    """Every interval of ``[start, end)`` where the two sides put different people on call.

    Intervals shorter than a minute are dropped (the report speaks in minutes,
    and vendors render to the minute); ``reasons`` (the losses the report
    already explains for these schedules) are attached to each difference.
    """
    mine, other = segments(ours, start, end), segments(theirs, start, end)
    bounds = sorted({*(a for a, _, _ in mine), *(a for a, _, _ in other), end})
    found: list[Difference] = []
    i = j = 0
    for low, high in pairwise(bounds):
        while mine[i][1] <= low:
            i += 1
        while other[j][1] <= low:
            j += 1
        a, b = mine[i][2], other[j][2]
        if a == b:
            continue
        if (
            found
            and found[-1].end == low
            and (found[-1].ours, found[-1].theirs) == (tuple(sorted(a)), tuple(sorted(b)))
        ):
            last = found[-1]
            found[-1] = Difference(last.start, high, last.ours, last.theirs, reasons)
        else:
            found.append(Difference(low, high, tuple(sorted(a)), tuple(sorted(b)), reasons))
    return [d for d in found if d.end - d.start >= timedelta(minutes=1)]
