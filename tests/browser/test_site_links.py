"""A crawler over the example site served under /ops/: every internal link resolves, fragments included.

It starts at the home page, follows every ``href`` and ``src`` that stays on
the site (over HTTP, as a browser would, so the sub-path and relative links
are really exercised), and checks that each answers 200 and that each
``#fragment`` names an element of the page it points into. Every page the
build wrote must be reached this way: nothing is an orphan.
"""

from __future__ import annotations

import urllib.error
import urllib.request
from collections import deque
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest

from tests.browser.conftest import Served

pytestmark = pytest.mark.browser

#: pages no link needs to lead to: GitHub Pages answers 404.html for any missing path
UNLINKED = {"404.html"}


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value is None:
                continue
            if name in ("href", "src", "action") and tag != "base":
                self.links.append(value)
            elif name == "id" or (name == "name" and tag == "a"):
                self.ids.add(value)


def _fetch(url: str) -> tuple[int, str, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # the test server on 127.0.0.1
            return response.status, response.headers.get_content_type(), response.read()
    except urllib.error.HTTPError as error:
        return error.code, "", b""


def crawl(start: str, root: str) -> tuple[dict[str, set[str]], list[str]]:
    """Every page under ``root`` reached from ``start``: its ids; and every link that did not resolve."""
    pages: dict[str, set[str]] = {}
    fragments: list[tuple[str, str, str]] = []
    broken: list[str] = []
    queue, seen = deque([(start, "(start)")]), {start}
    while queue:
        url, referrer = queue.popleft()
        status, kind, body = _fetch(url)
        if status != 200:
            broken.append(f"{referrer} -> {url}: HTTP {status}")
            continue
        if kind != "text/html":
            continue
        parsed = _Page()
        parsed.feed(body.decode("utf-8"))
        pages[url] = parsed.ids
        for link in parsed.links:
            target, fragment = urldefrag(urljoin(url, link))
            if not target.startswith(root):
                continue  # another site, webcal:, mailto:, tel:
            target = target.split("?")[0]
            if fragment:
                fragments.append((url, target, fragment))
            if target not in seen:
                seen.add(target)
                queue.append((target, url))
    for referrer, target, fragment in fragments:
        if target in pages and fragment not in pages[target]:
            broken.append(f"{referrer} -> {target}#{fragment}: no element with that id")
    return pages, broken


def test_every_internal_link_of_the_example_site_resolves(server: Served, example_site: Path) -> None:
    root = server.url(example_site)
    pages, broken = crawl(root + "index.html", root)
    assert broken == []
    written = {str(p.relative_to(example_site)) for p in example_site.rglob("*.html")
               if "pagefind" not in p.relative_to(example_site).parts}
    reached = {urlsplit(url).path.removeprefix(urlsplit(root).path) for url in pages}
    assert written - reached == UNLINKED
    assert len(reached) > 100


def test_the_crawler_reports_a_missing_page_and_a_missing_fragment(server: Served, example_site: Path) -> None:
    root = server.url(example_site)
    page = Path(server.folder) / "crawl-test"
    page.mkdir(exist_ok=True)
    (page / "index.html").write_text('<a href="gone.html">x</a> <a href="index.html#nowhere">y</a>'
                                     '<a href="https://example.com/">z</a><p id="here"></p>'
                                     '<a href="#here">w</a>', encoding="utf-8")
    start = server.base + "/crawl-test/index.html"
    pages, broken = crawl(start, server.base + "/crawl-test/")
    assert list(pages) == [start]
    assert broken == [f"{start} -> {server.base}/crawl-test/gone.html: HTTP 404",
                      f"{start} -> {start}#nowhere: no element with that id"]
    assert root.endswith("/ops/")
