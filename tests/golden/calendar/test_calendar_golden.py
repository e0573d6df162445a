"""``opsrepo calendar`` on the oncall-basic fixture, against reviewed golden ICS and HTML files."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.golden.calendar.regen import FILES, HERE, golden_name, render
from tests.unit.calendar.expand import expand


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("calendars")
    code, stdout, stderr = render(out)
    assert (code, stderr) == (0, "")
    assert stdout == (f"wrote 13 files to {out}: 8 iCalendar feeds and 4 HTML pages (and their stylesheet) for "
                      "[2026-12-01T00:00+01:00, 2027-01-01T00:00+01:00)\n")
    return out


@pytest.mark.parametrize("relative", FILES)
def test_file_matches_golden(rendered: Path, relative: str) -> None:
    assert (rendered / relative).read_bytes() == (HERE / golden_name(relative)).read_bytes()


def test_every_file_written(rendered: Path) -> None:
    found = sorted(str(p.relative_to(rendered)) for p in rendered.rglob("*") if p.is_file())
    assert found == [
        "calendar.css", "index.html",
        "people/ana.ics", "people/ben.ics", "people/cleo.ics", "people/dan.ics",
        # the range names December (in the repo's zone, Berlin): London's office gets no November page
        "schedules/office.ics", "schedules/office/2026-12.html",
        "schedules/primary.ics", "schedules/primary/2026-12.html",
        "schedules/secondary.ics", "schedules/secondary/2026-12.html",
        "teams/ops.ics",
    ]


def test_the_html_escapes_what_authors_wrote_and_has_no_script() -> None:
    page = (HERE / golden_name("schedules/primary/2026-12.html")).read_text(encoding="utf-8")
    assert "Christmas &lt;swap&gt; with ana" in page and "<swap>" not in page
    assert "<script" not in page and "http://" not in page and "https://" not in page


def test_the_secondary_feed_shows_bens_time_off_covered_by_dan() -> None:
    events = expand((HERE / golden_name("schedules/secondary.ics")).read_bytes())
    covers = [e.summary for e in events if "covering" in e.summary]
    assert covers == ["Ops secondary: Dan Wu (weekly, covering Ben Okafor)"]


def test_a_broken_file_is_named_and_the_other_schedules_still_render(tmp_path: Path) -> None:
    import shutil

    from click.testing import CliRunner

    from opsrepo.cli.main import cli
    from tests.golden.calendar.regen import ARGUMENTS, NOW, REPO

    repo = shutil.copytree(REPO, tmp_path / "repo")
    (repo / "schedules" / "office.yaml").write_text("id: office\nname: [unclosed\n", encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["calendar", "--repo", str(repo), *ARGUMENTS, "--out", str(out)],
                                env={"OPSREPO_NOW": NOW})
    assert (result.exit_code, result.stderr) == (0, (
        "opsrepo: warning: 1 file failed to load and is left out of the calendars: schedules/office.yaml\n"
        "  hint: run 'opsrepo validate' to see what to fix\n"))
    assert sorted(str(p.relative_to(out / "schedules")) for p in (out / "schedules").rglob("*") if p.is_file()) == [
        "primary.ics", "primary/2026-12.html", "secondary.ics", "secondary/2026-12.html"]
    assert (out / "schedules" / "primary.ics").read_bytes() == (HERE / golden_name("schedules/primary.ics")).read_bytes()
