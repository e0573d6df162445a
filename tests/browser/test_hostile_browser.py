"""The hostile fixture's site in real headless Chromium: no text its authors wrote runs as script.

Every text of tests/fixtures/repos/site-hostile tries to run script that
sets a ``window.__pwned_*`` global or opens a dialog. Each page is opened
twice: as published (with the site's Content-Security-Policy) and with the
policy stripped from the served HTML, so escaping and sanitising are proven
on their own and not only the policy that backs them up.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

from tests.browser.conftest import Served

pytestmark = pytest.mark.browser

CSP = re.compile(rb'<meta http-equiv="Content-Security-Policy" content="[^"]*">')
#: every global the fixture's script would set, and every dialog it would open
PWNED = "Object.keys(window).filter(k => k.startsWith('__pwned'))"
#: what Chromium says of the author's <img src="x"> (the sanitiser keeps it: an image without handlers is inert)
MISSING_IMAGE = "error: Failed to load resource: the server responded with a status of 404 (File not found)"
#: events that would fire an inline handler left on an element
EVENTS = ("click", "mouseover", "focus", "toggle", "error", "load", "animationstart")


def _pages(site: Path) -> list[str]:
    return sorted(str(p.relative_to(site)) for p in site.rglob("*.html") if "pagefind" not in p.parts)


@dataclass
class Recorded:
    """Everything a page did that script written by an author could cause."""

    page: Any
    console: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    navigations: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    stripped: list[str] = field(default_factory=list)


@pytest.fixture(params=["with-csp", "without-csp"])
def recorded(request: pytest.FixtureRequest, browser: Any) -> Iterator[Recorded]:
    context = browser.new_context()
    page = context.new_page()
    seen = Recorded(page)
    page.on("console", lambda m: seen.console.append(f"{m.type}: {m.text}"))
    page.on("pageerror", lambda e: seen.console.append(f"uncaught: {e}"))
    page.on("request", lambda r: seen.requests.append(r.url))
    page.on("framenavigated", lambda f: seen.navigations.append(f.url))
    page.on("response", lambda r: seen.missing.append(r.url) if r.status == 404 else None)

    def dismiss(dialog: Any) -> None:
        seen.dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", dismiss)
    if request.param == "without-csp":
        def strip(route: Any) -> None:
            response = route.fetch()
            body = response.body()
            if "text/html" in response.headers.get("content-type", ""):
                body, count = CSP.subn(b"", body)
                if count:
                    seen.stripped.append(route.request.url)
            route.fulfill(response=response, body=body)

        context.route("**/*.html", strip)
    try:
        yield seen
    finally:
        context.close()


def _poke(page: Any) -> None:
    """Fire every event a handler could listen for on every element of the page."""
    page.evaluate("""events => {
        for (const el of document.querySelectorAll('main *')) {
            for (const name of events) el.dispatchEvent(new Event(name, {bubbles: false}));
        }
    }""", list(EVENTS))


def test_the_hostile_site_has_the_pages_it_should(hostile_site: Path) -> None:
    assert _pages(hostile_site) == [
        "404.html", "index.html", "pay.html", "people.html", "people/ana.html", "people/ben.html", "people/cleo.html",
        "policies.html", "policies/core.html", "postmortems.html", "postmortems/2026-10-01-api-outage.html",
        "reliability.html", "rules.html", "runbooks.html", "runbooks/core/api-errors.html",
        "runbooks/core/hostile.html", "runbooks/core/rate%41x #1?.html", "schedules.html", "schedules/core-primary.html", "search.html",
        "services.html", "services/api.html", "severity.html", "teams.html", "teams/core.html",
    ]


def test_no_page_of_the_hostile_site_runs_script(server: Served, hostile_site: Path, recorded: Recorded) -> None:
    page, own = recorded.page, server.base + "/hostile/"
    for path in _pages(hostile_site):
        url = server.url(hostile_site, quote(path))
        response = page.goto(url)
        assert response is not None and response.ok, url
        page.wait_for_load_state("networkidle")
        _poke(page)
        page.wait_for_timeout(50)
        assert page.evaluate(PWNED) == [], path
        assert page.url == url, path  # no refresh, no redirect
        # nothing an author wrote left as something that runs or loads
        assert page.evaluate("""() => [...document.querySelectorAll('*')].flatMap(el =>
            [...el.attributes].filter(a => a.name.startsWith('on')).map(a => el.tagName + ' ' + a.name))""") == []
        scripts = page.evaluate("""() => [...document.scripts].map(s => s.src ? 'src:' + s.src : 'inline:' + s.type)""")
        assert all(s.startswith("src:" + own + "static/") or s == "inline:application/json" for s in scripts), scripts
        assert page.locator("iframe, object, embed, meta[http-equiv=refresh], link[href*=evil]").count() == 0
        bases = page.evaluate("() => [...document.querySelectorAll('base')].map(b => b.href)")
        assert bases == ([own] if path == "404.html" else []), path  # the 404 page's own, served anywhere
        forms = page.evaluate("() => [...document.forms].map(f => f.action)")
        assert all(action.startswith(own) for action in forms), forms  # the site's own search and filters
        assert page.locator(".markdown form, input[name=password]").count() == 0, path
        hrefs = page.evaluate("() => [...document.querySelectorAll('[href],[src],[action]')].map("
                              "e => e.getAttribute('href') ?? e.getAttribute('src') ?? e.getAttribute('action'))")
        assert [h for h in hrefs if re.match(r"\s*(javascript|vbscript|data):", h, re.IGNORECASE)] == [], path
    assert recorded.dialogs == []
    # the one thing the browser says: the author's <img src="x"> (kept, inert) is not there
    assert set(recorded.missing) == {own + "runbooks/core/x"}
    assert set(recorded.console) == {MISSING_IMAGE}
    assert [u for u in recorded.requests if not u.startswith(own)] == []
    assert [u for u in recorded.navigations if not u.startswith(own)] == []
    if recorded.stripped:  # the policy really was taken away: every page carries it
        assert len(recorded.stripped) == len(_pages(hostile_site))


def test_clicking_the_hostile_runbooks_links_runs_nothing(server: Served, hostile_site: Path,
                                                         recorded: Recorded) -> None:
    page = recorded.page
    url = server.url(hostile_site, "runbooks/core/hostile.html")
    page.goto(url)
    links = page.locator(".markdown a")
    names = links.all_inner_texts()
    # the heading's permalink and the raw-HTML links (kept without their script URLs); Markdown links to
    # script URLs are not links at all (their text stays)
    assert names == ["#", "raw javascript link", "a fine link with a handler", "vbscript", "mixed case", "entity"]
    for index in range(links.count()):
        link = links.nth(index)
        href = link.get_attribute("href")
        if href is not None and not href.startswith("#"):
            continue  # a web link: leaving the site is no script
        link.click()
        assert page.evaluate(PWNED) == []
        assert page.url.split("#")[0] == url
    assert recorded.dialogs == []
    assert set(recorded.missing) == {server.base + "/hostile/runbooks/core/x"}
    assert set(recorded.console) == {MISSING_IMAGE}


def test_a_search_result_leads_to_a_page_whose_file_name_holds_percent_space_hash_and_question_mark(
        server: Served, hostile_site: Path, recorded: Recorded) -> None:
    # Pagefind keeps the URL as the file's path, unencoded: the search page encodes each segment
    page = recorded.page
    page.goto(server.url(hostile_site, "search.html?q=quixotic"))
    page.wait_for_selector("[data-search-results] li a")
    link = page.locator("[data-search-results] li a")
    assert link.all_inner_texts() == ["A runbook with an odd file name"]
    assert link.get_attribute("href") == "/hostile/runbooks/core/rate%2541x%20%231%3F.html"
    link.click()
    page.wait_for_load_state("networkidle")
    assert page.locator("h1").inner_text() == "A runbook with an odd file name"
