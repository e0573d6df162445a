"""The search index (real Pagefind): whole, and the pages written since indexed apart with the vocabulary."""

from __future__ import annotations

import gzip
import json
import re
import shutil
import zlib
from collections import Counter
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

import pytest

from opsrepo.load.repo import load_repo
from opsrepo.site import SiteResult, build_site, search
from opsrepo.site.search import RECORD_WORDS, STATE, SearchIndex, words_of
from tests.helpers import MINIMAL, NOW, ROOT, copy_repo, count_pools, overlay
from tests.unit.site.test_builder import HISTORY

#: the minimal repo's searched pages: every page with a search label (3 people, one of each other kind)
SEARCHED = [
    "people/ana.html", "people/ben.html", "people/cleo.html", "policies/core.html",
    "postmortems/2026-10-01-api-outage.html", "reliability.html", "runbooks/core/api-errors.html",
    "schedules/core-primary.html", "services/api.html", "severity.html", "teams/core.html",
]
RUNBOOK = "runbooks/core/api-errors.md"


def test_a_pages_words_are_its_searched_text_as_pagefind_reads_it() -> None:
    page = """<html><head><title>Not searched</title></head><body><nav>Menu</nav>
<main id="ops-content" data-pagefind-body>
<span hidden data-pagefind-filter="kind">Runbook</span><h1>API <em>errors</em> &amp; 5xx-rate</h1>
<nav class="toc"><p>On this page</p></nav>
<p>Run <code>pg_stat_activity;</code> (then "page" the on-call). Don't panic — the 5<sup>th</sup> time!<br>Ever.</p>
<ul><li class="task-list-item"><label><input type="checkbox"> Labelled step</label></li><li>Plain step</li></ul>
<script type="application/json">{"secret": "json"}</script>
<form><select><option>hidden-choice</option></select></form>
<svg><text>drawn</text></svg>
</main><footer>Footer words</footer></body></html>"""
    assert words_of(page) == {"runbook", "api", "errors", "5xx-rate", "run", "pg_stat_activity", "then", "page",
                              "the", "on-call", "don't", "panic", "5th", "time", "ever", "plain", "step"}
    assert words_of("<main><p>no searched body</p></main>") == set()


def test_the_words_are_those_pagefind_indexed_on_every_page_of_the_example_site(tmp_path: Path) -> None:
    """Pagefind's own reading of each page (its fragment files: gzip, a signature, JSON) has the same words."""
    out = tmp_path / "site"
    build_site(load_repo(ROOT), out, NOW)
    read = {page: {w for w in (trim(token.lower()) for token in content.split()) if w}
            for page, (_, content) in fragments(out, "0").items()}
    assert len(read) == 121
    assert {page: words_of((out / page).read_text()) for page in read} == read


def trim(token: str) -> str:
    """``token`` without what is not a letter, digit or underscore at either end."""
    return re.sub(r"^\W+|\W+$", "", token)


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return copy_repo(MINIMAL, tmp_path / "repo")


def build(root: Path, out: Path, search_on: bool = True) -> SiteResult:
    return build_site(load_repo(root), out, NOW, history=HISTORY, search=search_on)


def edit(root: Path, line: str) -> None:
    overlay(root, {RUNBOOK: (root / RUNBOOK).read_text() + f"\n{line}\n"})


def listing(out: Path) -> dict[str, object]:
    return dict(json.loads((out / "pagefind/parts.json").read_text()))


def records(out: Path, part: str) -> int:
    """Records the part's own Pagefind entry says it indexed."""
    entry = json.loads((out / "pagefind" / part / "pagefind-entry.json").read_text())
    return int(entry["languages"]["en"]["page_count"])


def recent(out: Path) -> str:
    """The folder of the recent index the listing names (each recent index has one of its own)."""
    parts = listing(out)["parts"]
    assert isinstance(parts, list) and len(parts) == 2 and re.fullmatch(r"recent-[0-9a-f]{8}/", parts[1]), parts
    return str(parts[1]).rstrip("/")


def made_at(out: Path, part: str) -> int:
    return (out / "pagefind" / part / "pagefind-entry.json").stat().st_mtime_ns


