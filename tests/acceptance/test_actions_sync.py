"""``opsrepo actions sync`` end to end: the CLI, PyGithub and the fake GitHub over real HTTP."""

from __future__ import annotations

import logging
from datetime import date
from pathlib import Path

import pytest

from opsrepo.actions.body import parse_marker
from tests.fakegithub import TOKEN, FakeGitHub
from tests.fakegithub.cli import actions, by_key, status_file
from tests.fakegithub.opsrepos import ASSIGNABLE, ten_items, write_postmortem

pytest_plugins = ["tests.fakegithub.fixtures"]

API = "2026-10-01-api-outage"
DB = "2026-10-20-db-failover"
WARNINGS = (
    "opsrepo: warning: 2026-10-01-api-outage/item-3: not assigned: cleo has no GitHub login (add 'github:' to "
    "them in teams/core.yaml)\n"
    "opsrepo: warning: 2026-10-20-db-failover/item-6: not assigned: GitHub cannot assign dan-wu (dan) in "
    "kestrel-eng/ops: they need access to it\n")


@pytest.fixture
def fake(fake_github: FakeGitHub) -> FakeGitHub:
    fake_github.repo.assignable = set(ASSIGNABLE)
    return fake_github


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return ten_items(tmp_path / "ops")


def items_of(root: Path) -> list[dict[str, object]]:
    import yaml

    fronts = []
    for name in (API, DB):
        text = (root / "postmortems" / f"{name}.md").read_text(encoding="utf-8")
        fronts.append(yaml.safe_load(text.split("---\n")[1]))
    return fronts


def edit(root: Path, pm: str, item_id: str, **changes: object) -> None:
    for front in items_of(root):
        if front["id"] == pm:
            for entry in front["action_items"]:  # type: ignore[union-attr]
                if entry["id"] == item_id:
                    entry.update(changes)
            write_postmortem(root, front)


def test_first_sync_creates_exactly_one_issue_per_item_with_its_fields(fake: FakeGitHub, root: Path) -> None:
    result = actions(fake, root, "sync")
    assert result.exit_code == 0, result.output
    assert result.stdout == f"""\
Synced kestrel-eng/ops (label postmortem-action): 10 created
  create  {API}/item-0: Do item-0 (assignee ana-silva, due 2026-12-01)
  create  {API}/item-1: Do item-1 (assignee ben-okafor, due 2026-12-02)
  create  {API}/item-2: Do item-2 (assignee ana-silva, due 2026-12-03)
  create  {API}/item-3: Do item-3 (assignee unassigned, due 2026-12-04)
  create  {API}/item-4: Do item-4 (assignee ben-okafor, due 2026-12-05)
  create  {API}/item-5: Do item-5 (assignee ana-silva, due 2026-12-06)
  create  {DB}/item-6: Do item-6 (assignee unassigned, due 2026-12-07)
  create  {DB}/item-7: Do item-7 (assignee ben-okafor, due 2026-12-08)
  create  {DB}/item-8: Do item-8 (assignee ana-silva, due 2026-12-09)
  create  {DB}/item-9: Do item-9 (assignee ben-okafor, due 2026-12-10)
Labels created: kind:detect, kind:mitigate, kind:prevent, kind:process, needs-owner, postmortem-action, \
priority:high, priority:low, severity:SEV1, severity:SEV2
Milestones created: Due 2026-12-01, Due 2026-12-02, Due 2026-12-03, Due 2026-12-04, Due 2026-12-05, \
Due 2026-12-06, Due 2026-12-07, Due 2026-12-08, Due 2026-12-09, Due 2026-12-10
49 requests to GitHub, 30 writes
"""
    assert result.stderr == WARNINGS
    issues = by_key(fake)
    assert len(issues) == len(fake.repo.issues) == 10
    first = issues[(API, "item-0")]
    assert (first.title, first.state, first.assignees) == ("Do item-0", "open", ["ana-silva"])
    assert first.labels == ["postmortem-action", "priority:high", "kind:prevent", "severity:SEV1"]
    assert fake.repo.milestones[first.milestone]["title"] == "Due 2026-12-01"
    assert fake.repo.due_dates()["Due 2026-12-01"] == date(2026, 12, 1)
    assert "- **Due:** 2026-12-01\n- **Owner:** Ana Silva (`ana-silva`)\n" in first.body
    assert "[on the site](https://ops.example/postmortems/2026-10-01-api-outage.html)" in first.body
    unassigned = issues[(DB, "item-6")]
    assert unassigned.assignees == []
    assert unassigned.labels == ["postmortem-action", "priority:high", "kind:mitigate", "severity:SEV2",
                                 "needs-owner"]
    colours = {label["name"]: label["color"] for label in fake.repo.labels.values()}
    assert colours["priority:high"] == "d93f0b" and colours["needs-owner"] == "e99695"


