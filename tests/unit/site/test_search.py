"""The search index (real Pagefind): its parts, which a rebuild makes again, and the vocabulary each part holds."""

from __future__ import annotations

import gzip
import json
import re
import shutil
from collections import Counter
from pathlib import Path

import pytest

from opsrepo.load.repo import load_repo
from opsrepo.site import SiteResult, build_site, search
from opsrepo.site.search import RECORD_WORDS, STATE, SearchIndex, part_count, part_of, words_of
from tests.helpers import MINIMAL, NOW, ROOT, copy_repo, overlay
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
    read = {}
    for fragment in (out / "pagefind/0/fragment").iterdir():
        raw = gzip.decompress(fragment.read_bytes())
        assert raw[:12] == b"pagefind_dcd"
        data = json.loads(raw[12:])
        read[data["url"].lstrip("/")] = {w for w in (trim(token.lower()) for token in data["content"].split()) if w}
    assert len(read) == 121
    assert {page: words_of((out / page).read_text()) for page in read} == read


def trim(token: str) -> str:
    """``token`` without what is not a letter, digit or underscore at either end."""
    return re.sub(r"^\W+|\W+$", "", token)


@pytest.mark.parametrize(("pages", "previous", "parts"), [
    (0, 0, 1), (1, 0, 1), (200, 0, 1), (201, 0, 2), (3202, 0, 17),
    (3202, 17, 17),  # unchanged
    (3500, 17, 18),  # grown past 17 x 200: dealt again into more parts
    (1000, 17, 17),  # shrunk, but its parts still hold more than 50 pages on average: kept
    (850, 17, 5),  # a quarter of 200 on average: dealt again
    (199, 2, 2), (101, 2, 2), (100, 2, 1), (150, 1, 1),  # no flip-flop around 200 pages
])
def test_the_number_of_parts_follows_the_pages_and_shrinks_only_when_they_are_a_quarter_full(
        pages: int, previous: int, parts: int) -> None:
    assert part_count(pages, previous) == parts


def test_a_page_keeps_its_part_and_pages_are_spread_over_the_parts() -> None:
    paths = [f"runbooks/team-{n % 40}/rb-{n}.html" for n in range(3200)]
    assert [part_of(path, 16) for path in paths[:50]] == [part_of(path, 16) for path in paths[:50]]
    sizes = Counter(part_of(path, 16) for path in paths)
    assert sorted(sizes) == list(range(16)) and min(sizes.values()) > 150 and max(sizes.values()) < 250


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return copy_repo(MINIMAL, tmp_path / "repo")


@pytest.fixture
def small_parts(monkeypatch: pytest.MonkeyPatch) -> None:
    """Parts of 4 pages: the minimal repo's 11 searched pages make 3 parts."""
    monkeypatch.setattr(search, "PART_PAGES", 4)


def build(root: Path, out: Path, search_on: bool = True) -> SiteResult:
    return build_site(load_repo(root), out, NOW, history=HISTORY, search=search_on)


def edit(root: Path, line: str) -> None:
    overlay(root, {RUNBOOK: (root / RUNBOOK).read_text() + f"\n{line}\n"})


def listing(out: Path) -> dict[str, object]:
    return dict(json.loads((out / "pagefind/parts.json").read_text()))


def counts(out: Path) -> dict[str, int]:
    """Records each part's own Pagefind entry says it indexed."""
    return {part: json.loads((out / "pagefind" / part / "pagefind-entry.json").read_text())
            ["languages"]["en"]["page_count"] for part in listing(out)["parts"]}  # type: ignore[attr-defined]


def vocabulary(out: Path) -> Counter[str]:
    """On how many searched pages each word stands, counted here from the written pages."""
    return Counter(word for page in SEARCHED if (out / page).exists() for word in words_of((out / page).read_text()))


