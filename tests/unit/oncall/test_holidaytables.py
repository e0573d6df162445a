"""The holiday table written ahead of time answers exactly what the ``holidays`` package does."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import holidays
import pytest

from opsrepo.oncall import holidaytables
from opsrepo.oncall.accounting import public_holidays
from opsrepo.oncall.holidaytables import HolidayTable, dist_version, installed_version, tabled_holidays

ROOT = Path(__file__).resolve().parents[3]
HEADER = "# a comment\n# another\nholidays\t0.109\nyears\t2026\t2027\n"


def _package(country: str, subdivision: str | None, year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays(country, subdiv=subdivision, years=year).keys())


def test_the_table_is_written_by_the_script_from_the_installed_holidays(tmp_path: Path) -> None:
    # every country, subdivision and year of the table, against the package (the lock pins its version)
    table = HolidayTable(Path(holidaytables.TABLE).read_text(encoding="utf-8"))
    if os.environ.get("OPSREPO_NEWEST_DEPS") and installed_version() != table.version:
        # the weekly run on the newest releases: opsrepo asks the package until the lock moves and the table with it
        assert tabled_holidays("DE", None, 2026) is None
        return
    script = ROOT / "scripts" / "make_holidays.py"
    source = script.read_text(encoding="utf-8")
    copy = tmp_path / "make_holidays.py"
    copy.write_text(source.replace(
        'OUT = Path(__file__).resolve().parent.parent / "src" / "opsrepo" / "oncall" / "holidays.tsv"',
        f"OUT = Path({str(tmp_path / 'holidays.tsv')!r})",
    ), encoding="utf-8")
    subprocess.run([sys.executable, str(copy)], check=True, capture_output=True)
    written = (tmp_path / "holidays.tsv").read_text(encoding="utf-8")
    assert written == Path(holidaytables.TABLE).read_text(encoding="utf-8"), \
        "run python scripts/make_holidays.py"


def test_the_installed_holidays_is_read_from_its_dist_info() -> None:
    from holidays.version import __version__

    assert installed_version() == __version__


@pytest.mark.parametrize(("country", "subdivision", "year"), [
    ("DE", None, 2026), ("DE", "BY", 2027), ("US", "CA", 2026), ("GB", "ENG", 2027), ("UK", None, 2026),
    ("AU", "NSW", 2025),  # Australia Day 2025 is a Sunday: NSW has the Monday instead (a day removed)
    ("JP", None, 2033), ("US", None, 2024),
])
def test_tabled_holidays_are_the_packages(country: str, subdivision: str | None, year: int) -> None:
    assert tabled_holidays(country, subdivision, year) == _package(country, subdivision, year)


def test_a_subdivision_line_adds_and_removes_days_of_its_countrys() -> None:
    table = HolidayTable(HEADER + "AU\t\t1,26,359;1,26\nAU\tNSW\t5,-26;\n")
    assert table.holidays("AU", "NSW", 2026) == {date(2026, 1, 1), date(2026, 1, 5), date(2026, 12, 25)}
    assert table.holidays("AU", "NSW", 2027) == {date(2027, 1, 1), date(2027, 1, 26)}
    assert table.holidays("AU", None, 2026) == {date(2026, 1, 1), date(2026, 1, 26), date(2026, 12, 25)}


def test_day_numbers_outside_the_year_are_days_of_the_next_and_the_last() -> None:
    table = HolidayTable(HEADER + "XX\t\t0,366;\nXX\tA\t-0,367;\n")
    assert table.holidays("XX", None, 2026) == {date(2025, 12, 31), date(2027, 1, 1)}
    assert table.holidays("XX", "A", 2026) == {date(2027, 1, 1), date(2027, 1, 2)}


def test_the_table_says_nothing_outside_its_years_countries_and_subdivisions() -> None:
    table = HolidayTable(HEADER + "DE\t\t1;1\nDE\tBY\t6;6\n")
    assert table.holidays("DE", None, 2025) is None
    assert table.holidays("DE", None, 2028) is None
    assert table.holidays("FR", None, 2026) is None
    assert table.holidays("DE", "Bavaria", 2026) is None
    assert table.holidays("DE", "BY\n", 2026) is None
    assert table.holidays("DE", "BY", 2026) == {date(2026, 1, 1), date(2026, 1, 6)}


def test_only_one_dist_info_of_the_package_names_its_version() -> None:
    assert dist_version(["click", "holidays", "holidays-0.109.dist-info", "holidays_x-1.0.dist-info"]) == "0.109"
    assert dist_version(["holidays", "holidays-0.109.dist-info", "holidays-0.110.dist-info"]) is None
    assert dist_version(["holidays", "__editable__.holidays-0.110.pth"]) is None


@pytest.mark.parametrize(("country", "subdivision", "year"), [
    ("DE", "BY", 2040),  # after the table
    ("DE", "Bavaria", 2026),  # an alias the package knows, the table does not
    ("ZZ", None, 2026),  # unknown to both: no holidays
])
def test_public_holidays_asks_the_package_where_the_table_cannot_say(country: str, subdivision: str | None,
                                                                   year: int) -> None:
    try:
        expected = _package(country, subdivision, year)
    except NotImplementedError:
        expected = frozenset()
    assert public_holidays(country, subdivision, year) == expected


def test_public_holidays_ask_the_package_when_another_version_is_installed(monkeypatch: pytest.MonkeyPatch) -> None:
    holidaytables._installed_table.cache_clear()
    public_holidays.cache_clear()
    monkeypatch.setattr(holidaytables, "installed_version", lambda: "0.1")
    try:
        assert tabled_holidays("DE", None, 2026) is None
        assert public_holidays("DE", None, 2026) == _package("DE", None, 2026)
    finally:
        holidaytables._installed_table.cache_clear()
        public_holidays.cache_clear()


def test_validating_the_example_repo_never_imports_holidays() -> None:
    code = ("import sys\nfrom opsrepo.cli.main import main\ntry:\n    main(['validate', '--repo', '.'])\n"
            "finally:\n    print('holidays' in sys.modules, file=sys.stderr)\n")
    env = {**os.environ, "OPSREPO_NOW": "2026-12-07T09:00:00+00:00"}
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, env=env)
    assert (done.returncode, done.stderr) == (0, "False\n")
