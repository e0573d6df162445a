"""Search in real Chromium: a sharded index finds what one index finds; results as you type in the header."""

from __future__ import annotations

import gzip
import json
import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PREFIX, Served, Watched

pytestmark = pytest.mark.browser

#: words on one page and on many, typed halfway, in phrases, with underscores and hyphens, hostnames,
#: the words only the edited runbooks have (in the recent part, their shards' copies hidden), words
#: one of them had and lost, words of the runbook added and of the one removed, words no page has
#: any more (taken from a runbook) and words on no page
QUERIES = ["pg_blocking_pids", "pgbouncer", "pgbou", "rollback", "certificate", "kafka lag", "consumer",
           "database connection", "restart the pod", "alice", "sev1", "5xx", "on-call", "zyzzogeton",
           "zyzzogeton-7.kestrel.internal", "zyzzogeton_lag_seconds", "zyzz", "drain zyzzogeton", "zzzz",
           "quorum", "settle", "frobnicator", "frob-2.kestrel.internal", "frob", "quuxplorer", "quux",
           "dnscheck", "netshoot", "dns", "restart the", "replica lag", "node not ready", "drain",
           "rollbackz"]


def site_words(site: Path) -> list[str]:
    """Every word of the site's one index, as Pagefind read its pages (its fragments: gzip, signature, JSON)."""
    listing = json.loads((site / "pagefind/parts.json").read_text())
    words = set()
    for fragment in (site / "pagefind" / listing["parts"][0] / "fragment").iterdir():
        content = json.loads(gzip.decompress(fragment.read_bytes())[12:])["content"]
        words |= {word for word in (re.sub(r"^\W+|\W+$", "", token) for token in content.lower().split()) if word}
    return sorted(words)


def open_search(watch: Watched, url: str) -> Any:
    page = watch.page
    page.goto(url)
    page.wait_for_function("window.opsrepoSearch !== undefined")
    return page


_RANKED = """async (queries) => {
  const found = {};
  for (const query of queries) found[query] = await window.opsrepoSearch.ranked(query);
  return found;
}"""

_RESULTS = """async (queries) => {
  const found = {};
  for (const query of queries) found[query] = await window.opsrepoSearch.query(query, 1000);
  return found;
}"""


def ranks(ranked: list[list[Any]]) -> list[tuple[float, list[str]]]:
    """Results in order as (score, the ids of the pages with that score): pages of equal score in any order."""
    grouped: list[tuple[float, list[str]]] = []
    for id_, score in ranked:
        if grouped and grouped[-1][0] == score:
            grouped[-1][1].append(id_)
        else:
            grouped.append((score, [id_]))
    return [(score, sorted(ids)) for score, ids in grouped]


