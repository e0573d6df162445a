"""Incidents per severity and month, and the trend over complete months."""

from __future__ import annotations

from datetime import UTC, datetime

from opsrepo.model import Repo
from opsrepo.report import ReportRequest, build_report
from opsrepo.report.frequency import Trend, trend
from tests.unit.report.build import NOW

MONTHS = ["2026-01", "2026-02", "2026-03", "2026-04", "2026-05", "2026-06", "2026-07"]


def test_trend_compares_the_last_three_complete_months_with_the_three_before() -> None:
    counts = dict(zip(MONTHS, [9, 1, 2, 3, 2, 1, 0], strict=True))
    found = trend(counts, MONTHS)
    assert found == Trend(3, 6, ("2026-05", "2026-06", "2026-07"), ("2026-02", "2026-03", "2026-04"))
    assert (found.direction, found.change) == ("down", -0.5)


def test_no_trend_with_fewer_than_six_complete_months() -> None:
    assert trend(dict.fromkeys(MONTHS, 1), MONTHS[:5]) is None


def test_trend_from_nothing() -> None:
    found = Trend(2, 0, ("a",), ("b",))
    assert (found.direction, found.change) == ("up", None)
    assert Trend(0, 0, ("a",), ("b",)).direction == "flat"


def test_counts_per_severity_and_month(four: Repo) -> None:
    found = build_report(four, ReportRequest(now=NOW)).frequency
    assert found.severities == ("SEV1", "SEV2", "SEV3")
    assert (found.counts["SEV1"]["2026-10"], found.counts["SEV2"]["2026-10"], found.counts["SEV2"]["2026-11"]) == (
        2, 1, 1)
    assert (found.total("2026-10"), found.total("2026-11"), found.total("2026-09")) == (3, 1, 0)
    assert found.partial_months == ("2026-11",)
    # complete months: 2025-12 .. 2026-10; recent Aug-Oct holds all three October incidents
    assert found.trends["all"] == Trend(3, 0, ("2026-08", "2026-09", "2026-10"), ("2026-05", "2026-06", "2026-07"))


def test_a_period_starting_mid_month_makes_that_month_partial(four: Repo) -> None:
    since = datetime(2026, 10, 10, tzinfo=UTC)
    found = build_report(four, ReportRequest(now=NOW, since=since)).frequency
    assert (found.months, found.partial_months) == (("2026-10", "2026-11"), ("2026-10", "2026-11"))
    assert found.trends["all"] is None
    assert found.counts["SEV1"]["2026-10"] == 1    # i1 started before the period
