"""Schedule timelines, the viewer's time zone, off hours and the runbook's on-call, in real Chromium.

The browser's clock is pinned (Playwright's ``page.clock``) and its zone
emulated (``timezone_id``); what the pages must show is computed by the engine.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from opsrepo.load.repo import load_repo
from opsrepo.oncall import final_shifts, on_call
from opsrepo.site import build_site
from opsrepo.site.shiftrule import join_shifts
from tests.browser.conftest import Served
from tests.helpers import NOW, ROOT

pytestmark = pytest.mark.browser

BERLIN, LONDON = ZoneInfo("Europe/Berlin"), ZoneInfo("Europe/London")
SCHEDULE = "schedules/payments-primary.html"
RUNBOOK = "runbooks/payments/db-connection-pool.html"
#: the payments-primary timeline starts at the build's day in Berlin
DAY_START = datetime(2026, 11, 23, tzinfo=BERLIN)
#: gap red and off-hours neutral (static/site.css, light)
GAP_RED, MUTED = "rgb(164, 14, 38)", "rgb(87, 96, 106)"


@pytest.fixture
def context(browser: Any) -> Iterator[Any]:
    made = browser.new_context(viewport={"width": 1280, "height": 900}, timezone_id="America/New_York")
    try:
        yield made
    finally:
        made.close()


def _open(context: Any, url: str, at: datetime = NOW) -> Any:
    page = context.new_page()
    page.clock.set_fixed_time(at)
    page.goto(url)
    page.wait_for_load_state("networkidle")
    return page


def _name(person: str) -> str:
    return load_repo(ROOT).repo.people[person].name


def test_the_timeline_has_a_row_per_layer_the_overrides_and_the_final_schedule(server: Served,
                                                                               example_site: Path,
                                                                               context: Any) -> None:
    page = _open(context, server.url(example_site, SCHEDULE))
    view = page.locator('[data-tl-view="week"]')
    expect(view).to_be_visible()
    names = view.locator(".tl-names li.tl-name").all_inner_texts()
    assert names == ["layer weekly-until-farid", "layer weekly", "Overrides", "Final schedule"]
    rows = [row.get_attribute("data-tl-row") for row in view.locator("[data-tl-row]").all()]
    assert rows == ["layer", "layer", "overrides", "final"]
    week = final_shifts(load_repo(ROOT).repo, "payments-primary", DAY_START, DAY_START + timedelta(days=7))
    expected = [_name(s.person) for s in join_shifts(week)]
    assert view.locator('[data-tl-row="final"] .tl-bar text').all_text_contents() == expected == [
        "Farid Haddad", "Alice Moreau"]
    weekly = view.locator('[data-tl-row="layer"][data-tl-name="weekly"] .tl-bar text').all_text_contents()
    assert weekly == expected
    # each person keeps one colour: the same hue class in every row that shows them
    classes = {bar.get_attribute("class") for bar in view.locator(".tl-bar").all()
               if bar.locator("text").text_content() == "Alice Moreau"}
    assert len(classes - {c for c in classes if "tl-override" in c}) == 1


def test_zoom_switches_between_one_week_and_two(server: Served, example_site: Path, context: Any) -> None:
    page = _open(context, server.url(example_site, SCHEDULE))
    week, fortnight = page.locator('[data-tl-view="week"]'), page.locator('[data-tl-view="fortnight"]')
    expect(week).to_be_visible()
    expect(fortnight).to_be_hidden()
    expect(page.get_by_role("button", name="1 week")).to_have_attribute("aria-pressed", "true")
    page.get_by_role("button", name="2 weeks").click()
    expect(fortnight).to_be_visible()
    expect(week).to_be_hidden()
    expect(page.get_by_role("button", name="2 weeks")).to_have_attribute("aria-pressed", "true")
    assert fortnight.locator(".tl-day").count() == 14
    assert fortnight.locator('[data-tl-row="final"] .tl-bar text').all_text_contents() == [
        "Farid Haddad", "Alice Moreau", "Bruno Keller"]
    page.get_by_role("button", name="1 week").click()
    expect(week).to_be_visible()
    assert week.locator(".tl-day").count() == 7


def test_a_tapped_bar_is_explained_under_the_timeline_on_a_phone(server: Served, example_site: Path,
                                                                 browser: Any) -> None:
    """A phone never shows a bar's title (a mouse shows it on hover): a tap writes it under the timeline."""
    phone = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True,
                                timezone_id="America/New_York")
    try:
        page = _open(phone, server.url(example_site, SCHEDULE))
        box, detail = page.locator("[data-timeline]"), page.locator("[data-tl-detail]")
        expect(detail).to_be_hidden()
        bars = page.locator('[data-tl-view="week"] [data-tl-row="final"] .tl-bar')
        titles = [bar.locator("title").text_content() for bar in bars.all()]
        assert [title.split(":")[0] for title in titles] == ["Farid Haddad", "Alice Moreau"]
        for index, title in enumerate(titles):
            # at the bar's left end: its box takes in a long name written past a short bar's end
            bars.nth(index).tap(position={"x": 3, "y": 12})
            expect(detail).to_be_visible()
            expect(detail).to_have_text(title)
            assert box.locator(".tl-picked").count() == 1
            assert "tl-picked" in (bars.nth(index).get_attribute("class") or "")
    finally:
        phone.close()


