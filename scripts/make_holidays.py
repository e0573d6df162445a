"""Write src/opsrepo/oncall/holidays.tsv: the ``holidays`` package's public holidays, ahead of time.

Run ``python scripts/make_holidays.py`` after the lock moves ``holidays`` to
another version; a test checks the file is current (it fails while the
installed version is not the file's).

Why: importing ``holidays`` costs about 0.11 s CPU on every command that
counts holidays (its package imports every one of its ~250 country modules,
and ``importlib.metadata`` for its version): more than everything else a
small repo's ``opsrepo validate`` does. Computing one country's year once
imported costs under a millisecond, so the table is small work for a large
saving. opsrepo reads it only when the installed ``holidays`` is the version
written here (:mod:`opsrepo.oncall.holidaytables`), and asks the package for
anything outside it (other years, subdivision aliases, unknown codes), so
the answers are the package's either way.

The format, one line a country (or subdivision), tab-separated::

    DE<TAB><TAB>1,90,93,121,...;1,...      (no subdivision: the country's own holidays)
    DE<TAB>BY<TAB>6,139,...;6,...          (a subdivision: days added, and -N days removed)

Each ``;``-separated field is one year, from FIRST_YEAR to LAST_YEAR; each
number is a day of that year (1 is 1 January; 0 and 366-367 are days just
outside it, which an observed holiday can fall on).
"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "src" / "opsrepo" / "oncall" / "holidays.tsv"
#: the years written: a few back (pay reports look back), several ahead (horizons look forward)
FIRST_YEAR = 2024
LAST_YEAR = 2033


def day_numbers(country: str, subdivision: str | None, year: int) -> list[int]:
    """The package's holidays of ``country`` in ``year``, as day numbers (1: 1 January of ``year``)."""
    import holidays

    found = holidays.country_holidays(country, subdiv=subdivision, years=year)
    start = date(year, 1, 1).toordinal() - 1
    numbers = sorted(day.toordinal() - start for day in found)
    if numbers and numbers[0] < 0:
        raise SystemExit(f"{country} {subdivision} {year}: a holiday before 31 December of the year before")
    return numbers


def country_codes() -> list[str]:
    """Every two-letter code the package answers ``country_holidays`` for (aliases such as UK too)."""
    from holidays.registry import COUNTRIES

    return sorted(code for names in COUNTRIES.values() for code in names[1:] if len(code) == 2)


def table_text() -> str:
    """The whole file."""
    import holidays
    from holidays.version import __version__

    years = range(FIRST_YEAR, LAST_YEAR + 1)
    lines = [
        "# The public holidays of the holidays package, by country and subdivision: scripts/make_holidays.py",
        "# writes this file (do not edit); opsrepo reads it when that version is installed.",
        f"holidays\t{__version__}",
        f"years\t{FIRST_YEAR}\t{LAST_YEAR}",
    ]
    for country in country_codes():
        national = [day_numbers(country, None, year) for year in years]
        lines.append(f"{country}\t\t" + ";".join(",".join(map(str, days)) for days in national))
        for subdivision in getattr(holidays, country).subdivisions:
            own = [day_numbers(country, subdivision, year) for year in years]
            lines.append(f"{country}\t{subdivision}\t" + ";".join(
                _difference(days, base) for days, base in zip(own, national, strict=True)))
    return "\n".join(lines) + "\n"


def _difference(days: list[int], base: list[int]) -> str:
    added = sorted(set(days) - set(base))
    removed = sorted(set(base) - set(days))
    return ",".join([*map(str, added), *(f"-{day}" for day in removed)])


def main() -> int:
    OUT.write_text(table_text(), encoding="utf-8")
    print(f"wrote {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
