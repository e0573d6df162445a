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
from opsrepo.site import build_site, search
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


#: the example repo's files (a copy of them is edited for the sharded and unsharded sites)
REPO_FILES = ["opsrepo.yaml", "alerts", "policies", "postmortems", "runbooks", "schedules", "teams"]
#: the runbook edited after the sharded site's first build, and what is added: words no page had
EDITED = "runbooks/payments/db-connection-pool.md"
ADDED = ("\n## Zyzzogeton drill\n\nDrain `zyzzogeton-7.kestrel.internal` first, then watch "
         "`zyzzogeton_lag_seconds` fall below its usual level.\n")
#: a runbook edited twice: words added, then some of them taken away again
TWICE = "runbooks/platform/node-not-ready.md"
TWICE_ADDED = "\nDrain `zyzzogeton-7.kestrel.internal` first, then watch the quorum settle.\n"
TWICE_KEPT = "\nDrain `zyzzogeton-7.kestrel.internal` first.\n"
#: a runbook that loses words no other page has (its throwaway pod's check)
CUT = "runbooks/platform/dns-resolution.md"
CUT_FROM, CUT_TO = "kubectl run dnscheck", "```\n\nCheck CoreDNS"
#: a runbook the sharded site has at first and loses, and one it gains (neither is in the example repo)
RETIRED, RETIRED_TEXT = "runbooks/platform/quuxplorer-drill.md", (
    "---\ntitle: Quuxplorer drill\nteam: platform\n---\n# Quuxplorer drill\n\nRestart the quuxplorer "
    "daemon on `quux-3.kestrel.internal`, then check the replica lag.\n")
NEW, NEW_TEXT = "runbooks/platform/frobnicator-drill.md", (
    "---\ntitle: Frobnicator drill\nteam: platform\n---\n# Frobnicator drill\n\nRestart the frobnicator "
    "on `frob-2.kestrel.internal` and watch `zyzzogeton_lag_seconds`.\n")


def _append(repo: Path, path: str, text: str) -> None:
    (repo / path).write_text((repo / path).read_text(encoding="utf-8") + text, encoding="utf-8")


def _cut(repo: Path) -> None:
    text = (repo / CUT).read_text(encoding="utf-8")
    start = text.index(CUT_FROM)
    (repo / CUT).write_text(text[:start] + text[text.index(CUT_TO, start):], encoding="utf-8")


def _edit_words(repo: Path) -> None:
    """Words no page had, on two runbooks."""
    _append(repo, EDITED, ADDED)
    _append(repo, TWICE, TWICE_ADDED)


def _edit_again(repo: Path) -> None:
    """Some of those words taken away from one of them, and a runbook added."""
    (repo / TWICE).write_text((repo / TWICE).read_text(encoding="utf-8").replace(TWICE_ADDED, TWICE_KEPT),
                              encoding="utf-8")
    (repo / NEW).write_text(NEW_TEXT, encoding="utf-8")


def _edit_away(repo: Path) -> None:
    """Words no other page has taken away from a runbook, and a runbook removed."""
    _cut(repo)
    (repo / RETIRED).unlink()


#: the edits the sharded site is built again after, one build each, in this order
EDITS = (_edit_words, _edit_again, _edit_away)


@pytest.fixture(scope="session")
def edited_repo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A copy of the example repo with :data:`RETIRED`, and a copy with every one of :data:`EDITS` made."""
    copies = []
    for name in ("repo", "edited"):
        repo = tmp_path_factory.mktemp(name) / "repo"
        repo.mkdir()
        for file in REPO_FILES:
            (shutil.copytree if (ROOT / file).is_dir() else shutil.copyfile)(ROOT / file, repo / file)
        (repo / RETIRED).write_text(RETIRED_TEXT, encoding="utf-8")
        copies.append(repo)
    for edit in EDITS:
        edit(copies[1])
    return copies[0], copies[1]


def _with_shards(pages: int, build: Any) -> Any:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(search, "SHARD_PAGES", pages)
        return build()


@pytest.fixture(scope="session")
def unsharded_site(edited_repo: tuple[Path, Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The edited example repo's site with its index in one shard, as one Pagefind run makes it."""
    out = _with_shards(10**6, lambda: _build(edited_repo[1], tmp_path_factory.mktemp("unsharded") / "site"))
    assert len(json.loads((out / "pagefind/parts.json").read_text())["parts"]) == 1
    return out


@pytest.fixture(scope="session")
def sharded_site(edited_repo: tuple[Path, Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The same site in shards of about 4 pages and a recent part, as incremental builds leave it.

    Built from the first copy of the repo, then again after each of :data:`EDITS`:
    the first two index only the pages they wrote, in the recent part, hiding
    their shards' copies; the third takes words no other page has away, so
    their shards are made again.
    """
    out = tmp_path_factory.mktemp("sharded") / "site"
    _with_shards(4, lambda: _build(edited_repo[0], out))
    first = json.loads((out / "pagefind/parts.json").read_text())["shards"]
    indexed = []
    for edit in EDITS:
        edit(edited_repo[0])
        result = _with_shards(4, lambda: build_site(load_repo(edited_repo[0]), out, NOW))
        assert result.ok and result.search is not None, result.problems
        indexed.append((result.search.indexed, result.search.recent > 0))
    listing = json.loads((out / "pagefind/parts.json").read_text())
    # (the third folds four shards: the two runbooks', the platform team's and the Reliability page's, whose
    # copies alone had words of the retired runbook)
    assert len(listing["shards"]) > 25 and indexed == [(0, True), (0, True), (4, True)]
    folded = {search.shard_of(page.replace(".md", ".html"), len(first)) for page in (CUT, RETIRED)}
    made = {shard for shard, name in enumerate(listing["shards"]) if name != first[shard]}
    assert len(made) == 4 and made >= folded
    assert listing["hidden"] and EDITED.replace(".md", ".html") in listing["hidden"]
    assert listing["parts"][-1].startswith("recent-")
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
def server(example_site: Path, hostile_site: Path, unsharded_site: Path, sharded_site: Path,
           tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """A threaded HTTP server on a random port of 127.0.0.1; stops at the end of the session."""
    root = tmp_path_factory.mktemp("www")
    (root / PREFIX.strip("/")).symlink_to(example_site)
    (root / "hostile").symlink_to(hostile_site)
    (root / "unsharded").symlink_to(unsharded_site)
    (root / "sharded").symlink_to(sharded_site)
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(root)))
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
    thread.start()
    served = Served(f"http://127.0.0.1:{httpd.server_port}", root,
                    {str(example_site): PREFIX, str(hostile_site): "/hostile/", str(unsharded_site): "/unsharded/",
                     str(sharded_site): "/sharded/"})
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

