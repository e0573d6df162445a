"""What every schedule rule asks of the run, found once: the judged schedules and the horizon."""

from __future__ import annotations

import math
import sys
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from hypothesis import example, given
from hypothesis import strategies as st

from opsrepo.errors import Diagnostic, Severity
from opsrepo.load.repo import load_repo
from opsrepo.oncall.clock import to_micros
from opsrepo.rules import Context
from opsrepo.rules.schedules.common import MAX_HORIZON, computed, horizon
from tests.helpers import ROOT

sys.path.insert(0, str(Path(__file__).parents[3] / "benchmarks"))
from genorg import generate

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
    assert sorted(found) == sorted(expected)  # in any order: the run orders every finding
    assert any(name == "nights" for _, _, name in found)  # the example repo has spreads to report


def test_fairness_findings_are_those_of_the_plain_rule(tmp_path: Path) -> None:
    """OPS309 as written, measure by measure, every text made for each finding, gives the same findings:
    on the example with bounds of every kind (set in opsrepo.yaml), and on a realistic org (by default)."""
    from opsrepo import model as m
    from opsrepo.rules.schedules.load import fair_load

    repo = load_repo(ROOT).repo
    bounds = (m.Fairness(nights=0, weekends=0, holidays=0), m.Fairness(), m.Fairness(nights=1.5, holidays=math.inf))
    schedules = {sid: replace(s, fairness=bounds[i % 3]) for i, (sid, s) in enumerate(repo.schedules.items())}
    generate(tmp_path, 60, 0, "realistic")
    found: list[Diagnostic] = []
    for each in (replace(repo, schedules=schedules), load_repo(tmp_path).repo):
        findings = list(fair_load(Context(each, NOW)))
        assert sorted(map(repr, findings)) == sorted(map(repr, _plain_fair_load(Context(each, NOW))))  # every field
        found += findings
    assert len({d.message.split(" spreads ")[1].split(" ")[0] for d in found}) == 3  # every measure reported
    assert {d.severity for d in found} == set(Severity)
    settings = {d.message.rpartition(": ")[2].partition(" ")[0] for d in found}
    assert {"the", "oncall.fairness.nights", "oncall.fairness.weekends", "oncall.fairness.holidays"} <= settings


def _plain_fair_load(ctx: Context) -> Iterator[Diagnostic]:
    """OPS309 before its texts were made once per run (and measures read once per schedule)."""
    from opsrepo.oncall.load import MEASURES, UNITS
    from opsrepo.rules.schedules.common import anchor, horizon_measures, horizon_text, writes
    from opsrepo.rules.schedules.load import _number, _org_writes, _report, _who, default_bound

    for name in MEASURES:
        for schedule in computed(ctx):
            bound = getattr(schedule.fairness, name)
            if bound is None:
                bound = default_bound(schedule, name)
            if math.isinf(bound):
                continue
            values = horizon_measures(ctx, schedule)[name]
            if len(values) < 2:
                continue
            high, low = max(values.values()), min(values.values())
            if high - low <= bound:
                continue
            unit = UNITS[name]
            if writes(schedule, "fairness", name):
                setting = f"fairness.{name} in the schedule"
            elif _org_writes(ctx, "fairness", name):
                setting = f"oncall.fairness.{name} in opsrepo.yaml"
            else:
                setting = (f"the default for its turns, which oncall.fairness.{name} in opsrepo.yaml "
                           "can change")
            yield _report(anchor(schedule, "fairness", name), setting)(
                "OPS309", f"schedule '{schedule.id}' spreads {name} unevenly over the {horizon_text(ctx)}: "
                f"{_who(values, high)} {_number(high)}{unit}, {_who(values, low)} {_number(low)}{unit} "
                f"(spread {_number(high - low)}, allowed {_number(bound)}: {setting})",
                f"rebalance the rotation or add overrides, or raise {setting}")


@given(st.one_of(st.integers(-(2 ** 60), 2 ** 60), st.integers(2 ** 53 - 3, 2 ** 53 + 3),
                 st.integers(-(2 ** 53) - 3, -(2 ** 53) + 3), st.floats(allow_nan=False), st.booleans()))
@example(2 ** 53 + 1)  # no float holds it: written as the float it becomes
def test_numbers_in_fairness_findings_are_written_as_the_float_format_writes_them(value: float) -> None:
    from opsrepo.rules.schedules.load import _number

    assert _number(value) == f"{value:.1f}".removesuffix(".0")
