"""The shifts a build keeps for the next: read back as they were kept; a damaged or stale file is none."""

from __future__ import annotations

import pickle
from datetime import UTC, datetime
from pathlib import Path

import pytest

from opsrepo.load.repo import load_repo
from opsrepo.oncall.clock import to_micros
from opsrepo.site import inputs
from opsrepo.site.inputs import SHIFTS_FILE, KeptShifts, load_shifts, save_shifts, shifts_fit
from opsrepo.site.state import SiteState
from tests.helpers import PLANTED_CALLS, ROOT, Planted

NOW = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def shifts() -> dict[str, list]:
    state = SiteState(load_repo(ROOT).repo, NOW, {})
    found = {schedule: state.shifts(schedule) for schedule in sorted(state.repo.schedules)}
    assert any(shift.covering_for for rows in found.values() for shift in rows)  # an override covers someone
    return found


def test_kept_shifts_are_read_back_as_they_were(tmp_path: Path, shifts: dict[str, list]) -> None:
    save_shifts(tmp_path, "key-1", shifts)
    assert shifts_fit(tmp_path, "key-1") and not shifts_fit(tmp_path, "key-2")
    kept = load_shifts(tmp_path, "key-1")
    assert kept is not None and sorted(kept) == sorted(shifts)
    for schedule, rows in shifts.items():
        assert kept[schedule].decode() == rows
        assert kept[schedule].starts == [to_micros(shift.start) for shift in rows]
        assert kept[schedule].ends == [to_micros(shift.end) for shift in rows]
        assert kept[schedule].decode(2, 5) == rows[2:5]
        assert kept[schedule].spans(1, 4) == [(to_micros(s.start), to_micros(s.end), s.person) for s in rows[1:4]]
    assert load_shifts(tmp_path, "key-2") is None  # computed from other inputs


def test_rows_give_what_columns_give(shifts: dict[str, list]) -> None:
    for schedule, rows in shifts.items():
        kept = KeptShifts(schedule, [[to_micros(s.start), to_micros(s.end), s.person, s.kind, s.source,
                                      s.covering_for] for s in rows])
        assert kept.decode() == rows


@pytest.mark.parametrize("damage", ["cut", "garbage", "class", "short column", "missing"])
def test_a_damaged_file_of_kept_shifts_is_none(tmp_path: Path, shifts: dict[str, list], damage: str) -> None:
    del PLANTED_CALLS[:]
    save_shifts(tmp_path, "key", shifts)
    path = tmp_path / SHIFTS_FILE
    raw = path.read_bytes()
    head = raw[:raw.index(b"\n") + 1]
    if damage == "cut":
        path.write_bytes(raw[: len(raw) * 2 // 3])
    elif damage == "garbage":
        path.write_bytes(head + b"\x80\x05garbage")
    elif damage == "class":  # a pickle that would call a function is never unpickled as such
        columns = pickle.loads(raw[len(head):])
        schedule = next(iter(columns))
        people = [Planted(person) for person in columns[schedule][2]]
        columns[schedule] = (*columns[schedule][:2], people, *columns[schedule][3:])
        path.write_bytes(head + pickle.dumps(columns))
    elif damage == "short column":
        columns = pickle.loads(raw[len(head):])
        schedule = next(iter(columns))
        columns[schedule] = (*columns[schedule][:2], columns[schedule][2][:-1], *columns[schedule][3:])
        path.write_bytes(head + pickle.dumps(columns))
    else:
        path.unlink()
    assert load_shifts(tmp_path, "key") is None
    assert PLANTED_CALLS == []  # the function the pickle names was never called


def test_keeping_shifts_removes_the_json_an_earlier_opsrepo_kept(tmp_path: Path,
                                                                 shifts: dict[str, list]) -> None:
    (tmp_path / inputs._OLD_SHIFTS_FILE).write_text("{}")
    save_shifts(tmp_path, "key", shifts)
    assert sorted(p.name for p in tmp_path.iterdir()) == [SHIFTS_FILE]
