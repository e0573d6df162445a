"""Post-mortem timeliness against the severity matrix's deadlines."""

from __future__ import annotations

from datetime import UTC, date, datetime

from opsrepo.model import Repo
from opsrepo.report import ReportRequest, build_report
from opsrepo.report.timeliness import TimelinessRow
from tests.unit.report.build import NOW


def test_verdicts_on_the_period_s_last_day(four: Repo) -> None:
    found = build_report(four, ReportRequest(now=NOW)).timeliness
    assert found.rows == (
        # SEV1 within 7d: resolved 10-05, due 10-12, published 10-09
        TimelinessRow("i1", "SEV1", "published", date(2026, 10, 5), date(2026, 10, 12), date(2026, 10, 9),
                      "on-time", 0),
        # resolved 10-12, due 10-19, published 10-22: 3 days late
        TimelinessRow("i2", "SEV1", "published", date(2026, 10, 12), date(2026, 10, 19), date(2026, 10, 22),
                      "late", 3),
        # SEV2 within 14d: resolved 10-19, due 11-02, still in review on 11-23
        TimelinessRow("i3", "SEV2", "in-review", date(2026, 10, 19), date(2026, 11, 2), None, "overdue", 21),
        TimelinessRow("i4", "SEV2", "draft", date(2026, 11, 2), date(2026, 11, 16), None, "overdue", 7),
    )
    assert found.counts() == {"on-time": 1, "late": 1, "overdue": 2, "pending": 0, "not-required": 0}
    assert found.median_days_to_publish == 7.0   # 4 and 10 days


def test_a_deadline_still_ahead_is_pending(four: Repo) -> None:
    until = datetime(2026, 11, 11, 12, tzinfo=UTC)   # the period's last day is 11-11
    rows = build_report(four, ReportRequest(now=NOW, until=until)).timeliness.rows
    assert [(r.id, r.verdict, r.days_late) for r in rows] == [
        ("i1", "on-time", 0), ("i2", "late", 3), ("i3", "overdue", 9), ("i4", "pending", 0)]
