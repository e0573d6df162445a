"""Every schedule rule (OPS213, OPS214, OPS3xx), table-driven: snippets in, exact diagnostics out.

Each case overlays files on the minimal fixture repo, validates at
``tests.helpers.NOW`` (2026-11-23T09:00Z, a Monday; 10:00 in Berlin) and
compares every diagnostic of the schedule codes: [code, file, line, column,
message]. Instants in messages are written with their offsets.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from opsrepo.validate import validate_repo
from tests.helpers import MINIMAL, NOW, copy_repo, overlay

CODES = ("OPS203", "OPS213", "OPS214")
SCHEDULE = "schedules/core-primary.yaml"
TEAM = "teams/core.yaml"
HEAD = "id: core-primary\nname: Core primary\nteam: core\ntimezone: Europe/Berlin\n"
NAMES = {"ana": "Ana Silva", "ben": "Ben Okafor", "cleo": "Cleo Park", "dan": "Dan Wu"}


def team(members: str = "ana, ben, cleo", off: dict[str, str] | None = None, people: str = "ana ben cleo") -> str:
    """The core team; ``off`` maps a person to their time_off entries (flow mappings, one a line).

    Line numbers: person ``i`` (0-based) starts on line 4 + 5 * i when nobody before has time off.
    """
    lines = ["id: core", "name: Core", "people:"]
    for pid in people.split():
        lines += [f"  - id: {pid}", f"    name: {NAMES[pid]}", "    timezone: Europe/Berlin", "    country: DE"]
        if off and pid in off:
            lines += ["    time_off:"] + [f"      - {entry}" for entry in off[pid].splitlines()]
    lines += [f"members: [{members}]", "services:",
              "  - {id: api, name: API, tier: 2, escalation_policy: core, runbooks: [core/api-errors]}"]
    return "\n".join(lines) + "\n"


def org(oncall: str) -> str:
    return f"name: Minimal\ntimezone: Europe/Berlin\nsite: {{title: Minimal on-call}}\n{oncall}"


def diagnostics(files: dict[str, Any], tmp_path: Path, now: datetime = NOW) -> list[list[Any]]:
    root = copy_repo(MINIMAL, tmp_path / "repo")
    overlay(root, files)
    found = validate_repo(root, now).diagnostics
    # the burnout and fairness defaults (warnings) have their own cases: tests/fixtures/cases/defaults.yaml
    return [[d.code, d.file, d.line, d.column, d.message] for d in found
            if (d.code.startswith("OPS3") or d.code in CODES) and "the default" not in d.message]


OFFICE = HEAD + """layers:
  - name: office
    members: [ana, ben]
    start: "2026-01-05T09:00"
    length: 1w
    restrictions:
      - {days: [mon, tue, wed, thu, fri], from: "09:00", to: "17:00"}
"""

CASES: list[Any] = [
    pytest.param({SCHEDULE: HEAD + "coverage: 24x7\n" + OFFICE.removeprefix(HEAD)}, [
        ["OPS301", SCHEDULE, 5, 1, "schedule 'core-primary' has nobody on call from 2026-11-23T17:00+01:00 to "
         "2026-11-24T09:00+01:00 inside its declared coverage (24x7), and 64 more gaps follow within the "
         "90-day horizon"],
    ], id="coverage-gap-24x7-business-hours-layer"),
    pytest.param({SCHEDULE: HEAD + 'coverage:\n  - {days: [mon, tue, wed, thu, fri], from: "09:00", to: "17:00"}\n'
                  + OFFICE.removeprefix(HEAD)}, [], id="business-hours-coverage-is-met"),
    pytest.param({SCHEDULE: OFFICE}, [
        ["OPS301", SCHEDULE, 1, 1, "schedule 'core-primary' has nobody on call from 2026-11-23T17:00+01:00 to "
         "2026-11-24T09:00+01:00 inside its declared coverage (24x7), and 64 more gaps follow within the "
         "90-day horizon"],
    ], id="coverage-defaults-to-24x7-pointed-at-id"),
    pytest.param({SCHEDULE: HEAD + 'coverage: none\n' + OFFICE.removeprefix(HEAD)}, [], id="coverage-none"),
    pytest.param({SCHEDULE: HEAD + """layers:
  - {name: weekly, members: [ana, ben], start: "2026-01-05T09:00", length: 1w, end: "2026-12-07T09:00"}
"""}, [
        ["OPS301", SCHEDULE, 1, 1, "schedule 'core-primary' has nobody on call from 2026-12-07T09:00+01:00 "
         "until past the end of the 90-day horizon (2027-02-21T10:00+01:00) inside its declared coverage (24x7)"],
    ], id="a-layer-that-ends-leaves-everything-after-uncovered"),
    pytest.param({SCHEDULE: HEAD + """layers:
  - {name: weekly, members: [ana, ben], start: "2026-01-05T09:00", length: 1w, end: "2026-12-07T09:00"}
  - {name: next, members: [cleo, ana], start: "2026-12-08T09:00", length: 1w}
