"""The Reliability page in a real browser: axe finds no accessibility violation, light or dark.

Rendered through the site's own environment (with its stylesheet), opened by
headless Chromium (the session's one browser: a second Playwright started
while the first runs fails), checked by axe-core (WCAG 2.1 A and AA rules,
colour contrast included) in both colour schemes.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from opsrepo.load.repo import load_repo
from opsrepo.oncall import shift_segments
from opsrepo.report.site import site_page
from opsrepo.site.render import STATIC, render_page, site_globals
from opsrepo.site.state import Page
from tests.helpers import ROOT
from tests.unit.report.build import NOW

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def page_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("site")
    shutil.copytree(STATIC, out / "static")
    repo = load_repo(ROOT).repo
    data = site_page(repo, NOW, shifts=shift_segments)
    html = render_page(Page("reliability.html", "reliability.html", "Reliability", data),
                       site_globals("Kestrel on-call", "Kestrel", None, None), None)
    (out / "reliability.html").write_text(html, encoding="utf-8")
    return out / "reliability.html"


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_violation(page_file: Path, browser: Any, scheme: str) -> None:
    from axe_playwright_python.sync_playwright import Axe

    context = browser.new_context(color_scheme=scheme)
    try:
        page = context.new_page()
        page.goto(page_file.as_uri())
        assert page.locator("svg.opsrepo-chart").count() == 7
        results = Axe().run(page, options={"runOnly": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]})
    finally:
        context.close()
    assert results.violations_count == 0, results.generate_report()
