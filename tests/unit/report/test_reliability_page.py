"""The site's Reliability page: the site's hook (``opsrepo.site.sources``) rendered through its own environment."""

from __future__ import annotations

import re
from pathlib import Path

from opsrepo.git.history import Change
from opsrepo.model import Repo
from opsrepo.report.actions import StatusSnapshot
from opsrepo.report.status import read_snapshot
from opsrepo.site.reliability import reliability_page
from opsrepo.site.render import render_page, site_globals
from opsrepo.site.state import SiteState
from tests.unit.report.build import NOW, load, postmortem, status_file, write_repo
from tests.unit.report.conftest import STATUS_ITEMS


def render(state: SiteState, status: StatusSnapshot | None = None) -> str:
    page = reliability_page(state, status)
    assert (page.path, page.template, page.title) == ("reliability.html", "reliability.html", "Reliability")
    return render_page(page, site_globals("Test on-call", "Test", None, None), None)


def test_the_page_has_every_chart_with_its_data_table(four: Repo) -> None:
    html = render(SiteState(four, NOW, history={}))
    # the on-call load (who held how many hours) is left out of the search index, the other charts are searched
    assert re.findall(r'<figure class="chart" id="([a-z-]+)-figure"( data-pagefind-ignore)?>', html) == [
        ("chart-mttd", ""), ("chart-mtta", ""), ("chart-mttr", ""), ("chart-frequency", ""), ("chart-repeats", ""),
        ("chart-burndown", ""), ("chart-load", " data-pagefind-ignore")]
    assert html.count("<summary>Data table: ") == 7
    assert html.count('<svg xmlns="http://www.w3.org/2000/svg"') == 7
    assert '<a href="reliability.html" aria-current="page">Reliability</a>' in html
    assert '<h2 id="response-times">Response times</h2>' in html and '<h2 id="definitions">Definitions</h2>' in html
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


def flat(html: str) -> str:
    """The page's HTML without line breaks (tables are written a cell a line)."""
    return html.replace("\n", "")


def test_a_list_of_the_sections_leads_to_each(four: Repo) -> None:
    html = render(SiteState(four, NOW, history={}))
    assert flat(html).count('<nav class="sections"') == 1
    assert (
        '<nav class="sections" aria-label="Sections of this page"><ul><li><a href="#charts">Charts</a></li>'
        '<li><a href="#incidents">Incidents</a></li><li><a href="#response-times">Response times</a></li>'
        '<li><a href="#incident-frequency">Incident frequency</a></li>'
        '<li><a href="#repeat-incidents">Repeat incidents</a></li><li><a href="#action-items">Action items</a></li>'
        '<li><a href="#post-mortem-timeliness">Post-mortem timeliness</a></li>'
        '<li><a href="#on-call-load">On-call load</a></li>'
        '<li><a href="#runbooks-overdue-for-review">Runbooks overdue for review</a></li>'
        '<li><a href="#definitions">Definitions</a></li></ul></nav>'
    ) in flat(html)
    targets = re.findall(r'<li><a href="#([a-z-]+)">', flat(html).split('<nav class="sections"')[1])
    unsearched = {"on-call-load"}
    assert all(f'<h2 id="{target}"{" data-pagefind-ignore" if target in unsearched else ""}>' in html
               for target in targets)


def test_every_incident_person_team_service_and_schedule_links_to_its_page(four: Repo, tmp_path: Path) -> None:
    status = read_snapshot(status_file(tmp_path / "actions.json", STATUS_ITEMS))
    html = flat(render(SiteState(four, NOW, history={}), status))
    # an incident with two services, in the list of incidents
    assert ('<tr><td>2026-10-12</td><td><a href="postmortems/i2.html">i2</a></td><td>SEV1</td>'
            '<td><a href="services/api.html">api</a>, <a href="services/db.html">db</a></td>') in html
    # an overdue action item: its issue, post-mortem, owner and team
    assert ('<tr><td><a href="https://github.com/test/ops/issues/2">Do b</a></td>'
            '<td><a href="postmortems/i1.html">i1</a></td><td><a href="people/ben.html">Ben Okafor (ben)</a></td>'
            '<td><a href="teams/core.html">core</a></td><td>2026-11-01</td><td class="align-right">22</td></tr>'
            ) in html
    assert '<tr><td><a href="people/ana.html">Ana Silva (ana)</a></td><td><a href="teams/core.html">core</a></td>' in html
    assert '<td><a href="schedules/core-primary.html">core-primary</a></td>' in html
    assert '<tr><td><a href="services/cdn.html">cdn</a></td>' in html  # response times by service
    linked = set(re.findall(r'<a href="((?:postmortems|people|teams|services|schedules)/[^"]+)"', html))
    assert linked == {"postmortems/i1.html", "postmortems/i2.html", "postmortems/i3.html", "postmortems/i4.html",
                      "people/ana.html", "people/ben.html", "people/cleo.html", "teams/core.html", "teams/edge.html",
                      "services/api.html", "services/db.html", "services/cdn.html", "schedules/core-primary.html"}