"""}, [
        ["OPS301", SCHEDULE, 1, 1, "schedule 'core-primary' has nobody on call from 2026-12-07T09:00+01:00 to "
         "2026-12-08T09:00+01:00 inside its declared coverage (24x7)"],
    ], id="one-gap-between-two-layers"),
    pytest.param({SCHEDULE: HEAD + """layers:
  - {name: weekly, members: [ana, ben], start: "2026-01-05T09:00", length: 1w}
overrides:
  - {person: cleo, from: "2026-12-24T09:00", to: "2026-12-24T08:00"}
  - {person: cleo, from: "2026-12-25T09:00", to: "2026-12-25T09:00"}
  - {person: ana, from: "2026-03-29T02:00", to: "2026-03-29T02:30", reason: inside the DST gap}
"""}, [
        ["OPS302", SCHEDULE, 8, 50, "override of 'cleo' from 2026-12-24T09:00 to 2026-12-24T08:00 ends "
         "before it starts"],
        ["OPS302", SCHEDULE, 9, 50, "override of 'cleo' from 2026-12-25T09:00 to 2026-12-25T09:00 is empty: it ends "
         "when it starts"],
        ["OPS302", SCHEDULE, 10, 49, "override of 'ana' from 2026-03-29T02:00 to 2026-03-29T02:30 is empty: both "
         "times fall in the gap when the clocks in Europe/Berlin go forward, which does not exist"],
    ], id="inverted-and-empty-overrides"),
    pytest.param({SCHEDULE: HEAD + """layers:
  - {name: weekly, members: [ana, ben], start: "2026-01-05T09:00", length: 1w}
overrides:
  - {person: cleo, from: "2026-12-24T09:00", to: "2026-12-27T09:00", reason: christmas}
  - {person: ben, from: "2026-12-26T09:00", to: "2026-12-28T09:00"}
  - {person: ana, from: "2026-12-28T09:00", to: "2026-12-29T09:00"}
