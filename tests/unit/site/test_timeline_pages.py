"""The pages that carry timelines, off hours, the viewer's zone and the runbook's on-call, as the build writes them."""

from __future__ import annotations

import gzip
import json
import re
import shutil
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest

from opsrepo.build import build
from opsrepo.load.repo import load_repo
from opsrepo.site import build_site
from opsrepo.site.state import SCHEDULE
from opsrepo.site.views import runbooks
from tests.helpers import ROOT

STATIC = ROOT / "src" / "opsrepo" / "site" / "static"
#: Saturday noon in London: data-business-hours (mon-fri 09:00-17:00) is off hours
SATURDAY = datetime(2026, 11, 28, 12, tzinfo=UTC)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("site") / "site"
    assert build_site(load_repo(ROOT), out, SATURDAY, search=False).ok
    return out


def _read(site: Path, page: str) -> str:
    return (site / page).read_text(encoding="utf-8")


def test_the_home_page_says_off_hours_in_neutral_not_a_gap(site: Path) -> None:
    row = re.search(r'<tr data-schedule="data-business-hours".*?</tr>', _read(site, "index.html"), re.S)
    assert row is not None
    assert '<td data-cell="now"><span class="off">off hours, coverage resumes Mon 09:00 GMT</span></td>' in row[0]
    assert 'class="gap"' not in row[0]


def test_follow_the_sun_gets_a_day_per_line_and_a_weekly_rotation_its_shifts(site: Path) -> None:
    sun = _read(site, "schedules/sre-follow-the-sun.html")
    days = re.findall(r'<time class="agenda-day" datetime="([\d-]+)">([^<]+)</time>', sun)
    assert len(days) == 14 and days[0] == ("2026-11-28", "Sat 28 Nov")
    assert '<h2 id="upcoming">Next two weeks</h2>\n<p class="muted">A day per line' in sun
    weekly = _read(site, "schedules/payments-primary.html")
    assert 'class="agenda"' not in weekly
    rows = re.findall(r'<tr><td><time datetime="([^"]+)" data-local title="([^"]+)">', weekly)
    # Alice's week (23 to 30 Nov), then Bruno's, then Chloé's: a row per shift
    assert rows == [("2026-11-23T08:00:00Z", "Mon 23 Nov, 09:00 CET (Europe/Berlin)"),
                    ("2026-11-30T08:00:00Z", "Mon 30 Nov, 09:00 CET (Europe/Berlin)"),
                    ("2026-12-07T08:00:00Z", "Mon 7 Dec, 09:00 CET (Europe/Berlin)")]


def test_a_schedule_page_says_which_zone_its_times_are_in_and_offers_the_others(site: Path) -> None:
    page = _read(site, "schedules/payments-primary.html")
    assert ('<p class="zone-bar" data-pagefind-ignore><span data-zone-label>'
            'Times in Europe/Berlin, the schedule&#39;s zone.</span>\n'
            '<label data-zone-pick hidden>Show times in <select data-zone-select data-zones="Europe/Berlin">'
            '</select></label></p>') in page
    assert page.count('<figure class="tl-view"') == 2
    assert re.findall(r'data-tl-name="([^"]+)"', page) == ["weekly-until-farid", "weekly", "Overrides",
                                                          "Final schedule"] * 2


def test_the_runbook_page_carries_its_services_schedules_and_chain(site: Path) -> None:
    page = _read(site, "runbooks/payments/db-connection-pool.html")
    section = re.search(r'<section class="responders".*?</section>', page, re.S)
    assert section is not None and "data-pagefind-ignore" in section[0]
    assert re.findall(r'<tr data-schedule="([^"]+)"', section[0]) == ["payments-primary", "payments-secondary"]
    data = json.loads(re.search(r"<script type=\"application/json\" data-oncall-data>(.*?)</script>",
                                section[0], re.S)[1])  # type: ignore[index]
    assert [s["id"] for s in data["schedules"]] == ["payments-primary", "payments-secondary"]
    assert section[0].count('<ol class="timeline"') == 1
    assert SCHEDULE in runbooks.READS  # a schedule's change makes the runbook pages again


