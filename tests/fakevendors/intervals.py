"""Half-open time intervals and wall-clock arithmetic shared by the two renderers.

Wall-clock arithmetic: a local (naive) time in a zone plus a number of seconds,
then placed back in the zone. Across a DST change this keeps the local time of
day (a 24 h turn lasts 23 or 25 h); a local time that does not exist (spring
gap) is read with ``fold=0``, i.e. with the offset before the change, which
lands it one hour later on the new clock, as Python's ``zoneinfo`` does.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Generic, TypeVar
from zoneinfo import ZoneInfo

T = TypeVar("T")


@dataclass(frozen=True)
class Span(Generic[T]):
    """``[start, end)`` held by ``who`` (aware datetimes, compared as instants)."""

    start: datetime
    end: datetime
    who: T

    def clip(self, lo: datetime, hi: datetime) -> Span[T] | None:
        start, end = max(self.start, lo), min(self.end, hi)
        return Span(start, end, self.who) if start < end else None


def local(naive: datetime, zone: ZoneInfo) -> datetime:
    """The instant a zone's clock shows ``naive`` (first of two when ambiguous)."""
    return naive.replace(tzinfo=zone, fold=0).astimezone(UTC)


def wall_add(start: datetime, seconds: float, zone: ZoneInfo) -> datetime:
    """``start`` moved ``seconds`` on the zone's wall clock."""
    naive = start.astimezone(zone).replace(tzinfo=None)
    return local(naive + timedelta(seconds=seconds), zone)


def days(lo: datetime, hi: datetime, zone: ZoneInfo, pad: int = 8) -> Iterator[date]:
    """Every local date from ``pad`` days before ``lo`` to ``pad`` days after ``hi``."""
    day = lo.astimezone(zone).date() - timedelta(days=pad)
    last = hi.astimezone(zone).date() + timedelta(days=pad)
    while day <= last:
        yield day
        day += timedelta(days=1)


def at(day: date, clock: time, zone: ZoneInfo) -> datetime:
    return local(datetime.combine(day, clock), zone)


def intersect(spans: Iterable[Span[T]], windows: list[tuple[datetime, datetime]]) -> list[Span[T]]:
    """Each span cut to the parts inside the (sorted, disjoint) windows."""
    out: list[Span[T]] = []
    for span in spans:
        for lo, hi in windows:
            if hi <= span.start:
                continue
            if lo >= span.end:
                break
            part = span.clip(lo, hi)
            if part is not None:
                out.append(part)
    return out


def union(windows: Iterable[tuple[datetime, datetime]]) -> list[tuple[datetime, datetime]]:
    """Sorted, merged copies of possibly overlapping windows."""
    merged: list[tuple[datetime, datetime]] = []
    for lo, hi in sorted(w for w in windows if w[0] < w[1]):
        if merged and lo <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(hi, merged[-1][1]))
        else:
            merged.append((lo, hi))
    return merged


def paint(layers: Iterable[Iterable[Span[T]]]) -> list[Span[T]]:
    """Stack layers bottom to top: where spans overlap, the later layer's span wins."""
    result: list[Span[T]] = []
    for layer in layers:
        for top in layer:
            kept: list[Span[T]] = []
            for span in result:
                if span.end <= top.start or span.start >= top.end:
                    kept.append(span)
                    continue
                if span.start < top.start:
                    kept.append(Span(span.start, top.start, span.who))
                if span.end > top.end:
                    kept.append(Span(top.end, span.end, span.who))
            kept.append(top)
            result = sorted(kept, key=lambda s: s.start)
    return result


def merge(spans: Iterable[Span[T]]) -> list[Span[T]]:
    """Sorted spans with touching or overlapping spans of the same holder joined."""
    out: list[Span[T]] = []
    for span in sorted(spans, key=lambda s: s.start):
        if out and out[-1].who == span.who and span.start <= out[-1].end:
            out[-1] = Span(out[-1].start, max(out[-1].end, span.end), span.who)
        else:
            out.append(span)
    return out


def covered(spans: Iterable[Span[T]], lo: datetime, hi: datetime) -> float:
    """Percentage of ``[lo, hi)`` under at least one span."""
    total = (hi - lo).total_seconds()
    inside = 0.0
    for a, b in union((s.start, s.end) for s in spans):
        a, b = max(lo, a), min(hi, b)
        if a < b:
            inside += (b - a).total_seconds()
    return round(100.0 * inside / total, 2) if total > 0 else 0.0
