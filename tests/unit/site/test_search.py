"""The search index (real Pagefind): shards by a hash of the page's path, edited pages in a recent part."""

from __future__ import annotations

import gzip
import json
import re
from pathlib import Path

import pytest

from opsrepo.errors import OpsrepoError
from opsrepo.load.repo import load_repo
from opsrepo.site import SiteResult, build_site, indexer, recent, search
from opsrepo.site.search import SearchIndex, shard_count, shard_of
from tests.helpers import MINIMAL, NOW, copy_repo, overlay
from tests.unit.site.test_builder import HISTORY

#: the minimal repo's searched pages: every page with a search label (3 people, one of each other kind)
SEARCHED = [
    "people/ana.html", "people/ben.html", "people/cleo.html", "policies/core.html",
    "postmortems/2026-10-01-api-outage.html", "reliability.html", "runbooks/core/api-errors.html",
    "schedules/core-primary.html", "services/api.html", "severity.html", "teams/core.html",
]
RUNBOOK = "runbooks/core/api-errors.md"
PAGE = "runbooks/core/api-errors.html"
#: with shards of about two pages, the minimal repo's 11 searched pages are dealt into 6
SHARDS = 6
#: the shard of each searched page among 6 (a hash of the path: the same on every machine and build)
#: (shard 5 holds none: the listing names no folder for it)
DEALT = {0: ["severity.html"], 1: ["people/cleo.html", "postmortems/2026-10-01-api-outage.html", "reliability.html",
                                   "runbooks/core/api-errors.html"],
         2: ["people/ana.html", "schedules/core-primary.html"], 3: ["people/ben.html"],
         4: ["policies/core.html", "services/api.html", "teams/core.html"], 5: []}
#: the runbook's words that no other page of its shard has, and of its title (their text between spaces,
#: without the punctuation around it, a plain word without its capital: "Check" is "check", "(API)." is
#: "API", which other pages have)
ORPHANS = ["answers", "api-5xx", "back", "check", "dashboards", "errors", "roll"]
#: the shards that hold pages, and the runbook's
KEPT = 5
RUNBOOK_SHARD = 1


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return copy_repo(MINIMAL, tmp_path / "repo")