def test_first_sync_writes_the_status_file(fake: FakeGitHub, root: Path) -> None:
    actions(fake, root, "sync")
    document = status_file(root)
    assert (document["generated_at"], document["repo"]) == ("2026-11-23T09:00:00Z", "kestrel-eng/ops")
    assert len(document["items"]) == 10
    assert document["items"][0] == {
        "postmortem": API, "item": "item-0", "issue": 1, "url": "https://github.example/kestrel-eng/ops/issues/1",
        "state": "open", "assignee": "ana-silva", "closed_at": None, "due": "2026-12-01", "owner": "ana"}


def test_second_sync_makes_no_write_requests(fake: FakeGitHub, root: Path) -> None:
    actions(fake, root, "sync")
    fake.clear_log()
    result = actions(fake, root, "sync")
    assert result.exit_code == 0
    assert fake.writes() == []
    assert [(r.method, r.path) for r in fake.log] == [
        ("GET", "/repos/kestrel-eng/ops"), ("GET", "/repos/kestrel-eng/ops/issues"),
        ("GET", "/repos/kestrel-eng/ops/assignees/dan-wu")]  # asked again: access may have been granted
    assert result.stdout == ("Synced kestrel-eng/ops (label postmortem-action): 10 unchanged\n"
                             "3 requests to GitHub, no writes\n")


def test_changed_title_owner_and_due_date_update_the_issue(fake: FakeGitHub, root: Path) -> None:
    actions(fake, root, "sync")
    edit(root, API, "item-0", title="Canary every config change")
    edit(root, API, "item-1", owner="ana")
    edit(root, API, "item-2", due="2026-12-24")
    fake.clear_log()
    result = actions(fake, root, "sync")
    assert result.stdout == f"""\
Synced kestrel-eng/ops (label postmortem-action): 3 updated, 7 unchanged
  update  #1 {API}/item-0: title
  update  #2 {API}/item-1: body, assignees
  update  #3 {API}/item-2: body, milestone
Milestones created: Due 2026-12-24
9 requests to GitHub, 4 writes
"""
    patches = {r.path.rsplit("/", 1)[1]: r.body for r in fake.requests("PATCH")}
    assert patches["1"] == {"title": "Canary every config change"}
    assert patches["2"]["assignees"] == ["ana-silva"] and set(patches["2"]) == {"body", "assignees"}
    assert set(patches["3"]) == {"body", "milestone"}
    issues = by_key(fake)
    assert issues[(API, "item-0")].title == "Canary every config change"
    assert issues[(API, "item-1")].assignees == ["ana-silva"]
    assert fake.repo.milestones[issues[(API, "item-2")].milestone]["title"] == "Due 2026-12-24"
    assert "- **Due:** 2026-12-24\n" in issues[(API, "item-2")].body
    fake.clear_log()
    actions(fake, root, "sync")
    assert fake.writes() == []


