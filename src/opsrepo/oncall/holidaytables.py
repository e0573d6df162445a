"""Public holidays read from the table written ahead of time, without importing ``holidays``.

Importing the ``holidays`` package costs about 0.11 s CPU (it imports all of
its ~250 country modules, however few countries are asked for): on a small
repo, more than the rest of ``opsrepo validate``. ``scripts/make_holidays.py``
writes the package's answers for every country and subdivision over ten
years to ``holidays.tsv`` beside this module; they are read from there when
the installed ``holidays`` is the version the table was written from, and
the package is asked otherwise (another version, another year, a subdivision
alias, an unknown code). A test checks the table against the package.
"""

from __future__ import annotations

import os
from datetime import date
from functools import lru_cache

TABLE = os.path.join(os.path.dirname(__file__), "holidays.tsv")
_PACKAGE = "holidays"


class HolidayTable:
    """The parsed header of ``holidays.tsv`` and its rows, each parsed when first asked for."""

    def __init__(self, text: str) -> None:
        self.text = text
        head = (line.split("\t", 1) for line in text.split("\n", 8)[:8])  # comments, then the two below
        fields = dict(field for field in head if field[0] in ("holidays", "years"))
        #: the version of the ``holidays`` package the table was written from
        self.version = fields["holidays"]
        first, last = fields["years"].split("\t")
        self.first, self.last = int(first), int(last)
        self._rows: dict[tuple[str, str], list[frozenset[date]] | None] = {}

    def holidays(self, country: str, subdivision: str | None, year: int) -> frozenset[date] | None:
        """The holidays of ``country`` (and ``subdivision``) in ``year``; None where the table cannot say."""
        if not self.first <= year <= self.last or any(ch in f"{country}{subdivision}" for ch in "\t\n"):
            return None
        row = self._row(country, subdivision or "")
        return None if row is None else row[year - self.first]

    def _row(self, country: str, subdivision: str) -> list[frozenset[date]] | None:
        key = (country, subdivision)
        if key not in self._rows:
            self._rows[key] = self._parse(country, subdivision)
        return self._rows[key]

    def _parse(self, country: str, subdivision: str) -> list[frozenset[date]] | None:
        fields = self._fields(country, subdivision)
        if fields is None:
            return None
        base = self._fields(country, "") if subdivision else None
        if subdivision and base is None:
            return None
        rows = []
        for offset, field in enumerate(fields):
            days = _numbers(base[offset]) if base is not None else set()
            for word in filter(None, field.split(",")):
                if word.startswith("-"):
                    days.discard(int(word[1:]))
                else:
                    days.add(int(word))
            start = date(self.first + offset, 1, 1).toordinal() - 1
            rows.append(frozenset(date.fromordinal(start + day) for day in days))
        return rows

    def _fields(self, country: str, subdivision: str) -> list[str] | None:
        """The year fields of one line, found by its prefix (the table is searched, not split)."""
        prefix = f"\n{country}\t{subdivision}\t"
        at = self.text.find(prefix)
        if at < 0:
            return None
        end = self.text.find("\n", at + len(prefix))
        return self.text[at + len(prefix):end if end >= 0 else None].split(";")


def _numbers(field: str) -> set[int]:
    return {int(word) for word in field.split(",") if word}


def tabled_holidays(country: str, subdivision: str | None, year: int) -> frozenset[date] | None:
    """What ``holidays.country_holidays(country, subdiv=subdivision, years=year)`` holds, from the table.

    None when the table cannot say: another ``holidays`` version is installed,
    or the year, country or subdivision is not in the table.
    """
    table = _installed_table()
    return None if table is None else table.holidays(country, subdivision, year)


@lru_cache(maxsize=1)
def _installed_table() -> HolidayTable | None:
    """The table, when the ``holidays`` package Python would import is the version it was written from."""
    try:
        with open(TABLE, encoding="utf-8") as handle:
            table = HolidayTable(handle.read())
    except OSError:
        return None
    return table if installed_version() == table.version else None


def installed_version() -> str | None:
    """The version of the ``holidays`` distribution that ``import holidays`` finds, without importing it.

    Read from the name of its ``.dist-info`` folder beside the package (what
    ``importlib.metadata`` reads, which costs 30 ms to import); None when
    that folder is not there or not alone (an editable or a broken install).
    """
    import importlib.util

    spec = importlib.util.find_spec(_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        return None
    folder = os.path.dirname(os.path.abspath(next(iter(spec.submodule_search_locations))))
    try:
        names = os.listdir(folder)
    except OSError:
        return None
    return dist_version(names)


def dist_version(names: list[str]) -> str | None:
    """The version in the one ``holidays-<version>.dist-info`` among ``names``; None unless exactly one."""
    prefix, suffix = f"{_PACKAGE}-", ".dist-info"
    found = [name.removeprefix(prefix).removesuffix(suffix) for name in names
             if name.startswith(prefix) and name.endswith(suffix)]
    return found[0] if len(found) == 1 else None
