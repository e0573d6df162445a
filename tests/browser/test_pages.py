"""Every page template of the site in real Chromium: at 390 and 1280 px, light and dark.

The templates are those of ``src/opsrepo/site/templates/`` that extend
``base.html``; each page of the example site names its template
(``<body data-template>``), read from the pages the build's manifest lists, so a
new template without a page in the test site fails :func:`test_every_template_has_a_page`
instead of going untested. Each template's page is checked for sideways
scrolling (the document, then every element's right edge), chart text of
11 px or more as drawn, copy buttons clear of the code, axe (WCAG 2.1 A and
AA) with no violation, and a screenshot like its reviewed baseline in
``tests/browser/baselines/`` (``bash scripts/update-baselines.sh`` writes them
again; docs/browser-tests.md says when).
"""

from __future__ import annotations

import json
import re
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from opsrepo.site.manifest import MANIFEST
from opsrepo.site.render import TEMPLATES
from tests.browser.conftest import Served
from tests.browser.screenshots import like_its_baseline
from tests.helpers import NOW

pytestmark = pytest.mark.browser

#: the page templates: those a page is rendered from (base.html and the included parts are not)
PAGE_TEMPLATES = sorted(path.stem for path in TEMPLATES.glob("*.html")
                        if path.read_text(encoding="utf-8").startswith('{% extends "base.html" %}'))
#: a page's template, as base.html writes it
TEMPLATE_MARK = re.compile(r'<body data-template="([a-z0-9_-]+)">')
#: the page shown for a template when the example site has several: the fullest one
PREFERRED = {
    "home": "index.html", "runbook": "runbooks/payments/db-connection-pool.html",
    "schedule": "schedules/payments-primary.html", "person": "people/alice.html",
    "service": "services/payments-api.html", "policy": "policies/payments.html",
    "postmortem": "postmortems/2026-03-14-payments-db-pool.html", "team": "teams/payments.html",
}
#: query strings a page is opened with (the search page shows results and their excerpts)
QUERIES = {"search": "?q=pgbouncer"}
#: the viewports: a phone (iPhone 12 to 15) and a laptop
SIZES = {390: {"width": 390, "height": 844}, 1280: {"width": 1280, "height": 800}}
SCHEMES = ("light", "dark")
#: the smallest chart text, in CSS pixels as drawn (font size times the SVG's scale)
MIN_CHART_TEXT = 11.0

#: screenshots are the page down to this height: two phone screens (a long page repeats its kinds of rows)
MAX_HEIGHT = 1600
#: templates whose screenshot goes further down: the home page's alert cards come after every schedule
HEIGHTS = {"home": 3600}


@pytest.fixture(scope="session")
def template_pages(example_site: Path) -> dict[str, str]:
    """Template -> the example site's page for it (every page the manifest lists, read for its template)."""
    listed = json.loads((example_site / MANIFEST).read_text(encoding="utf-8"))["pages"]
    found: dict[str, list[str]] = {}
    for path in sorted(listed):
        match = TEMPLATE_MARK.search((example_site / path).read_text(encoding="utf-8"))
        assert match is not None, f"{path}: no <body data-template> (base.html writes it on every page)"
        found.setdefault(match[1], []).append(path)
    pages = {}
    for template, paths in found.items():
        preferred = PREFERRED.get(template)
        assert preferred is None or preferred in paths, f"{preferred} is no {template} page: {paths[:3]}"
        pages[template] = (preferred or paths[0]) + QUERIES.get(template, "")
    return pages


def test_every_template_has_a_page(template_pages: dict[str, str]) -> None:
    missing = [t for t in PAGE_TEMPLATES if t not in template_pages]
    assert missing == [], (f"no page of the example site is rendered from {', '.join(missing)}: give the "
                           "example repo what makes one, so the browser tests open it")
    assert sorted(template_pages) == PAGE_TEMPLATES


def open_page(browser: Any, served: Served, site: Path, page: str, width: int, scheme: str) -> tuple[Any, Any]:
    """A fresh context at ``width`` in ``scheme`` with the clock pinned at the build; the page loaded."""
    context = browser.new_context(viewport=SIZES[width], color_scheme=scheme, reduced_motion="reduce",
                                  timezone_id="Europe/Berlin", locale="en-GB")
    tab = context.new_page()
    tab.clock.set_fixed_time(NOW + timedelta(minutes=5))
    response = tab.goto(served.url(site, page))
    assert response is not None and response.ok, page
    tab.wait_for_load_state("networkidle")
    if page.startswith("search.html"):
        tab.wait_for_selector("[data-search-results] li a")
    return context, tab


