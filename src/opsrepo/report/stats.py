"""Summary statistics of durations: median, p90 and mean, with one percentile method.

Percentiles interpolate linearly between the closest ranks (Hyndman and Fan
type 7, the default of numpy, R and Excel's ``PERCENTILE.INC``): for ``n``
sorted values the p-th percentile sits at zero-based rank ``(n - 1) * p``.
The median is the 50th percentile of the same method, so for an even count it
is the mean of the two middle values.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import timedelta


@dataclass(frozen=True)
class Stats:
    """Median, p90 and mean of ``count`` measured durations; ``missing`` could not be measured."""

    count: int
    missing: int = 0
    median: timedelta | None = None
    p90: timedelta | None = None
    mean: timedelta | None = None

    def to_dict(self) -> dict[str, int | float | None]:
        """JSON shape: durations in seconds."""
        return {
            "count": self.count,
            "missing": self.missing,
            "median_seconds": _seconds(self.median),
            "p90_seconds": _seconds(self.p90),
            "mean_seconds": _seconds(self.mean),
        }


def percentile(ordered: Sequence[float], fraction: float) -> float:
    """The ``fraction`` percentile (0..1) of sorted values, interpolated linearly."""
    if not ordered:
        raise ValueError("percentile of no values")
    rank = (len(ordered) - 1) * fraction
    low = math.floor(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def summarize(values: Iterable[timedelta | None]) -> Stats:
    """Stats of the durations; ``None`` entries count as missing."""
    seconds: list[float] = []
    missing = 0
    for value in values:
        if value is None:
            missing += 1
        else:
            seconds.append(value.total_seconds())
    if not seconds:
        return Stats(0, missing)
    seconds.sort()
    return Stats(
        count=len(seconds),
        missing=missing,
        median=_duration(percentile(seconds, 0.5)),
        p90=_duration(percentile(seconds, 0.9)),
        mean=_duration(sum(seconds) / len(seconds)),
    )


def median_days(values: Iterable[float]) -> float | None:
    """The median of numbers (e.g. days), same method; ``None`` for no values."""
    ordered = sorted(values)
    return percentile(ordered, 0.5) if ordered else None


def _duration(seconds: float) -> timedelta:
    """Rounded half up to the second (timelines record minutes, so this only trims noise)."""
    return timedelta(seconds=math.floor(seconds + 0.5))


def _seconds(value: timedelta | None) -> float | None:
    return None if value is None else value.total_seconds()
