"""``opsrepo diff`` end to end, on real temporary git repositories with commits."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from opsrepo.cli.main import cli
from tests.helpers import MINIMAL, copy_repo
from tests.unit.diff.gitrepo import Scratch, minimal_scratch

#: no $TZ: times are shown in the org's zone (Europe/Berlin)
ENV: dict[str, str | None] = {"OPSREPO_NOW": "2026-11-23T09:00:00Z", "TZ": None}
HEADER = "compared Mon 2026-11-23 10:00 CET to Fri 2027-01-22 10:00 CET (60 days); notice period 7 days\n"
DEV = "  - {id: dev, name: Dev Patel, timezone: America/New_York, country: US, github: dev-patel}\n"


def diff(scratch: Scratch, *args: str, cwd: Path | None = None,
         env: dict[str, str | None] | None = None) -> tuple[int, str, str]:
    previous = Path.cwd()
    os.chdir(cwd or scratch.root)
    try:
        result = CliRunner().invoke(cli, ["diff", *args], env={**ENV, **(env or {})})
    finally:
        os.chdir(previous)
    return result.exit_code, result.stdout, result.stderr


def short(scratch: Scratch, revision: str) -> str:
    return scratch.git("rev-parse", "--short=7", revision)


def title(scratch: Scratch) -> str:
    """The first two lines of a text diff of ``HEAD~1 HEAD`` over the default window."""
    return f"opsrepo diff: HEAD~1 ({short(scratch, 'HEAD~1')}) \u2192 HEAD ({short(scratch, 'HEAD')})\n" + HEADER


@pytest.fixture
def scratch(tmp_path: Path) -> Scratch:
    return minimal_scratch(tmp_path)


def add_dev(scratch: Scratch) -> None:
    scratch.replace("teams/core.yaml", "members: [ana, ben, cleo]", DEV + "members: [ana, ben, cleo, dev]")
    scratch.replace("schedules/core-primary.yaml", "[ana, ben, cleo]", "[ana, ben, cleo, dev]")


#: the text diff (after its title and a blank line) of adding dev to core-primary's weekly rotation
ADD_DEV = (
    "warning: core-primary: Mon 2026-11-23 10:00 CET to Mon 2026-11-30 09:00 CET moves from Ben Okafor"
    " to Cleo Park, starting now, within the notice period of 7 days\n"
    "warning: core-primary: Mon 2026-11-30 09:00 CET to Mon 2026-12-07 09:00 CET moves from Cleo Park"
    " to Dev Patel, starting in 6 days and 23 hours, within the notice period of 7 days\n"
    "\n"
    "Moved turns\n"
    "  Core primary (core-primary): 6 moved turns, times in Europe/Berlin\n"
    "  ! Mon 2026-11-23 10:00 CET to Mon 2026-11-30 09:00 CET  Ben Okafor \u2192 Cleo Park\n"
    "  ! Mon 2026-11-30 09:00 CET to Mon 2026-12-07 09:00 CET  Cleo Park \u2192 Dev Patel\n"
    "    Mon 2026-12-28 09:00 CET to Mon 2027-01-04 09:00 CET  Ana Silva \u2192 Dev Patel\n"
    "    Mon 2027-01-04 09:00 CET to Mon 2027-01-11 09:00 CET  Ben Okafor \u2192 Ana Silva\n"
    "    Mon 2027-01-11 09:00 CET to Mon 2027-01-18 09:00 CET  Cleo Park \u2192 Ben Okafor\n"
    "    Mon 2027-01-18 09:00 CET to Fri 2027-01-22 10:00 CET  Ana Silva \u2192 Cleo Park\n"
    "\n"
    "People\n"
    "  Ana Silva (ana): on-call hours 433 \u2192 336 (\u221297); nights 18 \u2192 14 (\u22124);"
    " night hours 144 \u2192 112 (\u221232); holidays 1 \u2192 0 (\u22121)\n"
    "  Ben Okafor (ben): on-call hours 503 \u2192 336 (\u2212167); nights 21 \u2192 14 (\u22127);"
    " night hours 168 \u2192 112 (\u221256); weekend days 6 \u2192 4 (\u22122)\n"
    "  Cleo Park (cleo): on-call hours 504 \u2192 432 (\u221272); nights 21 \u2192 18 (\u22123);"
    " night hours 168 \u2192 144 (\u221224); weekend days 6 \u2192 4 (\u22122)\n"
    # New York: a week from Monday 03:00 to Monday 03:00 touches eight nights
    "  Dev Patel (dev): on-call hours 0 \u2192 336 (+336); nights 0 \u2192 16 (+16);"
    " night hours 0 \u2192 112 (+112); weekend days 0 \u2192 4 (+4); holidays 0 \u2192 1 (+1)\n"
)


def test_adding_a_member_to_a_weekly_rotation_lists_every_moved_turn(scratch: Scratch) -> None:
    add_dev(scratch)
    scratch.commit("add dev to the rotation")
    assert diff(scratch, "HEAD~1", "HEAD") == (0, title(scratch) + "\n" + ADD_DEV, "")


def test_a_layer_with_a_future_start_moves_only_turns_after_it(scratch: Scratch) -> None:
    scratch.write({"schedules/core-primary.yaml": scratch.read("schedules/core-primary.yaml") + (
        '  - name: from-january\n    members: [cleo, ana]\n    start: "2027-01-04T09:00"\n    length: 1w\n')})
    scratch.commit("a new layer from January")
    code, out, _ = diff(scratch, "HEAD~1", "HEAD", "--format", "json")
    assert code == 0
    moves = [(m["from"], m["to"], m["before"]["id"], m["after"]["id"])
             for m in json.loads(out)["schedules"][0]["moves"]]
    assert moves == [
        ("2027-01-04T09:00:00+01:00", "2027-01-11T09:00:00+01:00", "ben", "cleo"),
        ("2027-01-11T09:00:00+01:00", "2027-01-18T09:00:00+01:00", "cleo", "ana"),
        ("2027-01-18T09:00:00+01:00", "2027-01-22T10:00:00+01:00", "ana", "cleo"),
    ]
    assert json.loads(out)["warnings"] == []


def test_an_override_moves_one_turn(scratch: Scratch) -> None:
    scratch.write({"schedules/core-primary.yaml": scratch.read("schedules/core-primary.yaml") + (
        'overrides:\n  - {person: ana, from: "2026-12-14T09:00", to: "2026-12-21T09:00", reason: swap}\n')})
    scratch.commit("ana covers for ben")
    code, out, _ = diff(scratch, "HEAD~1", "HEAD", "--format", "json")
    assert code == 0
    document = json.loads(out)
    ana = {"id": "ana", "name": "Ana Silva", "github": "ana-silva"}
    ben = {"id": "ben", "name": "Ben Okafor", "github": "ben-okafor"}
    assert document == {
        "base": {"label": f"HEAD~1 ({short(scratch, 'HEAD~1')})", "problems": 0},
        "head": {"label": f"HEAD ({short(scratch, 'HEAD')})", "problems": 0},
        "from": "2026-11-23T09:00:00+00:00",
        "to": "2027-01-22T09:00:00+00:00",
        "notice": "1w",
        "changed": True,
        "warnings": [],
        "schedules": [{
            "id": "core-primary", "name": "Core primary", "timezone": "Europe/Berlin", "status": "changed",
            "moves": [{"from": "2026-12-14T09:00:00+01:00", "to": "2026-12-21T09:00:00+01:00",
                       "before": ben, "after": ana, "within_notice": False}],
        }],
        "people": [
            {"person": ana,
             "before": {"hours": 433.0, "nights": 18, "night_hours": 144.0, "weekend_days": 4, "holidays": 1},
             "after": {"hours": 601.0, "nights": 25, "night_hours": 200.0, "weekend_days": 6, "holidays": 1}},
            {"person": ben,
             "before": {"hours": 503.0, "nights": 21, "night_hours": 168.0, "weekend_days": 6, "holidays": 0},
             "after": {"hours": 335.0, "nights": 14, "night_hours": 112.0, "weekend_days": 4, "holidays": 0}},
        ],
        "escalation": [],
        "severity": [],
        "action_items": [],
        "alerts": [],
    }


def test_a_change_inside_the_notice_period_is_a_warning(scratch: Scratch) -> None:
    scratch.write({"schedules/core-primary.yaml": scratch.read("schedules/core-primary.yaml") + (
        'overrides:\n  - {person: cleo, from: "2026-11-24T09:00", to: "2026-11-25T09:00"}\n'
        '  - {person: ana, from: "2026-12-14T09:00", to: "2026-12-15T09:00"}\n')})
    scratch.commit("cleo takes a day")
    code, out, _ = diff(scratch, "HEAD~1", "HEAD")
    assert code == 0
    warnings = [line for line in out.splitlines() if line.startswith("warning:")]
    assert warnings == [
        "warning: core-primary: Tue 2026-11-24 09:00 CET to Wed 2026-11-25 09:00 CET moves from "
        "Ben Okafor to Cleo Park, starting in 23 hours, within the notice period of 7 days",
    ]


def test_the_notice_period_comes_from_opsrepo_yaml(scratch: Scratch) -> None:
    scratch.write({"opsrepo.yaml": scratch.read("opsrepo.yaml") + "oncall: {notice: 30d}\n",
                   "schedules/core-primary.yaml": scratch.read("schedules/core-primary.yaml") + (
                       'overrides:\n  - {person: ana, from: "2026-12-14T09:00", to: "2026-12-15T09:00"}\n')})
    scratch.commit("a longer notice period and an override")
    _, out, _ = diff(scratch, "HEAD~1", "HEAD", "--format", "json")
    assert [w["message"] for w in json.loads(out)["warnings"]] == [
        "core-primary: Mon 2026-12-14 09:00 to Tue 2026-12-15 09:00 (Europe/Berlin) moves from Ben Okafor to "
        "Ana Silva, starting in 20 days and 23 hours, within the notice period of 30 days",
    ]


def test_a_new_escalation_level(scratch: Scratch) -> None:
    scratch.replace("policies/escalation/core.yaml", "  - {targets: [team:core]",
                    "  - {targets: [person:ben], escalate_after: 5m}\n  - {targets: [team:core]")
    scratch.commit("ben before the whole team")
    assert diff(scratch, "HEAD~1", "HEAD") == (0, title(scratch) + (
        "\n"
        "Escalation chains\n"
        "  API (api), default:\n"
        "    before: policy core: 1. Core primary (schedule), then 5m; 2. Core (team), then 10m\n"
        "    after:  policy core: 1. Core primary (schedule), then 5m; 2. Ben Okafor, then 5m;"
        " 3. Core (team), then 10m\n"
    ), "")


def test_severity_matrix_and_action_items(scratch: Scratch) -> None:
    scratch.replace("policies/severity.yaml", "acknowledge_within: 5m", "acknowledge_within: 10m")
    scratch.replace("postmortems/2026-10-01-api-outage.md", "owner: ben, due: 2026-10-20",
                    "owner: cleo, due: 2026-12-01")
    scratch.commit("slower SEV1 acknowledgement; cleo owns the canary item")
    assert diff(scratch, "HEAD~1", "HEAD") == (0, title(scratch) + (
        "\n"
        "Severity matrix\n"
        "  SEV1 (Critical): changed\n"
        "    acknowledge_within: 5m \u2192 10m\n"
        "\n"
        "Action items\n"
        "  2026-10-01-api-outage / canary: changed: Canary every config change\n"
        "    owner: Ben Okafor (ben) \u2192 Cleo Park (cleo)\n"
        "    due: 2026-10-20 \u2192 2026-12-01\n"
    ), "")


def test_nothing_that_matters_changed(scratch: Scratch) -> None:
    scratch.commit("docs", {"README.md": "# our ops repo\n"})
    assert diff(scratch, "HEAD~1", "HEAD") == (
        0, title(scratch) + "no change to who is on call, escalation, severity levels, action items or alert "
                            "rules\n", "")


RULES = """groups:
  - name: api
    rules:
      - alert: Api5xx
        expr: job:http_errors:rate5m{job="api"} > 0.01
        labels: {severity: SEV3}
        annotations: {runbook_url: core/api-errors}
      - alert: ApiDown
        expr: up{job="api"} == 0
        labels: {severity: SEV2}
        annotations: {runbook_url: core/api-errors}
