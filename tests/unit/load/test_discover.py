"""Finding files walks directory entries; it finds what ``rglob`` finds, in the same order; reading reads all."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from opsrepo.load import files
from opsrepo.load.files import FOLDERS, ORG_FILE, _files_below, classify, discover


def _tree(root: Path) -> None:
    for name in ("a/b.yaml", "a-b/c.yaml", "a/b/c/d.yaml", ".hidden.yaml", "a/.h/x.yaml", "A.yaml", "z.md",
                 "a b/c.yaml", "é/ö.yaml"):
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text("id: x\n", encoding="utf-8")
    (root / "link.yaml").symlink_to(root / "a/b.yaml")
    (root / "linked-folder").symlink_to(root / "a", target_is_directory=True)
    (root / "broken.yaml").symlink_to(root / "nowhere.yaml")
    (root / "empty").mkdir()
    os.mkfifo(root / "pipe.yaml")


def test_files_below_are_those_rglob_finds_in_its_order(tmp_path: Path) -> None:
    _tree(tmp_path)
    expected = sorted(p for p in tmp_path.rglob("*") if p.is_file() or p.is_symlink())
    assert [tmp_path / name for name in _files_below(str(tmp_path))] == expected


def reference_discover(root: Path) -> list[tuple[str, Path]]:
    """``discover`` before it walked directory entries."""
    candidates = [root / ORG_FILE] if (root / ORG_FILE).is_file() else []
    for folder in FOLDERS:
        base = root / folder
        if base.is_dir():
            candidates.extend(sorted(p for p in base.rglob("*") if p.is_file() or p.is_symlink()))
    found = []
    for path in candidates:
        kind = classify(path.relative_to(root).as_posix())
        if kind is not None or path.is_symlink():
            found.append((kind or "link", path))
    return found


def test_discover_finds_what_it_found_before(tmp_path: Path) -> None:
    (tmp_path / "opsrepo.yaml").write_text("name: x\n", encoding="utf-8")
    for folder in ("teams", "runbooks", "policies"):
        _tree(tmp_path / folder)
    found = list(discover(tmp_path))
    assert found == reference_discover(tmp_path)
    assert ("team", tmp_path / "teams/link.yaml") in found  # read_document refuses it (OPS015)
    assert ("link", tmp_path / "teams/linked-folder") in found


@pytest.mark.parametrize("size", [0, 1, files._PIECE - 1, files._PIECE, files._PIECE + 1, 3 * files._PIECE + 5])
def test_a_file_is_read_whole_whatever_its_size(size: int, tmp_path: Path) -> None:
    content = bytes(index % 251 for index in range(size))
    (tmp_path / "f").write_bytes(content)
    assert files._read(str(tmp_path / "f")) == content
