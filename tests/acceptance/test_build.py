"""``opsrepo build``: validate, then calendars and the site; an invalid repo is not rendered."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner

from opsrepo.cli.main import cli
from tests.helpers import FIXTURES, MINIMAL, ROOT, copy_repo

GOLDEN = ROOT / "tests" / "golden" / "validate"

ENV = {"OPSREPO_NOW": "2026-11-23T09:00:00Z"}
MONTHS = ("2026-11", "2026-12", "2027-01", "2027-02", "2027-03", "2027-04")


def test_build_renders_calendars_and_site(tmp_path: Path) -> None:
    out = tmp_path / "site"
    result = CliRunner().invoke(cli, ["build", "--repo", str(MINIMAL), "--out", str(out), "--no-search"], env=ENV)
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        "validate: ok: 0 errors, 0 warnings in 7 files checked\n"
        f"calendars: 13 files written (2026-11-01 to 2027-05-01) in {out / 'calendars'}\n"
        f"site: 23 pages (23 rendered, 0 removed, search index unchanged) in {out.resolve()}\n"
    )
    alone = tmp_path / "calendars"
    assert CliRunner().invoke(cli, ["calendar", "--repo", str(MINIMAL), "--out", str(alone)], env=ENV).exit_code == 0
    built = _files(out / "calendars")
    assert sorted(built) == ["calendar.css", "index.html", "people/ana.ics", "people/ben.ics", "people/cleo.ics",
                             "schedules/core-primary.ics",
                             *(f"schedules/core-primary/{month}.html" for month in MONTHS), "teams/core.ics"]
    assert built == _files(alone)
    assert (out / "index.html").is_file()
    page = (out / "schedules" / "core-primary.html").read_text(encoding="utf-8")
    assert 'href="../calendars/schedules/core-primary.ics"' in page
    team = (out / "teams" / "core.html").read_text(encoding="utf-8")
    assert 'href="../calendars/teams/core.ics" download>download the team\'s .ics feed</a>' in team


def test_invalid_repo_is_not_rendered(tmp_path: Path) -> None:
    out = tmp_path / "site"
    repo = FIXTURES / "repos" / "invalid" / "mixed"
    result = CliRunner().invoke(cli, ["build", "--repo", str(repo), "--out", str(out)], env=ENV)
    assert result.exit_code == 1
    assert result.stdout == (
        "validate: invalid: 10 errors, 1 warning in 10 files checked\n"
        "build: nothing rendered, the repo is invalid (fix the errors above, or --allow-invalid)\n"
    )
    validate_text = (GOLDEN / "text.txt").read_text(encoding="utf-8")
    assert result.stderr == validate_text.removesuffix("invalid: 10 errors, 1 warning in 10 files checked\n")
    assert not out.exists()


def _files(folder: Path) -> dict[str, bytes]:
    return {path.relative_to(folder).as_posix(): path.read_bytes() for path in folder.rglob("*") if path.is_file()}


def _site_build(repo: Path, out: Path) -> str:
    """``opsrepo site build``'s summary line, the site's folder as ``SITE``."""
    result = CliRunner().invoke(cli, ["site", "build", "--repo", str(repo), "--out", str(out)], env=ENV)
    assert result.exit_code == 0, result.output
    return result.stdout.replace(str(out.resolve()), "SITE")


def test_site_build_says_what_it_indexed(tmp_path: Path) -> None:
    repo, out = copy_repo(MINIMAL, tmp_path / "repo"), tmp_path / "site"
    assert _site_build(repo, out) == "site: 23 pages (23 rendered, 0 removed, search index of 11 pages) in SITE\n"
    assert _site_build(repo, out) == "site: 23 pages (0 rendered, 0 removed, search index unchanged) in SITE\n"
    runbook = repo / "runbooks/core/api-errors.md"
    runbook.write_text(runbook.read_text(encoding="utf-8") + "\nEscalate to the on-call.\n", encoding="utf-8")
    # (its one shard: a site this small is not dealt into more, see tests/unit/site/test_search.py)
    assert _site_build(repo, out) == "site: 23 pages (1 rendered, 0 removed, search index of 11 pages) in SITE\n"


def test_site_build_says_how_much_of_a_sharded_index_it_made(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from opsrepo.site import search

    monkeypatch.setattr(search, "SHARD_PAGES", 2)  # the minimal repo's 11 searched pages in 5 shards
    repo, out = copy_repo(MINIMAL, tmp_path / "repo"), tmp_path / "site"
    assert _site_build(repo, out) == "site: 23 pages (23 rendered, 0 removed, search index of 11 pages) in SITE\n"
    runbook = repo / "runbooks/core/api-errors.md"
    runbook.write_text(runbook.read_text(encoding="utf-8") + "\nEscalate to the on-call.\n", encoding="utf-8")
    assert _site_build(repo, out) == ("site: 23 pages (1 rendered, 0 removed, search index of 11 pages (0 of its "
                                      "5 shards indexed again, 1 page in its recent part)) in SITE\n")


@pytest.mark.parametrize("umask", [0o022, 0o027], ids=["umask-022", "umask-027"])
def test_everything_built_has_the_mode_the_umask_gives(tmp_path: Path, umask: int) -> None:
    """A web server running as another user reads every file and enters every folder of the built site.

    Under the usual umask 022 folders are 0755 and files 0644, the search index's included,
    on a clean build and on a rebuild that indexes a shard again (Pagefind's folders had been 0700).
    """
    repo, out = copy_repo(MINIMAL, tmp_path / "repo"), tmp_path / "site"
    previous = os.umask(umask)
    try:
        assert CliRunner().invoke(cli, ["build", "--repo", str(repo), "--out", str(out)], env=ENV).exit_code == 0
        runbook = repo / "runbooks/core/api-errors.md"
        runbook.write_text(runbook.read_text(encoding="utf-8") + "\nEscalate to the on-call.\n", encoding="utf-8")
        assert CliRunner().invoke(cli, ["build", "--repo", str(repo), "--out", str(out)], env=ENV).exit_code == 0
    finally:
        os.umask(previous)
    shard = json.loads((out / "pagefind/parts.json").read_text(encoding="utf-8"))["parts"][0].rstrip("/")
    modes = {path.relative_to(out).as_posix(): stat.S_IMODE(path.lstat().st_mode) for path in [out, *out.rglob("*")]}
    wrong = {path: oct(mode) for path, mode in modes.items()
             if mode != (0o777 if (out / path).is_dir() else 0o666) & ~umask}
    assert wrong == {}
    assert {"pagefind", f"pagefind/{shard}", "pagefind/parts.json", "calendars/index.html"} <= modes.keys()
    if umask == 0o022:
        assert all(mode & 0o444 == 0o444 for mode in modes.values())  # readable by all
        assert all(mode & 0o111 == 0o111 for path, mode in modes.items() if (out / path).is_dir())
