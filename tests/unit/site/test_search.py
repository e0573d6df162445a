"""The search index in parts: which part a page is in, and which parts a rebuild makes again (real Pagefind)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from opsrepo.load.repo import load_repo
from opsrepo.site import SiteResult, build_site, search
from opsrepo.site.search import SearchIndex, part_count, part_of
from tests.helpers import MINIMAL, NOW, copy_repo, overlay
from tests.unit.site.test_builder import HISTORY

#: the minimal repo's searched pages: every page with a search label (3 people, one of each other kind)
SEARCHED = [
    "people/ana.html", "people/ben.html", "people/cleo.html", "policies/core.html",
    "postmortems/2026-10-01-api-outage.html", "reliability.html", "runbooks/core/api-errors.html",
    "schedules/core-primary.html", "services/api.html", "severity.html", "teams/core.html",
]


@pytest.mark.parametrize(("pages", "previous", "parts"), [
    (0, 0, 1), (1, 0, 1), (200, 0, 1), (201, 0, 2), (3202, 0, 17),
    (3202, 17, 17),  # unchanged
    (3500, 17, 18),  # grown past 17 x 200: dealt again into more parts
    (1000, 17, 17),  # shrunk, but its parts still hold more than 50 pages on average: kept
    (850, 17, 5),  # a quarter of 200 on average: dealt again
    (199, 2, 2), (101, 2, 2), (100, 2, 1), (150, 1, 1),  # no flip-flop around 200 pages
])
def test_the_number_of_parts_follows_the_pages_and_shrinks_only_when_they_are_a_quarter_full(pages: int, previous: int,
                                                                       parts: int) -> None:
    assert part_count(pages, previous) == parts


def test_a_page_keeps_its_part_and_pages_are_spread_over_the_parts() -> None:
    paths = [f"runbooks/team-{n % 40}/rb-{n}.html" for n in range(3200)]
    assert [part_of(path, 16) for path in paths[:5]] == [part_of(path, 16) for path in paths[:5]]
    sizes = [0] * 16
    for path in paths:
        sizes[part_of(path, 16)] += 1
    assert min(sizes) > 150 and max(sizes) < 250  # 200 on average


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return copy_repo(MINIMAL, tmp_path / "repo")


@pytest.fixture
def small_parts(monkeypatch: pytest.MonkeyPatch) -> None:
    """Parts of 4 pages: the minimal repo's 11 searched pages make 3 parts."""
    monkeypatch.setattr(search, "PART_PAGES", 4)


def build(root: Path, out: Path, search_on: bool = True) -> SiteResult:
    return build_site(load_repo(root), out, NOW, history=HISTORY, search=search_on)


def listing(out: Path) -> list[str]:
    return list(json.loads((out / "pagefind/parts.json").read_text())["parts"])


def counts(out: Path) -> dict[str, int]:
    """Pages each part's own Pagefind entry says it indexed."""
    return {part: json.loads((out / "pagefind" / part / "pagefind-entry.json").read_text())
            ["languages"]["en"]["page_count"] for part in listing(out)}


def expected_counts(parts: int) -> dict[str, int]:
    found: dict[str, int] = {}
    for path in SEARCHED:
        name = f"{part_of(path, parts)}/"
        found[name] = found.get(name, 0) + 1
    return dict(sorted(found.items()))


def entries(out: Path) -> dict[str, int]:
    return {part: (out / "pagefind" / part / "pagefind-entry.json").stat().st_mtime_ns for part in listing(out)}


def leftovers(out: Path) -> list[str]:
    """Temporary folders a build left behind (none ever should be)."""
    return sorted(p.name for folder in (out, out / "pagefind") for p in folder.iterdir()
                  if p.name.startswith(".") and p.is_dir())


def test_a_full_build_indexes_every_searched_page_once_in_its_part(root: Path, tmp_path: Path,
                                                                   small_parts: None) -> None:
    out = tmp_path / "site"
    result = build(root, out)
    assert result.search == SearchIndex(pages=11, parts=3, made=3)
    assert counts(out) == expected_counts(3)
    assert sum(counts(out).values()) == len(SEARCHED)
    assert leftovers(out) == []
    # the first part holds Pagefind's script and WebAssembly; its unused UI is not published
    first = sorted(p.name for p in (out / "pagefind" / listing(out)[0]).iterdir() if not p.is_dir())
    assert [name for name in first if name.endswith(".js")] == ["pagefind-worker.js", "pagefind.js"]
    assert not any(name.endswith(".css") for name in first)


def test_editing_one_runbook_makes_only_its_part_again(root: Path, tmp_path: Path, small_parts: None) -> None:
    out = tmp_path / "site"
    build(root, out)
    before = entries(out)
    overlay(root, {"runbooks/core/api-errors.md": (root / "runbooks/core/api-errors.md").read_text()
                   + "\nThen page the database owner.\n"})
    result = build(root, out)
    assert result.rendered == 1 and result.search == SearchIndex(pages=11, parts=3, made=1)
    after = entries(out)
    mine = f"{part_of('runbooks/core/api-errors.html', 3)}/"
    assert sorted(part for part in before if after[part] != before[part]) == [mine]
    assert counts(out) == expected_counts(3)
    assert leftovers(out) == []


def test_a_build_that_changes_no_searched_page_leaves_the_index_alone(root: Path, tmp_path: Path,
                                                                      small_parts: None) -> None:
    out = tmp_path / "site"
    build(root, out)
    before = entries(out)
    result = build(root, out)
    assert (result.rendered, result.search) == (0, None)
    assert entries(out) == before


def test_a_missing_part_is_made_again_and_a_foreign_listing_means_a_full_index(root: Path, tmp_path: Path,
                                                                               small_parts: None) -> None:
    out = tmp_path / "site"
    build(root, out)
    gone = listing(out)[1]
    for path in sorted((out / "pagefind" / gone).rglob("*"), reverse=True):
        path.unlink() if path.is_file() else path.rmdir()
    (out / "pagefind" / gone).rmdir()
    assert build(root, out).search == SearchIndex(pages=11, parts=3, made=1)
    assert counts(out) == expected_counts(3)
    (out / "pagefind" / "parts.json").write_text('{"parts": ["0/"]}')
    (out / "pagefind" / "stale.txt").write_text("left by someone else")
    assert build(root, out).search == SearchIndex(pages=11, parts=3, made=3)
    assert counts(out) == expected_counts(3)
    assert not (out / "pagefind" / "stale.txt").exists()


def test_a_removed_page_leaves_the_index_with_its_part(root: Path, tmp_path: Path, small_parts: None) -> None:
    out = tmp_path / "site"
    build(root, out)
    (root / "postmortems/2026-10-01-api-outage.md").unlink()
    result = build(root, out)
    assert result.ok and result.search is not None and result.search.pages == 10
    remaining = [p for p in SEARCHED if p != "postmortems/2026-10-01-api-outage.html"]
    assert sum(counts(out).values()) == len(remaining)


def test_after_a_build_without_search_the_next_one_indexes_everything(root: Path, tmp_path: Path,
                                                                      small_parts: None) -> None:
    out = tmp_path / "site"
    assert build(root, out, search_on=False).search is None
    assert not (out / "pagefind").exists()
    assert build(root, out).search == SearchIndex(pages=11, parts=3, made=3)
    assert counts(out) == expected_counts(3)


def test_one_part_for_a_small_site(root: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    assert build(root, out).search == SearchIndex(pages=11, parts=1, made=1)
    assert listing(out) == ["0/"] and counts(out) == {"0/": 11}