"""}, [
        ["OPS303", SCHEDULE, 9, 5, "override of 'ben' (2026-12-26T09:00 to 2026-12-28T09:00) overlaps the "
         "override of 'cleo' on line 8 (2026-12-24T09:00 to 2026-12-27T09:00); the one listed last wins "
         "where they overlap"],
    ], id="overlapping-overrides-warn-touching-ones-do-not"),
    pytest.param({
        SCHEDULE: HEAD + "time_off: flag\n"
        + 'layers:\n  - {name: weekly, members: [ana, ben], start: "2026-11-02T09:00", length: 1w}\n',
        TEAM: team(off={"ana": "{from: 2026-12-01, to: 2026-12-02, reason: dentist}\n"
                               "{from: 2026-12-08, to: 2026-12-09}\n{from: 2026-12-14, to: 2026-12-20}"}),
    }, [
        ["OPS304", TEAM, 9, 9, "ana is on call in schedule 'core-primary' from 2026-12-01T00:00+01:00 to "
         "2026-12-03T00:00+01:00 during their time off (dentist)"],
        ["OPS304", TEAM, 11, 9, "ana is on call in schedule 'core-primary' from 2026-12-14T09:00+01:00 to "
         "2026-12-21T00:00+01:00 during their time off"],
    ], id="flagged-time-off-names-person-schedule-and-period"),
    pytest.param({
        SCHEDULE: HEAD + 'layers:\n  - {name: weekly, members: [ana, ben], start: "2026-11-02T09:00", length: 1w}\n',
        TEAM: team(off={"ana": "{from: 2026-12-01, to: 2026-12-02, reason: dentist}"}),
    }, [], id="skipped-time-off-is-covered-silently"),
    pytest.param({
        SCHEDULE: HEAD + 'layers:\n  - {name: weekly, members: [ana, ben], start: "2026-11-02T09:00", length: 1w}\n'
        'overrides:\n  - {person: cleo, from: "2026-12-10T09:00", to: "2026-12-12T09:00"}\n',
        TEAM: team(off={"cleo": "{from: 2026-12-11, to: 2026-12-11}"}),
    }, [
        ["OPS305", SCHEDULE, 8, 5, "override puts cleo on call from 2026-12-11T00:00+01:00 to "
         "2026-12-12T00:00+01:00 during their time off"],
    ], id="override-during-time-off-warns"),
    pytest.param({
        "opsrepo.yaml": org("oncall:\n  limits: {max_hours_28d: 300, max_turns_28d: 3, min_rest: 36h}\n"),
        SCHEDULE: HEAD + 'layers:\n  - {name: weekly, members: [ana, ben], start: "2026-11-02T09:00", length: 1w}\n',
    }, [
        ["OPS306", SCHEDULE, 1, 1, "ana would be on call 336h in the 28 days from 2026-11-30T09:00+01:00 in "
         "schedule 'core-primary'; the limit is 300h (oncall.limits.max_hours_28d in opsrepo.yaml)"],
        ["OPS306", SCHEDULE, 1, 1, "ben would be on call 336h in the 28 days from 2026-11-23T10:00+01:00 in "
         "schedule 'core-primary'; the limit is 300h (oncall.limits.max_hours_28d in opsrepo.yaml)"],
    ], id="hours-in-any-28-days"),
    pytest.param({
        "opsrepo.yaml": org("oncall:\n  limits: {max_turns_28d: 10, min_rest: 36h}\n"),
        SCHEDULE: HEAD + "limits: {min_rest: 12h}\n"
        + 'layers:\n  - {name: daily, members: [ana, ben], start: "2026-11-02T09:00", length: 1d}\n',
    }, [
        ["OPS307", SCHEDULE, 1, 1, "ana would take 14 turns in the 28 days from 2026-11-24T09:00+01:00 in "
         "schedule 'core-primary'; the limit is 10 (oncall.limits.max_turns_28d in opsrepo.yaml)"],
        ["OPS307", SCHEDULE, 1, 1, "ben would take 15 turns in the 28 days from 2026-11-23T10:00+01:00 in "
         "schedule 'core-primary'; the limit is 10 (oncall.limits.max_turns_28d in opsrepo.yaml)"],
    ], id="turns-in-any-28-days-and-a-schedule-limit-over-the-org"),
    pytest.param({
        "opsrepo.yaml": org("oncall:\n  limits: {min_rest: 36h}\n"),
        SCHEDULE: HEAD + "limits: {min_rest: 13h}\n"
        + 'layers:\n  - {name: halves, members: [ana, ben], start: "2026-11-02T08:00", length: 12h}\n',
    }, [
        ["OPS308", SCHEDULE, 5, 10, "ana would rest only 12h after the turn ending 2026-11-23T20:00+01:00 in "
         "schedule 'core-primary'; the least allowed is 13h (limits.min_rest)"],
        ["OPS308", SCHEDULE, 5, 10, "ben would rest only 12h after the turn ending 2026-11-24T08:00+01:00 in "
         "schedule 'core-primary'; the least allowed is 13h (limits.min_rest)"],
    ], id="rest-between-turns-pointed-at-the-schedules-own-limit"),
    pytest.param({
        "opsrepo.yaml": org("oncall:\n  fairness: {nights: 5, weekends: 3, holidays: 1}\n"),
        SCHEDULE: HEAD + 'layers:\n  - {name: weekly, members: [ana, ben, cleo], start: "2026-11-02T09:00", length: 1w}\n',
    }, [
        ["OPS309", SCHEDULE, 1, 1, "schedule 'core-primary' spreads holidays unevenly over the 90-day horizon: "
         "ben 2 holidays, ana 0 holidays (spread 2, allowed 1: oncall.fairness.holidays in opsrepo.yaml)"],
        ["OPS309", SCHEDULE, 1, 1, "schedule 'core-primary' spreads nights unevenly over the 90-day horizon: ana "
         "34 nights, ben, cleo 28 nights (spread 6, allowed 5: oncall.fairness.nights in opsrepo.yaml)"],
    ], id="fairness-spread-of-nights-and-holidays"),
    pytest.param({
        "opsrepo.yaml": org("oncall:\n  fairness: {nights: 5, weekends: 3, holidays: 1}\n"),
        SCHEDULE: HEAD + "fairness: {nights: 4, holidays: 2}\n"
        + 'layers:\n  - {name: weekly, members: [ana, ben, cleo], start: "2026-11-02T09:00", length: 1w}\n',
    }, [
        ["OPS309", SCHEDULE, 5, 12, "schedule 'core-primary' spreads nights unevenly over the 90-day horizon: ana "
         "34 nights, ben, cleo 28 nights (spread 6, allowed 4: fairness.nights in the schedule)"],
    ], id="fairness-bounds-of-the-schedule-over-the-org"),
    pytest.param({SCHEDULE: HEAD + """layers:
  - {name: weekly, members: [ana, ben], start: "2026-01-05T09:00", length: 0s}
  - {name: weekly, members: [ana, ben], start: "2026-01-05T09:00", length: 1w, end: "2026-01-05T09:00"}
  - {name: short, members: [ana], start: "2026-01-05T09:00", length: 30s}
  - {name: base, members: [cleo], start: "2026-01-05T09:00", length: 1w}
