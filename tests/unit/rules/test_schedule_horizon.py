"""What every schedule rule asks of the run, found once: the judged schedules and the horizon."""

from __future__ import annotations

import math
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


def test_fairness_reads_each_schedules_measures_once_and_reports_each_measure_as_measured() -> None:
    """OPS309 reads a schedule's measures once for all three (not once a measure): every spread over
    its bound is reported, measure by measure, with the values measured; an unchecked measure is not."""
    from opsrepo import model as m
    from opsrepo.rules.schedules.common import horizon_measures
    from opsrepo.rules.schedules.load import fair_load

    repo = load_repo(ROOT).repo
    tight = {sid: replace(s, fairness=m.Fairness(nights=0, weekends=0, holidays=0))
             for sid, s in repo.schedules.items()}
    first = next(iter(tight))
    tight[first] = replace(tight[first], fairness=m.Fairness(nights=math.inf, weekends=0, holidays=0))
    repo = replace(repo, schedules=tight)
    found = [(d.code, d.message.split(" spreads ")[0], d.message.split(" spreads ")[1].split(" ")[0])
             for d in fair_load(Context(repo, NOW))]
    plain = Context(repo, NOW)
    expected = []
    for name in ("nights", "weekends", "holidays"):
        for schedule in computed(plain):
            values = horizon_measures(plain, schedule)[name]
            if (name, schedule.id) != ("nights", first) and len(values) > 1 \
                    and max(values.values()) > min(values.values()):
                expected.append(("OPS309", f"schedule '{schedule.id}'", name))
    assert found == expected
    assert any(name == "nights" for _, _, name in found)  # the example repo has spreads to report