def test_without_javascript_both_zooms_show_and_no_now_line(server: Served, example_site: Path,
                                                            browser: Any) -> None:
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(server.url(example_site, SCHEDULE))
        expect(page.locator('[data-tl-view="week"]')).to_be_visible()
        expect(page.locator('[data-tl-view="fortnight"]')).to_be_visible()
        expect(page.locator("[data-tl-zoom]")).to_be_hidden()
        assert page.locator("[data-tl-now]").first.get_attribute("visibility") == "hidden"
    finally:
        context.close()


@pytest.mark.parametrize(("zoom", "days"), [("week", 7), ("fortnight", 14)])
def test_the_now_line_stands_at_the_browsers_now(server: Served, example_site: Path, context: Any,
                                                 zoom: str, days: int) -> None:
    at = NOW + timedelta(hours=30, minutes=15)
    page = _open(context, server.url(example_site, SCHEDULE), at)
    line = page.locator(f'[data-tl-view="{zoom}"] [data-tl-now]')
    expect(line).to_have_attribute("visibility", "visible")
    expected = f"{100 * (at - DAY_START) / timedelta(days=days):.3f}%"
    assert (line.get_attribute("x1"), line.get_attribute("x2")) == (expected, expected)
    assert expected == ("23.958%" if days == 7 else "11.979%")  # 40 h 15 min into the timeline
    later = _open(context, server.url(example_site, SCHEDULE), DAY_START + timedelta(days=15))
    expect(later.locator('[data-tl-view="week"] [data-tl-now]')).to_have_attribute("visibility", "hidden")
    expect(later.locator('[data-tl-view="week"] [data-tl-now-text]')).to_have_text(
        "now is past this timeline: rebuild the site")


def test_times_are_in_the_viewers_zone_with_a_selector_and_the_schedules_zone_on_hover(
        server: Served, example_site: Path, context: Any) -> None:
    page = _open(context, server.url(example_site, SCHEDULE))
    label = page.locator("[data-zone-label]")
    expect(label).to_have_text("Times in your time zone, America/New_York.")
    first = page.locator("#upcoming ~ .table-wrap time").first
    # Farid's week, on call when the site was built: from Mon 16 Nov 09:00 Berlin
    assert first.inner_text() == "Mon 16 Nov, 03:00 EST"
    assert first.get_attribute("title") == "Mon 16 Nov, 09:00 CET (Europe/Berlin)"
    now_row = page.locator('tr[data-schedule="payments-primary"]')
    expect(now_row.locator('[data-cell="until"] time')).to_have_text("Mon 30 Nov, 03:00 EST (in 6 days)")
    select = page.get_by_label("Show times in")
    assert select.locator("option").all_inner_texts() == [
        "America/New_York (your browser)", "UTC", "Europe/Berlin"]
    select.select_option("Europe/Berlin")
    expect(label).to_have_text("Times in Europe/Berlin.")
    assert first.inner_text() == "Mon 16 Nov, 09:00 CET"
    expect(now_row.locator('[data-cell="until"] time')).to_have_text("Mon 30 Nov, 09:00 CET (in 6 days)")
    select.select_option("UTC")
    assert first.inner_text() == "Mon 16 Nov, 08:00 UTC"
    # the choice holds on the next page: the home page's times in UTC too
    home = _open(context, server.url(example_site, "index.html"))
    expect(home.locator("[data-zone-label]")).to_have_text("Times in UTC.")
    until = home.locator('tr[data-schedule="payments-primary"] [data-cell="until"] time')
    expect(until).to_have_text("Mon 30 Nov, 08:00 UTC (in 6 days)")


