"""``opsrepo slack sync`` against the fake Slack: groups and topics set once, rate limits, refusals, state."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from opsrepo.cli.main import cli
from opsrepo.slack import client as slack_client
from tests.acceptance.rota_repo import FILES, ORG, TEAM, write_rota_repo
from tests.fakegithub import FakeClock
from tests.fakeslack import FakeSlack

pytest_plugins = ["tests.fakeslack.fixtures"]
SLACK = """slack:
  user_groups:
    - {handle: core-oncall, schedules: [core-primary, core-secondary]}
    - {handle: core-primary, schedules: [core-primary]}
  topics:
    - {channel: C00000001, schedules: [core-primary, core-secondary]}
"""
# Monday 23 November 10:00 Berlin: ana holds core-primary (until the override of cleo on Saturday 09:00),
# eve core-secondary until Monday 30 November 09:00
ENV = {"OPSREPO_NOW": "2026-11-23T09:00:00Z"}
TOPIC = ("On call: Core primary: Ana Silva until Sat 28 Nov 09:00 CET | Core secondary: Eve Adams until "
         "Mon 30 Nov 09:00 CET")


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = write_rota_repo(tmp_path / "repo")
    team = TEAM.replace("country: DE, github: ana-silva}", "country: DE, github: ana-silva, email: ana@core.example}")
    team = team.replace("github: eve-adams}", "github: eve-adams, email: eve@core.example}")
    (root / "teams" / "core.yaml").write_text(team, encoding="utf-8")
    (root / "opsrepo.yaml").write_text(ORG + SLACK, encoding="utf-8")
    assert set(FILES) <= {p.relative_to(root).as_posix() for p in root.rglob("*.yaml")}
    return root


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> FakeClock:
    found = FakeClock()
    monkeypatch.setattr(slack_client, "system_clock", lambda: found)
    return found


@pytest.fixture
def workspace(fake_slack: FakeSlack) -> FakeSlack:
    fake_slack.add_user("ana@core.example")  # U00000001
    fake_slack.add_user("eve@core.example")  # U00000002
    fake_slack.add_user("ben@core.example")  # U00000003
    fake_slack.add_group("core-oncall", ["U00000003"])
    fake_slack.add_group("core-primary", [])
    fake_slack.add_channel("core")
    return fake_slack


def sync(fake: FakeSlack, repo: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["slack", "sync", "--repo", str(repo), "--base-url", fake.url, *args], env=ENV)
    return result.exit_code, result.stdout, result.stderr


def test_first_sync_sets_groups_and_topic_then_nothing_changes(workspace: FakeSlack, repo: Path,
                                                                clock: FakeClock) -> None:
    code, out, err = sync(workspace, repo)
    assert (code, err) == (0, "opsrepo: 6 Slack requests, 3 writes\n")
    assert out == ("@core-oncall: updated: ana, eve (was 1 member)\n"
                   "@core-primary: updated: ana (was 0 members)\n"
                   f"topic of C00000001: set: {TOPIC}\n")
    assert workspace.group("core-oncall").users == ["U00000001", "U00000002"]
    assert workspace.group("core-primary").users == ["U00000001"]
    assert workspace.channels["C00000001"].topic == TOPIC
    assert [c.method for c in workspace.log] == [
        "usergroups.list", "users.lookupByEmail", "users.lookupByEmail", "usergroups.users.update",
        "usergroups.users.update", "conversations.setTopic"]
    state = json.loads((repo / "status" / "slack.json").read_text(encoding="utf-8"))
    assert state == {"kind": "slack", "users": {"ana@core.example": "U00000001", "eve@core.example": "U00000002"},
                     "topics": {"C00000001": TOPIC}}
    workspace.log.clear()
    code, out, err = sync(workspace, repo)
    assert (code, err) == (0, "opsrepo: 1 Slack request, 0 writes\n")
    assert out == ("@core-oncall: unchanged: ana, eve\n@core-primary: unchanged: ana\n"
                   f"topic of C00000001: unchanged: {TOPIC}\n")
    assert clock.sleeps == []


def test_at_the_next_handoff_the_groups_follow(workspace: FakeSlack, repo: Path, clock: FakeClock) -> None:
    assert sync(workspace, repo)[0] == 0
    # Saturday 09:00: cleo's override; cleo has no email, so Slack cannot know her
    result = CliRunner().invoke(cli, ["slack", "sync", "--repo", str(repo), "--base-url", workspace.url],
                                env={"OPSREPO_NOW": "2026-11-28T08:00:00Z"})
    assert result.exit_code == 1
    assert result.stdout == (
        "@core-oncall: updated: cleo, eve (was 2 members); cleo not found in Slack\n"
        "@core-primary: left as is: cleo: no Slack user to set; cleo not found in Slack\n"
        "topic of C00000001: set: On call: Core primary: Cleo Park until Sun 29 Nov 09:00 CET | Core secondary: "
        "Eve Adams until Mon 30 Nov 09:00 CET\n")
    assert workspace.group("core-oncall").users == ["U00000002"]
    assert result.stderr.endswith("opsrepo: error: 1 of 3 Slack targets need attention (above)\n"
                                  "  hint: fix them in Slack or in opsrepo.yaml; the others are in step\n")


def test_rate_limits_are_waited_out(workspace: FakeSlack, repo: Path, clock: FakeClock) -> None:
    workspace.limited = {"usergroups.users.update": [3, 7], "users.lookupByEmail": [1]}
    code, _, err = sync(workspace, repo)
    assert code == 0
    assert clock.sleeps == [1.0, 3.0, 7.0]
    assert err == "opsrepo: 9 Slack requests, 5 writes, waited 11 s for rate limits\n"
    assert workspace.group("core-oncall").users == ["U00000001", "U00000002"]


def test_a_limit_longer_than_max_wait_stops_the_run(workspace: FakeSlack, repo: Path, clock: FakeClock) -> None:
    workspace.limited = {"usergroups.list": [600]}
    code, out, err = sync(workspace, repo, "--max-wait", "5m")
    assert (code, out) == (1, "")
    assert err == ("opsrepo: error: waiting for Slack's rate limit of usergroups.list would take 600 s in all\n"
                   "  hint: run the command again later, or allow a longer wait with --max-wait\n")


def test_refusals_are_reported_and_the_rest_goes_on(workspace: FakeSlack, repo: Path, clock: FakeClock) -> None:
    workspace.failures = {"usergroups.users.update": ["permission_denied"], "conversations.setTopic": ["missing_scope"]}
    code, out, err = sync(workspace, repo)
    assert code == 1
    assert out == ("@core-oncall: error: Slack refused usergroups.users.update: permission_denied\n"
                   "@core-primary: updated: ana (was 0 members)\n"
                   "topic of C00000001: error: Slack refused conversations.setTopic: missing_scope (give the Slack "
                   "app the scopes usergroups:read, usergroups:write, users:read.email, channels:write (topics) and "
                   "chat:write (handoff messages))\n")
    assert err.endswith("opsrepo: error: 2 of 3 Slack targets need attention (above)\n"
                        "  hint: fix them in Slack or in opsrepo.yaml; the others are in step\n")
    code, out, _ = sync(workspace, repo)  # the next run finishes the job
    assert code == 0 and out.count("updated") == 1 and "set:" in out


def test_groups_slack_lacks_are_never_created(workspace: FakeSlack, repo: Path, clock: FakeClock) -> None:
    workspace.groups.clear()
    workspace.add_group("core-primary", [], enabled=False)
    code, out, _ = sync(workspace, repo)
    assert code == 1
    assert out.splitlines()[:2] == [
        "@core-oncall: missing: no such user group in Slack: create it there (opsrepo keeps its members, it never "
        "creates groups)",
        "@core-primary: disabled: the user group is disabled in Slack: enable it there"]
    assert [c.method for c in workspace.writes()] == ["conversations.setTopic"]


def test_the_token_is_required_and_never_shown(workspace: FakeSlack, repo: Path, clock: FakeClock,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-wrong-token-123")
    code, out, err = sync(workspace, repo)
    assert (code, out) == (1, "")
    assert err == ("opsrepo: error: Slack refused usergroups.list: invalid_auth\n"
                   "  hint: check SLACK_BOT_TOKEN: it may be mistyped or revoked\n")
    monkeypatch.delenv("SLACK_BOT_TOKEN")
    assert sync(workspace, repo)[2] == ("opsrepo: error: SLACK_BOT_TOKEN is not set\n"
                                        "  hint: export SLACK_BOT_TOKEN with the Slack app's bot token\n")


def test_dry_run_needs_no_token(workspace: FakeSlack, repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SLACK_BOT_TOKEN")
    code, out, _ = sync(workspace, repo, "--dry-run")
    assert code == 0
    assert out == f"@core-oncall: ana, eve\n@core-primary: ana\ntopic of C00000001: {TOPIC}\n"
    assert workspace.log == []


def test_a_damaged_state_file_is_an_error(workspace: FakeSlack, repo: Path, clock: FakeClock) -> None:
    (repo / "status").mkdir()
    (repo / "status" / "slack.json").write_text("{", encoding="utf-8")
    code, _, err = sync(workspace, repo)
    assert code == 1
    assert err.startswith(f"opsrepo: error: {repo / 'status' / 'slack.json'} is damaged: ")
    assert err.endswith(f"  hint: delete {repo / 'status' / 'slack.json'}: the next run starts afresh\n")
