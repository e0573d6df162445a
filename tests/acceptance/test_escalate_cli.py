"""``opsrepo escalate`` end to end on a fixture repo: whole outputs and exit codes."""

from __future__ import annotations

import json
import shutil
from datetime import datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from opsrepo.cli.main import cli
from tests.helpers import FIXTURES

REPO = FIXTURES / "repos" / "escalation-handoff"
ENV = {"OPSREPO_NOW": "2026-11-23T09:00:00Z"}


def escalate(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["escalate", "--repo", str(REPO), *args], env=ENV)
    return result.exit_code, result.stdout, result.stderr


def test_text_timeline_with_a_handoff_mid_chain() -> None:
    assert escalate("--service", "api", "--at", "2026-11-30T08:50") == (0, """\
Escalation of api (Public API) triggered Mon 2026-11-30 08:50 CET (in 6 d 22 h)
Severity: none given (default policy of api; channels depend on the severity)
Policy:   core (Core default): 3 levels, repeated once; 6 notifications over 45m; a level that reaches nobody waits its escalate_after (when_nobody: wait)

offset  time (Europe/Berlin)  level  target                   people
+0m     Mon 30 Nov 08:50 CET  1      schedule:core-primary    Ben Okafor
+5m     Mon 30 Nov 08:55 CET  2      schedule:core-secondary  Ana Silva
+15m    Mon 30 Nov 09:05 CET  3      person:dan               Dan Wu
-- repeat 1 of 1 --
+30m    Mon 30 Nov 09:20 CET  1      schedule:core-primary    Cleo Park
+35m    Mon 30 Nov 09:25 CET  2      schedule:core-secondary  Ben Okafor
+45m    Mon 30 Nov 09:35 CET  3      person:dan               Dan Wu

First reached: Ben Okafor at +0m (level 1).
""", "")


def test_alert_names_its_runbook_severity_channels_and_override_policy() -> None:
    assert escalate("--alert", "api-down", "--at", "2026-12-07T09:00:00+01:00") == (0, """\
Escalation of api (Public API) triggered Mon 2026-12-07 09:00 CET (in 13 d 23 h)
Alert:    api-down: Health check failing in every region
Runbook:  runbooks/core/api-errors.md
Severity: SEV1 Critical (pages; acknowledge within 5m)
Channels: phone, sms, slack
Policy:   core-critical (Core critical): 2 levels; 2 notifications over 5m; a level that reaches nobody waits its escalate_after (when_nobody: wait)

offset  time (Europe/Berlin)  level  target                   people
+0m     Mon 07 Dec 09:00 CET  1      schedule:core-primary    Ana Silva
                                     schedule:core-secondary  Ben Okafor
+5m     Mon 07 Dec 09:05 CET  2      team:leads               Dan Wu, Ana Silva

First reached: Ana Silva, Ben Okafor at +0m (level 1).
""", "")


def test_a_level_with_nobody_and_a_non_paging_severity() -> None:
    assert escalate("--service", "reports", "--severity", "SEV3", "--at", "2026-11-27T18:30",
                    "--tz", "Europe/London") == (0, """\
Escalation of reports triggered Fri 2026-11-27 18:30 GMT (in 4 d 9 h)
Severity: SEV3 Minor (does not page; acknowledge within 4h)
Channels: slack
Policy:   office: 2 levels; 2 notifications over 5m; a level that reaches nobody waits its escalate_after (when_nobody: wait)

offset  time (Europe/London)  level  target           people
+0m     Fri 27 Nov 18:30 GMT  1      schedule:office  NOBODY (off hours, coverage resumes Mon 30 Nov 09:00 GMT)
+5m     Fri 27 Nov 18:35 GMT  2      person:dan       Dan Wu

First reached: Dan Wu at +5m (level 2).
""", "")