def test_the_runbook_page_shows_who_is_on_call_for_its_services_and_the_chain(server: Served,
                                                                             example_site: Path,
                                                                             context: Any) -> None:
    repo = load_repo(ROOT).repo
    at = NOW + timedelta(days=8)  # a week after the build: the page's data, not its HTML, says who
    page = _open(context, server.url(example_site, RUNBOOK), at)
    section = page.locator("section.responders")
    expect(section.locator("h2")).to_have_text("Who is on call for Payments API, Ledger")
    rows = section.locator("tr[data-schedule]")
    assert [r.get_attribute("data-schedule") for r in rows.all()] == ["payments-primary", "payments-secondary"]
    for row in rows.all():
        shift = on_call(repo, str(row.get_attribute("data-schedule")), at)
        assert shift is not None
        expect(row.locator('[data-cell="now"]')).to_have_text(repo.people[shift.person].name)
    chain = section.locator("ol.timeline li")
    assert chain.count() == 4  # the first run of the chain; the page says it repeats
    expect(section.get_by_text("If nobody acknowledges, the chain runs 1 more time")).to_be_visible()
    expect(chain.first.locator("[data-oncall-at]")).to_have_text(
        repo.people[on_call(repo, "payments-primary", at).person].name)  # type: ignore[union-attr]
    assert chain.first.locator(".offset").inner_text() == "at once"
    first = repo.people[on_call(repo, "payments-primary", at).person].name  # type: ignore[union-attr]
    assert " ".join(chain.first.inner_text().split()) == (
        f"at once level 1: Payments primary → {first} (then waits 5 min)")
    assert "level 3:" in chain.nth(2).inner_text() and "Greta Lindqvist" in chain.nth(2).inner_text()


@pytest.fixture(scope="module")
def gap_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example site with data-business-hours covering 08:00-17:00: an hour's real gap each weekday."""
    repo = tmp_path_factory.mktemp("gap-repo") / "repo"
    shutil.copytree(ROOT, repo, ignore=shutil.ignore_patterns(".git", "node_modules", "_site", "tests", "src",
                                                              "test-artifacts", ".venv"))
    schedule = repo / "schedules" / "data-business-hours.yaml"
    text = schedule.read_text(encoding="utf-8")
    schedule.write_text(text.replace('from: "09:00", to: "17:00"}\ntime_off',
                                     'from: "08:00", to: "17:00"}\ntime_off', 1), encoding="utf-8")
    out = tmp_path_factory.mktemp("gap-site") / "site"
    assert build_site(load_repo(repo), out, NOW, search=False).ok
    return out


@pytest.mark.parametrize(("hour", "minute", "text", "colour"), [
    (7, 30, "off hours, coverage resumes Mon 08:00 GMT (in 30 min)", MUTED),
    (8, 30, "nobody (coverage gap)", GAP_RED),
])
def test_off_hours_read_neutral_and_a_gap_inside_coverage_red(gap_site: Path, browser: Any, hour: int,
                                                             minute: int, text: str, colour: str) -> None:
    context = browser.new_context(timezone_id="Europe/London")
    try:
        at = datetime(2026, 11, 23, hour, minute, tzinfo=LONDON)
        page = _open(context, (gap_site / "index.html").as_uri(), at.astimezone(UTC))
        cell = page.locator('tr[data-schedule="data-business-hours"] [data-cell="now"]')
        expect(cell).to_have_text(text)
        marked = cell.locator(".off" if colour == MUTED else ".gap")
        assert marked.evaluate("node => getComputedStyle(node).color") == colour
        schedule = _open(context, (gap_site / "schedules" / "data-business-hours.html").as_uri(),
                         at.astimezone(UTC))
        final = schedule.locator('[data-tl-view="week"] [data-tl-row="final"]')
        assert final.locator(".tl-gap text").first.text_content() == "gap: nobody on call"
        assert final.locator(".tl-off text").first.text_content() == "off hours"
        gap_colours = "n => [getComputedStyle(n.querySelector('text')).fill, getComputedStyle(n.querySelector('rect')).stroke]"
        assert final.locator(".tl-gap").first.evaluate(gap_colours) == [GAP_RED, GAP_RED]
        assert final.locator(".tl-off").first.evaluate(gap_colours) == [MUTED, "rgb(208, 215, 222)"]
    finally:
        context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("path", [SCHEDULE, "schedules/sre-follow-the-sun.html", RUNBOOK, "index.html",
                                  "people/alice.html"])
def test_axe_finds_no_violation(server: Served, example_site: Path, browser: Any, path: str, scheme: str) -> None:
    from axe_playwright_python.sync_playwright import Axe

    context = browser.new_context(color_scheme=scheme, timezone_id="America/New_York")
    try:
        page = _open(context, server.url(example_site, path))
        results = Axe().run(page, options={"runOnly": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]})
    finally:
        context.close()
    assert results.violations_count == 0, results.generate_report()
