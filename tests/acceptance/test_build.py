"""``opsrepo build``: validate, then calendars and the site; an invalid repo is not rendered."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from opsrepo.cli.main import cli
from tests.helpers import FIXTURES, MINIMAL

ENV = {"OPSREPO_NOW": "2026-11-23T09:00:00Z"}


def test_build_renders_calendars_and_site(tmp_path: Path) -> None:
    out = tmp_path / "site"
    result = CliRunner().invoke(cli, ["build", "--repo", str(MINIMAL), "--out", str(out), "--no-search"], env=ENV)
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        "validate: ok: 0 errors, 0 warnings in 7 files checked\n"
        f"calendars: 11 files written (2026-11-01 to 2027-05-01) in {out / 'calendars'}\n"
        f"site: 22 pages (22 rendered, 0 removed, search index unchanged) in {out.resolve()}\n"
    )
    assert (out / "calendars" / "schedules" / "core-primary.ics").read_text(encoding="utf-8").startswith("BEGIN:VCALENDAR")
    assert (out / "calendars" / "people" / "ana.ics").is_file()
    assert (out / "index.html").is_file()
    page = (out / "schedules" / "core-primary.html").read_text(encoding="utf-8")
    assert 'href="../calendars/schedules/core-primary.ics"' in page


def test_invalid_repo_is_not_rendered(tmp_path: Path) -> None:
    out = tmp_path / "site"
    repo = FIXTURES / "repos" / "invalid" / "mixed"
    result = CliRunner().invoke(cli, ["build", "--repo", str(repo), "--out", str(out)], env=ENV)
    assert result.exit_code == 1
    assert result.stdout == (
        "validate: invalid: 5 errors, 1 warning in 8 files checked\n"
        "build: nothing rendered, the repo is invalid (fix the errors above, or --allow-invalid)\n"
    )
    assert "teams/web.yaml:6:1: OPS101 error: unknown key 'servces'" in result.stderr
    assert not out.exists()
