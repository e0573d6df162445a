"""Browser fixtures: the example site built once, served under /ops/ on 127.0.0.1, headless Chromium.

Chromium is the one ``$OPSREPO_CHROMIUM`` names, else the ``chromium`` on PATH
(``scripts/setup-test-env.sh`` installs Debian's when there is none); Playwright
drives it through ``executable_path``, never a downloaded browser.
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import shutil
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from opsrepo.load.repo import load_repo
from opsrepo.site import build_site
from tests.helpers import FIXTURES, NOW, ROOT

#: the browser: $OPSREPO_CHROMIUM, else chromium on PATH (None: neither)
CHROMIUM = os.environ.get("OPSREPO_CHROMIUM") or shutil.which("chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
ARTIFACTS = ROOT / "test-artifacts"
#: the sub-path the site is served under, as on GitHub Pages (https://org.github.io/ops/)
PREFIX = "/ops/"


def _build(source: Path, out: Path) -> Path:
    result = build_site(load_repo(source), out, NOW)
    assert result.ok, result.problems
    assert result.search is not None and result.search.pages > 10
    return out


@pytest.fixture(scope="session")
def example_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example (Kestrel) repo's site, built once per session as of the tests' fixed instant."""
    return _build(ROOT, tmp_path_factory.mktemp("example-site") / "site")


#: pages of the example site whose older version the rebuilt site's whole index holds
ALTERED = ["runbooks/identity/sso-idp-outage.html", "runbooks/storefront/checkout-errors.html",
           "runbooks/data/etl-pipeline-failure.html"]


@pytest.fixture(scope="session")
def rebuilt_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example site as an incremental build leaves it: a whole index, and pages written since apart.

    The whole index is made of older versions of :data:`ALTERED` (saying more, in
    words the site has: an older version of a page on disk, not written again),
    then those pages are written again, as is one page whose text is unchanged.
    """
    out = tmp_path_factory.mktemp("rebuilt-site") / "site"
    _build(ROOT, out)
    for page in ALTERED:
        text = (out / page).read_text(encoding="utf-8")
        older = "<p>Check pgbouncer and the kafka consumer lag first.</p>\n</main>"
        (out / page).write_text(text.replace("</main>", older, 1), encoding="utf-8")
    shutil.rmtree(out / "pagefind")
    _build(ROOT, out)  # no page is written again; the index, gone, is made whole of the pages on disk
    for page in [*ALTERED, "people/alice.html"]:
        (out / page).unlink()
    _build(ROOT, out)
    listing = json.loads((out / "pagefind" / "parts.json").read_text())
    assert (len(listing["parts"]), len(listing["stale"]), len(listing["twice"])) == (2, len(ALTERED), 1)
    return out


@pytest.fixture(scope="session")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site of the fixture repo whose every text tries to run script."""
    repo = tmp_path_factory.mktemp("hostile-repo") / "repo"
    shutil.copytree(FIXTURES / "repos" / "site-hostile", repo)
    return _build(repo, tmp_path_factory.mktemp("hostile-site") / "site")


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@dataclass
class Served:
    """Sites served over HTTP at ``base`` + name + ``/`` (e.g. ``http://127.0.0.1:41234/ops/``)."""

    base: str
    folder: Path
    names: dict[str, str] = field(default_factory=dict)

    def url(self, site: Path, page: str = "") -> str:
        """The URL of ``page`` in ``site``."""
        return self.base + self.names[str(site)] + page


@pytest.fixture(scope="session")
def server(example_site: Path, hostile_site: Path, rebuilt_site: Path,
           tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """A threaded HTTP server on a random port of 127.0.0.1; stops at the end of the session."""
    root = tmp_path_factory.mktemp("www")
    (root / PREFIX.strip("/")).symlink_to(example_site)
    (root / "hostile").symlink_to(hostile_site)
    (root / "rebuilt").symlink_to(rebuilt_site)
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(root)))
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
    thread.start()
    served = Served(f"http://127.0.0.1:{httpd.server_port}", root,
                    {str(example_site): PREFIX, str(hostile_site): "/hostile/", str(rebuilt_site): "/rebuilt/"})
    try:
        yield served
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Headless Chromium (:data:`CHROMIUM`) through Playwright."""
    if CHROMIUM is None or not Path(CHROMIUM).is_file():
        where = f"OPSREPO_CHROMIUM={CHROMIUM} is no file" if CHROMIUM else "no chromium on PATH"
        pytest.fail(f"{where}: run scripts/setup-test-env.sh (it installs Debian's chromium) or set OPSREPO_CHROMIUM")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            yield launched
        finally:
            launched.close()


@dataclass
class Watched:
    """A page with everything it reported: console errors, CSP violations, dialogs, failed requests."""

    page: Any
    errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)


@pytest.fixture
def watched(browser: Any) -> Iterator[Watched]:
    """A fresh browser context and page that records what went wrong."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    watch = Watched(page)
    page.on("console", lambda m: watch.errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: watch.errors.append(f"uncaught: {e}"))
    page.on("requestfailed", lambda r: watch.failed.append(r.url))

    def dismiss(dialog: Any) -> None:
        watch.dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", dismiss)
    try:
        yield watch
    finally:
        context.close()