def test_people_on_time_off_are_marked() -> None:
    assert escalate("--service", "api", "--severity", "SEV2", "--at", "2026-12-24T12:00") == (0, """\
Escalation of api (Public API) triggered Thu 2026-12-24 12:00 CET (in 31 d 2 h)
Severity: SEV2 Major (pages; acknowledge within 15m)
Channels: push, slack
Policy:   core (Core default): 3 levels, repeated once; 6 notifications over 45m; a level that reaches nobody waits its escalate_after (when_nobody: wait)

offset  time (Europe/Berlin)  level  target                   people
+0m     Thu 24 Dec 12:00 CET  1      schedule:core-primary    Cleo Park
+5m     Thu 24 Dec 12:05 CET  2      schedule:core-secondary  Ben Okafor
+15m    Thu 24 Dec 12:15 CET  3      person:dan               Dan Wu (on time off until 2026-12-27 00:00)
-- repeat 1 of 1 --
+30m    Thu 24 Dec 12:30 CET  1      schedule:core-primary    Cleo Park
+35m    Thu 24 Dec 12:35 CET  2      schedule:core-secondary  Ben Okafor
+45m    Thu 24 Dec 12:45 CET  3      person:dan               Dan Wu (on time off until 2026-12-27 00:00)

First reached: Cleo Park at +0m (level 1).
""", "")


def test_json_is_the_spec_shape_with_every_notification_and_why_nobody_is_reached() -> None:
    code, out, err = escalate("--alert", "api-5xx", "--at", "2026-11-30T08:50", "--format", "json")
    assert (code, err) == (0, "")
    assert json.loads(out) == {
        "service": "api", "severity": "SEV2", "at": "2026-11-30T08:50:00+01:00", "policy": "core",
        "levels": [
            {"level": 1, "notify_at": "2026-11-30T08:50:00+01:00", "offset_minutes": 0,
             "targets": ["schedule:core-primary"], "people": ["ben"],
             "unreached": [], "skipped": False},
            {"level": 2, "notify_at": "2026-11-30T08:55:00+01:00", "offset_minutes": 5,
             "targets": ["schedule:core-secondary"], "people": ["ana"],
             "unreached": [], "skipped": False},
            {"level": 3, "notify_at": "2026-11-30T09:05:00+01:00", "offset_minutes": 15,
             "targets": ["person:dan"], "people": ["dan"],
             "unreached": [], "skipped": False},
            {"level": 1, "notify_at": "2026-11-30T09:20:00+01:00", "offset_minutes": 30,
             "targets": ["schedule:core-primary"], "people": ["cleo"],
             "unreached": [], "skipped": False},
            {"level": 2, "notify_at": "2026-11-30T09:25:00+01:00", "offset_minutes": 35,
             "targets": ["schedule:core-secondary"], "people": ["ben"],
             "unreached": [], "skipped": False},
            {"level": 3, "notify_at": "2026-11-30T09:35:00+01:00", "offset_minutes": 45,
             "targets": ["person:dan"], "people": ["dan"],
             "unreached": [], "skipped": False},
        ],
    }


def test_json_without_severity_and_at_defaults_to_now() -> None:
    code, out, err = escalate("--service", "reports", "--format", "json", "--tz", "Europe/London")
    assert (code, err) == (0, "")
    assert json.loads(out) == {
        "service": "reports", "severity": None, "at": "2026-11-23T09:00:00+00:00", "policy": "office",
        "levels": [
            {"level": 1, "notify_at": "2026-11-23T09:00:00+00:00", "offset_minutes": 0,
             "targets": ["schedule:office"], "people": ["eve"],
             "unreached": [], "skipped": False},
            {"level": 2, "notify_at": "2026-11-23T09:05:00+00:00", "offset_minutes": 5,
             "targets": ["person:dan"], "people": ["dan"],
             "unreached": [], "skipped": False},
        ],
    }