def test_an_owner_who_is_nobody_of_the_repo_is_named_not_linked(tmp_path: Path) -> None:
    item = {"id": "i", "title": "Fix it", "owner": "zed", "due": "2026-10-10", "priority": "high", "kind": "detect"}
    repo = load(write_repo(tmp_path, [postmortem("x", "SEV1", "2026-10-05T10:00:00Z", "2026-10-05T11:00:00Z",
                                                 action_items=[item])]))
    html = flat(render(SiteState(repo, NOW, history={})))
    assert ('<tr><td>Fix it</td><td><a href="postmortems/x.html">x</a></td><td>zed</td><td>(unknown)</td>'
            '<td>2026-10-10</td><td class="align-right">44</td></tr>') in html


def test_months_without_incidents_are_one_line_not_rows(four: Repo) -> None:
    html = flat(render(SiteState(four, NOW, history={})))
    folded = "<p>No incidents in 2025-12 to 2026-09: those months are left out.</p>"
    assert html.count(folded) == 2  # after the response times by month and the frequency table
    frequency = html.split('<h2 id="incident-frequency">')[1].split("</table>")[0]
    assert re.findall(r"<tr><td>([0-9-]+(?: \(partial\))?)</td>", frequency) == ["2026-10", "2026-11 (partial)"]
    by_month = html.split("<h3>By month</h3>")[1].split("</table>")[0]
    assert re.findall(r"<tr><td>([0-9-]+)</td>", by_month) == ["2026-10", "2026-11"]
    chart = html.split('<figure class="chart" id="chart-frequency-figure">')[1].split("</figure>")[0]
    assert ('<tbody><tr><td>2025-12</td><td class="align-right">0</td><td class="align-right">0</td>'
            '<td class="align-right">0</td><td class="align-right">0</td></tr>') in chart  # the chart keeps them


def test_an_unknown_state_says_what_it_means_and_the_step_that_fixes_it(four: Repo, tmp_path: Path) -> None:
    html = render(SiteState(four, NOW, history={}))
    assert ("<p>No action-item status file (status/actions.json): every state is unknown, so no item counts as "
            "closed or overdue; unknown means the report has not asked GitHub, not that the item is open. "
            "To fix it, run <code>opsrepo actions sync</code> with a GitHub token in <code>GITHUB_TOKEN</code> "
            "(the action items workflow does it every day): it writes status/actions.json, which the next "
            "report and site build read.</p>") in html
    status = read_snapshot(status_file(tmp_path / "actions.json", STATUS_ITEMS))
    html = render(SiteState(four, NOW, history={}), status)
    assert ("<p>1 item has an unknown state: the status file of 2026-11-23 06:00 UTC does not list it, as it "
            "was added after the last <code>opsrepo actions sync</code>; unknown counts as neither open nor "
            "closed. To fix it, run <code>opsrepo actions sync</code> with a GitHub token in "
            "<code>GITHUB_TOKEN</code> (the action items workflow does it every day): it writes "
            "status/actions.json, which the next report and site build read.</p>") in html


def test_a_chain_of_repeats_links_each_incident(tmp_path: Path) -> None:
    repo = load(write_repo(tmp_path, [
        postmortem("a", "SEV2", "2026-09-01T10:00:00Z", "2026-09-01T11:00:00Z", root_cause={"category": "config", "summary": "why"}),
        postmortem("b", "SEV1", "2026-10-01T10:00:00Z", "2026-10-01T11:00:00Z", root_cause={"category": "config", "summary": "why"}),
    ]))
    html = render(SiteState(repo, NOW, history={}))
    assert ('<li><a href="postmortems/a.html">a</a> (SEV2, config) → <a href="postmortems/b.html">b</a> '
            '(SEV1, config)</li>') in html
