"""``opsrepo notify handoffs``: one pinned issue, mentions, Slack, and nobody reminded twice of one shift."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from opsrepo.cli.main import cli
from opsrepo.slack import client as slack_client
from tests.acceptance.rota_repo import ORG, TEAM, write_rota_repo
from tests.fakegithub import FakeClock, FakeGitHub
from tests.fakeslack import FakeSlack

pytest_plugins = ["tests.fakegithub.fixtures", "tests.fakeslack.fixtures"]
FRIDAY = "2026-11-27T10:00:00Z"  # Friday 11:00 Berlin: cleo's Saturday override starts within 24 h
NOT_PINNED = "opsrepo: warning: the handoff issue was not pinned: POST /graphql: 404 Not Found\n"
CLEO = ("- **Cleo Park** takes Core primary from Sat 28 Nov 09:00 CET until Sun 29 Nov 09:00 CET, from Ana Silva "
        "<!-- opsrepo:handoff core-primary cleo 2026-11-28T08:00Z -->")


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = write_rota_repo(tmp_path / "repo")
    team = TEAM.replace("github: ben-okafor}", "github: ben-okafor, email: ben@core.example}")
    (root / "teams" / "core.yaml").write_text(team, encoding="utf-8")
    (root / "opsrepo.yaml").write_text(ORG + "slack: {handoffs: {channel: C00000001}}\n", encoding="utf-8")
    return root


@pytest.fixture
def slack(fake_slack: FakeSlack, monkeypatch: pytest.MonkeyPatch) -> FakeSlack:
    fake_slack.add_user("ben@core.example")
    fake_slack.add_channel("oncall")
    monkeypatch.setattr(slack_client, "system_clock", lambda: FakeClock())
    return fake_slack


def notify(github: FakeGitHub, slack: FakeSlack, repo: Path, at: str, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["notify", "handoffs", "--repo", str(repo), "--base-url", github.url,
                                      "--slack-base-url", slack.url, *args], env={"OPSREPO_NOW": at})
    return result.exit_code, result.stdout, result.stderr


def comments(github: FakeGitHub) -> list[str]:
    return [str(c["body"]) for c in github.repo.issues[1].comments]


def test_the_first_run_opens_the_issue_and_announces(fake_github: FakeGitHub, slack: FakeSlack, repo: Path) -> None:
    code, out, err = notify(fake_github, slack, repo, FRIDAY)
    assert (code, err) == (0, NOT_PINNED)
    assert out == ("1 handoff within 24h\n"
                   "github: opened kestrel-eng/ops#1 and announced 1 handoff on kestrel-eng/ops#1: "
                   f"https://github.example/kestrel-eng/ops/issues/1#issuecomment-{fake_github.repo.issues[1].comments[0]['id']}\n"
                   "slack: announced 1 handoff in C00000001\n")
    issue = fake_github.repo.issues[1]
    assert (issue.title, issue.labels) == ("On-call handoffs", ["oncall-handoffs"])
    assert comments(fake_github) == [
        "**Handoffs in the next 1d** (as of 2026-11-27 10:00 UTC)\n\n" + CLEO + "\n\n"
        "_Posted by `opsrepo notify handoffs`; each shift is announced once._\n"]
    assert slack.channels["C00000001"].messages == [
        "*On-call handoffs coming up*\n• Cleo Park takes Core primary from Sat 28 Nov 09:00 CET until Sun 29 Nov "
        "09:00 CET, from Ana Silva"]
    state = json.loads((repo / "status" / "handoffs.json").read_text(encoding="utf-8"))
    assert state == {"kind": "handoffs", "github": {"core-primary cleo 2026-11-28T08:00Z": "2026-11-28T08:00:00+00:00"},
                     "slack": {"core-primary cleo 2026-11-28T08:00Z": "2026-11-28T08:00:00+00:00"}}


def test_nobody_is_reminded_twice(fake_github: FakeGitHub, slack: FakeSlack, repo: Path) -> None:
    assert notify(fake_github, slack, repo, FRIDAY)[0] == 0
    fake_github.clear_log()
    slack.log.clear()
    code, out, _ = notify(fake_github, slack, repo, "2026-11-27T11:00:00Z")  # the next hourly run
    assert (code, out) == (0, "1 handoff within 24h\ngithub: nothing new to announce\n"
                              "slack: nothing new to announce\n")
    assert (fake_github.log, slack.log) == ([], [])
    # the state file is lost (a cache evicted): the issue's comments still say what was announced
    (repo / "status" / "handoffs.json").unlink()
    code, out, _ = notify(fake_github, slack, repo, "2026-11-27T12:00:00Z")
    assert code == 0
    assert out.splitlines()[1] == "github: already announced on kestrel-eng/ops#1"
    assert fake_github.writes() == [] and len(comments(fake_github)) == 1


def test_shifts_entering_the_window_are_announced_later(fake_github: FakeGitHub, slack: FakeSlack,
                                                        repo: Path) -> None:
    assert notify(fake_github, slack, repo, FRIDAY)[0] == 0
    code, out, _ = notify(fake_github, slack, repo, "2026-11-29T09:00:00Z")  # Sunday: Monday's handoffs
    assert code == 0
    assert out.startswith("2 handoffs within 24h\ngithub: announced 2 handoffs on kestrel-eng/ops#1")
    assert comments(fake_github)[1].splitlines()[2:4] == [
        "- @ben-okafor takes Core primary from Mon 30 Nov 09:00 CET until Mon 07 Dec 09:00 CET, from Ana Silva "
        "<!-- opsrepo:handoff core-primary ben 2026-11-30T08:00Z -->",
        # dan's vacation starts on Monday 7 December: his turn ends at midnight
        "- @dan-wu takes Core secondary from Mon 30 Nov 09:00 CET until Mon 07 Dec 00:00 CET, from Eve Adams "
        "<!-- opsrepo:handoff core-secondary dan 2026-11-30T08:00Z -->"]
    assert slack.channels["C00000001"].messages[1].splitlines()[1] == (
        "• <@U00000001> takes Core primary from Mon 30 Nov 09:00 CET until Mon 07 Dec 09:00 CET, from Ana Silva")


def test_a_slack_failure_is_retried_alone(fake_github: FakeGitHub, slack: FakeSlack, repo: Path) -> None:
    slack.channels["C00000001"].member = False
    code, out, err = notify(fake_github, slack, repo, FRIDAY)
    assert code == 1
    assert "github: opened kestrel-eng/ops#1 and announced 1 handoff" in out
    assert err == (NOT_PINNED + "opsrepo: error: slack: Slack refused chat.postMessage: not_in_channel\n"
                   "  hint: invite the app to the channel (/invite @app)\n"
                   "opsrepo: error: 1 of the reminders could not be sent (above)\n"
                   "  hint: run again: what was sent is remembered and not sent twice\n")
    slack.channels["C00000001"].member = True
    fake_github.clear_log()
    code, out, _ = notify(fake_github, slack, repo, "2026-11-27T11:00:00Z")
    assert (code, out) == (0, "1 handoff within 24h\ngithub: nothing new to announce\n"
                              "slack: announced 1 handoff in C00000001\n")
    assert fake_github.log == [] and len(comments(fake_github)) == 1


def test_dry_run_and_usage(fake_github: FakeGitHub, slack: FakeSlack, repo: Path,
                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GITHUB_TOKEN")
    code, out, _ = notify(fake_github, slack, repo, FRIDAY, "--dry-run")
    assert code == 0 and out.endswith(CLEO + "\n\n_Posted by `opsrepo notify handoffs`; each shift is announced "
                                             "once._\n")
    assert notify(fake_github, slack, repo, FRIDAY, "--within", "0m")[1:] == (
        "", "opsrepo: error: --within 0m is out of range\n  hint: give a duration from 1m to 14d, e.g. 24h\n")
    assert notify(fake_github, slack, repo, FRIDAY, "--within", "a day")[0] == 2
    code, _, err = notify(fake_github, slack, repo, FRIDAY, "--no-slack")
    assert code == 1
    assert err.startswith("opsrepo: error: github: GITHUB_TOKEN is not set\n")
