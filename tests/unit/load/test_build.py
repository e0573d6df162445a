"""Building records: org limits and fairness overridden key by key per schedule; values read once per text."""

from __future__ import annotations

import sys
from datetime import timedelta
from pathlib import Path

import pytest

from opsrepo import model as m
from opsrepo.load import build
from opsrepo.load.repo import Loaded, load_files, load_repo

sys.path.insert(0, str(Path(__file__).parents[3] / "benchmarks"))
from genorg import generate

ORG = b"""name: acme
timezone: UTC
oncall:
  limits: {max_hours_28d: 240, max_turns_28d: 14, min_rest: 12h}
  fairness: {nights: 14, weekends: 4}
"""
TEAM = b"""id: core
name: Core
people:
  - {id: ana, name: Ana, timezone: UTC}
"""
SCHEDULE = b"""id: primary
name: Primary
team: core
layers:
  - {name: weekly, members: [ana], start: "2026-01-05T09:00", length: 1w}
"""


def schedule(extra: bytes) -> m.Schedule:
    loaded = load_files(Path("acme"), {"opsrepo.yaml": ORG, "teams/core.yaml": TEAM,
                                       "schedules/primary.yaml": SCHEDULE + extra})
    assert loaded.diagnostics == []
    return loaded.repo.schedules["primary"]


def test_a_schedule_without_limits_takes_the_orgs() -> None:
    found = schedule(b"")
    assert found.limits == m.Limits(240, 14, timedelta(hours=12))
    assert found.fairness == m.Fairness(nights=14, weekends=4, holidays=None)


def test_a_schedule_overrides_only_the_keys_it_writes() -> None:
    found = schedule(b"limits: {max_hours_28d: 300}\nfairness: {holidays: 2}\n")
    assert found.limits == m.Limits(300, 14, timedelta(hours=12))
    assert found.fairness == m.Fairness(nights=14, weekends=4, holidays=2)


def test_a_schedule_can_lower_min_rest_to_zero() -> None:
    found = schedule(b"limits: {min_rest: 0s}\n")
    assert found.limits == m.Limits(240, 14, timedelta(0))


TABLES = ("_ZONES", "_DATES", "_LOCALS", "_DURATIONS", "_WINDOWS", "_DAY_BOUNDS")


def _load_uncached(monkeypatch: pytest.MonkeyPatch, root: Path) -> Loaded:
    """What loading gives when every value is read afresh (nothing remembered between records)."""
    with monkeypatch.context() as patched:
        for table in TABLES:
            patched.setattr(build, table, {})
        patched.setattr(build, "_KEPT", 0)
        return load_repo(root)


@pytest.mark.parametrize("profile", ["default", "realistic"])
def test_values_read_once_per_text_build_the_records_read_afresh(
        profile: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    generate(tmp_path, 40, 0, profile)
    reference = _load_uncached(monkeypatch, tmp_path)
    assert reference.repo.schedules and reference.repo.people
    for table in TABLES:
        monkeypatch.setattr(build, table, {})
    warm = load_repo(tmp_path)  # fills the tables
    again = load_repo(tmp_path)  # reads from them
    assert build._ZONES and build._LOCALS and build._DURATIONS and build._WINDOWS
    assert build._DAY_BOUNDS or profile == "default"
    for loaded in (warm, again):
        assert loaded.repo == reference.repo
        assert repr(loaded.repo) == repr(reference.repo)
        assert loaded.diagnostics == reference.diagnostics


def test_a_value_that_cannot_be_read_is_reported_where_the_same_text_was_read_before() -> None:
    team = TEAM.replace(b"timezone: UTC}", b"timezone: Europe/Berlinn, time_off: [{from: '2026-02-30', to: "
                                           b"'2026-03-01'}]}\n  - {id: ben, name: Ben, timezone: UTC, "
                                           b"time_off: [{from: '2026-02-28', to: '2026-03-01'}]}")
    for _ in range(2):
        loaded = load_files(Path("acme"), {"opsrepo.yaml": ORG, "teams/core.yaml": team})
        assert [(d.code, d.line, d.message) for d in loaded.diagnostics] == [
            ("OPS211", 4, "'Europe/Berlinn' is not an IANA timezone"),
        ]