def test_an_issue_a_person_closed_is_never_reopened(fake: FakeGitHub, root: Path) -> None:
    actions(fake, root, "sync")
    fake.repo.edit_issue(1, {"state": "closed"}, fake.clock.now())
    edit(root, API, "item-0", title="Renamed after closing", due="2027-01-15", owner="ben")
    fake.clear_log()
    result = actions(fake, root, "sync")
    assert result.stdout.startswith("Synced kestrel-eng/ops (label postmortem-action): 9 unchanged, "
                                    "1 closed (left alone)\n")
    assert fake.writes() == []
    closed = fake.repo.issues[1]
    assert (closed.state, closed.title) == ("closed", "Do item-0")
    assert status_file(root)["items"][0]["state"] == "closed"
    assert status_file(root)["items"][0]["closed_at"] == "2026-11-23T09:00:00Z"


def test_a_removed_item_is_labelled_and_commented_once_never_closed(fake: FakeGitHub, root: Path) -> None:
    actions(fake, root, "sync")
    original = items_of(root)[0]
    write_postmortem(root, {**original, "action_items": original["action_items"][:5]})  # type: ignore[index]
    result = actions(fake, root, "sync")
    assert f"  removed #6 {API}/item-5: comment, then label removed-from-postmortem\n" in result.stdout
    gone = fake.repo.issues[6]
    assert gone.state == "open"
    assert gone.labels[-1] == "removed-from-postmortem"
    assert [c["body"].splitlines()[0] for c in gone.comments] == ["<!-- opsrepo:removed -->"]
    assert "postmortems/2026-10-01-api-outage.md" in gone.comments[0]["body"]
    assert [i["item"] for i in status_file(root)["items"]].count("item-5") == 0
    fake.clear_log()
    actions(fake, root, "sync")
    assert fake.writes() == []
    write_postmortem(root, original)
    result = actions(fake, root, "sync")
    assert f"  update  #6 {API}/item-5: labels\n" in result.stdout
    assert "removed-from-postmortem" not in fake.repo.issues[6].labels


def test_an_owner_github_cannot_assign_is_labelled_and_healed_once_granted(fake: FakeGitHub, root: Path) -> None:
    result = actions(fake, root, "sync")
    assert "GitHub cannot assign dan-wu (dan)" in result.stderr
    fake.repo.assignable.add("dan-wu")
    result = actions(fake, root, "sync")
    assert f"  update  #7 {DB}/item-6: body, labels, assignees\n" in result.stdout
    healed = by_key(fake)[(DB, "item-6")]
    assert healed.assignees == ["dan-wu"]
    assert "needs-owner" not in healed.labels
    assert result.stderr == WARNINGS.splitlines(keepends=True)[0]


def test_dry_run_prints_the_plan_and_writes_nothing(fake: FakeGitHub, root: Path) -> None:
    actions(fake, root, "sync")
    (root / "status" / "actions.json").unlink()
    edit(root, DB, "item-9", title="Changed")
    fake.clear_log()
    result = actions(fake, root, "sync", "--dry-run")
    assert result.exit_code == 0
    assert result.stdout == f"""\
Plan for kestrel-eng/ops (label postmortem-action): 1 to update, 9 unchanged
  update  #10 {DB}/item-9: title
3 requests to GitHub, no writes (dry run)
"""
    assert fake.writes() == []
    assert not (root / "status" / "actions.json").exists()


def test_json_output(fake: FakeGitHub, root: Path) -> None:
    import json

    actions(fake, root, "sync")
    edit(root, DB, "item-9", title="Changed")
    document = json.loads(actions(fake, root, "sync", "--format", "json").stdout)
    assert document["summary"] == {"create": 0, "update": 1, "unchanged": 9, "closed": 0, "removed": 0, "duplicate": 0,
                                   "attention": 0}
    assert document["steps"][-1] == {"action": "update", "postmortem": DB, "item": "item-9", "issue": 10,
                                     "url": "https://github.example/kestrel-eng/ops/issues/10",
                                     "changes": ["title"], "note": None}
    assert document["requests"] == {"total": 4, "writes": 1}
    assert [w["item"] for w in document["warnings"]] == ["item-3", "item-6"]


