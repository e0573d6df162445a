"""build_site: the pages it writes, incremental rebuilds, broken links, and where it refuses to write."""

from __future__ import annotations

import gc
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from opsrepo import codedigest, workers
from opsrepo.errors import UsageError
from opsrepo.git.history import Change
from opsrepo.load.repo import load_repo
from opsrepo.site import SiteResult, build_site, builder, render, state
from opsrepo.site.manifest import MANIFEST
from tests.helpers import MINIMAL, NOW, copy_repo, count_pools, overlay

HISTORY = {"runbooks/core/api-errors.md": Change(datetime(2026, 3, 2, 10, tzinfo=UTC), "Ana Silva", "a" * 40)}

PAGES = [
    "404.html", "index.html", "pay.html", "people.html", "people/ana.html", "people/ben.html", "people/cleo.html",
    "policies.html", "policies/core.html", "postmortems.html", "postmortems/2026-10-01-api-outage.html",
    "reliability.html", "rules.html", "runbooks.html", "runbooks/core/api-errors.html", "schedules.html",
    "schedules/core-primary.html", "search.html", "services.html", "services/api.html", "severity.html",
    "teams.html", "teams/core.html",
]


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return copy_repo(MINIMAL, tmp_path / "repo")


def build(root: Path, out: Path, now: datetime = NOW, **options: object) -> SiteResult:
    return build_site(load_repo(root), out, now, history=HISTORY, search=False, **options)  # type: ignore[arg-type]


def html_files(out: Path) -> list[str]:
    return sorted(p.relative_to(out).as_posix() for p in out.rglob("*.html"))


