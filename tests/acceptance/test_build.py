"""``opsrepo build``: validate, then calendars and the site; an invalid repo is not rendered."""

from __future__ import annotations

from pathlib import Path

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
        f"calendars: 12 files written (2026-11-01 to 2027-05-01) in {out / 'calendars'}\n"
        f"site: 23 pages (23 rendered, 0 removed, search index unchanged) in {out.resolve()}\n"
    )
    alone = tmp_path / "calendars"
    assert CliRunner().invoke(cli, ["calendar", "--repo", str(MINIMAL), "--out", str(alone)], env=ENV).exit_code == 0
    built = _files(out / "calendars")
    assert sorted(built) == ["index.html", "people/ana.ics", "people/ben.ics", "people/cleo.ics",
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
        "validate: invalid: 5 errors, 1 warning in 8 files checked\n"
        "build: nothing rendered, the repo is invalid (fix the errors above, or --allow-invalid)\n"
    )
    validate_text = (GOLDEN / "text.txt").read_text(encoding="utf-8")
    assert result.stderr == validate_text.removesuffix("invalid: 5 errors, 1 warning in 8 files checked\n")
    assert not out.exists()


def _files(folder: Path) -> dict[str, bytes]:
    return {path.relative_to(folder).as_posix(): path.read_bytes() for path in folder.rglob("*") if path.is_file()}


def test_site_build_says_what_it_indexed(tmp_path: Path) -> None:
    repo, out = copy_repo(MINIMAL, tmp_path / "repo"), tmp_path / "site"

    def site_build() -> str:
        result = CliRunner().invoke(cli, ["site", "build", "--repo", str(repo), "--out", str(out)], env=ENV)
        assert result.exit_code == 0, result.output
        return result.stdout.replace(str(out.resolve()), "SITE")

    assert site_build() == "site: 23 pages (23 rendered, 0 removed, search index of 11 pages) in SITE\n"
    assert site_build() == "site: 23 pages (0 rendered, 0 removed, search index unchanged) in SITE\n"
    runbook = repo / "runbooks/core/api-errors.md"
    runbook.write_text(runbook.read_text(encoding="utf-8") + "\nEscalate to the on-call.\n", encoding="utf-8")
    assert site_build() == ("site: 23 pages (1 rendered, 0 removed, search index of 11 pages "
                            "(1 of them indexed again apart)) in SITE\n")
