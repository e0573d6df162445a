"""The example site in real headless Chromium, served under a sub-path over HTTP."""

from __future__ import annotations

from datetime import UTC, timedelta
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from opsrepo.load.repo import load_repo
from opsrepo.oncall import final_shifts, handoffs, on_call
from tests.browser.conftest import Served, Watched
from tests.helpers import NOW, ROOT

pytestmark = pytest.mark.browser

#: the main page kinds, as paths in the example site
PAGES = {
    "home": "index.html",
    "runbook": "runbooks/payments/db-connection-pool.html",
    "service": "services/payments-api.html",
    "schedule": "schedules/payments-primary.html",
    "person": "people/alice.html",
    "policy": "policies/payments.html",
    "severity": "severity.html",
    "postmortem": "postmortems/2026-03-14-payments-db-pool.html",
    "postmortems": "postmortems.html",
    "runbooks": "runbooks.html",
    "search": "search.html?q=pgbouncer",
    "reliability": "reliability.html",
    "404": "404.html",
}


def visit(watch: Watched, url: str) -> Any:
    response = watch.page.goto(url)
    assert response is not None and response.ok, url
    watch.page.wait_for_load_state("networkidle")
    return watch.page


def test_search_finds_a_runbook_by_a_word_of_its_body(server: Served, example_site: Path, watched: Watched) -> None:
    page = visit(watched, server.url(example_site, "index.html"))
    page.fill("#ops-site-search", "pg_blocking_pids")
    page.press("#ops-site-search", "Enter")
    page.wait_for_selector("[data-search-results] li a")
    titles = page.locator("[data-search-results] li a").all_inner_texts()
    assert titles == ["Database connection pool exhaustion"]  # the one file that names the function
    link = page.locator("[data-search-results] li a", has_text="Database connection pool exhaustion")
    assert link.get_attribute("href") == "/ops/runbooks/payments/db-connection-pool.html"
    link.click()
    page.wait_for_load_state("networkidle")
    assert page.url == server.url(example_site, "runbooks/payments/db-connection-pool.html")
    assert page.locator("h1").inner_text() == "Database connection pool exhaustion"
    assert watched.errors == []


def search_results(watch: Watched, url: str) -> tuple[str, list[tuple[str, str]]]:
    """The status line and the (title, href) of each result of the search page at ``url``."""
    page = visit(watch, url)
    expect(page.locator("[data-search-status]")).to_contain_text(" for “")
    links = page.locator("[data-search-results] li a")
    return (page.locator("[data-search-status]").inner_text(),
            [(links.nth(n).inner_text(), links.nth(n).get_attribute("href")) for n in range(links.count())])


def test_the_home_page_shows_who_is_on_call_at_the_browsers_time(server: Served, example_site: Path,
                                                                browser: Any) -> None:
    repo = load_repo(ROOT).repo
    handoff = handoffs(repo, "payments-primary", NOW, 1)[0].start
    seen = []
    for at in (handoff - timedelta(minutes=1), handoff + timedelta(minutes=1)):
        expected = on_call(repo, "payments-primary", at)
        assert expected is not None
        context = browser.new_context()
        page = context.new_page()
        page.clock.set_fixed_time(at)
        page.goto(server.url(example_site, "index.html"))
        cell = page.locator('tr[data-schedule="payments-primary"] [data-cell="now"]')
        expect(page.locator("p.asof")).to_have_class("asof live")  # the script has run
        seen.append(cell.inner_text())
        assert cell.inner_text() == repo.people[expected.person].name
        context.close()
    assert seen[0] != seen[1]  # the two instants straddle a handoff


def test_without_javascript_the_home_page_says_who_was_on_call_at_the_build(
        server: Served, example_site: Path, browser: Any) -> None:
    repo = load_repo(ROOT).repo
    expected = on_call(repo, "payments-primary", NOW)
    assert expected is not None
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(server.url(example_site, "index.html"))
    assert page.locator("p.asof").inner_text() == "As of the site build, Mon 23 Nov 2026, 10:00 CET."
    cell = page.locator('tr[data-schedule="payments-primary"] [data-cell="now"]')
    assert cell.inner_text() == repo.people[expected.person].name
    context.close()


def test_from_a_service_to_its_runbook_to_its_escalation_policy(server: Served, example_site: Path,
                                                               watched: Watched) -> None:
    page = visit(watched, server.url(example_site, "services.html"))
    page.click("text=Payments API")
    assert page.url == server.url(example_site, "services/payments-api.html")
    page.locator("#runbooks").locator("xpath=following-sibling::ul[1]").get_by_text(
        "High 5xx error rate on the payments API").click()
    assert page.url == server.url(example_site, "runbooks/payments/high-error-rate.html")
    page.locator("dl.facts").get_by_role("link", name="Payments", exact=True).first.wait_for()
    page.locator("dt:text('Escalation') + dd a").click()
    assert page.url == server.url(example_site, "policies/payments.html")
    assert page.locator("h1").inner_text() == "Payments"
    # filled in live by the page's script: wait for it (the click returns once the URL commits)
    page.locator("[data-oncall-at]").first.locator("a").wait_for()
    assert page.locator("[data-oncall-at]").first.locator("a").count() == 1
    assert watched.errors == []


@pytest.mark.parametrize("kind", sorted(PAGES))
def test_no_console_errors_and_no_failed_requests(server: Served, example_site: Path, watched: Watched,
                                                  kind: str) -> None:
    visit(watched, server.url(example_site, PAGES[kind]))
    assert (watched.errors, watched.failed, watched.dialogs) == ([], [], [])