def test_json_says_a_level_reached_nobody_because_its_schedule_is_off_hours() -> None:
    code, out, err = escalate("--service", "reports", "--severity", "SEV3", "--at", "2026-11-27T18:30",
                              "--tz", "Europe/London", "--format", "json")
    assert (code, err) == (0, "")
    assert json.loads(out) == {
        "service": "reports", "severity": "SEV3", "at": "2026-11-27T18:30:00+00:00", "policy": "office",
        "levels": [
            {"level": 1, "notify_at": "2026-11-27T18:30:00+00:00", "offset_minutes": 0,
             "targets": ["schedule:office"], "people": [],
             "unreached": [{"target": "schedule:office", "reason": "off-hours", "detail": "nobody on call",
                            "coverage_resumes": "2026-11-30T09:00:00+00:00"}],
             "skipped": False},
            {"level": 2, "notify_at": "2026-11-27T18:35:00+00:00", "offset_minutes": 5,
             "targets": ["person:dan"], "people": ["dan"], "unreached": [], "skipped": False},
        ],
    }


@pytest.mark.parametrize(("args", "err"), [
    (["--service", "apx"], "opsrepo: error: unknown service 'apx'\n  hint: did you mean 'api'?\n"),
    (["--alert", "api-500"], "opsrepo: error: unknown alert 'api-500'\n"
                             "  hint: did you mean 'api-5xx' or 'api-down'?\n"),
    (["--service", "api", "--severity", "SEV7"],
     "opsrepo: error: unknown severity 'SEV7'\n  hint: did you mean 'SEV1' or 'SEV2' or 'SEV3'?\n"),
    (["--service", "api", "--at", "yesterday"],
     "opsrepo: error: --at 'yesterday' is not a time\n"
     "  hint: write an ISO 8601 instant (2026-06-01T09:00+02:00), a wall time (2026-06-01T09:00), now, "
     "today 18:00, tomorrow 09:00, sat 03:00, +7d, +13h or -2h; a wall time is read in Europe/Berlin "
     "(set by --tz, else $TZ, else the organisation's zone)\n"),
    (["--service", "api", "--tz", "Mars/Olympus"],
     "opsrepo: error: --tz 'Mars/Olympus': 'Mars/Olympus' is not an IANA timezone\n"
     "  hint: name an IANA zone, e.g. Europe/Berlin\n"),
    ([], "opsrepo: error: give exactly one of --service and --alert\n"
         "  hint: e.g. opsrepo escalate --service payments-api --severity SEV1\n"),
])
def test_usage_errors_exit_2_with_one_line_and_a_hint(args: list[str], err: str) -> None:
    assert escalate(*args) == (2, "", err)


def test_bad_format_is_a_usage_error() -> None:
    code, out, err = escalate("--service", "api", "--format", "md")
    assert (code, out) == (2, "")
    assert "Invalid value for '--format'" in err