def test_a_label_a_person_removed_is_restored_without_a_duplicate(fake: FakeGitHub, root: Path) -> None:
    actions(fake, root, "sync")
    fake.repo.edit_issue(4, {"labels": ["priority:high", "team:core"]}, fake.clock.now())
    result = actions(fake, root, "sync")
    assert f"  update  #4 {API}/item-3: labels\n" in result.stdout
    assert len(fake.repo.issues) == 10
    assert fake.repo.issues[4].labels == ["team:core", "postmortem-action", "priority:low", "kind:process",
                                          "severity:SEV1", "needs-owner"]


def test_what_people_change_on_github_is_put_back_but_their_labels_stay(fake: FakeGitHub, root: Path) -> None:
    actions(fake, root, "sync")
    fake.repo.edit_issue(2, {"title": "Edited on GitHub", "labels": ["postmortem-action", "priority:low",
                                                                    "kind:detect", "severity:SEV1", "bug"],
                             "assignees": ["ana-silva"]}, fake.clock.now())
    result = actions(fake, root, "sync")
    assert f"  update  #2 {API}/item-1: title, assignees\n" in result.stdout
    issue = fake.repo.issues[2]
    assert (issue.title, issue.assignees) == ("Do item-1", ["ben-okafor"])
    assert "bug" in issue.labels


def test_repo_name_option_and_the_api_root_from_the_runner_never_opsrepo_yaml(fake: FakeGitHub, root: Path) -> None:
    """opsrepo.yaml's github.base_url is a file a pull request can change: the token never goes there."""
    config = root / "opsrepo.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "repo: kestrel-eng/ops", "repo: someone/else\n  base_url: https://evil.example/api/v3"), encoding="utf-8")
    from click.testing import CliRunner

    from opsrepo.cli.main import cli

    result = CliRunner().invoke(cli, ["actions", "sync", "--repo", str(root), "--repo-name", "kestrel-eng/ops"],
                                env={"OPSREPO_NOW": "2026-11-23T09:00:00Z", "GITHUB_API_URL": fake.url})
    assert result.exit_code == 0, result.output
    assert len(fake.repo.issues) == 10
    assert result.stderr.startswith("opsrepo: note: github.base_url in opsrepo.yaml is not read")


@pytest.mark.parametrize(("env", "args", "code", "message"), [
    ({"GITHUB_TOKEN": ""}, [], 1,
     "opsrepo: error: GITHUB_TOKEN is not set\n  hint: export GITHUB_TOKEN with a token that can read and write "
     "issues of kestrel-eng/ops (in a workflow: GITHUB_TOKEN: ${{ secrets.GITHUB_TOKEN }} and permissions: "
     "issues: write)\n"),
    ({}, ["--repo-name", "ops"], 2,
     "opsrepo: error: 'ops' is not a GitHub repository name\n  hint: write it as owner/name, e.g. "
     "kestrel-eng/ops\n"),
    ({}, ["--repo-name", "kestrel-eng/missing"], 1,
     "opsrepo: error: GitHub repository kestrel-eng/missing not found, or the token cannot see it\n"
     "  hint: check github.repo in opsrepo.yaml (or --repo-name), --base-url, and the token's access\n"),
    ({"GITHUB_TOKEN": "ghp_revoked"}, [], 1,
     "opsrepo: error: GitHub rejected the token (401 Bad credentials)\n"
     "  hint: check GITHUB_TOKEN: it may be mistyped, expired or revoked\n"),
    ({}, ["--max-wait", "soon"], 2,
     "opsrepo: error: --max-wait: 'soon' is not a duration; write e.g. 90s, 15m, 12h, 1d, 1w or 1h30m\n"),
])
def test_failures_exit_with_what_to_do(fake: FakeGitHub, root: Path, env: dict[str, str], args: list[str],
                                       code: int, message: str) -> None:
    result = actions(fake, root, "sync", *args, env=env)
    assert (result.exit_code, result.stderr) == (code, message)
    assert TOKEN not in result.output and "ghp_revoked" not in result.output


