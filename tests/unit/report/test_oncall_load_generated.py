"""The on-call load of a generated org equals its plain definition, computed the slow and simple way.

The report groups schedules by team once and looks at each person's own
schedules only (it was quadratic in schedules at 10,000 of them); this
computes every figure straight from the module's definition instead: a
person's load is the union of their turns in every schedule, turns counted
per schedule; a team's members are its schedules' rotation members, loaded
from the team's schedules only; its totals add up everyone on them. The org
comes from ``benchmarks/genorg.py`` with two schedules of one team that
people of other teams hold, so some loads come from part of what a person holds.
"""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from opsrepo.load.repo import load_repo
from opsrepo.model import Repo
from opsrepo.oncall import accounting as acc
from opsrepo.oncall import shift_segments
from opsrepo.oncall.clock import to_micros
from opsrepo.oncall.intervals import Span, union
from opsrepo.oncall.load import rotation_members
from opsrepo.report.load_parts import assemble, held_elsewhere, load_part, load_parts
from opsrepo.report.oncall_load import oncall_load, person_load, spread, team_totals
from opsrepo.report.period import Period
from tests.helpers import ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))
from genorg import generate

NOW = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)
#: two schedules of team 0 whose layers name people of teams 1 and 2
CROSSING = """id: crossing-{n}
name: Crossing {n}
team: team-0
timezone: Europe/Berlin
coverage: 24x7
layers:
  - name: mixed
    members: [p0-1, p1-{n}, p2-3]
    start: "2026-03-02T09:00"
    length: 3d
"""


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Repo:
    root = tmp_path_factory.mktemp("org")
    generate(root, 24, 0)
    for n in (1, 2):
        (root / "schedules" / f"crossing-{n}.yaml").write_text(CROSSING.format(n=n), encoding="utf-8")
    loaded = load_repo(root)
    assert [d for d in loaded.diagnostics if d.severity.value == "error"] == []
    return loaded.repo


def plain_load(repo: Repo, period: Period) -> dict[str, Any]:
    """Every figure of the report's on-call load, from the definition, one schedule and person at a time."""
    low, high = to_micros(period.since), to_micros(period.until)
    turns: dict[str, dict[str, list[Span]]] = {}
    for schedule_id in sorted(repo.schedules):
        clipped = sorted((max(s.start, low), min(s.end, high), s.person)
                         for s in shift_segments(repo, schedule_id, period.since, period.until)
                         if s.person is not None)
        turns[schedule_id] = acc.turns_of(c for c in clipped if c[0] < c[1])

    def load_from(schedule_ids: list[str]) -> dict[str, Any]:
        people = sorted({p for sid in schedule_ids for p in turns[sid] if p in repo.people})
        return {p: person_load(repo.people[p], union(span for sid in schedule_ids for span in turns[sid].get(p, [])),
                               sum(len(turns[sid].get(p, [])) for sid in schedule_ids))
                for p in people}

    everyone = load_from(sorted(repo.schedules))
    teams = []
    for team in sorted(repo.teams):
        schedules = [s for _, s in sorted(repo.schedules.items()) if s.team == team]
        if not schedules:
            continue
        loads = load_from([s.id for s in schedules])
        members = {p for s in schedules for p in rotation_members(repo, s) if p in repo.people}
        found = sorted((loads.get(p) or person_load(repo.people[p], [], 0) for p in members),
                       key=lambda p: (-p.hours, p.person))
        teams.append({"team": team, "schedules": [s.id for s in schedules],
                      "totals": team_totals(loads.values()).to_dict(),
                      "members": [p.to_dict() for p in found],
                      "spread": [s.to_dict() for s in spread(repo, found)]})
    people = sorted(everyone.values(), key=lambda p: (-p.hours, p.person))
    return {"people": [p.to_dict() for p in people], "teams": teams}


def test_the_load_of_a_generated_org_is_its_plain_definition(repo: Repo) -> None:
    period = Period(NOW - timedelta(days=365), NOW, "Europe/Berlin")
    found = oncall_load(repo, period, shift_segments).to_dict()
    expected = plain_load(repo, period)
    assert found == expected
    # the org is what the test means: people hold other teams' schedules, teams have several
    crossing = next(t for t in found["teams"] if t["team"] == "team-0")
    assert crossing["schedules"] == ["crossing-1", "crossing-2", "sched-0", "sched-1", "sched-2", "sched-3"]
    assert {"p1-1", "p1-2", "p2-3"} <= {p["person"] for p in crossing["members"]}
    assert len(found["teams"]) == 6 and len(found["people"]) == 48


def parts_of(repo: Repo, period: Period, elsewhere: dict[str, list[str]] | None = None) -> dict[str, Any]:
    """Every team's part, made apart and sent through JSON as a build keeps them."""
    teams = load_parts(repo)
    elsewhere = held_elsewhere(repo, teams) if elsewhere is None else elsewhere
    made = {team: load_part(repo, period, shift_segments, ids, elsewhere.get(team, ())) for team, ids in teams.items()}
    return json.loads(json.dumps(made))


def test_the_load_put_together_from_parts_is_the_one_piece_load(repo: Repo) -> None:
    period = Period(NOW - timedelta(days=365), NOW, "Europe/Berlin")
    assert held_elsewhere(repo, load_parts(repo)) == {
        "team-0": ["p1-1", "p1-2", "p2-3"], "team-1": ["p1-1", "p1-2"], "team-2": ["p2-3"]}
    parts = parts_of(repo, period)
    assert sorted(parts["team-0"]["spans"]) == ["p1-1", "p1-2", "p2-3"]
    assembled = assemble(repo, parts, lambda team: pytest.fail(f"{team} made again"))
    assert assembled == oncall_load(repo, period, shift_segments)


def test_a_part_without_the_time_of_someone_held_elsewhere_is_made_again_for_it(repo: Repo) -> None:
    period = Period(NOW - timedelta(days=365), NOW, "Europe/Berlin")
    parts, again = parts_of(repo, period, elsewhere={}), []

    def redo(team: str) -> dict[str, Any]:
        again.append(team)
        return load_part(repo, period, shift_segments, load_parts(repo)[team], repo.people)

    assert assemble(repo, parts, redo) == oncall_load(repo, period, shift_segments)
    # p1-1 and p1-2 hold schedules of teams 0 and 1, p2-3 of teams 0 and 2: each team made again per person
    assert sorted(again) == ["team-0", "team-0", "team-0", "team-1", "team-1", "team-2"]


@pytest.mark.parametrize("schedules", [20, 33, 47])
def test_the_load_from_parts_is_the_one_piece_load_on_realistic_orgs(tmp_path: Path, schedules: int) -> None:
    generate(tmp_path, schedules, 0, "realistic")
    repo = load_repo(tmp_path).repo
    period = Period(NOW - timedelta(days=365), NOW, "Europe/Berlin")
    one = oncall_load(repo, period, shift_segments)
    assert assemble(repo, parts_of(repo, period), lambda team: pytest.fail(f"{team} made again")) == one
    assert len(one.teams) > 3 and len(one.people) > 20  # not an empty org