def expected_counts(out: Path, parts: int) -> dict[str, int]:
    """Each part: its pages, and the vocabulary records every part holds when there are several."""
    records = -(-len(vocabulary(out)) // RECORD_WORDS) if parts > 1 else 0
    found = Counter(f"{part_of(path, parts)}/" for path in SEARCHED if (out / path).exists())
    return {part: pages + records for part, pages in sorted(found.items())}


def entries(out: Path) -> dict[str, int]:
    return {part: (out / "pagefind" / part / "pagefind-entry.json").stat().st_mtime_ns
            for part in listing(out)["parts"]}  # type: ignore[attr-defined]


def leftovers(out: Path) -> list[str]:
    """Temporary folders a build left behind (none ever should be)."""
    return sorted(p.name for folder in (out, out / "pagefind") for p in folder.iterdir()
                  if p.name.startswith(".") and p.is_dir() and p.name != STATE)


def kept_vocabulary(out: Path) -> dict[str, int]:
    return dict(json.loads((out / STATE / "vocabulary.json").read_text())["words"])


def parted(root: Path, out: Path) -> SiteResult:
    """A clean build, then a rebuild that must index a page again (its file was deleted): now in parts."""
    build(root, out)
    (out / "people/ana.html").unlink()
    return build(root, out)


def test_a_clean_build_makes_one_whole_index(root: Path, tmp_path: Path, small_parts: None) -> None:
    out = tmp_path / "site"
    assert build(root, out).search == SearchIndex(pages=11, parts=1, made=1)
    assert listing(out) == {"parts": ["0/"], "vocabulary": False} and counts(out) == {"0/": 11}
    assert not (out / STATE).exists()
    assert leftovers(out) == []
    # Pagefind's script and WebAssembly are there; its unused UI is not published
    files = sorted(p.name for p in (out / "pagefind/0").iterdir() if not p.is_dir())
    assert [name for name in files if name.endswith((".js", ".css"))] == ["pagefind-worker.js", "pagefind.js"]


def test_a_rebuild_of_a_large_site_deals_the_index_into_parts_that_know_every_word(root: Path, tmp_path: Path,
                                                                                  small_parts: None) -> None:
    out = tmp_path / "site"
    assert parted(root, out).search == SearchIndex(pages=11, parts=3, made=3)
    assert listing(out) == {"parts": ["0/", "1/", "2/"], "vocabulary": True}
    assert counts(out) == expected_counts(out, 3)
    assert kept_vocabulary(out) == dict(sorted(vocabulary(out).items()))
    assert leftovers(out) == []


def test_editing_a_runbook_with_words_the_site_has_makes_only_its_part_again(root: Path, tmp_path: Path,
                                                                            small_parts: None) -> None:
    out = tmp_path / "site"
    parted(root, out)
    before = entries(out)
    assert {"escalate", "to", "the", "on-call"} <= set(vocabulary(out))
    edit(root, "Escalate to the on-call.")
    result = build(root, out)
    assert result.rendered == 1 and result.search == SearchIndex(pages=11, parts=3, made=1)
    after = entries(out)
    mine = f"{part_of('runbooks/core/api-errors.html', 3)}/"
    assert [part for part in before if after[part] != before[part]] == [mine]
    assert counts(out) == expected_counts(out, 3)
    assert kept_vocabulary(out) == dict(sorted(vocabulary(out).items()))
    assert leftovers(out) == []


def test_a_new_word_or_the_last_use_of_one_gone_makes_every_part_again(root: Path, tmp_path: Path,
                                                                        small_parts: None) -> None:
    out = tmp_path / "site"
    parted(root, out)
    edit(root, "Flush the zyzzogeton cache.")
    assert build(root, out).search == SearchIndex(pages=11, parts=3, made=3)
    assert kept_vocabulary(out)["zyzzogeton"] == 1
    assert counts(out) == expected_counts(out, 3)
    overlay(root, {RUNBOOK: (root / RUNBOOK).read_text().replace("Flush the zyzzogeton cache.", "")})
    assert build(root, out).search == SearchIndex(pages=11, parts=3, made=3)
    assert "zyzzogeton" not in kept_vocabulary(out)
    assert kept_vocabulary(out) == dict(sorted(vocabulary(out).items()))


def test_a_build_that_changes_no_searched_page_leaves_the_index_alone(root: Path, tmp_path: Path,
                                                                      small_parts: None) -> None:
    out = tmp_path / "site"
    build(root, out)
    whole = entries(out)
    assert (build(root, out).search, entries(out)) == (None, whole)  # a large site stays whole until it must
    parted(root, out)
    before = entries(out)
    result = build(root, out)
    assert (result.rendered, result.search) == (0, None)
    assert entries(out) == before


def test_a_damaged_index_is_made_again_whole_and_lost_words_make_every_part_again(root: Path, tmp_path: Path,
                                                                                  small_parts: None) -> None:
    out = tmp_path / "site"
    parted(root, out)
    (out / STATE / "vocabulary.json").write_text("{not json")
    edit(root, "Escalate to the on-call.")
    assert build(root, out).search == SearchIndex(pages=11, parts=3, made=3)
    assert kept_vocabulary(out) == dict(sorted(vocabulary(out).items()))
    shutil.rmtree(out / "pagefind" / "1")
    (out / "pagefind" / "stale.txt").write_text("left by someone else")
    assert build(root, out).search == SearchIndex(pages=11, parts=1, made=1)
    assert counts(out) == {"0/": 11}
    assert not (out / "pagefind" / "stale.txt").exists() and not (out / STATE).exists()


def test_the_lost_words_of_a_part_make_every_part_again(root: Path, tmp_path: Path, small_parts: None) -> None:
    out = tmp_path / "site"
    parted(root, out)
    (out / STATE / f"{part_of('runbooks/core/api-errors.html', 3)}.json").unlink()
    edit(root, "Escalate to the on-call.")
    assert build(root, out).search == SearchIndex(pages=11, parts=3, made=3)
    assert kept_vocabulary(out) == dict(sorted(vocabulary(out).items()))  # no word counted twice
    assert counts(out) == expected_counts(out, 3)


def test_a_removed_page_leaves_its_part(root: Path, tmp_path: Path, small_parts: None) -> None:
    out = tmp_path / "site"
    parted(root, out)
    (root / "postmortems/2026-10-01-api-outage.md").unlink()
    result = build(root, out)
    assert result.ok and result.search is not None and result.search.pages == 10
    assert counts(out) == expected_counts(out, 3)
    assert kept_vocabulary(out) == dict(sorted(vocabulary(out).items()))


def test_after_a_build_without_search_the_next_one_is_a_clean_index(root: Path, tmp_path: Path,
                                                                     small_parts: None) -> None:
    out = tmp_path / "site"
    assert build(root, out, search_on=False).search is None
    assert not (out / "pagefind").exists()
    assert build(root, out).search == SearchIndex(pages=11, parts=1, made=1)
    assert counts(out) == {"0/": 11}


def test_pages_written_by_builds_without_search_are_indexed_by_the_next_build_with_it(
        root: Path, tmp_path: Path, small_parts: None) -> None:
    out = tmp_path / "site"
    parted(root, out)
    before = entries(out)
    edit(root, "Escalate to the on-call.")
    result = build(root, out, search_on=False)
    assert (result.rendered, result.search, entries(out)) == (1, None, before)  # the index is left as it was
    assert build(root, out, search_on=False).rendered == 0  # and the page is still owed to it
    assert build(root, out).search == SearchIndex(pages=11, parts=3, made=1)
    mine = f"{part_of('runbooks/core/api-errors.html', 3)}/"
    assert [part for part, made in entries(out).items() if made != before[part]] == [mine]
    assert kept_vocabulary(out) == dict(sorted(vocabulary(out).items()))
    assert build(root, out).search is None  # nothing owed any more


def test_a_whole_index_with_pages_owed_by_a_build_without_search_is_dealt_into_parts(
        root: Path, tmp_path: Path, small_parts: None) -> None:
    out = tmp_path / "site"
    build(root, out)
    edit(root, "Escalate to the on-call.")
    assert build(root, out, search_on=False).search is None
    assert listing(out) == {"parts": ["0/"], "vocabulary": False}
    assert build(root, out).search == SearchIndex(pages=11, parts=3, made=3)
    assert counts(out) == expected_counts(out, 3)


def test_a_small_site_keeps_one_index_and_nothing_stale(root: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    parted(root, out)
    edit(root, "Flush the zyzzogeton cache.")
    assert build(root, out).search == SearchIndex(pages=11, parts=1, made=1)
    assert listing(out) == {"parts": ["0/"], "vocabulary": False} and counts(out) == {"0/": 11}
    assert not (out / STATE).exists()
    files = sorted(p.relative_to(out / "pagefind").as_posix() for p in (out / "pagefind").rglob("*") if p.is_file())
    # one fragment a page, one metadata file: nothing of the earlier indexes is left
    assert len([name for name in files if "/fragment/" in name]) == 11
    assert len([name for name in files if name.endswith(".pf_meta")]) == 1
