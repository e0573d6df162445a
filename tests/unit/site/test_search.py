"""The search index (real Pagefind): made whole each time, in a new folder, so nothing stale is left."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from opsrepo.load.repo import load_repo
from opsrepo.site import build_site
from opsrepo.site.search import SearchIndex
from tests.helpers import MINIMAL, NOW, copy_repo, overlay
from tests.unit.site.test_builder import HISTORY


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return copy_repo(MINIMAL, tmp_path / "repo")


def index(root: Path, out: Path) -> SearchIndex | None:
    return build_site(load_repo(root), out, NOW, history=HISTORY).search


def listing(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())


def test_the_index_holds_every_searched_page_and_only_what_the_site_loads(root: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    made = index(root, out)
    assert made is not None and made.pages == 11
    entry = json.loads((out / "pagefind/pagefind-entry.json").read_text())
    assert entry["languages"]["en"]["page_count"] == 11
    files = listing(out / "pagefind")
    assert sorted(name for name in files if "/" not in name and not name.endswith(".pf_meta")) == [
        "pagefind-entry.json", "pagefind-worker.js", "pagefind.js", "wasm.en.pagefind", "wasm.unknown.pagefind"]
    assert len([name for name in files if name.startswith("fragment/")]) == 11
    assert len([name for name in files if name.endswith(".pf_meta")]) == 1


def test_an_index_made_again_leaves_nothing_of_the_old_one(root: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    index(root, out)
    (out / "pagefind" / "stale.txt").write_text("left by an earlier index")
    overlay(root, {"runbooks/core/api-errors.md": (root / "runbooks/core/api-errors.md").read_text()
                   + "\nThen page the database owner.\n"})
    assert index(root, out) is not None
    files = listing(out / "pagefind")
    assert "stale.txt" not in files
    # one fragment a page and one metadata file: the edited page's old fragment is gone
    assert len([name for name in files if name.startswith("fragment/")]) == 11
    assert len([name for name in files if name.endswith(".pf_meta")]) == 1
    assert sorted(p.name for p in out.iterdir() if p.name.startswith(".") and p.is_dir()) == []
