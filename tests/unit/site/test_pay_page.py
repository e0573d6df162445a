"""The site's On-call pay page: last month and this month of ``opsrepo report pay``, and the rules."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from opsrepo.load.repo import load_repo
from opsrepo.site.render import render_page, site_globals
from opsrepo.site.state import SiteState
from opsrepo.site.views.pay import pay_page
from tests.helpers import MINIMAL, copy_repo

PAY = """pay:
  currency: EUR
  rules:
    - name: primary <on top>
      schedules: [core-primary]
      overlap: each
      rates: {weekend: {per_shift: 50}}
    - name: standard
      rates: {weekday: {per_hour: 2.5}, weekday_night: {per_hour: 4}, weekend: {per_hour: 5}}
"""


def test_the_page_shows_both_months_and_the_rules(tmp_path: Path) -> None:
    root = copy_repo(MINIMAL, tmp_path / "repo")
    with (root / "opsrepo.yaml").open("a", encoding="utf-8") as out:
        out.write(PAY)
    state = SiteState(load_repo(root).repo, datetime(2026, 12, 3, 9, tzinfo=UTC), history={})
    page = pay_page(state)
    assert (page.path, page.template, page.title) == ("pay.html", "pay.html", "On-call pay")
    last, this = page.data["months"]
    assert (last["label"], last["period"]) == ("Last month", "2026-11 (2026-11-01 to 2026-11-30)")
    # the same figures as `opsrepo report pay --month 2026-11` (tests/acceptance/test_report_pay.py), priced
    # by the rule on top: 50 for each shift that starts in November and has a weekend (Cleo's of 30 November has
    # hers in December)
    assert [(r["person"]["text"], r["hours"], r["shifts"], r["amount"]) for r in last["rows"]] == [
        ("Ana Silva", ["83.00", "46.00", "72.00", "0.00", "201.00"], 1, "50.00"),
        ("Ben Okafor", ["160.00", "80.00", "96.00", "0.00", "336.00"], 2, "100.00"),
        ("Cleo Park", ["93.00", "42.00", "48.00", "0.00", "183.00"], 2, "100.00"),
    ]
    assert last["totals"] == {"hours": ["336.00", "168.00", "216.00", "0.00", "720.00"], "shifts": 5,
                              "amount": "250.00"}
    assert this["label"] == "This month, as scheduled" and this["period"].startswith("2026-12 ")
    assert page.data["rules"] == [
        {"name": "primary <on top>", "schedules": [{"href": "schedules/core-primary.html", "text": "Core primary"}],
         "each": True, "rates": ["-", "-", "50 a shift", "-"]},
        {"name": "standard", "schedules": [], "each": False,
         "rates": ["2.5 an hour", "4 an hour", "5 an hour", "-"]},
    ]
    html = render_page(page, site_globals("T", "O", None, None), None)
    assert "primary &lt;on top&gt; (paid on top)" in html
    assert '<a href="people/ana.html">Ana Silva</a>' in html