#: every element whose right edge passes the viewport, unless a box that scrolls or clips holds it
OVERFLOWING = """() => {
  const width = document.documentElement.clientWidth, found = [];
  const name = (el) => {
    let text = el.tagName.toLowerCase();
    if (el.id) text += "#" + el.id;
    if (typeof el.className === "string" && el.className.trim()) text += "." + el.className.trim().split(/\\s+/).join(".");
    return text;
  };
  const path = (el) => {
    const names = [];
    for (let e = el; e && e !== document.body; e = e.parentElement) names.unshift(name(e));
    return names.join(" > ");
  };
  for (const el of document.body.querySelectorAll("*")) {
    const box = el.getBoundingClientRect();
    if (!box.width || box.right <= width + 0.5) continue;
    let held = false;
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      if (getComputedStyle(p).overflowX !== "visible") { held = true; break; }
    }
    if (!held) found.push(`${path(el)} ends at ${Math.round(box.right)} px: "${(el.textContent || "").trim().slice(0, 40)}"`);
  }
  return {scroll: document.documentElement.scrollWidth, inner: window.innerWidth, found: found.slice(0, 5)};
}"""

#: every chart text as drawn: its font size times the scale of the SVG it is in
CHART_TEXT = """() => [...document.querySelectorAll("svg text")].filter((t) => t.getScreenCTM() && t.textContent.trim())
  .map((t) => [t.textContent.trim(), parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM().a])"""

#: each copy button and the line boxes of its code that it overlaps
COPY_OVER_CODE = """() => [...document.querySelectorAll("pre > button.copy")].map((button) => {
  const b = button.getBoundingClientRect(), code = button.parentElement.querySelector("code");
  const hit = [...code.getClientRects()].filter((r) => r.width && r.left < b.right && b.left < r.right
                                                     && r.top < b.bottom && b.top < r.bottom);
  return [code.textContent.trim().split("\\n")[0].slice(0, 40), hit.length];
})"""


@pytest.mark.parametrize("width", sorted(SIZES))
@pytest.mark.parametrize("template", PAGE_TEMPLATES)
def test_no_page_scrolls_sideways(server: Served, example_site: Path, browser: Any, template_pages: dict[str, str],
                                  template: str, width: int) -> None:
    if template not in template_pages:
        pytest.fail(f"no {template} page in the example site (see test_every_template_has_a_page)")
    context, tab = open_page(browser, server, example_site, template_pages[template], width, "light")
    try:
        measured = tab.evaluate(OVERFLOWING)
        charts = tab.evaluate(CHART_TEXT)
        copies = tab.evaluate(COPY_OVER_CODE)
    finally:
        context.close()
    page = template_pages[template]
    assert measured["found"] == [], f"{page} at {width} px: elements past the right edge: {measured['found']}"
    assert measured["scroll"] <= measured["inner"], f"{page} at {width} px scrolls sideways: {measured}"
    small = [(text, round(size, 1)) for text, size in charts if size < MIN_CHART_TEXT]
    assert small == [], f"{page} at {width} px: chart text under {MIN_CHART_TEXT} px: {small[:5]}"
    covered = [first_line for first_line, hits in copies if hits]
    assert covered == [], f"{page} at {width} px: a copy button covers the code starting {covered}"
    if template == "reliability":
        assert len(charts) > 50  # the charts are there, and were measured
    if template == "runbook":
        assert len(copies) > 0  # the copy buttons are there, and were measured


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("template", PAGE_TEMPLATES)
def test_axe_finds_no_violation(server: Served, example_site: Path, browser: Any, template_pages: dict[str, str],
                                template: str, scheme: str) -> None:
    from axe_playwright_python.sync_playwright import Axe

    if template not in template_pages:
        pytest.fail(f"no {template} page in the example site (see test_every_template_has_a_page)")
    context, tab = open_page(browser, server, example_site, template_pages[template], 390, scheme)
    try:
        results = Axe().run(tab, options={"runOnly": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]})
    finally:
        context.close()
    assert results.violations_count == 0, results.generate_report()


def screenshot_name(template: str, width: int, scheme: str) -> str:
    """``home-390-dark``: the baseline's file name without ``.png``."""
    return f"{template}-{width}-{scheme}"


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("width", sorted(SIZES))
@pytest.mark.parametrize("template", PAGE_TEMPLATES)
def test_page_looks_like_its_baseline(server: Served, example_site: Path, browser: Any,
                                      template_pages: dict[str, str], template: str, width: int,
                                      scheme: str) -> None:
    if template not in template_pages:
        pytest.fail(f"no {template} page in the example site (see test_every_template_has_a_page)")
    context, tab = open_page(browser, server, example_site, template_pages[template], width, scheme)
    try:
        measured = tab.evaluate(OVERFLOWING)  # in the dark scheme too
        height = min(tab.evaluate("document.documentElement.scrollHeight"), HEIGHTS.get(template, MAX_HEIGHT))
        shot = tab.screenshot(full_page=True, animations="disabled", caret="hide",
                              clip={"x": 0, "y": 0, "width": width, "height": height})
    finally:
        context.close()
    name = screenshot_name(template, width, scheme)
    assert (measured["found"], measured["scroll"] <= measured["inner"]) == ([], True), (
        f"{template_pages[template]} at {width} px in {scheme}: {measured}")
    like_its_baseline(shot, name)


