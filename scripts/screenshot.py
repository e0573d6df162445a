"""The README's screenshot: the example site's home page in headless Chromium, with the clock pinned.

    python scripts/screenshot.py [--out docs/img/site-home.png]

Builds the example (Kestrel) repo's site as of OPSREPO_NOW (default
2026-11-23T09:00:00Z, the tests' instant), serves it on 127.0.0.1 under
/ops/ as GitHub Pages would, and photographs the top of the home page at
1280 x 800 in the light scheme, UTC, en-GB, with the browser's clock fixed at
the same instant, so the picture changes only when the site does. Chromium
is $OPSREPO_CHROMIUM, else the ``chromium`` on PATH (Playwright drives it;
it downloads no browser).
"""

from __future__ import annotations

import argparse
import functools
import http.server
import os
import shutil
import sys
import tempfile
import threading
from datetime import datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = ROOT / "docs" / "img" / "site-home.png"
DEFAULT_NOW = "2026-11-23T09:00:00Z"
VIEWPORT = {"width": 1280, "height": 800}


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


def build(out: Path, now: datetime) -> None:
    """The example repo's site into ``out``, as of ``now``."""
    from opsrepo.load.repo import load_repo
    from opsrepo.site import build_site

    result = build_site(load_repo(ROOT), out, now)
    if not result.ok:
        sys.exit(f"screenshot: the example site did not build: {result.problems}")


def photograph(url: str, now: datetime, chromium: str, png: Path) -> None:
    """The top of the page at ``url`` as a PNG."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=["--headless", "--no-sandbox"])
        try:
            page = browser.new_page(viewport=VIEWPORT, device_scale_factor=1, color_scheme="light",
                                    timezone_id="UTC", locale="en-GB")
            page.clock.set_fixed_time(now)
            page.goto(url, wait_until="networkidle")
            png.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(png), type="png", animations="disabled", caret="hide")
        finally:
            browser.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="the PNG to write")
    args = parser.parse_args(argv)
    chromium = os.environ.get("OPSREPO_CHROMIUM") or shutil.which("chromium")
    if chromium is None:
        sys.exit("screenshot: no chromium on PATH; set OPSREPO_CHROMIUM")
    now = datetime.fromisoformat(os.environ.get("OPSREPO_NOW", DEFAULT_NOW))
    with tempfile.TemporaryDirectory() as scratch:
        www = Path(scratch)
        build(www / "ops", now)
        handler = functools.partial(_Quiet, directory=str(www))
        httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
        thread.start()
        try:
            photograph(f"http://127.0.0.1:{httpd.server_port}/ops/index.html", now, chromium, args.out)
        finally:
            httpd.shutdown()
            httpd.server_close()
            thread.join(timeout=5)
    print(f"wrote {args.out} ({args.out.stat().st_size // 1024} KB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
