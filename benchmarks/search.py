"""Benchmark: what a search costs the browser, with one whole index and after incremental builds.

    python benchmarks/search.py [--sizes 500 1000 2000] [--written 3] [--quick]

For each size (runbooks, with 3 schedules per 20 of them: 300 at 2000),
generates an org (benchmarks/genorg.py), then builds its site three ways in
this process:

1. a clean build: one whole Pagefind index;
2. the same site after ``--written`` pages were written again (their files
   deleted, then a rebuild): the whole index plus a small recent one;
3. the same site with the index dealt into parts of 200 pages by a hash of
   the path, each holding the vocabulary (the design issue 5 tried and
   replaced), made with Pagefind directly for the comparison.

Each is served on 127.0.0.1 and searched in headless Chromium (Debian's,
through Playwright) from the site's search page; printed for each query:
requests to ``pagefind/``, bytes received, time to the results, and the
result count (the rebuilt site's must be the whole index's). What one search
costs at each size shows how it grows with the site. ``--quick``: 10
runbooks, one query: a smoke run.
"""

from __future__ import annotations

import argparse
import functools
import hashlib
import http.server
import os
import shutil
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))
from genorg import generate

CHROMIUM = os.environ.get("OPSREPO_CHROMIUM") or shutil.which("chromium") or "chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
QUERIES = ("escalate", "database connection", "rollback", "failover", "pgbouncer")


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextmanager
def served(root: Path) -> Iterator[str]:
    """``root`` over HTTP on 127.0.0.1; its base URL."""
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(root)))
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_port}/"
    finally:
        httpd.shutdown()
        httpd.server_close()


def hashed_parts(site: Path, size: int = 200) -> int:
    """Replace ``site``'s index with parts of about ``size`` pages, each with the vocabulary records."""
    from opsrepo.site import search
    from opsrepo.site.manifest import Manifest

    pages = sorted(path for path, record in Manifest.read(site).pages.items() if record.searched)
    count = max(1, -(-len(pages) // size))
    by_part: dict[int, list[str]] = {}
    for page in pages:
        digest = hashlib.blake2b(page.encode("utf-8"), digest_size=8).digest()
        by_part.setdefault(int.from_bytes(digest, "big") % count, []).append(page)
    texts = ((site / page).read_text(encoding="utf-8") for page in pages)
    words = sorted({word for text in texts for word in search.words_of(text)})
    records = search._vocabulary_pages(site, words)  # the records the recent index holds
    shutil.rmtree(site / "pagefind")
    for number, part in sorted(by_part.items()):
        search._index_pages(site, part, site / "pagefind" / str(number), records)
    shutil.rmtree(records)
    search._write_listing(site / "pagefind", search._Listing([f"{n}/" for n in sorted(by_part)]))
    return count


def measure(browser: Any, url: str) -> tuple[int, int, float, str]:
    """Requests to pagefind/, bytes, seconds to the results, and the status line of one search."""
    context = browser.new_context()
    page = context.new_page()
    seen: list[int] = []
    page.on("requestfinished", lambda r: seen.append(r.sizes()["responseBodySize"]) if "/pagefind/" in r.url
            else None)
    start = time.perf_counter()
    page.goto(url)
    page.wait_for_selector("[data-search-status]:has-text('for “')")
    took = time.perf_counter() - start
    page.wait_for_load_state("networkidle")
    status = page.locator("[data-search-status]").inner_text()
    context.close()
    return len(seen), sum(seen), took, status


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[500, 1000, 2000], help="runbooks")
    parser.add_argument("--written", type=int, default=3, help="pages written again for the rebuilt site")
    parser.add_argument("--quick", action="store_true", help="10 runbooks, one query: a smoke run")
    args = parser.parse_args()
    for runbooks in [10] if args.quick else args.sizes:
        one_size(argparse.Namespace(runbooks=runbooks, schedules=max(runbooks * 3 // 20, 1),
                                    written=args.written, queries=QUERIES[:1] if args.quick else QUERIES))
    return 0


def one_size(args: argparse.Namespace) -> None:
    """Build, serve and search the site of one generated org."""
    from playwright.sync_api import sync_playwright

    from opsrepo.load.repo import load_repo
    from opsrepo.site import build_site

    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        generate(work / "org", args.schedules, args.runbooks)
        loaded, now = load_repo(work / "org"), datetime.now(UTC)
        www = work / "www"
        for name in ("whole", "rebuilt", "parts"):
            build_site(loaded, www / name, now)
        rewritten = sorted((www / "rebuilt" / "runbooks").rglob("*.html"))[: args.written]
        for page in rewritten:
            page.unlink()
        result = build_site(loaded, www / "rebuilt", now)
        parts = hashed_parts(www / "parts")
        print(f"org of {args.runbooks} runbooks, {args.schedules} schedules: {result.pages} pages; rebuilt: "
              f"{result.search}; hashed: {parts} parts of about 200 pages")
        with served(www) as base, sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            try:
                for query in args.queries:
                    found = {}
                    for name in ("whole", "rebuilt", "parts"):
                        url = f"{base}{name}/search.html?q={query}"
                        requests, received, took, status = measure(browser, url)
                        found[name] = status
                        print(f"  {query!r:22} {name:8} {requests:4} requests {received / 1024:7.0f} KB "
                              f"{took * 1000:6.0f} ms  {status}")
                    # the rebuilt site finds what one index finds (the hashed parts may not, for a
                    # word on no page: each part answers it with a shorter word of its own chunk)
                    assert found["rebuilt"] == found["whole"], found
            finally:
                browser.close()


if __name__ == "__main__":
    sys.exit(main())
