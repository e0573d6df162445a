"""The report's period: defaults, clipping to now, months in the org's timezone."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from opsrepo.errors import UsageError
from opsrepo.model import Repo
from opsrepo.report.core import ReportRequest, resolve_period
from opsrepo.report.period import Period
from opsrepo.timeutil import get_zone
from tests.unit.report.build import NOW

BERLIN = get_zone("Europe/Berlin")


def test_default_is_twelve_calendar_months_up_to_now(four: Repo) -> None:
    period = resolve_period(four, ReportRequest(now=NOW))
    assert period == Period(datetime(2025, 12, 1, tzinfo=BERLIN), NOW, "Europe/Berlin")
    assert [m.key for m in period.months()][::11] == ["2025-12", "2026-11"]
    assert period.last_day.isoformat() == "2026-11-23"


def test_until_never_passes_now(four: Repo) -> None:
    period = resolve_period(four, ReportRequest(now=NOW, until=NOW + timedelta(days=30)))
    assert period.until == NOW


def test_an_empty_period_is_a_usage_error(four: Repo) -> None:
    with pytest.raises(UsageError) as caught:
        resolve_period(four, ReportRequest(now=NOW, since=NOW))
    assert caught.value.message == ("the period is empty: since 2026-11-23T10:00:00+01:00 is not before until "
                                    "2026-11-23T10:00:00+01:00")


def test_months_follow_the_local_calendar_across_dst() -> None:
    period = Period(datetime(2026, 3, 15, tzinfo=UTC), datetime(2026, 5, 1, tzinfo=BERLIN), "Europe/Berlin")
    months = period.months()
    assert [(m.key, period.local(m.start).isoformat(), period.local(m.end).isoformat(), m.partial)
            for m in months] == [
        ("2026-03", "2026-03-15T01:00:00+01:00", "2026-04-01T00:00:00+02:00", True),
        ("2026-04", "2026-04-01T00:00:00+02:00", "2026-05-01T00:00:00+02:00", False),
    ]
    # 23:30 UTC on 31 March is already April in Berlin
    assert period.month_key(datetime(2026, 3, 31, 23, 30, tzinfo=UTC)) == "2026-04"
