"""The Reliability page's context: charts as trusted SVG, everything else plain data."""

from __future__ import annotations

from pathlib import Path

import jinja2

from opsrepo.model import Repo
from opsrepo.report.site import TrustedSvg, code_parts, site_page
from tests.unit.report.build import NOW, load, postmortem, write_repo


def test_context(four: Repo) -> None:
    page = site_page(four, NOW)
    assert (page["title"], page["period"], page["generated"]) == (
        "Reliability", "2025-12-01 to 2026-11-23 (Europe/Berlin)", "2026-11-23 09:00 UTC")
    assert page["headline"][0] == "Incidents: 4 (3 in the last 3 complete months, 0 in the 3 before)"
    assert [c["id"] for c in page["charts"]] == [
        "chart-mttd", "chart-mtta", "chart-mttr", "chart-frequency", "chart-repeats", "chart-burndown"]
    assert all(isinstance(c["svg"], TrustedSvg) for c in page["charts"])
    frequency = page["charts"][3]["table"]
    assert frequency["headers"] == ["Month", "SEV1", "SEV2", "SEV3", "Total"]
    assert frequency["rows"][-2] == [{"text": t, "url": None, "links": []} for t in ("2026-10", "2", "1", "0", "3")]
    assert [s["text"] for s in page["sections"] if s["kind"] == "heading"][:2] == ["Incidents", "Response times"]
    # the on-call load's section (its heading and paragraph here) is marked for the search index to leave out
    assert [(s["kind"], s.get("id")) for s in page["sections"] if not s["searched"]] == [
        ("heading", "on-call-load"), ("para", None)]
    assert all(c["searched"] for c in page["charts"])  # the load chart's mark: tests/unit/report/test_reliability_page.py
    assert page["definitions"][1] == {"term": "MTTD", "parts": [
        {"text": "Time to detect: timeline ", "code": False}, {"text": "started", "code": True},
        {"text": " → ", "code": False}, {"text": "detected", "code": True}, {"text": ".", "code": False}]}


def test_the_load_chart_needs_shifts(four: Repo) -> None:
    page = site_page(four, NOW, shifts=lambda repo, schedule, start, end: [])
    assert page["charts"][-1]["id"] == "chart-burndown"     # nobody on call: no load chart


def test_autoescape_keeps_repo_text_plain_and_only_the_svg_is_markup(tmp_path: Path) -> None:
    hostile = "<img src=x onerror=alert(1)>"
    item = {"id": "i", "title": hostile, "owner": "ana", "due": "2026-10-10", "priority": "high", "kind": "detect"}
    repo = load(write_repo(tmp_path, [postmortem("x", "SEV1", "2026-10-05T10:00:00Z", "2026-10-05T11:00:00Z",
                                                 action_items=[item])]))
    page = site_page(repo, NOW)
    tables = [s for s in page["sections"] if s["kind"] == "table"]
    assert any({"text": hostile, "url": None, "links": []} in row for table in tables for row in table["rows"])
    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
    html = env.from_string("{% for c in charts %}{{ c.svg }}{% endfor %}{{ sections }}").render(**page)
    assert html.count("<svg") == 6
    assert "<img" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html


def test_code_parts() -> None:
    assert code_parts("`a` b") == [{"text": "a", "code": True}, {"text": " b", "code": False}]
    assert TrustedSvg("<svg/>").__html__() == "<svg/>"


def test_month_runs() -> None:
    from opsrepo.report.layout_incidents import month_runs

    assert month_runs(["2025-12", "2026-01", "2026-02", "2026-05", "2026-07", "2026-08"]) == (
        "2025-12 to 2026-02, 2026-05 and 2026-07 to 2026-08")
    assert month_runs(["2026-03"]) == "2026-03"
    assert month_runs(["2025-11", "2025-12", "2026-01"]) == "2025-11 to 2026-01"
    assert month_runs(["2026-01", "2026-03"]) == "2026-01 and 2026-03"