"""}, [
        ["OPS310", SCHEDULE, 6, 76, "layer 'weekly' has turns of 0s; a turn lasts at least 1h"],
        ["OPS310", SCHEDULE, 7, 12, "layer name 'weekly' is already used by layer 1"],
        ["OPS310", SCHEDULE, 7, 85, "layer 'weekly' ends at 2026-01-05T09:00, not after its start "
         "2026-01-05T09:00"],
        ["OPS310", SCHEDULE, 8, 70, "layer 'short' has turns of 30s; a turn lasts at least 1h"],
    ], id="layer-shape"),
    pytest.param({
        SCHEDULE: HEAD + 'layers:\n  - {name: weekly, members: [ana, dan, eve], start: "2026-01-05T09:00", length: 1w}\n'
        'overrides:\n  - {person: dan, from: "2026-12-10T09:00", to: "2026-12-12T09:00"}\n',
        TEAM: team(people="ana ben cleo dan"),
    }, [
        ["OPS213", SCHEDULE, 6, 35, "'dan' is not a member of team 'core', which schedule 'core-primary' belongs to"],
        ["OPS203", SCHEDULE, 6, 40, "unknown person 'eve'"],
        ["OPS213", SCHEDULE, 8, 14, "'dan' is not a member of team 'core', which schedule 'core-primary' belongs to"],
    ], id="members-and-override-people-belong-to-the-team"),
    pytest.param({
        "schedules/core-secondary.yaml": "id: core-secondary\nname: Core secondary\nteam: core\n"
        "derive: {from: core-primry}\n",
        "schedules/loop-a.yaml": "id: loop-a\nname: A\nteam: core\ncoverage: none\nderive: {from: loop-b}\n",
        "schedules/loop-b.yaml": "id: loop-b\nname: B\nteam: core\ncoverage: none\nderive: {from: loop-a, offset: 2}\n",
        "schedules/both.yaml": "id: both\nname: Both\nteam: core\nderive: {from: core-primary}\nlayers:\n"
        '  - {name: weekly, members: [ana, ben, cleo], start: "2026-01-05T09:00", length: 1w}\n',
    }, [
        ["OPS214", "schedules/both.yaml", 4, 1, "schedule 'both' has both derive and layers; a derived schedule "
         "follows the layers of the schedule it derives from"],
        ["OPS214", "schedules/core-secondary.yaml", 4, 16, "schedule 'core-secondary' derives from unknown "
         "schedule 'core-primry'"],
        ["OPS214", "schedules/loop-a.yaml", 5, 16, "schedule 'loop-a' derives from a cycle: loop-a -> loop-b -> loop-a"],
        ["OPS214", "schedules/loop-b.yaml", 5, 16, "schedule 'loop-b' derives from a cycle: loop-b -> loop-a -> loop-b"],
    ], id="derive-unknown-cyclic-and-with-layers"),
]


@pytest.mark.parametrize(("files", "expected"), CASES)
def test_schedule_rule(files: dict[str, Any], expected: list[list[Any]], tmp_path: Path) -> None:
    assert diagnostics(files, tmp_path) == expected


FOLLOW_THE_SUN = """id: core-primary
name: Core primary
team: core
timezone: Europe/London
layers:
  - {name: sydney, timezone: Australia/Sydney, members: [ana], start: "2026-01-05T08:00", length: 1w,
     restrictions: [{from: "08:00", to: "18:00"}]}
  - {name: london, timezone: Europe/London, members: [ben], start: "2026-01-05T07:00", length: 1w,
     restrictions: [{from: "07:00", to: "15:00"}]}
  - {name: new-york, timezone: America/New_York, members: [cleo], start: "2026-01-05T10:00", length: 1w,
     restrictions: [{from: "10:00", to: "16:00"}]}
"""


def test_follow_the_sun_tiles_the_winter_and_leaves_a_daily_gap_in_summer(tmp_path: Path) -> None:
    assert diagnostics({SCHEDULE: FOLLOW_THE_SUN}, tmp_path / "winter") == []
    summer = datetime.fromisoformat("2027-06-01T00:00:00+00:00")
    assert diagnostics({SCHEDULE: FOLLOW_THE_SUN}, tmp_path / "summer", summer) == [
        ["OPS301", SCHEDULE, 1, 1, "schedule 'core-primary' has nobody on call from 2027-06-01T21:00+01:00 to "
         "2027-06-01T23:00+01:00 inside its declared coverage (24x7), and 89 more gaps follow within the 90-day "
         "horizon"],
    ]


def test_the_example_repo_has_no_schedule_findings() -> None:
    from tests.helpers import ROOT

    found = validate_repo(ROOT, NOW).diagnostics
    assert [d for d in found if d.code.startswith("OPS3") or d.code in CODES] == []