def test_schedule_and_person_pages_link_the_colour_month_view(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    shutil.copytree(ROOT, repo, ignore=shutil.ignore_patterns(".git", "node_modules", "_site", "tests", "src",
                                                              "test-artifacts", ".venv"))
    out = tmp_path / "site"
    assert build(repo, out, SATURDAY, search=False).site is not None
    schedule = (out / "schedules" / "payments-primary.html").read_text(encoding="utf-8")
    href = "../calendars/schedules/payments-primary/2026-11.html"
    assert f'<p class="subscribe">Calendar: <a href="{href}">month view</a> · ' in schedule
    assert (out / "schedules" / href).resolve().is_file()
    person = (out / "people" / "alice.html").read_text(encoding="utf-8")
    assert f'<a href="{href}">month view</a>' in person


@pytest.mark.skipif(shutil.which("node") is None, reason="needs node")
def test_relative_times_the_now_line_and_declared_coverage_in_the_browsers_code() -> None:
    script = (f"const zone = require({json.dumps(str(STATIC / 'zone.js'))});"
              f"const line = require({json.dumps(str(STATIC / 'timeline.js'))});"
              f"const oncall = require({json.dumps(str(STATIC / 'oncall.js'))});"
              "const t = Date.UTC(2026, 10, 23, 9, 0) / 1000;"
              "console.log(JSON.stringify(["
              "[13 * 3600 + 100, 25 * 60, 3 * 86400, -7200, 20].map(d => zone.relative(t + d, t)),"
              "['Europe/Berlin', 'America/New_York', 'UTC'].map(z => zone.format(t, z)),"
              "zone.weekdayTime(t, 'Europe/London'),"
              "[line.nowPercent(0, 200, 50), line.nowPercent(0, 200, 200), line.nowPercent(0, 200, -1)],"
              "[oncall.insideCoverage('24x7', 5), oncall.insideCoverage('none', 5),"
              " oncall.insideCoverage([[0, 10]], 5), oncall.insideCoverage([[0, 10]], 10)]]))")
    shown = subprocess.run(["node", "-e", script], capture_output=True, text=True, check=True).stdout
    assert json.loads(shown) == [
        ["in 13 h", "in 25 min", "in 3 days", "2 h ago", "now"],
        ["Mon 23 Nov, 10:00 CET", "Mon 23 Nov, 04:00 EST", "Mon 23 Nov, 09:00 UTC"],
        "Mon 09:00 GMT",
        ["25.000%", None, None],
        [True, False, True, False],
    ]


def test_the_runbook_pages_on_call_part_is_not_searched(tmp_path: Path) -> None:
    """Pagefind is told to skip who is on call: a search for a responder's name finds their person page."""
    out = tmp_path / "site"
    assert build_site(load_repo(ROOT), out, SATURDAY).ok
    page = "runbooks/payments/db-connection-pool.html"
    assert re.search(r'<section class="responders" [^>]*\bdata-pagefind-ignore\b', _read(out, page))
    indexed = _indexed(out)
    words = set(re.findall(r"\w+", indexed[page].lower()))
    assert {"greta", "lindqvist", "moreau"} & words == set()  # the on-call part, not the runbook's text
    assert {"connection", "pool"} <= words
    assert "greta" in indexed["people/greta.html"].lower()


def _indexed(out: Path) -> dict[str, str]:
    """Each page's text as Pagefind indexed it, from every shard's fragments (gzip, a signature, JSON)."""
    found = {}
    for fragment in (out / "pagefind").glob("*/fragment/*"):
        raw = gzip.decompress(fragment.read_bytes())
        data = json.loads(raw[len(b"pagefind_dcd"):])
        found[data["url"].lstrip("/")] = data["content"]
    return found


def test_a_person_page_lists_the_derived_schedules_that_put_them_on_call(site: Path) -> None:
    page = _read(site, "people/alice.html")
    listed = re.search(r"<p>In the schedules (.*?)\.</p>", page)
    assert listed is not None
    assert re.findall(r'<a href="../schedules/([^"]+)\.html">', listed[1]) == ["payments-primary",
                                                                             "payments-secondary"]


def test_a_schedule_with_office_hours_says_what_lies_outside_them(site: Path) -> None:
    page = _read(site, "schedules/data-business-hours.html")
    assert ('<p class="muted">Outside the declared coverage (mon-fri 09:00-17:00) nobody on call is off hours, '
            'not a gap.</p>') in page
    assert "Outside the declared coverage" not in _read(site, "schedules/payments-primary.html")