"""


def test_alert_rules_added_removed_and_changed(scratch: Scratch) -> None:
    scratch.commit("alert rules", {"alerts/core.yaml": RULES})
    scratch.replace("alerts/core.yaml", "labels: {severity: SEV3}", "labels: {severity: SEV1}")
    scratch.replace("alerts/core.yaml", "      - alert: ApiDown", "      - alert: ApiUp")
    scratch.commit("5xx pages; ApiDown renamed", {"alerts/core.yaml": scratch.read("alerts/core.yaml").replace(
        "annotations: {runbook_url: core/api-errors}\n      - alert: ApiUp",
        "annotations: {runbook_url: \"https://runbooks.example/api\"}\n      - alert: ApiUp")})
    assert diff(scratch, "HEAD~1", "HEAD") == (0, title(scratch) + (
        "\n"
        "Alert rules\n"
        "  Api5xx: changed; severity SEV1 (pages); runbook https://runbooks.example/api\n"
        "    severity: SEV3 \u2192 SEV1 (pages)\n"
        "    runbook: core/api-errors \u2192 https://runbooks.example/api\n"
        "  ApiDown: removed; was severity SEV2 (pages); runbook core/api-errors\n"
        "  ApiUp: added; severity SEV2 (pages); runbook core/api-errors\n"
    ), "")
    code, out, err = diff(scratch, "HEAD~1", "HEAD", "--format", "markdown")
    assert (code, err) == (0, "")
    assert out.split("#### Alert rules\n")[1] == (
        "\n"
        "| alert | change | severity | runbook | details |\n"
        "| --- | --- | --- | --- | --- |\n"
        "| `Api5xx` | changed | SEV1 (pages) | https://runbooks.example/api | severity: `SEV3` \u2192 "
        "`SEV1 (pages)`; runbook: `core/api-errors` \u2192 `https://runbooks.example/api` |\n"
        "| `ApiDown` | removed | SEV2 (pages) | core/api-errors |  |\n"
        "| `ApiUp` | added | SEV2 (pages) | core/api-errors |  |\n"
    )
    document = json.loads(diff(scratch, "HEAD~1", "HEAD", "--format", "json")[1])
    assert (document["changed"], document["alerts"]) == (True, [
        {"alert": "Api5xx", "status": "changed", "severity": "SEV1 (pages)", "pages": True,
         "runbook": "https://runbooks.example/api", "fields": [
             {"field": "severity", "before": "SEV3", "after": "SEV1 (pages)"},
             {"field": "runbook", "before": "core/api-errors", "after": "https://runbooks.example/api"}]},
        {"alert": "ApiDown", "status": "removed", "severity": "SEV2 (pages)", "pages": True,
         "runbook": "core/api-errors", "fields": []},
        {"alert": "ApiUp", "status": "added", "severity": "SEV2 (pages)", "pages": True,
         "runbook": "core/api-errors", "fields": []},
    ])


def test_rule_files_are_read_where_the_revisions_alerts_paths_say(scratch: Scratch) -> None:
    scratch.commit("alert rules elsewhere", {
        "monitoring/core.rules.yml": RULES,
        "opsrepo.yaml": scratch.read("opsrepo.yaml") + "alerts: {paths: [monitoring/*.rules.yml]}\n"})
    assert diff(scratch, "HEAD~1", "HEAD") == (0, title(scratch) + (
        "\n"
        "Alert rules\n"
        "  Api5xx: added; severity SEV3; runbook core/api-errors\n"
        "  ApiDown: added; severity SEV2 (pages); runbook core/api-errors\n"
    ), "")
    scratch.replace("monitoring/core.rules.yml", "severity: SEV2", "severity: SEV3")  # the working tree
    assert diff(scratch, "HEAD")[1].split("\n\n", 1)[1] == (
        "Alert rules\n"
        "  ApiDown: changed; severity SEV3; runbook core/api-errors\n"
        "    severity: SEV2 (pages) \u2192 SEV3\n"
    )


def test_head_defaults_to_the_working_tree(scratch: Scratch) -> None:
    add_dev(scratch)  # not committed
    code, out, err = diff(scratch, "HEAD", "--format", "json")
    assert (code, err) == (0, "")
    working = json.loads(out)
    assert (working["base"], working["head"]) == (
        {"label": f"HEAD ({short(scratch, 'HEAD')})", "problems": 0}, {"label": "working tree", "problems": 0})
    scratch.commit("add dev")
    committed = json.loads(diff(scratch, "HEAD~1", "HEAD", "--format", "json")[1])
    # the same comparison once the change is committed, labels aside
    assert len(committed["schedules"][0]["moves"]) == 6
    assert {**working, "base": None, "head": None} == {**committed, "base": None, "head": None}


def test_horizon(scratch: Scratch) -> None:
    add_dev(scratch)
    code, out, _ = diff(scratch, "HEAD", "--horizon", "14d", "--format", "json")
    assert code == 0
    document = json.loads(out)
    assert document["to"] == "2026-12-07T09:00:00+00:00"
    assert [m["to"] for m in document["schedules"][0]["moves"]] == [
        "2026-11-30T09:00:00+01:00", "2026-12-07T09:00:00+01:00"]


def test_at(scratch: Scratch) -> None:
    add_dev(scratch)
    code, out, _ = diff(scratch, "HEAD", "--at", "2027-01-01T00:00", "--horizon", "1w", "--format", "json")
    assert code == 0
    document = json.loads(out)
    assert (document["from"], document["to"]) == ("2027-01-01T00:00:00+01:00", "2027-01-08T00:00:00+01:00")


def test_an_ops_repo_in_a_subdirectory_found_from_below(tmp_path: Path) -> None:
    scratch = minimal_scratch(tmp_path, prefix="ops")
    add_dev(scratch)
    scratch.commit("add dev")
    assert diff(scratch, "HEAD~1", "HEAD", cwd=scratch.root / "teams") == (0, title(scratch) + "\n" + ADD_DEV, "")


def test_a_hooks_repository_variables_do_not_point_git_elsewhere(tmp_path: Path) -> None:
    """A hook of another repository runs ``opsrepo diff``: git exported where ITS repository and objects are."""
    scratch = minimal_scratch(tmp_path / "ops", prefix="ops")
    add_dev(scratch)
    scratch.commit("add dev")
    other = minimal_scratch(tmp_path / "other")
    other.replace("policies/escalation/core.yaml", "escalate_after: 10m", "escalate_after: 20m")
    other.commit("the other repository's change")
    other.write({"teams/core.yaml": "staged, not committed\n"})
    other.git("add", "teams/core.yaml")
    before = [other.git(*args) for args in (("show-ref",), ("status", "--porcelain"), ("rev-parse", "HEAD"))]
    hook = {"GIT_DIR": str(other.path / ".git"), "GIT_WORK_TREE": str(other.path),
            "GIT_INDEX_FILE": str(other.path / ".git" / "index"),
            "GIT_OBJECT_DIRECTORY": str(other.path / ".git" / "objects")}
    assert diff(scratch, "HEAD~1", "HEAD", env=hook) == (0, title(scratch) + "\n" + ADD_DEV, "")
    assert diff(scratch, "HEAD~1", "HEAD", "--merge-base", env=hook) == (0, title(scratch) + "\n" + ADD_DEV, "")
    assert [other.git(*args) for args in (("show-ref",), ("status", "--porcelain"), ("rev-parse", "HEAD"))] == before


def test_merge_base_compares_with_where_the_branch_started(scratch: Scratch) -> None:
    scratch.git("checkout", "-q", "-b", "change")
    add_dev(scratch)
    scratch.commit("add dev")
    scratch.git("checkout", "-q", "main")
    scratch.replace("policies/escalation/core.yaml", "escalate_after: 10m", "escalate_after: 20m")
    scratch.commit("main moves on")
    scratch.git("checkout", "-q", "change")
    _, plain, _ = diff(scratch, "main", "HEAD", "--format", "json")
    _, merge, _ = diff(scratch, "main", "HEAD", "--merge-base", "--format", "json")
    assert len(json.loads(plain)["escalation"]) == 1  # main's own change shows up reversed
    assert json.loads(merge)["escalation"] == []
    start = scratch.git("merge-base", "main", "HEAD")[:7]
    assert json.loads(merge)["base"] == {"label": f"merge-base of main and HEAD ({start})", "problems": 0}


def test_a_broken_file_at_one_revision_is_reported(scratch: Scratch) -> None:
    scratch.commit("oops", {"teams/core.yaml": "id: [\n"})
    code, out, _ = diff(scratch, "HEAD~1", "HEAD")
    assert code == 0
    assert out.splitlines()[2] == (f"warning: HEAD ({short(scratch, 'HEAD')}) has 1 load error; the files that "
                                   "failed are left out (run opsrepo validate)")


def test_a_base_without_the_ops_repo(tmp_path: Path) -> None:
    scratch = Scratch(tmp_path)
    scratch.commit("empty")
    scratch.write({"README.md": "x\n"})
    shutil.copytree(MINIMAL, scratch.root, dirs_exist_ok=True)
    scratch.commit("the ops repo")
    code, out, _ = diff(scratch, "HEAD~1", "HEAD", "--format", "json")
    assert code == 0
    document = json.loads(out)
    assert document["base"]["label"] == f"HEAD~1 ({short(scratch, 'HEAD~1')}), no ops repo yet"
    assert document["schedules"][0]["status"] == "added"
    assert document["action_items"][0]["status"] == "added"


@pytest.mark.parametrize(("args", "message", "hint"), [
    (["nope"], "unknown git revision 'nope'",
     "name a commit, branch or tag (e.g. origin/main, HEAD~1); git fetch if it is on the remote only"),
    (["HEAD", "--horizon", "0d"], "--horizon 0d is out of range", "give a duration from 1h to 104w, e.g. 60d"),
    (["HEAD", "--horizon", "soon"], "--horizon: 'soon' is not a duration; write e.g. 90s, 15m, 12h, 1d, 1w or 1h30m",
     None),
    (["HEAD", "--at", "tomorow"], "--at 'tomorow' is not a time",
     "write an ISO 8601 instant (2026-06-01T09:00+02:00), a wall time (2026-06-01T09:00), now, today 18:00, "
     "tomorrow 09:00, sat 03:00, +7d, +13h or -2h; a wall time is read in Europe/Berlin (set by --tz, else $TZ, "
     "else the organisation's zone)"),
    (["HEAD", "--at", "9999-12-01T00:00Z"], "--at 9999-12-01T00:00Z is out of range: opsrepo reads years 1900 to 2999",
     "write a date or instant within them"),
    (["HEAD", "--at", "1950-12-01T00:00Z"], "--at 1950-12-01T00:00Z is out of range",
     "compare from an instant between 1970 and 9000"),
])
def test_usage_errors(scratch: Scratch, args: list[str], message: str, hint: str | None) -> None:
    code, out, err = diff(scratch, *args)
    assert (code, out) == (2, "")
    assert err == f"opsrepo: error: {message}\n" + (f"  hint: {hint}\n" if hint else "")


def test_outside_a_git_repository(tmp_path: Path) -> None:
    root = copy_repo(MINIMAL, tmp_path / "ops")
    result = CliRunner().invoke(cli, ["diff", "HEAD", "--repo", str(root)], env=ENV)
    assert result.exit_code == 2
    assert result.stderr == (f"opsrepo: error: {root.resolve()} is not inside a git repository\n"
                             "  hint: opsrepo diff reads git revisions: run it in a clone of the ops repo\n")


#: ADD_DEV's moved turns and warnings in New York time ($TZ or --tz America/New_York)
ADD_DEV_NEW_YORK_TURNS = (
    "warning: core-primary: Mon 2026-11-23 04:00 EST to Mon 2026-11-30 03:00 EST moves from Ben Okafor"
    " to Cleo Park, starting now, within the notice period of 7 days\n"
    "warning: core-primary: Mon 2026-11-30 03:00 EST to Mon 2026-12-07 03:00 EST moves from Cleo Park"
    " to Dev Patel, starting in 6 days and 23 hours, within the notice period of 7 days\n"
    "\n"
    "Moved turns\n"
    "  Core primary (core-primary): 6 moved turns, times in America/New_York\n"
    "  ! Mon 2026-11-23 04:00 EST to Mon 2026-11-30 03:00 EST  Ben Okafor \u2192 Cleo Park\n"
    "  ! Mon 2026-11-30 03:00 EST to Mon 2026-12-07 03:00 EST  Cleo Park \u2192 Dev Patel\n"
    "    Mon 2026-12-28 03:00 EST to Mon 2027-01-04 03:00 EST  Ana Silva \u2192 Dev Patel\n"
    "    Mon 2027-01-04 03:00 EST to Mon 2027-01-11 03:00 EST  Ben Okafor \u2192 Ana Silva\n"
    "    Mon 2027-01-11 03:00 EST to Mon 2027-01-18 03:00 EST  Cleo Park \u2192 Ben Okafor\n"
    "    Mon 2027-01-18 03:00 EST to Fri 2027-01-22 04:00 EST  Ana Silva \u2192 Cleo Park\n"
)


def diff_in(tz: str | None, *args: str) -> tuple[int, str, str]:
    """``opsrepo diff HEAD~1 HEAD ARGS`` in the working directory with ``$TZ`` set to ``tz``."""
    result = CliRunner().invoke(cli, ["diff", "HEAD~1", "HEAD", *args], env={**ENV, "TZ": tz})
    return result.exit_code, result.stdout, result.stderr


def test_text_shows_times_in_tz_and_tz_option_overrides_it(
        scratch: Scratch, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(scratch.root)
    add_dev(scratch)
    scratch.commit("add dev to the rotation")
    people = ADD_DEV.split("\nPeople\n")[1]
    new_york = (f"opsrepo diff: HEAD~1 ({short(scratch, 'HEAD~1')}) \u2192 HEAD ({short(scratch, 'HEAD')})\n"
                "compared Mon 2026-11-23 04:00 EST to Fri 2027-01-22 04:00 EST (60 days); notice period 7 days\n"
                "\n" + ADD_DEV_NEW_YORK_TURNS + "\nPeople\n" + people)
    assert diff_in("America/New_York") == (0, new_york, "")
    assert diff_in(":America/New_York") == (0, new_york, "")
    assert diff_in("Asia/Kolkata", "--tz", "America/New_York") == (0, new_york, "")
    # a POSIX rule in $TZ is passed over: the org's zone
    assert diff_in("EST+5") == (0, title(scratch) + "\n" + ADD_DEV, "")


def test_a_naive_at_is_read_in_the_tz_zone(scratch: Scratch, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(scratch.root)
    add_dev(scratch)
    scratch.commit("add dev to the rotation")
    expected = (
        f"opsrepo diff: HEAD~1 ({short(scratch, 'HEAD~1')}) \u2192 HEAD ({short(scratch, 'HEAD')})\n"
        "compared Mon 2026-11-30 08:00 EST to Wed 2026-12-02 08:00 EST (2 days); notice period 7 days\n"
        "\n"
        "warning: core-primary: Mon 2026-11-30 08:00 EST to Wed 2026-12-02 08:00 EST moves from Cleo Park"
        " to Dev Patel, starting now, within the notice period of 7 days\n"
        "\n"
        "Moved turns\n"
        "  Core primary (core-primary): 1 moved turn, times in America/New_York\n"
        "  ! Mon 2026-11-30 08:00 EST to Wed 2026-12-02 08:00 EST  Cleo Park \u2192 Dev Patel\n"
        "\n"
        "People\n"
        "  Cleo Park (cleo): on-call hours 48 \u2192 0 (\u221248); nights 2 \u2192 0 (\u22122);"
        " night hours 16 \u2192 0 (\u221216)\n"
        "  Dev Patel (dev): on-call hours 0 \u2192 48 (+48); nights 0 \u2192 2 (+2);"
        " night hours 0 \u2192 16 (+16)\n"
    )
    assert diff_in(None, "--tz", "America/New_York", "--at", "2026-11-30T08:00",
                   "--horizon", "2d") == (0, expected, "")
    assert diff_in("America/New_York", "--at", "2026-11-30T08:00", "--horizon", "2d") == (
        0, expected, "")


#: the Markdown of ADD_DEV after its first line, with ``{zone}`` and the times of that zone
ADD_DEV_MARKDOWN = (
    "\n"
    "> [!WARNING]\n"
    "> 2 turns move within the notice period (7 days):\n"
    "> - **Core primary**: {t1} to {t2} moves from Ben Okafor to Cleo Park, starting now\n"
    "> - **Core primary**: {t2} to {t3} moves from Cleo Park to Dev Patel, starting in 6 days and 23 hours\n"
    "\n"
    "#### Moved turns\n"
    "\n"
    "**Core primary** (`core-primary`): 6 moved turns, times in {zone}\n"
    "\n"
    "| from | to | before | after |\n"
    "| --- | --- | --- | --- |\n"
    "| {t1} \u26a0\ufe0f | {t2} | Ben Okafor | Cleo Park |\n"
    "| {t2} \u26a0\ufe0f | {t3} | Cleo Park | Dev Patel |\n"
    "| {t4} | {t5} | Ana Silva | Dev Patel |\n"
    "| {t5} | {t6} | Ben Okafor | Ana Silva |\n"
    "| {t6} | {t7} | Cleo Park | Ben Okafor |\n"
    "| {t7} | {t8} | Ana Silva | Cleo Park |\n"
    "\n"
    "#### People\n"
    "\n"
    "| person | on-call hours | nights | night hours | weekend days | holidays |\n"
    "| --- | ---: | ---: | ---: | ---: | ---: |\n"
    "| Ana Silva | 433 \u2192 336 (\u221297) | 18 \u2192 14 (\u22124) | 144 \u2192 112 (\u221232) | 4 |"
    " 1 \u2192 0 (\u22121) |\n"
    "| Ben Okafor | 503 \u2192 336 (\u2212167) | 21 \u2192 14 (\u22127) | 168 \u2192 112 (\u221256) |"
    " 6 \u2192 4 (\u22122) | 0 |\n"
    "| Cleo Park | 504 \u2192 432 (\u221272) | 21 \u2192 18 (\u22123) | 168 \u2192 144 (\u221224) |"
    " 6 \u2192 4 (\u22122) | 2 |\n"
    "| Dev Patel | 0 \u2192 336 (+336) | 0 \u2192 16 (+16) | 0 \u2192 112 (+112) | 0 \u2192 4 (+4) |"
    " 0 \u2192 1 (+1) |\n"
)


def test_markdown_is_in_the_orgs_zone_whatever_tz_and_tz_option_overrides_it(
        scratch: Scratch, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(scratch.root)
    add_dev(scratch)
    scratch.commit("add dev to the rotation")
    compared = f"Comparing `HEAD~1 ({short(scratch, 'HEAD~1')})` with `HEAD ({short(scratch, 'HEAD')})`, "
    days = ("Mon 2026-11-23", "Mon 2026-11-30", "Mon 2026-12-07", "Mon 2026-12-28", "Mon 2027-01-04",
            "Mon 2027-01-11", "Mon 2027-01-18", "Fri 2027-01-22")
    berlin = {f"t{n}": f"{day} {'10:00' if n in (1, 8) else '09:00'} CET" for n, day in enumerate(days, 1)}
    new_york = {f"t{n}": f"{day} {'04:00' if n in (1, 8) else '03:00'} EST" for n, day in enumerate(days, 1)}
    in_berlin = ("### On-call preview\n\n" + compared + f"{berlin['t1']} to {berlin['t8']} (60 days).\n"
                 + ADD_DEV_MARKDOWN.format(zone="Europe/Berlin", **berlin))
    in_new_york = ("### On-call preview\n\n" + compared + f"{new_york['t1']} to {new_york['t8']} (60 days).\n"
                   + ADD_DEV_MARKDOWN.format(zone="America/New_York", **new_york))
    assert diff_in("America/New_York", "--format", "markdown") == (0, in_berlin, "")
    assert diff_in(None, "--format", "markdown", "--tz", "America/New_York") == (0, in_new_york, "")


def test_a_bad_tz_is_a_usage_error(scratch: Scratch, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(scratch.root)
    scratch.commit("nothing")
    code, out, err = diff_in(None, "--tz", "Europe/Berln")
    assert (code, out) == (2, "")
    assert err == ("opsrepo: error: --tz 'Europe/Berln': 'Europe/Berln' is not an IANA timezone\n"
                   "  hint: did you mean 'Europe/Berlin'?\n")
