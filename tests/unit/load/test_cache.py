"""The parsed-file cache: a load from it equals a fresh load; a changed, racy or broken file is read again."""

from __future__ import annotations

import os
import pickle
import shutil
import time
from pathlib import Path
from typing import Any

import pytest
import yaml

from opsrepo import usercache
from opsrepo.errors import Diagnostic, ordered
from opsrepo.load import cache, repo
from opsrepo.load.disk import DiskFiles
from opsrepo.load.files import Document
from opsrepo.load.repo import Loaded, load_repo
from opsrepo.rules import run_rules
from tests.fixtures.cases import needs_unprivileged_reader, overlay_case
from tests.helpers import FIXTURES, MINIMAL, NOW, PLANTED_CALLS, ROOT, Planted, copy_repo

#: the example repo's folders (the repo's root holds opsrepo's own code too)
EXAMPLE = ("opsrepo.yaml", "teams", "schedules", "policies", "runbooks", "postmortems", "alerts")


@pytest.fixture
def read(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The repo-relative paths the loader reads (parses and checks) itself, load after load."""
    seen: list[str] = []
    reader = repo._read_all

    def recorded(root: Path, found: list[tuple[str, Path]]) -> Any:
        seen.extend(path.relative_to(root).as_posix() for _, path in found)
        return reader(root, found)

    monkeypatch.setattr(repo, "_read_all", recorded)
    return seen


@pytest.fixture
def later(monkeypatch: pytest.MonkeyPatch) -> None:
    """Loads begin a minute from now: the files just written are not racy (as a repo edited a while ago)."""
    monkeypatch.setattr(cache, "RACY_NS", cache.RACY_NS - 60 * 10**9)


def _example(target: Path) -> Path:
    target.mkdir()
    for name in EXAMPLE:
        source = ROOT / name
        (shutil.copytree if source.is_dir() else shutil.copy2)(source, target / name)
    return target


def _same(cached: Loaded, fresh: Loaded) -> None:
    assert cached.documents == fresh.documents
    assert [d.clean for d in cached.documents] == [d.clean for d in fresh.documents]
    assert cached.repo == fresh.repo
    assert cached.diagnostics == fresh.diagnostics


def _validated(loaded: Loaded, root: Path) -> list[Diagnostic]:
    return ordered({*loaded.diagnostics, *run_rules(loaded.repo, NOW, DiskFiles(root))})


def test_a_load_from_the_cache_equals_a_fresh_load_of_the_example_repo(
        tmp_path: Path, read: list[str], later: None) -> None:
    root, kept = _example(tmp_path / "repo"), tmp_path / "cache.pickle"
    fresh = load_repo(root)
    files = list(read)
    assert len(files) > 50 and fresh.diagnostics == []
    first = load_repo(root, cache=kept)
    assert read == files * 2  # no cache yet: every file read
    second = load_repo(root, cache=kept)
    assert read == files * 2  # none read again
    _same(first, fresh)
    _same(second, fresh)
    assert _validated(second, root) == _validated(fresh, root)


def _cases() -> list[Any]:
    found = []
    for path in sorted((FIXTURES / "cases").glob("*.yaml")):
        for case in yaml.safe_load(path.read_text(encoding="utf-8")):
            found.append(pytest.param(case, id=f"{path.stem}/{case['name']}"))
    return found


@pytest.mark.parametrize("case", _cases())
def test_a_load_from_the_cache_equals_a_fresh_load_of_each_case(
        case: dict[str, Any], tmp_path: Path, read: list[str], later: None) -> None:
    """Every case of the corpus (broken files included): the same documents, records and diagnostics."""
    if needs_unprivileged_reader(case):
        pytest.skip("root reads a file whatever its permissions")
    root, kept = copy_repo(MINIMAL, tmp_path / "repo"), tmp_path / "cache.pickle"
    overlay_case(root, case["files"])
    fresh = load_repo(root)
    load_repo(root, cache=kept)
    del read[:]
    cached = load_repo(root, cache=kept)
    _same(cached, fresh)
    assert _validated(cached, root) == _validated(fresh, root)
    assert set(read) <= {d.file for d in fresh.diagnostics}  # only files with a problem are read again


def test_an_edit_of_the_same_size_in_the_same_second_is_seen(
        tmp_path: Path, read: list[str], later: None) -> None:
    root, kept = copy_repo(MINIMAL, tmp_path / "repo"), tmp_path / "cache.pickle"
    runbook = next(root.glob("runbooks/**/*.md"))
    relative = runbook.relative_to(root).as_posix()
    second = (int(time.time()) - 100) * 10**9
    os.utime(runbook, ns=(second, second + 100_000_000))
    load_repo(root, cache=kept)
    text = runbook.read_text(encoding="utf-8")
    changed = text.replace("a", "b", 1)
    assert changed != text and len(changed) == len(text)
    time.sleep(0.02)  # a tick of the file system's clock: its change time moves
    runbook.write_text(changed, encoding="utf-8")
    os.utime(runbook, ns=(second, second + 100_000_000))  # the modification time exactly as before
    del read[:]
    after = load_repo(root, cache=kept)
    assert read == [relative]
    assert next(d.text for d in after.documents if d.path == relative) == changed
    _same(after, load_repo(root))
    runbook.write_text(text, encoding="utf-8")
    os.utime(runbook, ns=(second, second + 600_000_000))  # back as it was, another time in the same second
    del read[:]
    _same(load_repo(root, cache=kept), load_repo(root))
    assert read[0] == relative


def test_a_file_changed_just_before_a_load_is_not_kept(tmp_path: Path, read: list[str]) -> None:
    """Racy: a change within the same tick of the clock could leave the file's identity as it was."""
    root, kept = copy_repo(MINIMAL, tmp_path / "repo"), tmp_path / "cache.pickle"
    old = (int(time.time()) - 100) * 10**9
    for path in root.rglob("*"):
        os.utime(path, ns=(old, old))
    # every file's change time is now: none is safely older than the load
    load_repo(root, cache=kept)
    files = list(read)
    runbook = next(root.glob("runbooks/**/*.md"))
    text = runbook.read_text(encoding="utf-8")
    runbook.write_text(text.replace("a", "b", 1), encoding="utf-8")  # same size, same instant as far as
    os.utime(runbook, ns=(old, old))                                  # the clock's tick may tell
    del read[:]
    loaded = load_repo(root, cache=kept)
    assert read == files  # nothing was kept: all read again, the edit seen
    _same(loaded, load_repo(root))


@pytest.mark.parametrize("damage", ["cut", "byte", "garbage", "empty", "class", "foreign", "parser", "folder",
                                    "writable", "owner"])
def test_a_damaged_or_foreign_cache_counts_as_none(
        tmp_path: Path, read: list[str], later: None, damage: str, monkeypatch: pytest.MonkeyPatch) -> None:
    del PLANTED_CALLS[:]
    root, kept = _example(tmp_path / "repo"), tmp_path / "cache.pickle"
    fresh = load_repo(root)
    files = list(read)
    load_repo(root, cache=kept)
    raw = kept.read_bytes()
    if damage == "cut":
        kept.write_bytes(raw[: len(raw) // 2])
    elif damage == "byte":  # a byte of a runbook's text: the checksum no longer matches
        at = raw.index(b"## ")
        kept.write_bytes(raw[:at] + b"#" + raw[at + 1:].replace(b"#", b"!", 1))
    elif damage == "garbage":
        kept.write_bytes(os.urandom(1000))
    elif damage == "empty":
        kept.write_bytes(b"")
    elif damage == "class":  # a well-summed pickle that would call a function: never unpickled as such
        header, entries = pickle.loads(raw[4:])
        relative = next(iter(entries))
        entries[relative] = (*entries[relative][:7], Planted(entries[relative][7]), *entries[relative][8:])
        data = pickle.dumps((header, entries))
        kept.write_bytes(cache.zlib.crc32(data).to_bytes(4, "big") + data)
    elif damage == "foreign":  # another opsrepo's (its code digest differs)
        header, entries = pickle.loads(raw[4:])
        data = pickle.dumps(((*header[:3], b"another", *header[4:]), entries))
        kept.write_bytes(cache.zlib.crc32(data).to_bytes(4, "big") + data)
    elif damage == "parser":  # written with libyaml and read by a PyYAML without it (as the header says)
        monkeypatch.setattr(yaml, "__with_libyaml__", not yaml.__with_libyaml__)
    elif damage == "writable":  # others could have written it
        kept.chmod(0o622)
    elif damage == "owner":  # another user's
        if os.getuid() != 0:
            pytest.skip("only root gives a file to another user")
        os.chown(kept, 65534, 65534)
    else:
        kept.unlink()
        kept.mkdir()
    del read[:]
    _same(load_repo(root, cache=kept), fresh)
    assert read == files
    assert PLANTED_CALLS == []  # the function the pickle names was never called
    if damage != "folder":  # written again, whole: the next load reads nothing
        del read[:]
        _same(load_repo(root, cache=kept), fresh)
        assert read == []


def test_a_broken_file_is_never_kept_and_its_diagnostics_are_made_again(
        tmp_path: Path, read: list[str], later: None) -> None:
    root, kept = copy_repo(MINIMAL, tmp_path / "repo"), tmp_path / "cache.pickle"
    (root / "runbooks" / "broken.md").write_text("---\ntitle: [unclosed\n---\nbody\n", encoding="utf-8")
    fresh = load_repo(root)
    assert [d.file for d in fresh.diagnostics] == ["runbooks/broken.md"]
    for _ in range(2):
        load_repo(root, cache=kept)
    del read[:]
    cached = load_repo(root, cache=kept)
    assert read == ["runbooks/broken.md"]
    _same(cached, fresh)
    assert _validated(cached, root) == _validated(fresh, root)


def _kept_paths(kept: Path) -> set[str]:
    return set(pickle.loads(kept.read_bytes()[4:])[1])


def test_a_removed_file_leaves_the_cache_and_a_new_one_is_read(
        tmp_path: Path, read: list[str], later: None, monkeypatch: pytest.MonkeyPatch) -> None:
    root, kept = copy_repo(MINIMAL, tmp_path / "repo"), tmp_path / "cache.pickle"
    runbook = next(root.glob("runbooks/**/*.md"))
    old, new = runbook.relative_to(root).as_posix(), runbook.with_name("moved.md").relative_to(root).as_posix()
    load_repo(root, cache=kept)
    runbook.rename(root / new)  # same inode, times and size: another path
    del read[:]
    loaded = load_repo(root, cache=kept)
    assert read == [new]
    _same(loaded, load_repo(root))
    assert old in _kept_paths(kept) and new not in _kept_paths(kept)  # two files differ: not written again
    monkeypatch.setattr(cache, "REWRITE_AFTER", 1)
    del read[:]
    _same(load_repo(root, cache=kept), loaded)
    assert read == [new]
    assert new in _kept_paths(kept) and old not in _kept_paths(kept)
    del read[:]
    _same(load_repo(root, cache=kept), loaded)
    assert read == []


def test_the_cache_is_written_again_once_enough_files_differ(
        tmp_path: Path, read: list[str], later: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cache, "REWRITE_AFTER", 2)
    root, kept = _example(tmp_path / "repo"), tmp_path / "cache.pickle"
    load_repo(root, cache=kept)
    written = kept.read_bytes()
    runbooks = sorted(root.glob("runbooks/**/*.md"))
    assert len(runbooks) > 3
    edited = []
    for runbook in runbooks[:3]:
        runbook.write_text(runbook.read_text(encoding="utf-8") + "\nCheck again.\n", encoding="utf-8")
        edited.append(runbook.relative_to(root).as_posix())
        del read[:]
        cached = load_repo(root, cache=kept)
        assert sorted(read) == sorted(edited)  # the files edited since the cache was written, read again
        _same(cached, load_repo(root))
        assert (kept.read_bytes() == written) is (len(edited) <= 2)
    del read[:]
    cached = load_repo(root, cache=kept)
    assert read == []  # the cache written again holds the three
    _same(cached, load_repo(root))


@pytest.mark.parametrize("where", ["outside", "inside"])
def test_a_file_behind_a_linked_folder_is_read_as_without_a_cache(
        tmp_path: Path, read: list[str], later: None, where: str) -> None:
    """The same files (inodes, times) now behind a link: outside the repo they are reported, not loaded."""
    root, kept = copy_repo(MINIMAL, tmp_path / "repo"), tmp_path / "cache.pickle"
    load_repo(root, cache=kept)
    moved = tmp_path / "outside" if where == "outside" else root / "elsewhere"
    (root / "runbooks").rename(moved)
    (root / "runbooks").symlink_to(moved, target_is_directory=True)
    del read[:]
    fresh = load_repo(root)
    assert any(d.code == "OPS015" for d in fresh.diagnostics) is (where == "outside")
    runbooks = [path for path in read if path.startswith("runbooks/")]
    assert runbooks
    del read[:]
    _same(load_repo(root, cache=kept), fresh)
    assert [path for path in read if path.startswith("runbooks/")] == runbooks  # none from the cache


def test_a_file_replaced_by_a_link_to_it_is_read_as_without_a_cache(
        tmp_path: Path, read: list[str], later: None) -> None:
    """The same file (inode, times) now behind a link of its own: the loader refuses the link, so must the cache."""
    root, kept = copy_repo(MINIMAL, tmp_path / "repo"), tmp_path / "cache.pickle"
    runbook = next(root.glob("runbooks/**/*.md"))
    relative = runbook.relative_to(root).as_posix()
    load_repo(root, cache=kept)
    # its folder moved (a file's own rename or link would change its change time), the link put in its place
    (root / "runbooks").rename(tmp_path / "moved")
    runbook.parent.mkdir(parents=True)
    runbook.symlink_to(tmp_path / "moved" / runbook.relative_to(root / "runbooks"))
    fresh = load_repo(root)
    assert relative in {d.file for d in fresh.diagnostics}
    del read[:]
    _same(load_repo(root, cache=kept), fresh)
    assert read == [relative]


def test_the_cache_lives_in_the_users_cache_folder_named_by_the_repo(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    one, other = cache.cache_file(tmp_path / "a"), cache.cache_file(tmp_path / "b")
    assert one is not None and other is not None and one != other
    assert one.parent == tmp_path / "xdg" / "opsrepo" / "loaded" and one.suffix == ".pickle"
    (tmp_path / "a").mkdir()
    (tmp_path / "link").symlink_to(tmp_path / "a")
    assert cache.cache_file(tmp_path / "link") == one  # named by the resolved path
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/cache")  # not a place to write
    assert cache.cache_file(tmp_path / "a") is None


def test_a_cache_that_cannot_be_written_is_no_reason_to_fail(tmp_path: Path, later: None) -> None:
    root = copy_repo(MINIMAL, tmp_path / "repo")
    (tmp_path / "file").write_text("not a folder")
    kept = tmp_path / "file" / "cache.pickle"
    _same(load_repo(root, cache=kept), load_repo(root))
    assert not kept.exists()


def test_the_cache_is_its_users_alone_and_written_through_no_link(tmp_path: Path, later: None) -> None:
    """It holds the repo's text: not readable by others, and a link planted where it is written is not followed."""
    root, kept = copy_repo(MINIMAL, tmp_path / "repo"), tmp_path / "loaded" / "cache.pickle"
    kept.parent.mkdir()
    victim = tmp_path / "victim"
    victim.write_text("untouched")
    kept.with_name(f"{kept.name}.{os.getpid()}.tmp").symlink_to(victim)
    old = os.umask(0o022)
    try:
        load_repo(root, cache=kept)
    finally:
        os.umask(old)
    assert victim.read_text() == "untouched"
    assert kept.stat().st_mode & 0o777 == 0o600
    assert sorted(p.name for p in kept.parent.iterdir()) == ["cache.pickle"]


def test_an_unused_cache_of_another_repo_is_removed_when_one_is_made(tmp_path: Path, later: None) -> None:
    root, folder = copy_repo(MINIMAL, tmp_path / "repo"), tmp_path / "loaded"
    folder.mkdir()
    old, recent = folder / "old.pickle", folder / "recent.pickle"
    for path in (old, recent):
        path.write_bytes(b"")
    long_ago = time.time() - (usercache.UNUSED_DAYS + 1) * 86400
    os.utime(old, (long_ago, long_ago))
    load_repo(root, cache=folder / "mine.pickle")
    assert sorted(p.name for p in folder.iterdir()) == ["mine.pickle", "recent.pickle"]


def test_a_cache_used_but_not_written_again_is_marked_used(tmp_path: Path, read: list[str], later: None) -> None:
    """Its modification time tells it is in use: another repo's new cache removes only those unused."""
    root, kept = copy_repo(MINIMAL, tmp_path / "repo"), tmp_path / "cache.pickle"
    load_repo(root, cache=kept)
    written = kept.read_bytes()
    long_ago = time.time() - (usercache.UNUSED_DAYS + 1) * 86400
    os.utime(kept, (long_ago, long_ago))
    del read[:]
    load_repo(root, cache=kept)
    assert read == [] and kept.read_bytes() == written  # taken whole, not written again
    assert kept.stat().st_mtime > time.time() - 60


def test_a_document_is_kept_as_its_text_and_data() -> None:
    document = Document("runbooks/x.md", "runbook", "---\ntitle: X\n---\nbody\n", {"title": "X"},
                        "body\n", 4, "title: X\n", 1, clean=True)
    entry = cache._entry(document, (1, 2, 3, 4, 5))
    assert entry is not None
    assert cache._document("runbooks/x.md", entry) == document


def test_site_build_loads_through_the_cache_in_the_users_cache_folder(
        tmp_path: Path, read: list[str], later: None, monkeypatch: pytest.MonkeyPatch) -> None:
    from click.testing import CliRunner

    from opsrepo.cli.main import cli

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    root, out = copy_repo(MINIMAL, tmp_path / "repo"), tmp_path / "site"
    command = ["site", "build", "--repo", str(root), "--out", str(out), "--no-search"]
    env = {"OPSREPO_NOW": "2026-11-23T09:00:00+00:00"}
    assert CliRunner().invoke(cli, command, env=env).exit_code == 0
    kept = cache.cache_file(root)
    assert kept is not None and kept.is_file() and kept.parent == tmp_path / "xdg" / "opsrepo" / "loaded"
    runbook = root / "runbooks" / "core" / "api-errors.md"
    runbook.write_text(runbook.read_text(encoding="utf-8") + "\nDrain the node, then check again.\n",
                       encoding="utf-8")
    del read[:]
    done = CliRunner().invoke(cli, command, env={"OPSREPO_NOW": "2026-11-23T09:01:00+00:00"})
    assert done.exit_code == 0 and done.output.startswith("site: 23 pages (2 rendered, 0 removed")
    assert read == ["runbooks/core/api-errors.md"]
    assert "check again" in (out / "runbooks" / "core" / "api-errors.html").read_text(encoding="utf-8")
