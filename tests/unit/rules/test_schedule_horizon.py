"""What every schedule rule asks of the run, found once: the judged schedules and the horizon."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from opsrepo.load.repo import load_repo
from opsrepo.oncall.clock import to_micros
from opsrepo.rules import Context
from opsrepo.rules.schedules.common import MAX_HORIZON, computed, horizon
from tests.helpers import ROOT

NOW = datetime(2026, 12, 7, 9, tzinfo=UTC)


def test_the_judged_schedules_and_the_horizon_are_found_once_as_defined() -> None:
    repo = load_repo(ROOT).repo
    some = next(iter(repo.schedules.values()))
    repo = replace(repo, partial=frozenset({*repo.partial, some.src.file}))  # as if a value had been left out
    ctx = Context(repo, NOW)
    assert computed(ctx) == tuple(s for s in repo.schedules.values() if s.src.file != some.src.file)
    assert some not in computed(ctx) and computed(ctx)
    assert computed(ctx) is computed(ctx)
    assert horizon(ctx) == (to_micros(NOW), to_micros(NOW + min(repo.org.horizon, MAX_HORIZON)))
    assert horizon(ctx) is horizon(ctx)
    longer = Context(replace(repo, org=replace(repo.org, horizon=timedelta(days=400))), NOW)
    assert horizon(longer) == (to_micros(NOW), to_micros(NOW + timedelta(days=366)))  # at most MAX_HORIZON
