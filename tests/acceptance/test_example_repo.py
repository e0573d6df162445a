"""The example ops repo at the root stays realistic, varied and valid (issue 2's floor)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from opsrepo.load.repo import Loaded, load_repo
from opsrepo.model import Repo
from tests.helpers import ROOT


@pytest.fixture(scope="module")
def loaded() -> Loaded:
    return load_repo(ROOT)


@pytest.fixture(scope="module")
def repo(loaded: Loaded) -> Repo:
    return loaded.repo


def test_loads_without_diagnostics(loaded: Loaded) -> None:
    assert loaded.diagnostics == []


def test_people_and_teams(repo: Repo) -> None:
    assert len(repo.teams) >= 4
    assert len(repo.people) >= 24
    assert len({p.timezone for p in repo.people.values()}) >= 3
    assert len({p.country for p in repo.people.values()}) >= 3
    assert any(p.time_off for p in repo.people.values())


def test_schedule_shapes(repo: Repo) -> None:
    schedules = list(repo.schedules.values())
    layers = [layer for s in schedules for layer in s.layers]
    assert len(schedules) >= 7
    assert any(layer.length == timedelta(weeks=1) for layer in layers)
    assert any(layer.length == timedelta(days=1) for layer in layers)
    assert any(layer.length == timedelta(hours=12) for layer in layers)
    assert any(not s.coverage_24x7 and s.coverage for s in schedules), "a business-hours-only schedule"
    assert any(any(w.days == frozenset({5, 6}) for w in layer.restrictions) for layer in layers), "a weekend layer"
    assert any(len({layer.timezone for layer in s.layers}) >= 3 for s in schedules), "follow-the-sun"
    assert any(s.derive is not None for s in schedules), "a derived secondary"
    assert any(s.overrides for s in schedules)
    assert any(layer.end is not None for layer in layers), "a layer that ends"


def test_policies_services_runbooks_postmortems(repo: Repo) -> None:
    assert [level.id for level in repo.severities] == ["SEV0", "SEV1", "SEV2", "SEV3"]
    assert len(repo.policies) >= 4
    assert len([s for s in repo.services.values() if s.alerts]) >= 8
    assert len(repo.runbooks) >= 15
    with_items = [pm for pm in repo.postmortems.values() if pm.action_items]
    assert len(with_items) >= 8


def test_a_repeat_incident_pair(repo: Repo) -> None:
    pairs = [
        (pm.id, other) for pm in repo.postmortems.values() for other in pm.related
        if repo.postmortems[other].root_cause_category == pm.root_cause_category
    ]
    assert pairs