@pytest.fixture
def small_shards(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(search, "SHARD_PAGES", 2)


def build(root: Path, out: Path, search_on: bool = True) -> SiteResult:
    return build_site(load_repo(root), out, NOW, history=HISTORY, search=search_on)


def edit(root: Path, line: str) -> None:
    overlay(root, {RUNBOOK: (root / RUNBOOK).read_text() + f"\n{line}\n"})


def listing(out: Path) -> dict[str, object]:
    return dict(json.loads((out / "pagefind/parts.json").read_text()))


def shards(out: Path) -> list[str | None]:
    names = listing(out)["shards"]
    assert isinstance(names, list)
    return names


def texts(out: Path, name: str) -> dict[str, str]:
    """Each page of the shard as Pagefind read it (its fragment files: gzip, a signature, JSON): its text."""
    found = {}
    for fragment in (out / "pagefind" / name / "fragment").iterdir():
        raw = gzip.decompress(fragment.read_bytes())
        assert raw[:12] == b"pagefind_dcd"
        data = json.loads(raw[12:])
        found[data["url"].lstrip("/")] = data["content"]
    return found


def dealt(out: Path) -> dict[int, list[str]]:
    """The pages each shard of the listing holds."""
    return {shard: sorted(texts(out, name)) if name else [] for shard, name in enumerate(shards(out))}


def made_at(out: Path) -> dict[str, int]:
    return {name: (out / "pagefind" / name / "pagefind-entry.json").stat().st_mtime_ns
            for name in shards(out) if name}


def leftovers(out: Path) -> list[str]:
    """Temporary folders a build left behind (none ever should be)."""
    return sorted(p.name for folder in (out, out / "pagefind") for p in folder.iterdir()
                  if p.name.startswith(".") and p.is_dir())


def runtime(out: Path) -> dict[str, list[str]]:
    """The script, worker and WebAssembly files in each shard's folder that has any."""
    found = {}
    for name in shards(out):
        if name:
            files = sorted(p.name for p in (out / "pagefind" / name).iterdir()
                           if p.is_file() and p.name.endswith((".js", ".pagefind", ".css")))
            if files:
                found[name] = files
    return found


def test_pages_are_dealt_into_shards_by_a_hash_of_their_path() -> None:
    assert {shard: sorted(page for page in SEARCHED if shard_of(page, SHARDS) == shard)
            for shard in range(SHARDS)} == DEALT
    assert shard_of(PAGE, SHARDS) == RUNBOOK_SHARD
    assert [shard_count(pages) for pages in (0, 1, 100, 101, 2000, 3213)] == [1, 1, 1, 2, 20, 33]


@pytest.mark.usefixtures("small_shards")
def test_a_clean_build_makes_every_shard(root: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    assert build(root, out).search == SearchIndex(pages=11, shards=KEPT, indexed=KEPT)
    names = shards(out)
    assert [name and name.split("-")[0] for name in names] == ["0", "1", "2", "3", "4", None]
    # and for each shard, its pages and the words on them (Pagefind's counts: the browser ranks
    # with the whole site's)
    assert listing(out) == {"format": 3, "parts": [f"{name}/" for name in names if name],
                            "shards": names, "stats": [[1, 65], [4, 1835], [2, 60], [1, 17], [3, 200], None],
                            "site": [11, 2177], "recent": {"name": None, "pages": [], "stats": None},
                            "hidden": {}}
    assert dealt(out) == DEALT
    assert sorted(p.name for p in (out / "pagefind").iterdir()) == sorted([*(str(name) for name in names if name), "parts.json"])
    # the first shard alone has Pagefind's script, its worker and WebAssembly (the others' are
    # never loaded); its unused UI is published by none
    assert runtime(out) == {names[0]: ["pagefind-worker.js", "pagefind.js", "wasm.en.pagefind",
                                       "wasm.unknown.pagefind"]}
    # patched so that every merged shard tells the words each result matched
    script = (out / "pagefind" / str(names[0]) / "pagefind.js").read_text()
    assert "this.instances.map((i)=>i.enterPlaygroundMode())" in script
    assert "enterPlaygroundMode:()=>wrapper.enterPlaygroundMode()" in script
    assert leftovers(out) == []


def test_a_small_site_has_one_shard(root: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    assert build(root, out).search == SearchIndex(pages=11, shards=1, indexed=1)
    assert dealt(out) == {0: SEARCHED}


def fragment_ids(out: Path, name: str) -> dict[str, str]:
    """Each page of a part by its Pagefind id (its fragment file's name)."""
    return {json.loads(gzip.decompress(path.read_bytes())[12:])["url"].lstrip("/"): path.name.split(".")[0]
            for path in (out / "pagefind" / name / "fragment").iterdir()}


def recent_part(out: Path) -> str:
    part = listing(out)["recent"]
    assert isinstance(part, dict) and isinstance(part["name"], str)
    return part["name"]


@pytest.mark.usefixtures("small_shards")
def test_an_edit_indexes_its_page_in_the_recent_part_and_hides_its_shards_copy(root: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    build(root, out)
    before, at = shards(out), made_at(out)
    old_id = fragment_ids(out, str(before[RUNBOOK_SHARD]))[PAGE]
    edit(root, "Check the zyzzogeton gauge.")  # a word no page had: no more work than any other edit
    result = build(root, out)
    assert (result.rendered, result.search) == (1, SearchIndex(pages=11, shards=KEPT, indexed=0, recent=1))
    # no shard is made again; the page is in the recent part, merged last
    assert (shards(out), made_at(out)) == (before, at)
    recent = recent_part(out)
    assert recent.startswith("recent-") and listing(out)["parts"] == [
        *(f"{name}/" for name in before if name), f"{recent}/"]
    assert texts(out, recent) == {PAGE: texts(out, str(before[RUNBOOK_SHARD]))[PAGE] + " Check the zyzzogeton gauge."}
    # its shard's copy is hidden (by its id), and the site's numbers leave it out: 4 words more
    assert {key: listing(out)[key] for key in ("recent", "hidden", "stats", "site")} == {
        "recent": {"name": recent, "pages": [PAGE], "stats": [1, 21]}, "hidden": {PAGE: [RUNBOOK_SHARD, old_id, 17]},
        "stats": [[1, 65], [4, 1835], [2, 60], [1, 17], [3, 200], None], "site": [11, 2181]}
    # the words of the hidden copy that no other page of its shard has: each on a recent page (else
    # the shard would be made again, see the next test)
    assert json.loads((out / "pagefind" / recent / "opsrepo-orphans.json").read_text()) == {
        str(RUNBOOK_SHARD): dict.fromkeys(ORPHANS, 1)}
    assert runtime(out) == {str(before[0]): ["pagefind-worker.js", "pagefind.js", "wasm.en.pagefind",
                                             "wasm.unknown.pagefind"]}
    # edited again: the recent part is made again, the copy hidden is still the shard's
    edit(root, "Escalate to the on-call.")
    assert build(root, out).search == SearchIndex(pages=11, shards=KEPT, indexed=0, recent=1)
    assert texts(out, recent_part(out))[PAGE].endswith("Check the zyzzogeton gauge. Escalate to the on-call.")
    assert listing(out)["hidden"] == {PAGE: [RUNBOOK_SHARD, old_id, 17]}
    assert sorted(p.name for p in (out / "pagefind").iterdir()) == sorted(
        [*(str(name) for name in before if name), recent_part(out), "parts.json"])
    assert leftovers(out) == []


@pytest.mark.usefixtures("small_shards")
def test_words_that_a_page_alone_had_in_its_shard_and_loses_make_its_shard_again(root: Path, tmp_path: Path) -> None:
    """Its shard's copy would answer for those words where the shard without it answers a shorter word."""
    out = tmp_path / "site"
    build(root, out)
    before = shards(out)
    overlay(root, {RUNBOOK: (root / RUNBOOK).read_text().replace("Check the dashboards, then roll", "Roll")})
    result = build(root, out)
    assert result.search == SearchIndex(pages=11, shards=KEPT, indexed=1, recent=0)
    assert [shard for shard in range(SHARDS) if shards(out)[shard] != before[shard]] == [RUNBOOK_SHARD]
    assert texts(out, str(shards(out)[RUNBOOK_SHARD]))[PAGE].endswith(
        "Answers API, the alert api-5xx (API). Roll back the last deploy.")
    assert {key: listing(out)[key] for key in ("recent", "hidden")} == {
        "recent": {"name": None, "pages": [], "stats": None}, "hidden": {}}
    assert dealt(out) == DEALT and leftovers(out) == []


@pytest.mark.usefixtures("small_shards")
def test_words_a_page_loses_that_another_shard_has_leave_its_shard_alone(root: Path, tmp_path: Path) -> None:
    """Its shard's copy answers for them alone where another shard's page answers too: nothing changes."""
    out = tmp_path / "site"
    drill = "\nRun the zyzzogeton drill.\n"
    other = "runbooks/core/db.md"  # its page in shard 4 of 6
    overlay(root, {other: f"---\ntitle: Database\nteam: core\n---\nCheck the pool.\n{drill}",
                   RUNBOOK: (root / RUNBOOK).read_text() + drill})
    build(root, out)
    before = shards(out)
    counts = json.loads((out / ".opsrepo-site-tokens.json").read_text())
    assert counts["shards"] == before and counts["counts"]["zyzzogeton"] == 2
    overlay(root, {RUNBOOK: (root / RUNBOOK).read_text().replace(drill, "")})
    assert build(root, out).search == SearchIndex(pages=12, shards=KEPT, indexed=0, recent=1)
    orphans = json.loads((out / "pagefind" / recent_part(out) / "opsrepo-orphans.json").read_text())
    assert orphans[str(RUNBOOK_SHARD)]["zyzzogeton"] == 1 and shards(out) == before
    # and once the other page loses them too, no page has them: both shards are made again
    overlay(root, {other: (root / other).read_text().replace(drill, "")})
    assert build(root, out).search == SearchIndex(pages=12, shards=KEPT, indexed=2, recent=0)
    assert [shard for shard in range(SHARDS) if shards(out)[shard] != before[shard]] == [RUNBOOK_SHARD, 4]
    assert "zyzzogeton" not in json.loads((out / ".opsrepo-site-tokens.json").read_text())["counts"]


@pytest.mark.usefixtures("small_shards")
def test_a_page_written_back_as_its_shard_has_it_leaves_the_recent_part(root: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    build(root, out)
    before, text = listing(out), (root / RUNBOOK).read_text()
    edit(root, "Escalate to the on-call.")
    assert build(root, out).search == SearchIndex(pages=11, shards=KEPT, indexed=0, recent=1)
    overlay(root, {RUNBOOK: text})
    assert build(root, out).search == SearchIndex(pages=11, shards=KEPT, indexed=0, recent=0)
    assert listing(out) == before
    assert sorted(p.name for p in (out / "pagefind").iterdir()) == sorted(
        [*(str(name) for name in shards(out) if name), "parts.json"])


@pytest.mark.usefixtures("small_shards")
def test_a_recent_part_past_its_bound_makes_the_shards_it_hides_copies_in_again(
        root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "site"
    build(root, out)
    edit(root, "Escalate to the on-call.")
    assert build(root, out).search == SearchIndex(pages=11, shards=KEPT, indexed=0, recent=1)
    monkeypatch.setattr(recent, "RECENT_PAGES", 1)
    overlay(root, {"teams/core.yaml": (root / "teams/core.yaml").read_text().replace("name: Core", "name: Kernel")})
    result = build(root, out)
    # every shard but the severity page's: those of the pages naming the team and the runbook's
    assert result.search == SearchIndex(pages=11, shards=KEPT, indexed=KEPT - 1, recent=0)
    assert {key: listing(out)[key] for key in ("recent", "hidden")} == {
        "recent": {"name": None, "pages": [], "stats": None}, "hidden": {}}
    assert texts(out, str(shards(out)[RUNBOOK_SHARD]))[PAGE].endswith("Escalate to the on-call.")
    assert dealt(out) == DEALT


@pytest.mark.usefixtures("small_shards")
def test_the_first_shard_edited_keeps_the_script_patched(root: Path, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "site"
    build(root, out)
    before = shards(out)
    monkeypatch.setattr(recent, "RECENT_PAGES", 0)  # every shard with a page written is made again
    overlay(root, {"teams/core.yaml": (root / "teams/core.yaml").read_text().replace("name: Core", "name: Kernel"),
                   "policies/severity.yaml": (root / "policies/severity.yaml").read_text().replace(
                       "name: Critical", "name: Grave")})
    result = build(root, out)
    # the first shard too (the severity page's alone): made again by Pagefind, its script patched again
    assert result.search == SearchIndex(pages=11, shards=KEPT, indexed=KEPT)
    assert [shard for shard in range(SHARDS) if shards(out)[shard] != before[shard]] == [0, 1, 2, 3, 4]
    first = str(shards(out)[0])
    assert list(runtime(out)) == [first]
    assert "this.instances.map((i)=>i.enterPlaygroundMode())" in (out / "pagefind" / first / "pagefind.js").read_text()


@pytest.mark.usefixtures("small_shards")
def test_a_build_that_changes_no_searched_page_leaves_the_index_alone(root: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    build(root, out)
    before, at = listing(out), made_at(out)
    assert build(root, out).search is None
    assert (listing(out), made_at(out)) == (before, at)


@pytest.mark.usefixtures("small_shards")
def test_a_removed_page_leaves_its_shard(root: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    build(root, out)
    (root / "postmortems/2026-10-01-api-outage.md").unlink()
    result = build(root, out)
    assert result.ok, result.problems
    # its shard, and the service page's, which listed the post-mortem (the Reliability page, which
    # counted it, shares the post-mortem's shard)
    assert result.search == SearchIndex(pages=10, shards=KEPT, indexed=2)
    assert dealt(out) == {**DEALT, RUNBOOK_SHARD: ["people/cleo.html", "reliability.html", PAGE]}


def test_the_number_of_shards_is_kept_until_the_site_is_twice_or_half_its_size(
        root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "site"
    monkeypatch.setattr(search, "SHARD_PAGES", 2)
    assert build(root, out).search == SearchIndex(pages=11, shards=KEPT, indexed=KEPT)
    monkeypatch.setattr(search, "SHARD_PAGES", 3)  # 1.8 pages a shard is more than half of 3: kept
    edit(root, "Escalate to the on-call.")
    assert build(root, out).search == SearchIndex(pages=11, shards=KEPT, indexed=0, recent=1)
    assert dealt(out) == DEALT
    monkeypatch.setattr(search, "SHARD_PAGES", 8)  # and less than half of 8: dealt again, into 2
    edit(root, "Escalate to the on-call again.")
    assert build(root, out).search == SearchIndex(pages=11, shards=2, indexed=2)
    assert dealt(out) == {shard: sorted(page for page in SEARCHED if shard_of(page, 2) == shard) for shard in (0, 1)}


@pytest.mark.usefixtures("small_shards")
def test_a_damaged_listing_or_a_lost_shard_makes_every_shard_again(root: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    build(root, out)
    (out / "pagefind/parts.json").write_text("{not json")
    edit(root, "Escalate to the on-call.")
    assert build(root, out).search == SearchIndex(pages=11, shards=KEPT, indexed=KEPT)
    for path in (out / "pagefind" / str(shards(out)[3])).rglob("*"):
        if path.is_file():
            path.unlink()
    edit(root, "Escalate to the on-call again.")
    assert build(root, out).search == SearchIndex(pages=11, shards=KEPT, indexed=KEPT)
    assert dealt(out) == DEALT
    # a recent part without what it keeps of the shards (its orphans) is no index to build on either
    edit(root, "Escalate to the on-call once more.")
    assert build(root, out).search == SearchIndex(pages=11, shards=KEPT, indexed=0, recent=1)
    (out / "pagefind" / recent_part(out) / "opsrepo-orphans.json").unlink()
    edit(root, "Escalate to the on-call at last.")
    assert build(root, out).search == SearchIndex(pages=11, shards=KEPT, indexed=KEPT)
    assert dealt(out) == DEALT and listing(out)["recent"] == {"name": None, "pages": [], "stats": None}


@pytest.mark.usefixtures("small_shards")
def test_an_index_of_an_earlier_opsrepo_is_replaced(root: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    build(root, out)
    # what issue 5's builds left: a whole index, a recent one, and the words of every page
    (out / "pagefind/parts.json").write_text('{"parts": ["0/", "recent-0a1b2c3d/"], "stale": [], "twice": []}')
    for folder in (out / "pagefind/0", out / "pagefind/recent-0a1b2c3d", out / ".opsrepo-search"):
        folder.mkdir()
        (folder / "kept.json").write_text("{}")
    edit(root, "Escalate to the on-call.")
    assert build(root, out).search == SearchIndex(pages=11, shards=KEPT, indexed=KEPT)
    assert sorted(p.name for p in (out / "pagefind").iterdir()) == sorted([*(str(name) for name in shards(out) if name), "parts.json"])
    assert not (out / ".opsrepo-search").exists()


@pytest.mark.usefixtures("small_shards")
def test_folders_a_crashed_build_left_are_removed(root: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    build(root, out)
    left = [out / ".pages-crashed", out / "pagefind" / ".shard-crashed"]
    for folder in left:
        folder.mkdir()
        (folder / "0.html").write_text("<html><body><main data-pagefind-body><p>zyzzogeton</p></main></body></html>")
    assert leftovers(out) == [".pages-crashed", ".shard-crashed"]
    edit(root, "Escalate to the on-call.")
    assert build(root, out).search == SearchIndex(pages=11, shards=KEPT, indexed=0, recent=1)
    assert leftovers(out) == []


@pytest.mark.usefixtures("small_shards")
def test_pages_written_by_builds_without_search_are_indexed_by_the_next_build_with_it(
        root: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    assert build(root, out, search_on=False).search is None
    assert not (out / "pagefind").exists()
    assert build(root, out).search == SearchIndex(pages=11, shards=KEPT, indexed=KEPT)
    at = made_at(out)
    edit(root, "Escalate to the on-call.")
    result = build(root, out, search_on=False)
    assert (result.rendered, result.search, made_at(out)) == (1, None, at)  # the index is left as it was
    assert build(root, out, search_on=False).rendered == 0  # and the page is still owed to it
    assert build(root, out).search == SearchIndex(pages=11, shards=KEPT, indexed=0, recent=1)
    assert texts(out, recent_part(out))[PAGE].endswith("Escalate to the on-call.")
    assert build(root, out).search is None  # nothing owed any more


def test_a_pagefind_whose_script_opsrepo_cannot_patch_is_refused(tmp_path: Path) -> None:
    bundle = tmp_path / "bundle"
    bundle.mkdir()
    for name in ("pagefind.js", "pagefind-worker.js"):
        (bundle / name).write_text("export const search = () => [];\n")
    with pytest.raises(OpsrepoError) as caught:
        indexer.patch(bundle)
    assert (caught.value.message, caught.value.hint) == (
        "this Pagefind's script (pagefind.js) is not the one opsrepo knows how to merge shards with",
        "install the Pagefind version opsrepo names (pip install 'pagefind[bin]>=1.5,<1.6'), "
        "or build with --no-search")


def test_front_matter_facts_breadcrumbs_and_heading_links_are_not_indexed(root: Path, tmp_path: Path) -> None:
    """What Pagefind indexed of the runbook and the post-mortem: their text, and the excerpts' source.

    Not the runbook's team, services and review dates, the post-mortem's severity, status, lead
    and authors, the breadcrumbs, the edit link, or the ``#`` each heading links itself with.
    """
    out = tmp_path / "site"
    build(root, out)
    indexed = texts(out, str(shards(out)[0]))
    assert indexed[PAGE] == ("API errors. Answers API, the alert api-5xx (API). "
                             "Check the dashboards, then roll back the last deploy.")
    assert indexed["postmortems/2026-10-01-api-outage.html"] == (
        "API outage after a bad deploy. Impact. 30% of requests failed for 30 minutes. Timeline. Time to detect: "
        "4 min. Time to acknowledge: 6 min. Time to mitigate: 30 min. Time to resolve: 1 h. When Since start What "
        "Thu 1 Oct 2026, 12:00 CEST. 0 min. Started. Thu 1 Oct 2026, 12:04 CEST. 4 min. Detected. Thu 1 Oct 2026, "
        "12:06 CEST. 6 min. Acknowledged. Thu 1 Oct 2026, 12:30 CEST. 30 min. Mitigated. Thu 1 Oct 2026, 13:00 CEST. "
        "1 h. Resolved. Root cause. bad-deploy A config change shipped without canary. Action items. Item Owner Due "
        "Priority Kind Issue Canary every config change canary. Ben Okafor. Tue 20 Oct 2026. high. prevent. not "
        "synced. Summary A config change took the API down for half an hour.")
    heading = '<h2 id="summary">Summary <a class="anchor" href="#summary" aria-label="Link to this section: Summary" '
    assert [line for line in (out / "postmortems/2026-10-01-api-outage.html").read_text().splitlines()
            if line.startswith(heading)] == [heading + 'data-pagefind-ignore="" rel="noopener noreferrer">#</a></h2>']


def test_who_is_on_call_when_is_not_indexed_names_and_rosters_are(root: Path, tmp_path: Path) -> None:
    """What Pagefind indexed of a schedule, a person and the Reliability page: what people search them by.

    Not the schedule's now and next, timeline, next two weeks, coverage gaps and calendar, nor the
    person's upcoming turns and time off, nor the report's on-call load: dated listings, stale the
    day after the build, that made every daily build's index differ. The schedule keeps its name,
    team, zone, coverage and layers (its members), the person their name, contacts, teams and schedules.
    """
    out = tmp_path / "site"
    build(root, out)
    indexed = texts(out, str(shards(out)[0]))
    assert indexed["schedules/core-primary.html"] == (
        "Schedules. Core primary. Team Core Timezone Europe/Berlin Coverage 24x7 Time off covered by the next "
        "free member Layers. The last layer that has someone wins; overrides beat every layer. weekly. Ana Silva, "
        "Ben Okafor, Cleo Park, 1 week each, from 2026-01-05 09:00 (Europe/Berlin).")
    assert indexed["people/ana.html"] == ("People. Ana Silva. Team Core Timezone Europe/Berlin GitHub ana-silva "
                                          "Member of Core. In the schedules Core primary.")
    # the pages still show them
    schedule, person = (out / "schedules/core-primary.html").read_text(), (out / "people/ana.html").read_text()
    assert re.findall(r'<h2 id="(?:upcoming|calendar)">.*', schedule) == [
        '<h2 id="upcoming">Next two weeks</h2>', '<h2 id="calendar">Calendar</h2>']
    assert re.findall(r"<h2 id=.*", person) == ['<h2 id="turns">On call in the next 4 weeks</h2>']
    # the Reliability page: from post-mortem timeliness straight on to the runbooks, no load in between
    report = indexed["reliability.html"]
    assert ("Post-mortem timeliness. on-time 1, late 0, overdue 0, pending 0, not-required 0. Median days from "
            "resolution to publication: 4. Runbooks overdue for review. Overdue: 1 of 1 runbooks.") in report
    assert "Ana Silva" not in report and "On-call hours per person" not in report
    assert '<h2 id="on-call-load" data-pagefind-ignore>On-call load</h2>' in (out / "reliability.html").read_text()


@pytest.mark.usefixtures("small_shards")
def test_when_the_first_shard_loses_its_pages_the_next_gets_the_script(root: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    build(root, out)
    first = str(shards(out)[0])
    assert DEALT[0] == ["severity.html"]
    index = search.update_index(out, [page for page in SEARCHED if page != "severity.html"], ["severity.html"], KEPT)
    assert index == SearchIndex(pages=10, shards=KEPT - 1, indexed=0)
    names = shards(out)
    assert names[0] is None and not (out / "pagefind" / first).exists()
    assert runtime(out) == {names[1]: ["pagefind-worker.js", "pagefind.js", "wasm.en.pagefind", "wasm.unknown.pagefind"]}
    assert "this.instances.map((i)=>i.enterPlaygroundMode())" in (out / "pagefind" / str(names[1]) / "pagefind.js").read_text()
    assert listing(out)["parts"] == [f"{name}/" for name in names if name]


def test_a_token_counts_without_the_punctuation_around_it_where_pagefind_makes_the_same_words() -> None:
    """A plain word without its capital too; a token whose words the punctuation changes as it is."""
    tokens = ["place.", "Place", "(check)", '"quoted",', "5.", "(API).", "API,", "INC-4112:", "iPhone", "ab1.",
              "x_y.", "_x", "#tag", "*", "..."]
    assert [recent._plain(token) for token in tokens] == [
        "place", "place", "check", "quoted", "5", "API", "API", "INC-4112", "iPhone", "ab1.", "x_y", "_x", "#tag",
        "*", "..."]


@pytest.mark.usefixtures("small_shards")
def test_a_hand_edited_token_count_file_is_unknown_rather_than_a_traceback(root: Path, tmp_path: Path) -> None:
    """Counts that lack a word a shard made again had are not the shards' counts: none are kept."""
    out = tmp_path / "site"
    build(root, out)
    before = shards(out)
    counts = out / ".opsrepo-site-tokens.json"
    counts.write_text(json.dumps({"format": 1, "shards": before, "counts": {}}))
    overlay(root, {RUNBOOK: (root / RUNBOOK).read_text().replace("Check the dashboards, then roll", "Roll")})
    assert build(root, out).search == SearchIndex(pages=11, shards=KEPT, indexed=1, recent=0)
    assert [shard for shard in range(SHARDS) if shards(out)[shard] != before[shard]] == [RUNBOOK_SHARD]
    assert not counts.exists() and dealt(out) == DEALT


@pytest.mark.usefixtures("small_shards")
def test_a_copy_hidden_in_a_shard_not_its_pages_makes_every_shard_again(root: Path, tmp_path: Path) -> None:
    """A hand-edited listing: the page's own copy would stay found, and folding its shard would not end it."""
    out = tmp_path / "site"
    build(root, out)
    edit(root, "Escalate to the on-call.")
    assert build(root, out).search == SearchIndex(pages=11, shards=KEPT, indexed=0, recent=1)
    raw = listing(out)
    hidden = raw["hidden"]
    assert isinstance(hidden, dict)
    (out / "pagefind/parts.json").write_text(json.dumps({**raw, "hidden": {PAGE: [0, *hidden[PAGE][1:]]}}))
    edit(root, "Escalate to the on-call again.")
    assert build(root, out).search == SearchIndex(pages=11, shards=KEPT, indexed=KEPT)
    assert dealt(out) == DEALT and listing(out)["hidden"] == {}


@pytest.mark.usefixtures("small_shards")
def test_orphans_kept_for_a_shard_outside_the_index_make_every_shard_again(root: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    build(root, out)
    edit(root, "Escalate to the on-call.")
    assert build(root, out).search == SearchIndex(pages=11, shards=KEPT, indexed=0, recent=1)
    kept = out / "pagefind" / recent_part(out) / "opsrepo-orphans.json"
    kept.write_text(json.dumps({**json.loads(kept.read_text()), str(SHARDS + 3): {"zyzzogeton": 1}}))
    edit(root, "Escalate to the on-call again.")
    assert build(root, out).search == SearchIndex(pages=11, shards=KEPT, indexed=KEPT)
    assert dealt(out) == DEALT and listing(out)["hidden"] == {}


@pytest.mark.usefixtures("small_shards")
def test_copies_hidden_with_no_recent_page_left_have_their_shards_made_again(root: Path, tmp_path: Path) -> None:
    """The orphans are kept in the recent part's folder: without one, the next edit could not see them."""
    out = tmp_path / "site"
    drill = "\nRun the zyzzogeton drill.\n"
    copy = "runbooks/core/api-errors-2.html"  # its page in shard 3 of 6, with the runbook's words alone
    overlay(root, {RUNBOOK: (root / RUNBOOK).read_text() + drill, copy.replace(".html", ".md"):
                   (root / RUNBOOK).read_text() + drill})
    build(root, out)
    before, pages = shards(out), [*SEARCHED, copy]
    assert shard_of(copy, SHARDS) == 3 and "zyzzogeton" in texts(out, str(before[3]))[copy]
    # the copy goes, and no page is written: no recent part is left to keep its shard's orphans
    index = search.update_index(out, SEARCHED, [copy], KEPT + 1)
    assert index == SearchIndex(pages=11, shards=KEPT, indexed=1)
    assert [shard for shard in range(SHARDS) if shards(out)[shard] != before[3 if shard == 3 else shard]] == [3]
    assert {key: listing(out)[key] for key in ("recent", "hidden")} == {
        "recent": {"name": None, "pages": [], "stats": None}, "hidden": {}}
    # so the runbook losing the word, which no page then has, makes its shard again too
    page = out / PAGE
    page.write_text(page.read_text().replace("Run the zyzzogeton drill.", "Run the drill."))
    assert search.update_index(out, SEARCHED, [PAGE], KEPT) == SearchIndex(pages=11, shards=KEPT, indexed=1)
    assert [name for name in shards(out) if name and any("zyzzogeton" in text for text in texts(out, name).values())] \
        == [] and pages[:-1] == SEARCHED


@pytest.mark.usefixtures("small_shards")
def test_a_listing_with_copies_hidden_and_no_recent_part_makes_every_shard_again(root: Path, tmp_path: Path) -> None:
    """As this version's first builds left it: the orphans of those copies are lost."""
    out = tmp_path / "site"
    build(root, out)
    first = fragment_ids(out, str(shards(out)[0]))["severity.html"]
    (out / "pagefind/parts.json").write_text(json.dumps({**listing(out), "hidden": {"severity.html": [0, first, 65]}}))
    edit(root, "Escalate to the on-call.")
    assert build(root, out).search == SearchIndex(pages=11, shards=KEPT, indexed=KEPT)
    assert dealt(out) == DEALT and listing(out)["hidden"] == {}


def test_a_pages_tokens_are_its_text_split_where_pagefind_splits_it(tmp_path: Path) -> None:
    """At Unicode white space, as Rust has it: not at the separators U+001C-U+001F, which Python's split takes."""
    site, bundle = tmp_path / "site", tmp_path / "bundle"
    site.mkdir()
    (site / "a.html").write_text('<!doctype html><html lang="en"><body><main data-pagefind-body><p>'
                                 'rollout\x1fplan\u2003then\x1cdrain</p></main></body></html>', encoding="utf-8")
    indexer.index_pages(site, ["a.html"], bundle)
    [(page, fragment)] = recent.fragments(bundle).items()
    assert (page, sorted(fragment.tokens), fragment.words) == ("a.html", ["rollout\x1fplan", "then\x1cdrain"], 2)


@pytest.mark.usefixtures("small_shards")
def test_a_copy_hidden_by_an_id_a_page_of_another_part_has_makes_its_shard_again(
        root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Pagefind's ids (a few hex characters) are unique within one index only: the browser drops results by id.

    Hiding the runbook's copy by an id that Ben's page in another shard has as well would drop his page
    from search too; its shard is made again instead, the other page written keeps its copy hidden.
    """
    out = tmp_path / "site"
    build(root, out)
    before = shards(out)
    old, severity = (fragment_ids(out, str(before[shard]))[page] for shard, page in
                     ((RUNBOOK_SHARD, PAGE), (0, "severity.html")))
    ids = recent.page_ids  # (as if Pagefind had given Ben's page, alone in shard 3, the runbook copy's id)
    monkeypatch.setattr(recent, "page_ids", lambda bundle: ids(bundle) | ({old} if bundle.name == before[3] else set()))
    for page, text in ((PAGE, "roll back the last deploy."), ("severity.html", "Most urgent first.")):
        (out / page).write_text((out / page).read_text().replace(text, f"{text} Check the zyzzogeton gauge."))
    index = search.update_index(out, SEARCHED, [PAGE, "severity.html"], KEPT)
    assert index == SearchIndex(pages=11, shards=KEPT, indexed=1, recent=1)
    assert [shard for shard in range(SHARDS) if shards(out)[shard] != before[shard]] == [RUNBOOK_SHARD]
    assert texts(out, str(shards(out)[RUNBOOK_SHARD]))[PAGE].endswith("roll back the last deploy. Check the zyzzogeton gauge.")
    # the listing hides the severity page's copy alone, whose id no other page has
    assert {key: listing(out)[key] for key in ("recent", "hidden", "site")} == {
        "recent": {"name": recent_part(out), "pages": ["severity.html"], "stats": [1, 69]},
        "hidden": {"severity.html": [0, severity, 65]}, "site": [11, 2185]}
    assert json.loads((out / "pagefind" / recent_part(out) / "opsrepo-orphans.json").read_text()).keys() == {"0"}
    assert dealt(out) == DEALT and leftovers(out) == []