def test_a_policy_that_does_not_load_exits_1(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    shutil.copytree(REPO, root)
    (root / "policies" / "escalation" / "core.yaml").write_text("id: core\nlevels: []\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["escalate", "--repo", str(root), "--service", "api"], env=ENV)
    assert (result.exit_code, result.stdout, result.stderr) == (1, "", (
        "opsrepo: warning: 1 file failed to load and is left out: policies/escalation/core.yaml\n"
        "  hint: run 'opsrepo validate' to see what to fix\n"
        "opsrepo: error: service 'api' escalates with policy 'core', which does not exist or does not load\n"
        "  hint: run 'opsrepo validate' and fix what it reports\n"))


def test_files_that_do_not_load_are_named_on_stderr(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    shutil.copytree(REPO, root)
    (root / "schedules" / "office.yaml").write_text("id: office\nlayers: [\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["escalate", "--repo", str(root), "--service", "api", "--format", "json"],
                                env=ENV)
    assert (result.exit_code, result.stderr) == (0, (
        "opsrepo: warning: 1 file failed to load and is left out: schedules/office.yaml\n"
        "  hint: run 'opsrepo validate' to see what to fix\n"))
    assert json.loads(result.stdout)["policy"] == "core"


def test_several_files_that_do_not_load_are_named_in_order(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    shutil.copytree(REPO, root)
    for name in ("office.yaml", "core-tertiary.yaml"):
        (root / "schedules" / name).write_text("id: x\nlayers: [\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["escalate", "--repo", str(root), "--service", "api", "--format", "json"],
                                env=ENV)
    assert (result.exit_code, result.stderr) == (0, (
        "opsrepo: warning: 2 files failed to load and are left out: schedules/core-tertiary.yaml, "
        "schedules/office.yaml\n"
        "  hint: run 'opsrepo validate' to see what to fix\n"))


def test_a_schedule_caught_in_a_derive_cycle_shows_nobody(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    shutil.copytree(REPO, root)
    for sid, source in (("core-secondary", "core-tertiary"), ("core-tertiary", "core-secondary")):
        (root / "schedules" / f"{sid}.yaml").write_text(
            f"id: {sid}\nname: {sid}\nteam: core\ncoverage: 24x7\nderive: {{from: {source}}}\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["escalate", "--repo", str(root), "--service", "api", "--at",
                                      "2026-11-30T08:50", "--format", "json"], env=ENV)
    assert result.exit_code == 0
    levels = json.loads(result.stdout)["levels"]
    assert [level["people"] for level in levels] == [["ben"], [], ["dan"], ["cleo"], [], ["dan"]]
    gap = [{"target": "schedule:core-secondary", "reason": "gap", "detail": "nobody on call",
            "coverage_resumes": None}]
    assert [level["unreached"] for level in levels] == [[], gap, [], [], gap, []]


def test_an_unknown_id_in_a_repo_with_broken_files_is_a_repo_error_not_a_usage_error(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    shutil.copytree(REPO, root)
    team = root / "teams" / "core.yaml"
    team.write_text(team.read_text(encoding="utf-8") + "extra: [\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["escalate", "--repo", str(root), "--service", "api"], env=ENV)
    assert (result.exit_code, result.stdout, result.stderr) == (1, "", (
        "opsrepo: warning: 1 file failed to load and is left out: teams/core.yaml\n"
        "  hint: run 'opsrepo validate' to see what to fix\n"
        "opsrepo: error: unknown service 'api', or it is in a file that failed to load\n"
        "  hint: run 'opsrepo validate' and fix what it reports\n"))
    # a call that is wrong whatever the files say stays a usage error
    usage = CliRunner().invoke(cli, ["escalate", "--repo", str(root)], env=ENV)
    assert (usage.exit_code, usage.stdout, usage.stderr) == (2, "", (
        "opsrepo: warning: 1 file failed to load and is left out: teams/core.yaml\n"
        "  hint: run 'opsrepo validate' to see what to fix\n"
        "opsrepo: error: give exactly one of --service and --alert\n"
        "  hint: e.g. opsrepo escalate --service payments-api --severity SEV1\n"))


@pytest.mark.parametrize("at", ["2026-11-27T18:30", "tomorrow 09:00", "sat 03:00", "+7d"])
@pytest.mark.parametrize("tz", [None, "Europe/London", "Asia/Kolkata"])
def test_oncall_and_escalate_read_an_at_as_the_same_instant(at: str, tz: str | None) -> None:
    """The policy's schedule is in London, the org in Berlin: both commands read --at in the display zone."""
    zone = ["--tz", tz] if tz else []
    code, out, _ = escalate("--service", "reports", "--at", at, "--format", "json", *zone)
    result = CliRunner().invoke(cli, ["oncall", "--repo", str(REPO), "--schedule", "office", "--at", at,
                                      "--format", "json", *zone], env=ENV)
    assert (code, result.exit_code) == (0, 0)
    trigger, asked = json.loads(out)["at"], json.loads(result.stdout)["at"]
    assert datetime.fromisoformat(trigger) == datetime.fromisoformat(asked)
    assert trigger == asked  # and both show it in the display zone
