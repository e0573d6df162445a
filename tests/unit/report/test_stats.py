"""Median, p90 and mean, worked out by hand."""

from __future__ import annotations

import statistics
from datetime import timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from opsrepo.report.stats import Stats, median_days, percentile, summarize


def minutes(*values: float) -> list[timedelta]:
    return [timedelta(minutes=v) for v in values]


def test_p90_of_an_even_count_interpolates_between_the_closest_ranks() -> None:
    # 10 values: rank (10 - 1) * 0.9 = 8.1, so 9 + 0.1 * (10 - 9) = 9.1
    assert percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.9) == pytest.approx(9.1)


def test_median_of_an_even_count_is_the_mean_of_the_two_middle_values() -> None:
    assert percentile([2, 4, 6, 8], 0.5) == 5


def test_summary_of_four_durations() -> None:
    # sorted 2, 4, 6, 8 minutes: median (4 + 6) / 2 = 5; p90 at rank 2.7: 6 + 0.7 * 2 = 7.4 min = 7m24s
    assert summarize(minutes(8, 2, 6, 4)) == Stats(
        count=4, missing=0, median=timedelta(minutes=5), p90=timedelta(minutes=7, seconds=24),
        mean=timedelta(minutes=5),
    )


def test_missing_values_are_counted_not_measured() -> None:
    # 2, 3, 10 minutes: median 3; p90 at rank 1.8: 3 + 0.8 * 7 = 8.6 min = 8m36s; mean 5
    assert summarize([*minutes(3, 10), None, *minutes(2)]) == Stats(
        count=3, missing=1, median=timedelta(minutes=3), p90=timedelta(minutes=8, seconds=36),
        mean=timedelta(minutes=5),
    )


def test_one_value_is_its_own_median_p90_and_mean() -> None:
    one = timedelta(minutes=7)
    assert summarize([one]) == Stats(1, 0, one, one, one)


def test_nothing_measured() -> None:
    assert summarize([None, None]) == Stats(count=0, missing=2)
    assert summarize([]) == Stats(count=0)


def test_rounding_is_half_up_to_the_second() -> None:
    # mean of 1s and 2s is 1.5s: rounds up to 2s
    assert summarize([timedelta(seconds=1), timedelta(seconds=2)]).mean == timedelta(seconds=2)


def test_json_shape_is_seconds() -> None:
    assert summarize(minutes(1, 3)).to_dict() == {
        "count": 2, "missing": 0, "median_seconds": 120.0, "p90_seconds": 168.0, "mean_seconds": 120.0,
    }


def test_median_days() -> None:
    assert median_days([3.0, 1.0, 2.0, 10.0]) == 2.5
    assert median_days([]) is None


def test_percentile_of_nothing_is_an_error() -> None:
    with pytest.raises(ValueError, match="no values"):
        percentile([], 0.5)


@given(st.lists(st.integers(min_value=0, max_value=10**7), min_size=2, max_size=60))
def test_percentiles_agree_with_the_standard_library_inclusive_method(values: list[int]) -> None:
    ordered = sorted(values)
    # statistics.quantiles(method="inclusive") is the same type 7 interpolation
    deciles = statistics.quantiles(ordered, n=10, method="inclusive")
    assert percentile(ordered, 0.9) == pytest.approx(deciles[8])
    assert percentile(ordered, 0.5) == pytest.approx(statistics.median(ordered))
    assert ordered[0] <= percentile(ordered, 0.5) <= percentile(ordered, 0.9) <= ordered[-1]
