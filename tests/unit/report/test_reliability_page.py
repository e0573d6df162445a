"""The site's Reliability page: the site's hook (``opsrepo.site.sources``) rendered through its own environment."""

from __future__ import annotations

import re
from pathlib import Path

from opsrepo.git.history import Change
from opsrepo.model import Repo
from opsrepo.report.actions import StatusSnapshot
from opsrepo.report.status import read_snapshot
from opsrepo.site.render import render_page, site_globals
from opsrepo.site.sources import reliability_page
from opsrepo.site.state import SiteState
from tests.unit.report.build import NOW, load, postmortem, status_file, write_repo
from tests.unit.report.conftest import STATUS_ITEMS


def render(state: SiteState, status: StatusSnapshot | None = None) -> str:
    page = reliability_page(state, status)
    assert (page.path, page.template, page.title) == ("reliability.html", "reliability.html", "Reliability")
    return render_page(page, site_globals("Test on-call", "Test", None, None), None)


def test_the_page_has_every_chart_with_its_data_table(four: Repo) -> None:
    html = render(SiteState(four, NOW, history={}))
    assert re.findall(r'<figure class="chart" id="([a-z-]+)-figure">', html) == [
        "chart-mttd", "chart-mtta", "chart-mttr", "chart-frequency", "chart-repeats", "chart-burndown",
        "chart-load"]
    assert html.count("<summary>Data table: ") == 7
    assert html.count('<svg xmlns="http://www.w3.org/2000/svg"') == 7
    assert '<a href="reliability.html" aria-current="page">Reliability</a>' in html
    assert "<h2>Response times</h2>" in html and '<h2 id="definitions">Definitions</h2>' in html
    assert "<dt>MTTA</dt>\n<dd>Time to acknowledge: <code>detected</code> → <code>acknowledged</code>.</dd>" in html
    ids = re.findall(r' id="([^"]+)"', html)
    assert len(ids) == len(set(ids)), "duplicate ids"


def test_no_inline_style_or_script_for_the_csp(four: Repo) -> None:
    main = render(SiteState(four, NOW, history={})).split("<main ")[1].split("</main>")[0]
    assert "<style" not in main and "style=" not in main and "<script" not in main
    assert re.findall(r"\son[a-z]+=", main) == []


def test_status_from_the_build_marks_items_and_links_issues(four: Repo, tmp_path: Path) -> None:
    status = read_snapshot(status_file(tmp_path / "actions.json", STATUS_ITEMS))
    html = render(SiteState(four, NOW, history={}), status)
    assert "States from the action-item status file of 2026-11-23 06:00 UTC." in html
    assert '<td><a href="https://github.com/test/ops/issues/2">Do b</a></td>' in html


def test_runbook_reviews_fall_back_to_git_history(tmp_path: Path) -> None:
    from datetime import UTC, datetime

    repo = load(write_repo(tmp_path, [], {"core/never": {"title": "Never", "team": "core"}}))
    history = {"runbooks/core/never.md": Change(when=datetime(2026, 3, 1, 12, tzinfo=UTC))}
    html = render(SiteState(repo, NOW, history=history))
    assert "<td>2026-03-01 (git)</td>" in html


def test_text_from_the_repo_is_escaped(tmp_path: Path) -> None:
    hostile = '<img src=x onerror="alert(1)">'
    item = {"id": "i", "title": hostile, "owner": "ana", "due": "2026-10-10", "priority": "high", "kind": "detect"}
    repo = load(write_repo(tmp_path, [postmortem("x", "SEV1", "2026-10-05T10:00:00Z", "2026-10-05T11:00:00Z",
                                                 action_items=[item])]))
    html = render(SiteState(repo, NOW, history={}))
    assert "<img" not in html
    assert "&lt;img src=x onerror=&#34;alert(1)&#34;&gt;" in html