def test_every_page_is_written_with_the_static_files(root: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    result = build(root, out)
    assert (result.pages, result.rendered, result.removed, result.problems, result.ok) == (23, 23, 0, [], True)
    assert html_files(out) == PAGES
    assert sorted(p.name for p in (out / "static").iterdir()) == [
        "favicon.svg", "oncall.js", "print.css", "pygments.css", "search.js", "site.css", "site.js",
        "timeline.css", "timeline.js", "zone.js"]


@pytest.mark.parametrize("enabled", [True, False])
def test_the_cycle_collector_is_paused_during_a_build_and_left_as_it_was(
        root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, enabled: bool) -> None:
    seen = []
    make = builder._range
    monkeypatch.setattr(builder, "_range", lambda *args: seen.append(gc.isenabled()) or make(*args))
    (gc.enable if enabled else gc.disable)()
    try:
        build(root, tmp_path / "site")
        assert (seen, gc.isenabled()) == ([False], enabled)
    finally:
        gc.enable()


def test_a_second_build_of_the_same_repo_rewrites_nothing(root: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    build(root, out)
    before = {path: (out / path).stat().st_mtime_ns for path in PAGES}
    result = build(root, out)
    assert (result.rendered, result.removed) == (0, 0)
    assert {path: (out / path).stat().st_mtime_ns for path in PAGES} == before


def test_changing_a_runbook_body_rewrites_only_its_page(root: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    build(root, out)
    text = (root / "runbooks/core/api-errors.md").read_text() + "\nThen tell #incidents.\n"
    overlay(root, {"runbooks/core/api-errors.md": text})
    result = build(root, out)
    assert result.rendered == 1
    assert "Then tell #incidents." in (out / "runbooks/core/api-errors.html").read_text()


def test_editing_one_runbook_makes_only_its_page_again_not_every_runbook(root: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    overlay(root, {"runbooks/core/db.md": "---\ntitle: Database\nteam: core\n---\nCheck the pool.\n"})
    build(root, out)
    before = (out / "runbooks/core/db.html").stat().st_mtime_ns
    overlay(root, {"runbooks/core/api-errors.md": (root / "runbooks/core/api-errors.md").read_text() + "\nMore.\n"})
    result = build(root, out)
    # the edited runbook's page alone (the home page reads the runbooks' front matter, not their text)
    assert (result.made, result.rendered) == (1, 1)
    assert (out / "runbooks/core/db.html").stat().st_mtime_ns == before


def test_a_runbooks_new_title_is_on_the_home_page(root: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    build(root, out)
    assert "API errors</a>" in (out / "index.html").read_text()
    runbook = root / "runbooks/core/api-errors.md"
    overlay(root, {"runbooks/core/api-errors.md": runbook.read_text().replace("title: API errors", "title: API faults")})
    build(root, out)
    home = (out / "index.html").read_text()
    assert "API faults</a>" in home and "API errors</a>" not in home


def test_a_new_commit_of_a_runbook_updates_its_last_change(root: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    build(root, out)
    before = {path: (out / path).read_text() for path in PAGES}
    later = {**HISTORY, "runbooks/core/api-errors.md": Change(datetime(2026, 11, 20, 9, tzinfo=UTC), "Ben Okafor",
                                                              "b" * 40)}
    result = build_site(load_repo(root), out, NOW, history=later, search=False)
    assert "Ben Okafor" in (out / "runbooks/core/api-errors.html").read_text()
    assert sorted(path for path in PAGES if (out / path).read_text() != before[path]) == [
        "reliability.html", "runbooks.html", "runbooks/core/api-errors.html"]
    assert result.rendered == 3


@pytest.mark.parametrize("alone", [0, state.ALONE], ids=["read", "computed-alone"])
@pytest.mark.parametrize("later", [NOW + timedelta(minutes=30), NOW + timedelta(days=1, hours=3)],
                         ids=["same-day", "next-day"])
def test_a_rebuild_from_the_kept_shifts_equals_a_fresh_build(root: Path, tmp_path: Path, later: datetime,
                                                             alone: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """Kept shifts (read, or each schedule's computed alone while pages need few) make the same pages."""
    monkeypatch.setattr(state, "ALONE", alone)
    kept, fresh = tmp_path / "kept", tmp_path / "fresh"
    build(root, kept)
    assert build(root, kept, later).rendered >= 1
    build(root, fresh, later)
    # the Reliability report is made once a day: later builds of that day keep its first figures
    same = [path for path in PAGES if not (path == "reliability.html" and later.date() == NOW.date())]
    assert {path: (kept / path).read_text() for path in same} == {path: (fresh / path).read_text() for path in same}


def test_a_runbook_edit_reads_no_kept_shifts(root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Its page shows who is on call for its team: those few schedules' shifts are computed alone."""
    out = tmp_path / "site"
    build(root, out)
    assert len(load_repo(root).repo.schedules) < state.ALONE
    overlay(root, {"runbooks/core/api-errors.md": (root / "runbooks/core/api-errors.md").read_text() + "\nMore.\n"})

    def unread(out: Path, key: str) -> None:
        raise AssertionError("the kept shifts were read")

    monkeypatch.setattr(builder, "load_shifts", unread)
    assert build(root, out).rendered == 1


def test_a_second_commit_the_same_day_leaves_the_reliability_report_alone(root: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    build(root, out)
    again = {**HISTORY, "runbooks/core/api-errors.md": Change(datetime(2026, 3, 2, 17, tzinfo=UTC), "Ben Okafor",
                                                              "c" * 40)}
    before = {path: (out / path).read_text() for path in PAGES}
    result = build_site(load_repo(root), out, NOW, history=again, search=False)
    assert sorted(path for path in PAGES if (out / path).read_text() != before[path]) == [
        "runbooks/core/api-errors.html"]
    assert (result.made, result.rendered) == (2, 1)  # the runbook and the runbook index, not the report


def test_the_search_index_is_made_again_only_when_a_searched_page_changes(root: Path, tmp_path: Path) -> None:
    out, later = tmp_path / "site", NOW + timedelta(minutes=30)
    assert build_site(load_repo(root), out, NOW, history=HISTORY).search is not None
    clock_only = build_site(load_repo(root), out, later, history=HISTORY)
    assert (clock_only.rendered, clock_only.search) == (1, None)  # the home page, which search does not index
    overlay(root, {"runbooks/core/api-errors.md": (root / "runbooks/core/api-errors.md").read_text() + "\nMore.\n"})
    edited = build_site(load_repo(root), out, later, history=HISTORY)
    assert edited.rendered == 1 and edited.search is not None
    # every page with a search label: 3 people, and one each of the other kinds and the Reliability report
    assert edited.search.pages == 11


def test_changing_a_runbook_title_rewrites_the_pages_that_show_it(root: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    build(root, out)
    text = (root / "runbooks/core/api-errors.md").read_text().replace("title: API errors", "title: API 5xx")
    overlay(root, {"runbooks/core/api-errors.md": text})
    before = {path: (out / path).read_text() for path in PAGES}
    result = build(root, out)
    changed = sorted(path for path in PAGES if (out / path).read_text() != before[path])
    assert changed == ["index.html", "runbooks.html", "runbooks/core/api-errors.html", "services/api.html",
                       "teams/core.html"]
    assert result.rendered == 5


def test_a_deleted_runbook_loses_its_page_and_folder(root: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    overlay(root, {"runbooks/extra/lonely.md": "---\ntitle: Lonely\n---\nText.\n"})
    build(root, out)
    assert (out / "runbooks/extra/lonely.html").is_file()
    overlay(root, {"runbooks/extra/lonely.md": None})
    result = build(root, out)
    assert result.removed == 1
    assert not (out / "runbooks/extra").exists()


def test_the_home_page_follows_the_clock_and_other_pages_the_day(root: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    build(root, out)
    later = build(root, out, NOW.replace(minute=30))
    assert (later.made, later.rendered) == (1, 1)  # only the home page says when the site was built
    before = {path: (out / path).read_text() for path in PAGES}
    tomorrow = build(root, out, NOW.replace(day=24))
    # the pages that read the date; 8 changed (the runbook page carries its services' shifts from the day on)
    assert (tomorrow.made, tomorrow.rendered) == (11, 8)
    assert sorted(path for path in PAGES if (out / path).read_text() != before[path]) == [
        "index.html", "people/ana.html", "people/cleo.html", "policies/core.html", "reliability.html",
        "runbooks/core/api-errors.html", "schedules/core-primary.html", "services/api.html"]


def test_deleting_a_runbook_breaks_the_links_to_it_everywhere(root: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    overlay(root, {
        "runbooks/core/db.md": "---\ntitle: Database\nservices: [api]\n---\nSee [errors](api-errors.md).\n",
        "postmortems/2026-10-01-api-outage.md": (root / "postmortems/2026-10-01-api-outage.md").read_text()
        + "\nThe [runbook](../runbooks/core/api-errors.md) helped.\n",
    })
    assert build(root, out).ok
    overlay(root, {"runbooks/core/api-errors.md": None,
                   "teams/core.yaml": (root / "teams/core.yaml").read_text()
                   .replace("runbooks: [core/api-errors]", "runbooks: [core/db]")
                   .replace("runbook: core/api-errors", "runbook: core/db")})
    result = build(root, out)
    assert [(d.file, d.line, d.message) for d in result.problems] == [
        ("postmortems/2026-10-01-api-outage.md", 25,
         "broken link '../runbooks/core/api-errors.md': no runbook at runbooks/core/api-errors.md"),
        ("runbooks/core/db.md", 5, "broken link 'api-errors.md': no runbook at runbooks/core/api-errors.md"),
    ]


def test_a_changed_design_rewrites_every_page(root: Path, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "site"
    build(root, out)
    monkeypatch.setattr("opsrepo.site.render.design_fingerprint", lambda: "a newer design")
    assert build(root, out).rendered == 23


@pytest.mark.parametrize(("changed", "differs"), [
    ("site/views/people.py", True), ("site/templates/base.html", True), ("site/static/site.css", True),
    ("site/views/notes.txt", False),
])
def test_the_design_is_the_templates_the_static_files_and_the_code(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, changed: str, differs: bool) -> None:
    package = tmp_path / "opsrepo"
    files = ["site/views/people.py", "site/templates/base.html", "site/static/site.css", "site/views/notes.txt"]
    for name in files:
        (package / name).parent.mkdir(parents=True, exist_ok=True)
        (package / name).write_text("first\n")
    monkeypatch.setattr(codedigest, "PACKAGE", str(package))
    monkeypatch.setattr(render, "TEMPLATES", package / "site/templates")
    monkeypatch.setattr(render, "STATIC", package / "site/static")
    render.design_fingerprint.cache_clear()
    codedigest.code_digest.cache_clear()
    try:
        before = render.design_fingerprint()
        (package / changed).write_text("second\n")
        render.design_fingerprint.cache_clear()
        codedigest.code_digest.cache_clear()
        assert (render.design_fingerprint() != before) is differs
    finally:
        render.design_fingerprint.cache_clear()
        codedigest.code_digest.cache_clear()


def test_a_deleted_page_file_is_written_again(root: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    build(root, out)
    (out / "teams/core.html").unlink()
    assert build(root, out).rendered == 1
    assert (out / "teams/core.html").is_file()


def test_a_tampered_manifest_never_deletes_outside_the_site(root: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    build(root, out)
    victim = tmp_path / "victim.html"
    victim.write_text("keep me")
    manifest = json.loads((out / MANIFEST).read_text())
    manifest["pages"]["../victim.html"] = "x"
    manifest["pages"]["not-ours.html"] = "x"
    (out / MANIFEST).write_text(json.dumps(manifest))
    (out / "mine.txt").write_text("not listed")
    assert build(root, out).removed == 0
    assert victim.read_text() == "keep me" and (out / "mine.txt").is_file()


def test_a_broken_link_fails_the_build_naming_file_line_and_column(root: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    overlay(root, {"runbooks/core/api-errors.md": "---\ntitle: API errors\nteam: core\n---\n"
                   "# API errors\n\nSee [the database](db.md) and ![graph](graph.png).\n"})
    result = build(root, out)
    assert not result.ok
    assert [(d.file, d.line, d.column, d.code, d.message) for d in result.problems] == [
        ("runbooks/core/api-errors.md", 7, 20, "OPS601", "broken link 'db.md': no runbook at runbooks/core/db.md"),
        ("runbooks/core/api-errors.md", 7, 40, "OPS601",
         "broken link 'graph.png': no file at runbooks/core/graph.png"),
    ]
    assert "See the database and ." in (out / "runbooks/core/api-errors.html").read_text()
    assert build(root, out).rendered == 1  # a page with problems is rendered again until fixed


def test_a_page_with_problems_is_deleted_with_its_source(root: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    overlay(root, {"runbooks/core/draft.md": "---\ntitle: Draft\nteam: core\n---\nSee [nothing](nowhere.md).\n"})
    assert not build(root, out).ok and (out / "runbooks/core/draft.html").is_file()
    (root / "runbooks/core/draft.md").unlink()
    result = build(root, out)
    assert (result.ok, result.removed) == (True, 1)
    assert not (out / "runbooks/core/draft.html").exists()


def test_images_are_copied_and_follow_their_file(root: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    overlay(root, {"runbooks/core/api-errors.md": "---\ntitle: API errors\nteam: core\n---\n![graph](graph.png)\n",
                   "runbooks/core/graph.png": {"base64": "iVBORw0KGgo="}})
    build(root, out)
    assert (out / "runbooks/core/graph.png").read_bytes() == (root / "runbooks/core/graph.png").read_bytes()
    overlay(root, {"runbooks/core/graph.png": {"base64": "iVBORw0KGgoAAAA="}})
    build(root, out)
    assert (out / "runbooks/core/graph.png").read_bytes() == (root / "runbooks/core/graph.png").read_bytes()


@pytest.mark.parametrize("where", [".", ".."])
def test_the_site_is_never_written_over_the_ops_repo(root: Path, where: str) -> None:
    with pytest.raises(UsageError) as caught:
        build(root, root / where)
    assert caught.value.message == f"the site cannot be written to {(root / where).resolve()}: it holds the ops repo"


@pytest.mark.parametrize("jobs", [2, 3])
def test_forked_processes_render_the_same_site_as_one(root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                      jobs: int) -> None:
    import concurrent.futures

    pools = count_pools(monkeypatch, concurrent.futures)
    monkeypatch.setattr(builder, "PARALLEL_PAGES", 2)
    monkeypatch.setattr(builder, "may_fork", lambda: True)  # (threads other tests left forbid it)
    build(root, tmp_path / "one", jobs=1)
    build(root, tmp_path / "many", jobs=jobs)
    assert pools == [jobs]
    for path in PAGES:
        assert (tmp_path / "one" / path).read_text() == (tmp_path / "many" / path).read_text(), path


def test_a_build_makes_pages_in_one_process_per_cpu_it_may_use(root: Path, tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    jobs = []
    monkeypatch.setattr(workers.os, "sched_getaffinity", lambda pid: {0, 2, 5})
    monkeypatch.setattr(builder, "_run", lambda job, count, plans: jobs.append(count) or [])
    build(root, tmp_path / "site")
    assert jobs == [3]
