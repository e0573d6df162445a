"""Repeat incidents: same root-cause category within the window, or an explicit link; chains."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

from opsrepo.report import ReportRequest, build_report
from opsrepo.report.repeats import ChainLink, Repeat, Repeats
from tests.unit.report.build import NOW, load, postmortem, write_repo


def incident(pm_id: str, started: str, category: str | None, **fields: Any) -> dict[str, Any]:
    if category is not None:
        fields["root_cause"] = {"category": category, "summary": "why"}
    return postmortem(pm_id, fields.pop("severity", "SEV2"), f"{started}T10:00:00Z", f"{started}T11:00:00Z", **fields)


def report_repeats(root: Path, **request: Any) -> Repeats:
    return build_report(load(root), ReportRequest(now=NOW, **request)).repeats


def test_a_chain_of_three_by_category_and_by_link(tmp_path: Path) -> None:
    root = write_repo(tmp_path, [
        incident("r1", "2026-03-01", "db-pool"),
        incident("r2", "2026-05-01", "db-pool"),                       # 61 days after r1: a repeat
        incident("r3", "2026-10-01", "disk-full", related=["r2"]),     # other cause, but links r2
        incident("r4", "2026-11-10", "db-pool"),                       # 193 days after r2: outside 180d
        incident("other", "2026-06-01", None),
    ])
    found = report_repeats(root)
    assert found.repeats == (Repeat("r2", ("r1",), ("category",)), Repeat("r3", ("r2",), ("related",)))
    assert (found.incidents, found.rate) == (5, 0.4)
    assert found.chains == ((
        ChainLink("r1", "2026-03-01T10:00:00+00:00", "SEV2", "db-pool", True),
        ChainLink("r2", "2026-05-01T10:00:00+00:00", "SEV2", "db-pool", True),
        ChainLink("r3", "2026-10-01T10:00:00+00:00", "SEV2", "disk-full", True),
    ),)


def test_the_window_is_inclusive_and_configurable(tmp_path: Path) -> None:
    root = write_repo(tmp_path, [
        incident("a", "2026-01-01", "dns"), incident("b", "2026-01-31", "dns"),  # exactly 30 days
        incident("c", "2026-03-03", "dns"),                                     # 31 days after b
    ], org={"postmortems": {"repeat_window": "30d"}})
    found = report_repeats(root)
    assert found.window == timedelta(days=30)
    assert [r.id for r in found.repeats] == ["b"]
    assert [[link.id for link in chain] for chain in found.chains] == [["a", "b"]]


def test_a_repeat_of_several_lists_them_all_with_both_reasons(tmp_path: Path) -> None:
    root = write_repo(tmp_path, [
        incident("a", "2026-01-01", "dns"), incident("b", "2026-02-01", "cert"),
        incident("c", "2026-03-01", "dns", related=["b"]),
    ])
    assert report_repeats(root).repeats == (Repeat("c", ("a", "b"), ("category", "related")),)


def test_a_link_to_a_later_incident_is_not_a_repeat(tmp_path: Path) -> None:
    root = write_repo(tmp_path, [incident("a", "2026-01-01", None, related=["b"]),
                                 incident("b", "2026-02-01", None)])
    assert report_repeats(root).repeats == ()


def test_earlier_members_before_the_period_are_listed_and_marked(tmp_path: Path) -> None:
    root = write_repo(tmp_path, [incident("old", "2026-05-01", "dns"), incident("new", "2026-10-01", "dns"),
                                 incident("alone", "2026-04-10", "dns", services=["cdn"])])
    # in the period since 2026-09-01, "new" repeats both earlier ones (174 and 153 days), which lie before it
    found = report_repeats(root, since=NOW.replace(month=9, day=1, hour=0))
    assert found.repeats == (Repeat("new", ("alone", "old"), ("category",)),)
    assert [(link.id, link.in_period) for link in found.chains[0]] == [
        ("alone", False), ("old", False), ("new", True)]
    assert (found.incidents, found.rate) == (1, 1.0)


def test_per_month_incidents_and_repeats(tmp_path: Path) -> None:
    root = write_repo(tmp_path, [incident("a", "2026-10-01", "dns"), incident("b", "2026-10-20", "dns"),
                                 incident("c", "2026-11-02", None)])
    per_month = report_repeats(root).per_month
    assert (per_month["2026-09"], per_month["2026-10"], per_month["2026-11"]) == ((0, 0), (2, 1), (1, 0))


def test_no_incidents_no_rate(tmp_path: Path) -> None:
    found = report_repeats(write_repo(tmp_path, []))
    assert (found.incidents, found.rate, found.chains) == (0, None, ())
