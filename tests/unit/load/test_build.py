"""Org limits and fairness, overridden key by key per schedule."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from opsrepo import model as m
from opsrepo.load.repo import load_files

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