@pytest.mark.parametrize("kind", sorted(set(PAGES) - {"search"}))
def test_no_serious_or_critical_accessibility_violations(server: Served, example_site: Path,
                                                        watched: Watched, kind: str) -> None:
    from axe_playwright_python.sync_playwright import Axe

    page = visit(watched, server.url(example_site, PAGES[kind]))
    results = Axe().run(page)
    serious = [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
               for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    assert serious == []


def test_search_results_page_is_accessible_too(server: Served, example_site: Path, watched: Watched) -> None:
    from axe_playwright_python.sync_playwright import Axe

    page = visit(watched, server.url(example_site, PAGES["search"]))
    page.wait_for_selector("[data-search-results] li")
    serious = [v["id"] for v in Axe().run(page).response["violations"] if v["impact"] in ("serious", "critical")]
    assert serious == []


def test_a_checklist_step_is_found_named_and_ticked_by_its_text(server: Served, example_site: Path,
                                                                  watched: Watched) -> None:
    # the word is only in a step of the checklist: https://pagefind.app skips a <label>'s text
    _status, found = search_results(watched, server.url(example_site, "search.html?q=unattended"))
    assert found == [("TLS certificate about to expire", "/ops/runbooks/platform/tls-certificate-expiry.html")]
    page = visit(watched, server.url(example_site, "runbooks/platform/tls-certificate-expiry.html"))
    step = "Root cause fixed so next renewal works unattended"
    box = page.get_by_role("checkbox", name=step, exact=True)
    expect(box).not_to_be_checked()
    page.get_by_text(step, exact=True).click()
    expect(box).to_be_checked()
    box.click()
    expect(box).not_to_be_checked()
    assert (watched.errors, watched.failed) == ([], [])


def test_copy_buttons_copy_the_code(server: Served, example_site: Path, browser: Any) -> None:
    context = browser.new_context()
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=server.base)
    page = context.new_page()
    page.goto(server.url(example_site, PAGES["runbook"]))
    block = page.locator(".markdown pre").first
    block.locator("button.copy").click()
    expect(block.locator("button.copy")).to_have_text("Copied")  # set once the clipboard's promise resolves
    assert page.evaluate("navigator.clipboard.readText()") == block.locator("code").inner_text()
    context.close()


def test_post_mortems_filter_by_service_severity_and_category(server: Served, example_site: Path,
                                                             watched: Watched) -> None:
    page = visit(watched, server.url(example_site, "postmortems.html"))
    rows = page.locator("#postmortems-table tbody tr")
    assert (rows.count(), page.locator("[data-pm-count]").inner_text()) == (14, "14 post-mortems")
    page.select_option("select[name=category]", "db-connection-pool")
    visible = [r.locator("a").first.inner_text() for r in rows.all() if r.is_visible()]
    assert visible == [  # newest first
        "Bulk refunds exhausted the payments database pool again",
        "Payment failures from database connection pool exhaustion",
        "Card payments failing while a refund export held database connections",
    ]
    assert page.locator("[data-pm-count]").inner_text() == "3 post-mortems"


def test_a_home_page_left_open_follows_the_handoff_without_a_reload(server: Served, example_site: Path,
                                                                   browser: Any) -> None:
    repo = load_repo(ROOT).repo
    handoff = handoffs(repo, "payments-primary", NOW, 1)[0].start
    before, after = on_call(repo, "payments-primary", handoff - timedelta(seconds=1)), on_call(
        repo, "payments-primary", handoff)
    assert before is not None and after is not None and before.person != after.person
    context = browser.new_context()
    page = context.new_page()
    page.clock.install(time=handoff - timedelta(minutes=1))
    page.goto(server.url(example_site, "index.html"))
    row = page.locator('tr[data-schedule="payments-primary"]')
    row.locator('[data-cell="now"] a').wait_for()
    assert row.locator('[data-cell="now"]').inner_text() == repo.people[before.person].name
    assert row.locator('[data-cell="next"] a').inner_text() == repo.people[after.person].name
    assert row.locator('[data-cell="until"] time').get_attribute("datetime") == (
        handoff.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z"))
    page.clock.run_for(90_000)  # the page re-reads the clock every 30 s
    # the page's "next": the first shift that starts after the page's clock (90 s past the handoff)
    following = next(s for s in final_shifts(repo, "payments-primary", handoff, handoff + timedelta(days=60))
                     if s.start > handoff + timedelta(seconds=90))
    assert row.locator('[data-cell="now"]').inner_text() == repo.people[after.person].name
    assert row.locator('[data-cell="next"] a').inner_text() == repo.people[following.person].name
    context.close()


def test_a_site_not_rebuilt_for_too_long_says_so_instead_of_guessing(server: Served, example_site: Path,
                                                                     browser: Any) -> None:
    context = browser.new_context()
    page = context.new_page()
    page.clock.set_fixed_time(NOW + timedelta(days=3 * 365))
    page.goto(server.url(example_site, "index.html"))
    page.locator("p.asof.expired").wait_for()
    assert page.locator("p.asof").inner_text().endswith(": rebuild the site (opsrepo build).")
    cells = page.locator('tr[data-schedule] [data-cell="now"]').all_inner_texts()
    assert cells and set(cells) == {"unknown: the site is out of date"}
    context.close()