def test_for_every_word_of_the_site_and_its_first_half_shards_find_what_one_index_finds_in_its_order(
        server: Served, unsharded_site: Path, sharded_site: Path, watched: Watched) -> None:
    words = site_words(unsharded_site)
    assert len(words) > 3000 and {"zyzzogeton", "zyzzogeton_lag_seconds"} <= set(words)
    queries = [*words, *sorted({word[: (len(word) + 1) // 2] for word in words}), *QUERIES]
    one = open_search(watched, server.url(unsharded_site, "search.html")).evaluate(_RANKED, queries)
    many = open_search(watched, server.url(sharded_site, "search.html")).evaluate(_RANKED, queries)
    assert sum(len(ranked) for ranked in one.values()) > 20000
    # a page has the same id in both (Pagefind names it by its content), and the same score: each
    # shard's results are scored again with the whole site's numbers, as one index scores them
    differ = sorted(query for query in queries if ranks(one[query]) != ranks(many[query]))
    # but for words of a letter or three, whose stems one index keeps in two index chunks ("are" and
    # "area"): Pagefind extends a word among the words of the chunk it loaded, so one index misses
    # pages (and counts fewer) that the shard holding them has in one chunk
    assert [query for query in differ if len(query) > 3] == []
    assert len(differ) < 10, differ
    assert (watched.errors, watched.failed) == ([], [])


def test_the_same_results_with_the_same_excerpts_sharded_and_in_one_index(
        server: Served, unsharded_site: Path, sharded_site: Path, watched: Watched) -> None:
    one = open_search(watched, server.url(unsharded_site, "search.html")).evaluate(_RESULTS, QUERIES)
    many = open_search(watched, server.url(sharded_site, "search.html")).evaluate(_RESULTS, QUERIES)

    def shown(found: dict[str, Any], site: str) -> dict[str, Any]:
        return {query: (result["count"], sorted((r["id"], r["url"].removeprefix(site), r["title"], r["kind"], r["excerpt"])
                                                for r in result["results"]))
                for query, result in found.items()}

    assert shown(many, "/sharded/") == shown(one, "/unsharded/")
    counts = {query: result["count"] for query, result in one.items()}
    # the edited runbooks and the one added (which names the metric); the removed one is found by none
    # of its words, and a word no page has any more is answered as one index does, with its longest
    # shorter word ("dns"), not with the hidden copy that still has it
    assert counts["zyzzogeton"] == 3 and counts["zyzzogeton_lag_seconds"] == counts["drain zyzzogeton"] == 2
    assert counts["frob-2.kestrel.internal"] == 1 and counts["quuxplorer"] == counts["quux"] == 0
    assert counts["dnscheck"] == counts["dns"] > 0
    assert counts["zzzz"] == 0 and counts["pg_blocking_pids"] == 1
    assert (watched.errors, watched.failed) == ([], [])


def test_a_person_and_a_schedule_are_found_by_name_but_not_by_when_they_are_on_call(
        server: Served, example_site: Path, watched: Watched) -> None:
    """Shift listings are not indexed (docs/site.md), names and rosters are.

    Greta is in the incident commanders' rotation; the day she takes the pager next was on
    its page (next two weeks, calendar) and hers (upcoming turns) but is no longer indexed.
    """
    found = open_search(watched, server.url(example_site, "search.html")).evaluate(
        _RESULTS, ["greta lindqvist", "incident commander", "lindqvist 21"])

    def pages(query: str, kind: str) -> list[str]:
        return [r["url"].removeprefix(PREFIX) for r in found[query]["results"] if r["kind"] == kind]

    # her page first; the one schedule she is in
    assert found["greta lindqvist"]["results"][0]["url"] == PREFIX + "people/greta.html"
    assert pages("greta lindqvist", "Schedule") == ["schedules/incident-commander.html"]
    # the schedule first; and the people in it (its rotation's five and Vera, by an override), whose
    # pages name it
    assert found["incident commander"]["results"][0]["url"] == PREFIX + "schedules/incident-commander.html"
    assert sorted(pages("incident commander", "Person")) == [
        f"people/{name}.html" for name in ("greta", "hugo", "nadia", "tanya", "vera", "zoe")]
    # her turn from Monday 21 December was on both pages (the schedule's calendar, her upcoming
    # turns): neither is found by it now
    assert pages("lindqvist 21", "Schedule") == pages("lindqvist 21", "Person") == []
    assert (watched.errors, watched.failed) == ([], [])


def test_results_as_you_type_in_the_header_box(server: Served, example_site: Path, watched: Watched) -> None:
    page = watched.page
    page.goto(server.url(example_site, "services.html"))
    box = page.locator("#ops-site-search")
    expect(box).to_have_attribute("aria-expanded", "false")
    box.press_sequentially("pg_blocking", delay=40)
    options = page.locator("#ops-search-suggestions [role=option]")
    # (the results of the whole word typed: a slow keystroke may show those of its first letters first)
    expect(page.locator("[data-suggestions-status]")).to_have_text("1 result for “pg_blocking”")
    expect(options).to_have_count(1)
    expect(box).to_have_attribute("aria-expanded", "true")
    assert options.all_inner_texts() == [EXPECTED_OPTION]
    box.press("ArrowDown")
    expect(box).to_have_attribute("aria-activedescendant", "ops-suggestion-0")
    expect(options.first).to_have_attribute("aria-selected", "true")
    box.press("Enter")
    page.wait_for_url(server.url(example_site, "runbooks/payments/db-connection-pool.html"))
    assert page.locator("h1").inner_text() == "Database connection pool exhaustion"
    assert (watched.errors, watched.failed) == ([], [])


#: the runbook as the header's list shows it: its title, its kind, and the excerpt around the word
#: (none of the page's facts, breadcrumbs or heading links: they are not indexed)
EXPECTED_OPTION = ("Database connection pool exhaustion Runbook\nactive, many waiting, long oldest_tx. a lock or a "
                   "slow migration. find the blocker with pg_blocking_pids. All active, short transactions. "
                   "plain traffic growth. scale the pool. Replica errors in the")


def test_arrows_move_through_the_results_and_escape_closes_then_empties(
        server: Served, example_site: Path, watched: Watched) -> None:
    page = watched.page
    page.goto(server.url(example_site, "index.html"))
    box = page.locator("#ops-site-search")
    box.press_sequentially("service", delay=40)
    options = page.locator("#ops-search-suggestions [role=option]")
    status = page.locator("[data-suggestions-status]")
    expect(status).to_have_text(re.compile(r"\d+ results for “service”, the first 8 below"))
    assert int(status.inner_text().split()[0]) > 8
    expect(options).to_have_count(8)  # the first eight of more
    box.press("ArrowUp")  # from the box up: the last
    expect(box).to_have_attribute("aria-activedescendant", "ops-suggestion-7")
    box.press("ArrowDown")  # and down past the last: the first
    expect(box).to_have_attribute("aria-activedescendant", "ops-suggestion-0")
    box.press("ArrowDown")
    expect(box).to_have_attribute("aria-activedescendant", "ops-suggestion-1")
    assert [options.nth(n).get_attribute("aria-selected") for n in range(8)] == [
        "false", "true", "false", "false", "false", "false", "false", "false"]
    box.press("Escape")
    expect(page.locator("#ops-search-suggestions")).to_be_hidden()
    expect(box).to_have_attribute("aria-expanded", "false")
    assert box.get_attribute("aria-activedescendant") is None and box.input_value() == "service"
    box.press("Escape")
    assert box.input_value() == ""
    # Enter with no result chosen opens the search page with the query
    box.press_sequentially("pgbouncer", delay=40)
    expect(status).to_have_text(re.compile(r"\d+ results? for “pgbouncer”.*"))
    box.press("Enter")
    page.wait_for_url(server.url(example_site, "search.html?q=pgbouncer"))
    expect(page.locator("[data-search-status]")).to_contain_text(" for “pgbouncer”")
    assert (watched.errors, watched.failed) == ([], [])


def test_the_header_box_with_its_results_open_is_accessible(server: Served, example_site: Path,
                                                            watched: Watched) -> None:
    from axe_playwright_python.sync_playwright import Axe

    page = watched.page
    page.goto(server.url(example_site, "runbooks.html"))
    page.locator("#ops-site-search").press_sequentially("database", delay=40)
    expect(page.locator("#ops-search-suggestions [role=option]").first).to_be_visible()
    page.locator("#ops-site-search").press("ArrowDown")
    results = Axe().run(page)
    assert [violation["id"] for violation in results.response["violations"]] == []


def test_excerpts_wrap_on_a_phone(server: Served, example_site: Path, browser: Any) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(server.url(example_site, "search.html?q=pg_stat_activity"))
    expect(page.locator("[data-search-status]")).to_contain_text(" for “pg_stat_activity”")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.locator("#ops-site-search").press_sequentially("pg_stat_activity", delay=40)
    expect(page.locator("#ops-search-suggestions [role=option]").first).to_be_visible()
    box = page.locator("#ops-search-suggestions").bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    context.close()
