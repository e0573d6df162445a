"""MTTD, MTTA, time to mitigate and MTTR on the hand-worked set, against the matrix's targets."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from opsrepo.load.repo import load_repo
from opsrepo.model import Repo
from opsrepo.report import ReportRequest, build_report
from opsrepo.report.stats import Stats
from tests.unit.report.build import NOW, load, postmortem, write_repo


def m(minutes: float) -> timedelta:
    return timedelta(minutes=minutes)


def test_overall_measures(four: Repo) -> None:
    overall = build_report(four, ReportRequest(now=NOW)).response.overall
    assert overall.incidents == 4
    # detect: 2, 4, 6, 8 -> median 5, p90 6 + 0.7 * 2 = 7.4, mean 5
    assert overall.stats["mttd"] == Stats(4, 0, m(5), m(7.4), m(5))
    # acknowledge: 3, 10, (i3 missing), 2 -> sorted 2, 3, 10: median 3, p90 3 + 0.8 * 7 = 8.6, mean 5
    assert overall.stats["mtta"] == Stats(3, 1, m(3), m(8.6), m(5))
    # mitigate: 30, 40, 60, (i4 missing) -> median 40, p90 40 + 0.8 * 20 = 56, mean 43.33.. = 43m20s
    assert overall.stats["ttm"] == Stats(3, 1, m(40), m(56), timedelta(minutes=43, seconds=20))
    # resolve: 60, 300, 120, 30 -> sorted 30, 60, 120, 300: median 90, p90 120 + 0.7 * 180 = 246, mean 127.5
    assert overall.stats["mttr"] == Stats(4, 0, m(90), m(246), m(127.5))


def test_targets_missed_overall(four: Repo) -> None:
    overall = build_report(four, ReportRequest(now=NOW)).response.overall
    # ack: i2 took 10m against SEV1's 5m; i3 cannot be checked. resolve: i2 took 5h against 4h.
    assert (overall.checked, overall.missed) == ({"mtta": 3, "mttr": 4}, {"mtta": 1, "mttr": 1})


def test_by_severity_lists_every_level_of_the_matrix(four: Repo) -> None:
    rows = build_report(four, ReportRequest(now=NOW)).response.by_severity
    assert [(r.key, r.incidents, dict(r.checked), dict(r.missed)) for r in rows] == [
        ("SEV1", 2, {"mtta": 2, "mttr": 2}, {"mtta": 1, "mttr": 1}),
        ("SEV2", 2, {"mtta": 1, "mttr": 2}, {"mtta": 0, "mttr": 0}),
        ("SEV3", 0, {"mtta": 0, "mttr": 0}, {"mtta": 0, "mttr": 0}),
    ]
    assert rows[0].stats["mtta"] == Stats(2, 0, m(6.5), m(9.3), m(6.5))


def test_by_service_counts_an_incident_once_per_service(four: Repo) -> None:
    rows = build_report(four, ReportRequest(now=NOW)).response.by_service
    assert [(r.key, r.incidents) for r in rows] == [("api", 2), ("cdn", 1), ("db", 2)]
    assert rows[2].stats["mttr"] == Stats(2, 0, m(210), m(282), m(210))  # i2 300, i3 120


def test_by_month_in_the_org_timezone(four: Repo) -> None:
    rows = build_report(four, ReportRequest(now=NOW)).response.by_month
    assert [(r.key, r.incidents) for r in rows] == [
        ("2025-12", 0), ("2026-01", 0), ("2026-02", 0), ("2026-03", 0), ("2026-04", 0), ("2026-05", 0),
        ("2026-06", 0), ("2026-07", 0), ("2026-08", 0), ("2026-09", 0), ("2026-10", 3), ("2026-11", 1),
    ]
    assert rows[0].stats["mttd"] == Stats(0)


def test_targets_are_the_matrix_values(four: Repo) -> None:
    targets = build_report(four, ReportRequest(now=NOW)).response.targets
    assert targets == {
        "SEV1": {"mtta": m(5), "mttr": m(240)},
        "SEV2": {"mtta": m(15), "mttr": m(24 * 60)},
        "SEV3": {"mtta": m(240), "mttr": m(3 * 24 * 60)},
    }


def test_a_time_exactly_on_target_is_not_a_miss(tmp_path: Path) -> None:
    repo = load(write_repo(tmp_path, [postmortem(
        "x", "SEV1", "2026-10-05T10:00:00Z", "2026-10-05T14:00:00Z", detected="2026-10-05T10:00:00Z",
        acknowledged="2026-10-05T10:05:00Z")]))
    overall = build_report(repo, ReportRequest(now=NOW)).response.overall
    assert (overall.checked, overall.missed) == ({"mtta": 1, "mttr": 1}, {"mtta": 0, "mttr": 0})


def test_an_instant_out_of_order_is_missing_not_negative(tmp_path: Path) -> None:
    root = write_repo(tmp_path, [postmortem("x", "SEV2", "2026-10-05T10:00:00Z", "2026-10-05T11:00:00Z",
                                            detected="2026-10-05T09:00:00Z")])
    overall = build_report(load_repo(root).repo, ReportRequest(now=NOW)).response.overall
    assert overall.stats["mttd"] == Stats(0, 1)
