"""Writing a page (``write_page``): its folder made if missing, what was there replaced, errors raised."""

from __future__ import annotations

import errno
from pathlib import Path

import pytest

from opsrepo.site.files import write_page


def test_a_page_is_written_in_utf8_its_folders_made(tmp_path: Path) -> None:
    target = tmp_path / "runbooks" / "core" / "api.html"
    write_page(target, "<p>Zoë → ✓</p>\n")
    assert target.read_bytes() == "<p>Zoë → ✓</p>\n".encode()


def test_a_shorter_page_replaces_a_longer_one_whole(tmp_path: Path) -> None:
    target = tmp_path / "page.html"
    write_page(target, "a long page, as the last build made it\n")
    write_page(target, "short\n")
    assert target.read_text(encoding="utf-8") == "short\n"


def test_what_is_in_the_way_raises_as_making_the_folder_then_writing_did(tmp_path: Path) -> None:
    """The builder reports the error's text (OPS608): the same errors as ``mkdir`` then ``write_text``."""
    (tmp_path / "x.html").mkdir()
    with pytest.raises(IsADirectoryError) as raised:
        write_page(tmp_path / "x.html", "page")
    assert raised.value.errno == errno.EISDIR
    (tmp_path / "file").write_text("a file where a folder goes")
    with pytest.raises(FileExistsError) as exists:  # from making the folder, as before
        write_page(tmp_path / "file" / "y.html", "page")
    assert exists.value.errno == errno.EEXIST
    assert (tmp_path / "file").read_text() == "a file where a folder goes"
