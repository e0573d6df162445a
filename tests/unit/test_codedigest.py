"""The digest of opsrepo's code: every Python file's path and content; kept under the files' identities."""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from opsrepo import __version__, codedigest, usercache


@pytest.fixture
def package(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A package of three files, a minute old; the user's cache folder in the test's."""
    root = tmp_path / "opsrepo"
    for name in ("__init__.py", "load/files.py", "site/notes.txt"):
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(f"# {name}\n")
    monkeypatch.setattr(codedigest, "PACKAGE", str(root))
    monkeypatch.setattr(codedigest, "RACY_NS", codedigest.RACY_NS - 60 * 10**9)  # as if written a minute ago
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    codedigest.code_digest.cache_clear()
    yield root
    codedigest.code_digest.cache_clear()


def _expected(root: Path) -> bytes:
    digest = hashlib.blake2b(__version__.encode(), digest_size=16)
    for name in ("__init__.py", "load/files.py"):
        digest.update(name.encode() + b"\0" + (root / name).read_bytes())
    return digest.digest()


def _again() -> bytes:
    codedigest.code_digest.cache_clear()
    return codedigest.code_digest()


def test_the_digest_is_every_python_files_path_and_content_and_is_kept(package: Path, tmp_path: Path) -> None:
    old = os.umask(0o002)  # a group's members may write what the user makes: not the kept digest
    try:
        assert codedigest.code_digest() == _expected(package)
    finally:
        os.umask(old)
    kept = list((tmp_path / "cache" / "opsrepo" / "code").iterdir())
    assert [path.stat().st_mode & 0o777 for path in kept] == [0o600]
    assert [path.read_bytes() for path in kept] == [_expected(package)]
    kept[0].write_bytes(b"k" * 16)  # the kept digest is what the next process takes
    long_ago = time.time() - (usercache.UNUSED_DAYS + 1) * 86400
    os.utime(kept[0], (long_ago, long_ago))
    assert _again() == b"k" * 16
    assert kept[0].stat().st_mtime > time.time() - 60  # marked used: not removed as unused
    kept[0].chmod(0o622)  # others could have written it: not taken
    assert _again() == _expected(package)


def test_a_changed_file_changes_the_digest(package: Path) -> None:
    before = codedigest.code_digest()
    (package / "load/files.py").write_text("# another text\n")
    assert _again() == _expected(package) != before
    (package / "site/notes.txt").write_text("not Python\n")
    assert _again() == _expected(package)


def test_a_racy_package_is_hashed_and_not_kept(package: Path, tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(codedigest, "RACY_NS", 2 * 10**9)  # the files were just written
    assert codedigest.code_digest() == _expected(package)
    assert not (tmp_path / "cache" / "opsrepo" / "code").exists()


def test_without_a_cache_folder_the_digest_is_computed(package: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/cache")
    assert codedigest.code_digest() == _expected(package)
    assert not Path("relative").exists()


def test_the_real_package_is_digested(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    codedigest.code_digest.cache_clear()
    try:
        files = sorted(Path(codedigest.PACKAGE).rglob("*.py"))
        digest = hashlib.blake2b(__version__.encode(), digest_size=16)
        for path in files:
            digest.update(path.relative_to(codedigest.PACKAGE).as_posix().encode() + b"\0" + path.read_bytes())
        assert codedigest.code_digest() == digest.digest() == _again()
        assert len(files) > 100 and os.path.basename(codedigest.PACKAGE) == "opsrepo"
    finally:
        codedigest.code_digest.cache_clear()