def fragments(out: Path, part: str) -> dict[str, tuple[str, str]]:
    """Each page of the part as Pagefind read it: its id (its fragment file's name) and its text.

    Read here (gzip, a signature, JSON), not with the module's own reader, which these tests check.
    """
    found = {}
    for fragment in (out / "pagefind" / part / "fragment").iterdir():
        raw = gzip.decompress(fragment.read_bytes())
        assert raw[:12] == b"pagefind_dcd"
        data = json.loads(raw[12:])
        found[data["url"].lstrip("/")] = (fragment.name.removesuffix(".pf_fragment"), data["content"])
    return found


def ids(out: Path, part: str) -> dict[str, str]:
    """Each page's id in the part."""
    return {page: id_ for page, (id_, _) in fragments(out, part).items()}


def recent_pages(out: Path) -> list[str]:
    """The pages the recent index holds, without its vocabulary records."""
    return sorted(page for page in ids(out, recent(out)) if not page.startswith("_vocabulary/"))


def vocabulary(out: Path) -> Counter[str]:
    """On how many searched pages each word stands, counted here from the written pages."""
    return Counter(word for page in SEARCHED if (out / page).exists() for word in words_of((out / page).read_text()))


def vocabulary_records(out: Path) -> int:
    return -(-len(vocabulary(out)) // RECORD_WORDS)


def assert_fresh_state(out: Path) -> None:
    """The kept state is the whole index's as just made: each page's id and words, nothing indexed apart."""
    raw = json.loads((out / STATE / search.STATE_FILE).read_text())
    base = {page: kept for shard in (out / STATE).glob(f"base-{search.STATE_FORMAT}-*.json")
            for page, kept in json.loads(shard.read_text()).items()}
    assert (raw["whole"], raw["recent"], raw["counts"]) == (
        next((out / "pagefind/0").glob("pagefind.*.pf_meta")).name, {}, dict(sorted(vocabulary(out).items())))
    assert {page: id_ for page, (id_, _) in base.items()} == ids(out, "0")
    assert {page: set(words.split(" ")) for page, (_, words) in base.items()} == {
        page: words_of((out / page).read_text()) for page in SEARCHED if (out / page).exists()}


def kept_vocabulary(out: Path) -> dict[str, int]:
    return dict(json.loads((out / STATE / search.STATE_FILE).read_text())["counts"])


def leftovers(out: Path) -> list[str]:
    """Temporary folders a build left behind (none ever should be)."""
    return sorted(p.name for folder in (out, out / "pagefind") for p in folder.iterdir()
                  if p.name.startswith(".") and p.is_dir() and p.name != STATE)


def recent_one(root: Path, out: Path) -> dict[str, str]:
    """A clean build, then a rebuild after an edit in words the site has (the runbook is indexed
    apart); each page's id in the whole index."""
    build(root, out)
    before = ids(out, "0")
    edit(root, "Escalate to the on-call.")
    build(root, out)
    return before


WHOLE_ONLY = {"parts": ["0/"], "stale": [], "twice": []}


def test_a_clean_build_makes_one_whole_index(root: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    assert build(root, out).search == SearchIndex(pages=11, recent=0, whole=True)
    assert listing(out) == WHOLE_ONLY and records(out, "0") == 11
    assert sorted(ids(out, "0")) == SEARCHED
    assert_fresh_state(out)  # kept now: the first rebuild need not read every fragment
    assert leftovers(out) == []
    # Pagefind's script and WebAssembly are there; its unused UI is not published
    files = sorted(p.name for p in (out / "pagefind/0").iterdir() if not p.is_dir())
    assert [name for name in files if name.endswith((".js", ".css"))] == ["pagefind-worker.js", "pagefind.js"]


def test_the_whole_index_reads_only_the_searched_pages_folders(root: Path, tmp_path: Path) -> None:
    # the calendars' month pages `opsrepo build` writes beside the site (here one that even asks
    # to be searched) are not given to Pagefind: a third of its time on a large org
    out = tmp_path / "site"
    (out / "calendars").mkdir(parents=True)
    (out / "calendars/2026-12.html").write_text("<html><body><main data-pagefind-body><p>zyzzogeton</p></main>"
                                                "</body></html>")
    assert build(root, out).search == SearchIndex(pages=11, recent=0, whole=True)
    assert records(out, "0") == 11 and sorted(ids(out, "0")) == SEARCHED


def test_a_rebuild_indexes_the_page_it_wrote_apart_and_marks_its_old_version_stale(root: Path,
                                                                                    tmp_path: Path) -> None:
    out = tmp_path / "site"
    build(root, out)
    whole, before = made_at(out, "0"), ids(out, "0")
    assert {"escalate", "to", "the", "on-call"} <= set(vocabulary(out))  # words the site has
    edit(root, "Escalate to the on-call.")
    result = build(root, out)
    assert result.rendered == 1 and result.search == SearchIndex(pages=11, recent=1, whole=False)
    assert made_at(out, "0") == whole  # the whole index is left as it was
    assert listing(out) == {"parts": ["0/", f"{recent(out)}/"],
                            "stale": [before["runbooks/core/api-errors.html"]], "twice": []}
    # the page as it is now, and the site's vocabulary as hidden records
    assert records(out, recent(out)) == 1 + vocabulary_records(out)
    pages = recent_pages(out)
    assert pages == ["runbooks/core/api-errors.html"]
    assert kept_vocabulary(out) == dict(sorted(vocabulary(out).items()))
    assert leftovers(out) == []


def test_a_page_written_again_with_the_same_text_is_not_stale(root: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    before = recent_one(root, out)
    (out / "people/ana.html").unlink()  # written again as it was: the same id in both indexes
    assert build(root, out).search == SearchIndex(pages=11, recent=2, whole=False)
    assert listing(out)["stale"] == [before["runbooks/core/api-errors.html"]]
    assert ids(out, recent(out))["people/ana.html"] == before["people/ana.html"]
    assert listing(out)["twice"] == [before["people/ana.html"]]  # the browser shows it once
    edit(root, "To the on-call: escalate.")  # the same page again: still two pages apart
    assert build(root, out).search == SearchIndex(pages=11, recent=2, whole=False)
    assert kept_vocabulary(out) == dict(sorted(vocabulary(out).items()))


def test_a_new_word_or_the_last_use_of_one_gone_makes_the_whole_index_again(root: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    recent_one(root, out)
    edit(root, "Flush the zyzzogeton cache.")
    assert build(root, out).search == SearchIndex(pages=11, recent=0, whole=True)
    assert listing(out) == WHOLE_ONLY and records(out, "0") == 11
    assert_fresh_state(out)
    overlay(root, {RUNBOOK: (root / RUNBOOK).read_text().replace("Flush the zyzzogeton cache.", "")})
    assert build(root, out).search == SearchIndex(pages=11, recent=0, whole=True)
    assert listing(out) == WHOLE_ONLY and leftovers(out) == []


def test_the_whole_index_is_made_again_once_too_many_pages_were_written_since(
        root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(search, "RECENT_PAGES", 2)
    out = tmp_path / "site"
    build(root, out)
    made = []
    for page in ("people/ana.html", "people/ben.html", "people/cleo.html"):
        (out / page).unlink()
        result = build(root, out).search
        assert result is not None
        made.append((result.recent, result.whole))
    assert made == [(1, False), (2, False), (0, True)]
    assert listing(out) == WHOLE_ONLY


def test_a_build_that_changes_no_searched_page_leaves_the_index_alone(root: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    build(root, out)
    whole = made_at(out, "0")
    assert (build(root, out).search, made_at(out, "0")) == (None, whole)
    edit(root, "Escalate to the on-call.")
    build(root, out)
    part = recent(out)
    made = made_at(out, part)
    result = build(root, out)
    assert (result.rendered, result.search) == (0, None)
    assert (made_at(out, "0"), recent(out), made_at(out, part)) == (whole, part, made)


def test_a_removed_page_is_stale_in_the_whole_index(root: Path, tmp_path: Path) -> None:
    # a second runbook with the first one's words, which also names its id, so that removing
    # the second takes no word off the site
    copy = "runbooks/core/api-errors-copy.md"
    overlay(root, {copy: (root / RUNBOOK).read_text()})
    edit(root, "Also core/api-errors-copy.")
    out = tmp_path / "site"
    build(root, out)
    before = ids(out, "0")
    (root / copy).unlink()
    result = build(root, out)
    # the pages that listed the removed runbook are written again, with other text
    written = ["reliability.html", "services/api.html", "teams/core.html"]
    assert (result.removed, result.search) == (1, SearchIndex(pages=11, recent=3, whole=False))
    assert recent_pages(out) == written
    assert listing(out)["stale"] == sorted(before[page] for page in ["runbooks/core/api-errors-copy.html", *written])
    assert listing(out)["twice"] == []
    assert kept_vocabulary(out) == dict(sorted(vocabulary(out).items()))


def test_a_lost_state_is_read_again_from_a_whole_index_alone(root: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    build(root, out)
    before = ids(out, "0")
    shutil.rmtree(out / STATE)  # (a clean build keeps it: lost, it is read again from the fragments)
    edit(root, "Escalate to the on-call.")
    assert build(root, out).search == SearchIndex(pages=11, recent=1, whole=False)
    assert listing(out)["stale"] == [before["runbooks/core/api-errors.html"]]
    assert kept_vocabulary(out) == dict(sorted(vocabulary(out).items()))


@pytest.mark.parametrize("damage", ["state.json damaged", ".opsrepo-search gone"])
def test_a_lost_state_beside_a_recent_index_makes_the_whole_index_again(root: Path, tmp_path: Path,
                                                                        damage: str) -> None:
    # the fragments tell the whole index's pages, not which were indexed apart since: the runbook's
    # older version would come back
    out = tmp_path / "site"
    recent_one(root, out)
    if damage == "state.json damaged":
        (out / STATE / search.STATE_FILE).write_text("{not json")
    else:
        shutil.rmtree(out / STATE)
    (out / "people/ana.html").unlink()
    assert build(root, out).search == SearchIndex(pages=11, recent=0, whole=True)
    assert listing(out) == WHOLE_ONLY and records(out, "0") == 11


def test_each_recent_index_has_a_folder_of_its_own_until_the_listing_names_the_next(
        root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # a browser reading the listed one, or a build stopped before the listing is written, still has it
    out = tmp_path / "site"
    recent_one(root, out)
    first = recent(out)
    edit(root, "To the on-call: escalate.")

    def stopped(*args: object) -> None:
        raise KeyboardInterrupt

    with monkeypatch.context() as patched:
        patched.setattr(search, "_write_listing", stopped)
        with pytest.raises(KeyboardInterrupt):
            build(root, out)
    assert recent(out) == first and (out / "pagefind" / first / "pagefind-entry.json").is_file()
    build(root, out)
    assert recent(out) != first
    assert sorted(p.name for p in (out / "pagefind").iterdir() if p.is_dir()) == ["0", recent(out)]


def test_a_page_whose_name_has_a_percent_sign_is_matched_to_its_fragment(root: Path, tmp_path: Path) -> None:
    # Pagefind keeps the URL as the file's path: not decoded, or rate%41x.html would be rateAx.html
    odd = "runbooks/core/rate%41x.md"
    overlay(root, {odd: (root / RUNBOOK).read_text().replace("title: ", "title: Rate ", 1)})
    out = tmp_path / "site"
    build(root, out)
    before = ids(out, "0")
    assert "runbooks/core/rate%41x.html" in before
    overlay(root, {odd: (root / odd).read_text() + "\nEscalate to the on-call.\n"})
    assert build(root, out).search == SearchIndex(pages=12, recent=1, whole=False)
    assert listing(out)["stale"] == [before["runbooks/core/rate%41x.html"]]
    # its words counted once: taken off as the whole index has them, put back as written now
    searched = [*SEARCHED, "runbooks/core/rate%41x.html"]
    counted = Counter(word for page in searched for word in words_of((out / page).read_text()))
    assert kept_vocabulary(out) == dict(sorted(counted.items()))


def test_two_forked_processes_read_a_whole_index_as_one_does(root: Path, tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "site"
    build(root, out)
    bundle = out / "pagefind" / "0"
    alone = search._scan(bundle)
    pools = count_pools(monkeypatch, search)
    monkeypatch.setattr(search, "PARALLEL_FRAGMENTS", 2)
    monkeypatch.setattr(search, "may_fork", lambda: True)  # (threads other tests left would forbid it)
    assert search._scan(bundle) == alone and pools == [2]
    base, counts = alone
    assert {page: id_ for page, (id_, _) in base.items()} == ids(out, "0")
    assert {page: set(words.split(" ")) for page, (_, words) in base.items()} == {
        page: words_of((out / page).read_text()) for page in SEARCHED}
    assert counts == vocabulary(out)
    # an unreadable fragment fails the read in a worker as it does in one process
    next((bundle / "fragment").iterdir()).write_bytes(b"not gzip")
    with pytest.raises(zlib.error):
        search._scan(bundle)


def test_lost_words_of_the_whole_index_make_it_again(root: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    recent_one(root, out)
    for shard in (out / STATE).glob(f"base-{search.STATE_FORMAT}-*.json"):
        shard.unlink()
    (out / "people/ana.html").unlink()
    assert build(root, out).search == SearchIndex(pages=11, recent=0, whole=True)
    assert listing(out) == WHOLE_ONLY and records(out, "0") == 11


def test_a_damaged_index_is_made_again_whole(root: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    recent_one(root, out)
    shutil.rmtree(out / "pagefind" / recent(out))
    (out / "pagefind" / "stale.txt").write_text("left by someone else")
    assert build(root, out).search == SearchIndex(pages=11, recent=0, whole=True)
    assert listing(out) == WHOLE_ONLY and records(out, "0") == 11
    assert not (out / "pagefind" / "stale.txt").exists()
    assert_fresh_state(out)
    # the kept state lost, and a fragment of the whole index that cannot be read: its ids are
    # unknown, so it is made again
    shutil.rmtree(out / STATE)
    fragment = next((out / "pagefind/0/fragment").iterdir())
    fragment.write_bytes(b"not gzip")
    edit(root, "To the on-call: escalate.")
    assert build(root, out).search == SearchIndex(pages=11, recent=0, whole=True)
    assert records(out, "0") == 11
    assert_fresh_state(out)


def test_a_fragment_reader_that_dies_leaves_the_build_whole(root: Path, tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    def killed(bundle: Path) -> object:
        raise BrokenProcessPool("A process in the process pool was terminated abruptly")

    monkeypatch.setattr(search, "_scan", killed)
    out = tmp_path / "site"
    assert build(root, out).search == SearchIndex(pages=11, recent=0, whole=True)
    assert not (out / STATE).exists()
    edit(root, "Escalate to the on-call.")  # no state: read again, which fails again: made whole again
    assert build(root, out).search == SearchIndex(pages=11, recent=0, whole=True)


def test_a_whole_index_whose_fragments_cannot_be_read_keeps_no_state(
        root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def damaged(fragment: Path) -> bytes:
        raise zlib.error("invalid stored block lengths")

    monkeypatch.setattr(search, "_unpack", damaged)
    out = tmp_path / "site"
    assert build(root, out).search == SearchIndex(pages=11, recent=0, whole=True)
    assert records(out, "0") == 11 and not (out / STATE).exists()


def test_folders_a_crashed_build_left_are_removed(root: Path, tmp_path: Path) -> None:
    # (Pagefind never reads them either: the glob names the searched pages' folders, see above)
    out = tmp_path / "site"
    build(root, out)
    left = [out / ".vocabulary-crashed", out / ".pages-crashed", out / "pagefind" / ".recent-crashed"]
    for folder in left:
        folder.mkdir()
        (folder / "0.html").write_text("<html><body><main data-pagefind-body><p>zyzzogeton</p></main></body></html>")
    assert leftovers(out) == [".pages-crashed", ".recent-crashed", ".vocabulary-crashed"]
    edit(root, "Escalate to the on-call.")
    assert build(root, out).search == SearchIndex(pages=11, recent=1, whole=False)
    assert leftovers(out) == []


def test_after_a_build_without_search_the_next_one_is_a_clean_index(root: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    assert build(root, out, search_on=False).search is None
    assert not (out / "pagefind").exists()
    assert build(root, out).search == SearchIndex(pages=11, recent=0, whole=True)
    assert records(out, "0") == 11


def test_pages_written_by_builds_without_search_are_indexed_by_the_next_build_with_it(
        root: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    build(root, out)
    whole, before = made_at(out, "0"), ids(out, "0")
    edit(root, "Escalate to the on-call.")
    result = build(root, out, search_on=False)
    assert (result.rendered, result.search, made_at(out, "0")) == (1, None, whole)  # the index is left as it was
    assert build(root, out, search_on=False).rendered == 0  # and the page is still owed to it
    assert build(root, out).search == SearchIndex(pages=11, recent=1, whole=False)
    assert listing(out)["stale"] == [before["runbooks/core/api-errors.html"]]
    assert build(root, out).search is None  # nothing owed any more
