"""The calendars' HTML views carry the site's Content-Security-Policy, which allows no inline style or script."""

from __future__ import annotations

import re
from pathlib import Path

from opsrepo.calendar import default_range, write_calendars
from opsrepo.csp import CSP
from opsrepo.load.repo import load_repo
from tests.helpers import MINIMAL, NOW


def test_every_calendar_page_has_the_sites_policy_and_nothing_inline(tmp_path: Path) -> None:
    repo = load_repo(MINIMAL).repo
    written = write_calendars(repo, *default_range(NOW, repo.org.timezone), tmp_path)
    pages = [path for path in written if path.suffix == ".html"]
    assert len(pages) > 3
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert f'<meta http-equiv="Content-Security-Policy" content="{CSP}">' in text, page
        assert re.search(r"<style|<script|\sstyle=|\son\w+=", text) is None, page
        stylesheet = re.search(r'<link rel="stylesheet" href="([^"]+)">', text)
        assert stylesheet and (page.parent / stylesheet.group(1)).resolve() == (tmp_path / "calendar.css").resolve()
    assert (tmp_path / "calendar.css") in written


def test_the_policy_allows_images_from_the_site_only() -> None:
    sources = dict(part.strip().split(" ", 1) for part in CSP.split(";"))
    assert sources["img-src"] == "'self'"
    assert sources["style-src"] == "'self'" and "unsafe-inline" not in CSP