#: each visible row of the home page's alert table: its cells' labels (CSS ::before) and texts, and whether
#: its runbook and escalation links are inside the viewport
ALERT_CARDS = """() => [...document.querySelectorAll("table.alerts tbody tr")].filter((tr) => !tr.hidden).map((tr) => ({
  display: getComputedStyle(tr).display,
  cells: [...tr.cells].map((td) => {
    const label = getComputedStyle(td, "::before").content;
    return (label === "none" ? "" : label.replace(/^"|"$/g, "")) + td.innerText;
  }),
  inside: [...tr.querySelectorAll("td:nth-child(n+4) a")].every((a) => {
    const box = a.getBoundingClientRect();
    return box.width > 0 && box.left >= 0 && box.right <= innerWidth;
  }),
}))"""


def test_on_a_phone_each_alert_is_a_card_with_its_runbook_and_escalation(
        server: Served, example_site: Path, browser: Any) -> None:
    context, tab = open_page(browser, server, example_site, "index.html", 390, "light")
    try:
        cards = tab.evaluate(ALERT_CARDS)
        header = tab.locator("table.alerts thead").is_visible()
    finally:
        context.close()
    assert header is False
    assert {card["display"] for card in cards} == {"block"}
    assert all(card["inside"] for card in cards)
    [card] = [card for card in cards if card["cells"][0].startswith("auth-login-error-rate\n")]
    assert card["cells"] == [
        "auth-login-error-rate\nFailed logins (excluding wrong passwords) above 5% for 5 minutes",
        "Service: Auth service", "Severity: SEV1", "Runbook: Elevated login failures", "Escalation: identity"]


#: the month grids' days as shown: display, the weekday (CSS ::before of the date) and the text
AGENDA = """() => [...document.querySelectorAll("table.month td")].map((td) => {
  const date = td.querySelector(".date"), weekday = date ? getComputedStyle(date, "::before").content : "none";
  return [getComputedStyle(td).display, (weekday === "none" ? "" : weekday.replace(/^"|"$/g, "")) + td.innerText];
})"""


@pytest.mark.parametrize("width", sorted(SIZES))
def test_below_600_px_a_month_grid_is_an_agenda_of_the_days_with_someone_on_call(
        server: Served, example_site: Path, browser: Any, width: int) -> None:
    context, tab = open_page(browser, server, example_site, "schedules/payments-primary.html", width, "light")
    try:
        days = tab.evaluate(AGENDA)
        header = tab.locator("table.month thead").first.is_visible()
    finally:
        context.close()
    shown = [text for display, text in days if display != "none"]
    if width == 1280:  # a grid: a header of weekdays, every cell of every week
        assert (header, len(shown), shown[0].split("\n")[0]) == (True, len(days), "26")
        return
    assert header is False
    assert shown[:3] == ["Sun 1\nChloé Dubois", "Mon 2\nChloé Dubois → 09:00\n09:00 Dieter Hahn",
                         "Tue 3\nDieter Hahn"]
    assert all("\n" in text for text in shown)  # a day without anyone on call is left out


#: each box marked as scrolling sideways: its tag's initial, its role, whether it takes the focus, its name
SCROLLING = """() => [...document.querySelectorAll("[data-scrolls]")].map((box) =>
  [box.tagName[0], box.getAttribute("role"), box.tabIndex, box.getAttribute("aria-label")])"""


@pytest.mark.parametrize("width", sorted(SIZES))
def test_a_box_that_scrolls_sideways_is_a_named_region_the_keyboard_reaches(
        server: Served, example_site: Path, browser: Any, width: int) -> None:
    context, tab = open_page(browser, server, example_site, "reliability.html", width, "light")
    try:
        boxes = tab.evaluate(SCROLLING)
    finally:
        context.close()
    if width == 1280:  # the charts fit; no table of the page is wider than the page
        assert boxes == []
        return
    assert boxes[:2] == [["F", "region", 0, "Time to detect per month (median and p90) (scrolls sideways)"],
                         ["F", "region", 0, "Time to acknowledge per month (median and p90) (scrolls sideways)"]]
    assert ["D", "region", 0, "Data table: On-call hours per person (scrolls sideways)"] in boxes
    assert ["D", "region", 0, "Incidents (scrolls sideways)"] in boxes