def test_no_repository_configured(fake: FakeGitHub, root: Path) -> None:
    config = root / "opsrepo.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace("github:\n  repo: kestrel-eng/ops\n", ""),
                      encoding="utf-8")
    result = actions(fake, root, "sync")
    assert (result.exit_code, result.stderr) == (1, "opsrepo: error: no GitHub repository for the action items\n"
                                                    "  hint: set github.repo in opsrepo.yaml, or pass --repo-name "
                                                    "owner/name\n")


def test_a_broken_team_file_stops_the_sync_before_any_request(fake: FakeGitHub, root: Path) -> None:
    (root / "teams" / "core.yaml").write_text("id: core\nname: [unclosed\n", encoding="utf-8")
    result = actions(fake, root, "sync")
    assert (result.exit_code, result.stderr) == (
        1, "opsrepo: error: the ops repo does not load cleanly (person, team files have errors)\n"
           "  hint: run 'opsrepo validate' and fix the errors, then sync again\n")
    assert fake.log == []


def test_a_broken_postmortem_holds_back_only_its_own_issues(fake: FakeGitHub, root: Path) -> None:
    actions(fake, root, "sync")
    (root / "postmortems" / f"{DB}.md").write_text("---\nid: [\n---\n", encoding="utf-8")
    fake.clear_log()
    result = actions(fake, root, "sync")
    assert result.exit_code == 0
    assert result.stdout.startswith("Synced kestrel-eng/ops (label postmortem-action): 6 unchanged, "
                                    "4 need attention\n")
    assert f"  attention #7 {DB}/item-6: post-mortem {DB} failed to load: its issue is left alone until it " \
           "loads\n" in result.stdout
    assert fake.writes() == []


def test_the_token_never_appears_even_in_a_debug_traceback(fake: FakeGitHub, root: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    from opsrepo.actions import flows
    from opsrepo.cli.main import main

    def explode(*args: object, **kwargs: object) -> None:
        raise ValueError(f"header value {TOKEN!r} is invalid")

    monkeypatch.setattr(flows, "sync", explode)
    monkeypatch.setenv("OPSREPO_NOW", "2026-11-23T09:00:00Z")
    import contextlib
    import io

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err), pytest.raises(SystemExit) as caught:
        main(["--debug", "actions", "sync", "--repo", str(root), "--base-url", fake.url])
    assert caught.value.code == 1
    assert TOKEN not in out.getvalue() + err.getvalue()
    assert "RuntimeError: ValueError: header value '***' is invalid" in err.getvalue()


def test_issues_without_marker_and_pull_requests_are_ignored(fake: FakeGitHub, root: Path) -> None:
    fake.repo.create_issue({"title": "Someone's issue", "body": "no marker", "labels": ["postmortem-action"]},
                           fake.clock.now())
    actions(fake, root, "sync")
    assert len(fake.repo.issues) == 11
    assert [parse_marker(i.body) is None for i in fake.repo.issues.values()].count(True) == 1


def test_the_token_never_reaches_the_logs_even_at_debug_level(fake: FakeGitHub, root: Path,
                                                             caplog: pytest.LogCaptureFixture) -> None:
    from tests.fakegithub import Fault

    fake.inject(Fault("status", status=502, method="POST", path="/issues$"))  # a retry and its log lines too
    with caplog.at_level(logging.DEBUG), caplog.at_level(logging.DEBUG, logger="github"):  # PyGithub's says INFO
        result = actions(fake, root, "sync")
    assert result.exit_code == 0, result.output
    requests = [r for r in caplog.records if r.name.startswith("github")]
    assert len(requests) >= len(fake.log) > 10  # PyGithub logged every request it sent, headers included
    assert "'Authorization': 'token (oauth token removed)'" in requests[0].getMessage()
    assert TOKEN not in caplog.text and TOKEN not in result.output
    assert all(TOKEN not in str(r.headers) for r in fake.log)
