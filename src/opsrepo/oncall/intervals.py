"""Sorted, non-overlapping half-open intervals of integer instants.

A *span* is a ``(start, end)`` pair; a *segment* is any tuple whose first two
items are ``start`` and ``end`` (the rest is payload, kept when clipped). Every
operation is a linear merge of sorted inputs: cost grows with the number of
intervals, never with the time they cover.
"""

from __future__ import annotations

import operator
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from itertools import compress
from operator import itemgetter
from typing import Any, TypeVar

Span = tuple[int, int]
Bounded = tuple[Any, ...]
S = TypeVar("S", bound=Bounded)


def clip(segment: S, start: int, end: int) -> S:
    """``segment`` with new bounds and the same payload (named tuples keep their type)."""
    clipped: S = tuple.__new__(type(segment), (start, end, *segment[2:]))
    return clipped


def union(spans: Iterable[Span]) -> list[Span]:
    """Sorted spans merged where they overlap or touch; empty ones dropped."""
    merged: list[Span] = []
    for start, end in sorted(spans):
        if end <= start:
            continue
        if merged and start <= merged[-1][1]:
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


def joined(segments: Sequence[Bounded]) -> tuple[Span, ...]:
    """:func:`union` of sorted, disjoint, non-empty segments: the touching ones joined.

    Without a Python step a segment (a composition's hundreds of pieces): a
    span starts where a segment starts after a gap and ends where one ends
    before a gap.
    """
    if not segments:
        return ()
    starts, ends = list(map(_START, segments)), list(map(_END, segments))
    gaps = list(map(operator.lt, ends, starts[1:]))  # a gap after each segment but the last
    opening, closing = [starts[0], *compress(starts[1:], gaps)], [*compress(ends, gaps), ends[-1]]
    return tuple(zip(opening, closing, strict=True))


def outside(segments: Sequence[S], holes: Sequence[Bounded]) -> list[S]:
    """The parts of ``segments`` no hole covers (both sorted and non-overlapping).

    The first hole a segment may meet is found by bisection: there may be
    many more holes than segments (the layers above one being composed), or
    far fewer.
    """
    out: list[S] = []
    first, count = 0, len(holes)
    for segment in segments:
        start, end = segment[0], segment[1]
        if first < count and holes[first][1] <= start:
            first += 1  # the next hole first (a lower layer's piece between two of the layer above it)
            if first < count and holes[first][1] <= start:
                first = bisect_right(holes, start, first, key=_END)
        if first == count or holes[first][0] >= end:
            out.append(segment)  # untouched: kept as it is (most segments, and the cheapest path)
            continue
        # clip(), inline: a plain tuple's part is its bounds joined to the payload (the composition cuts
        # tens of thousands), a named tuple's that made its type
        payload, kind = segment[2:], type(segment)
        cursor, index = start, first
        while index < count and holes[index][0] < end:
            low, reach = holes[index][0], holes[index][1]
            if low > cursor:
                part = (cursor, low) + payload  # noqa: RUF005 (one allocation; unpacking builds a list first)
                out.append(part if kind is tuple else tuple.__new__(kind, part))  # type: ignore[arg-type]
            if reach > cursor:  # max(), without a call
                cursor = reach
            if cursor >= end:
                break
            index += 1
        if cursor < end:
            part = (cursor, end) + payload  # noqa: RUF005
            out.append(part if kind is tuple else tuple.__new__(kind, part))  # type: ignore[arg-type]
    return out


def outside_few(segments: Sequence[S], holes: Sequence[Bounded]) -> list[S]:
    """:func:`outside` for a few holes in many segments: the segments no hole meets are copied as runs.

    Each hole finds the segments it may meet by bisection (segments sorted
    and disjoint end in order too); holes that meet one segment are cut out
    of it together. The cost grows with the holes and the segments they
    meet, not with all the segments (a schedule's few overrides among its
    hundreds of pieces).
    """
    out: list[S] = []
    done, index, count = 0, 0, len(holes)  # segments before ``done`` are in ``out``
    while index < count:
        first = bisect_right(segments, holes[index][0], done, key=_END)  # the first ending after it opens
        stop = bisect_left(segments, holes[index][1], first, key=_START)
        if stop < first:  # max(), without a call
            stop = first
        last = index  # holes up to ``last`` meet segments in [first, stop) only
        while last + 1 < count and stop > first and holes[last + 1][0] < segments[stop - 1][1]:
            last += 1
            reach = bisect_left(segments, holes[last][1], first, key=_START)
            if reach > stop:  # max(), without a call
                stop = reach
        out.extend(segments[done:first])
        out.extend(outside(segments[first:stop], holes[index:last + 1]))
        done, index = stop, last + 1
    out.extend(segments[done:])
    return out


def inside(segments: Sequence[S], spans: Sequence[Bounded]) -> list[S]:
    """The parts of ``segments`` inside ``spans`` (both sorted and non-overlapping)."""
    out: list[S] = []
    first, count = 0, len(spans)
    for segment in segments:
        start, end = segment[0], segment[1]
        while first < count and spans[first][1] <= start:
            first += 1
        index = first
        if index < count and spans[index][0] <= start and spans[index][1] >= end:
            out.append(segment)  # wholly inside one span
            continue
        payload, kind = segment[2:], type(segment)
        while index < count and spans[index][0] < end:
            low, high = spans[index][0], spans[index][1]  # max(start, low), min(end, high), without calls
            low = low if low > start else start
            high = high if high < end else end
            if low < high:  # clip(), inline (see outside)
                part = (low, high) + payload  # noqa: RUF005
                out.append(part if kind is tuple else tuple.__new__(kind, part))  # type: ignore[arg-type]
            index += 1
    return out


def overlay(lower: Sequence[S], upper: Sequence[S]) -> list[S]:
    """``upper`` wherever it has a segment, ``lower`` elsewhere; sorted."""
    if not upper:
        return list(lower)
    if not lower:
        return list(upper)
    combined = outside(lower, upper)
    combined.extend(upper)
    combined.sort(key=_START)  # two sorted runs: merged in one pass
    return combined


def total(spans: Iterable[Bounded]) -> int:
    """The summed length of the spans."""
    return sum(span[1] - span[0] for span in spans)


_START, _END = itemgetter(0), itemgetter(1)
