"""``opsrepo pr comment`` against the fake GitHub server: one sticky comment, created once, then updated."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from opsrepo.cli.main import cli
from opsrepo.github.pr_comment import MARKER, READ_ONLY_NOTE
from tests.fakegithub import FakeGitHub, Fault
from tests.fakegithub.comments import ReadOnlyToken, comments, open_pull_request
from tests.unit.diff.gitrepo import Scratch, minimal_scratch

pytest_plugins = ["tests.fakegithub.fixtures"]

NOW = "2026-11-23T09:00:00Z"
DEV = "  - {id: dev, name: Dev Patel, timezone: America/New_York, country: US, github: dev-patel}\n"


@pytest.fixture
def scratch(tmp_path: Path) -> Scratch:
    """A repo whose working tree adds Dev to the weekly rotation (base: HEAD)."""
    scratch = minimal_scratch(tmp_path / "ops")
    scratch.replace("teams/core.yaml", "members: [ana, ben, cleo]", DEV + "members: [ana, ben, cleo, dev]")
    scratch.replace("schedules/core-primary.yaml", "[ana, ben, cleo]", "[ana, ben, cleo, dev]")
    return scratch


def comment(fake: FakeGitHub, scratch: Scratch, *args: str, env: dict[str, str] | None = None,
            ) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["pr", "comment", "--repo", str(scratch.root), "--base-url", fake.url, *args],
                                env={"OPSREPO_NOW": NOW, "GITHUB_EVENT_PATH": "", "GITHUB_REPOSITORY": "",
                                     "GITHUB_STEP_SUMMARY": "", "GITHUB_API_URL": "", **(env or {})})
    return result.exit_code, result.stdout, result.stderr


def test_the_comment_is_created_once_then_updated(fake_github: FakeGitHub, scratch: Scratch) -> None:
    number = open_pull_request(fake_github)
    args = ("--pr", str(number), "--repo-name", "kestrel-eng/ops", "--base", "HEAD")
    code, out, err = comment(fake_github, scratch, *args)
    assert (code, err) == (0, "")
    [body] = comments(fake_github, number)
    ident = fake_github.repo.issues[number].comments[0]["id"]
    url = f"https://github.example/kestrel-eng/ops/issues/{number}#issuecomment-{ident}"
    assert out == f"created the preview comment on kestrel-eng/ops#{number}: {url}\n"
    assert body == comment(fake_github, scratch, *args, "--dry-run")[1]  # posted as previewed, marker included
    assert body.startswith(f"{MARKER}\n### On-call preview\n\nComparing `HEAD (")
    assert f"with `pull request #{number}`" in body
    assert "| Mon 2026-11-30 09:00 CET ⚠️ | Mon 2026-12-07 09:00 CET | Cleo Park | Dev Patel |" in body
    assert body.endswith("\n\ncc @ana-silva, @ben-okafor, @cleo-park, @dev-patel: your on-call turns change "
                         "with this pull request; please review.\n")

    fake_github.clear_log()
    assert comment(fake_github, scratch, *args) == (
        0, f"the preview comment on kestrel-eng/ops#{number} is up to date: {url}\n", "")
    assert fake_github.writes() == []

    scratch.replace("schedules/core-primary.yaml", "[ana, ben, cleo, dev]", "[ana, ben, dev, cleo]")
    assert comment(fake_github, scratch, *args) == (
        0, f"updated the preview comment on kestrel-eng/ops#{number}: {url}\n", "")
    [updated] = comments(fake_github, number)
    assert updated != body
    assert updated == comment(fake_github, scratch, *args, "--dry-run")[1]
    assert [(r.method, r.path) for r in fake_github.writes()] == [
        ("PATCH", f"/repos/kestrel-eng/ops/issues/comments/{ident}")]


def test_pull_request_and_base_come_from_the_actions_event(fake_github: FakeGitHub, scratch: Scratch,
                                                           tmp_path: Path) -> None:
    number = open_pull_request(fake_github)
    base = scratch.git("rev-parse", "HEAD")
    event = tmp_path / "event.json"
    event.write_text(json.dumps({"pull_request": {"number": number, "base": {"sha": base}},
                                 "repository": {"full_name": "kestrel-eng/ops"}}), encoding="utf-8")
    code, out, _ = comment(fake_github, scratch, env={"GITHUB_EVENT_PATH": str(event),
                                                      "GITHUB_REPOSITORY": "kestrel-eng/ops"})
    assert code == 0
    assert out.startswith(f"created the preview comment on kestrel-eng/ops#{number}: ")
    [body] = comments(fake_github, number)
    assert f"Comparing `{base[:7]}` with `pull request #{number}`" in body


def test_a_read_only_token_writes_the_job_summary(fake_github: FakeGitHub, scratch: Scratch, tmp_path: Path) -> None:
    number = open_pull_request(fake_github)
    fake_github.inject(ReadOnlyToken())  # a pull request from a fork
    summary = tmp_path / "summary.md"
    summary.write_text("earlier steps\n", encoding="utf-8")
    code, out, err = comment(fake_github, scratch, "--pr", str(number), "--repo-name", "kestrel-eng/ops",
                             "--base", "HEAD", env={"GITHUB_STEP_SUMMARY": str(summary)})
    assert (code, err) == (0, "")
    assert out == (f"the token cannot comment on kestrel-eng/ops#{number} (a pull request from a fork?): "
                   "the preview is in the job summary\n")
    preview = comment(fake_github, scratch, "--pr", str(number), "--repo-name", "kestrel-eng/ops", "--base", "HEAD",
                      "--dry-run")[1].removeprefix(f"{MARKER}\n")
    assert summary.read_text(encoding="utf-8") == "earlier steps\n" + READ_ONLY_NOTE + preview
    assert preview.endswith("\n\ncc @ana-silva, @ben-okafor, @cleo-park, @dev-patel: your on-call turns change "
                            "with this pull request; please review.\n")
    assert comments(fake_github, number) == []
    assert [(r.method, r.path, r.status) for r in fake_github.log] == [
        ("GET", f"/repos/kestrel-eng/ops/issues/{number}/comments", 200),
        ("POST", f"/repos/kestrel-eng/ops/issues/{number}/comments", 403)]


def test_a_read_only_token_outside_actions_is_an_error(fake_github: FakeGitHub, scratch: Scratch) -> None:
    number = open_pull_request(fake_github)
    fake_github.inject(ReadOnlyToken())
    code, out, err = comment(fake_github, scratch, "--pr", str(number), "--repo-name", "kestrel-eng/ops",
                             "--base", "HEAD")
    assert (code, out) == (1, "")
    assert err == (f"opsrepo: error: cannot comment on kestrel-eng/ops#{number}: GitHub refused POST "
                   f"/repos/kestrel-eng/ops/issues/{number}/comments: 403 Resource not accessible by integration\n"
                   "  hint: the workflow needs 'permissions: pull-requests: write'\n")


def test_the_summary_gets_the_preview_too(fake_github: FakeGitHub, scratch: Scratch, tmp_path: Path) -> None:
    number = open_pull_request(fake_github)
    summary = tmp_path / "summary.md"
    comment(fake_github, scratch, "--pr", str(number), "--repo-name", "kestrel-eng/ops", "--base", "HEAD",
            env={"GITHUB_STEP_SUMMARY": str(summary)})
    [body] = comments(fake_github, number)
    assert summary.read_text(encoding="utf-8") == body.removeprefix(f"{MARKER}\n")


def test_nothing_to_preview_writes_no_comment(fake_github: FakeGitHub, tmp_path: Path) -> None:
    scratch = minimal_scratch(tmp_path / "ops")
    number = open_pull_request(fake_github)
    code, out, _ = comment(fake_github, scratch, "--pr", str(number), "--repo-name", "kestrel-eng/ops",
                           "--base", "HEAD")
    assert (code, out) == (0, f"nothing to preview on kestrel-eng/ops#{number}: no comment written\n")
    assert fake_github.writes() == []


def test_an_earlier_preview_is_updated_when_nothing_changes_any_more(fake_github: FakeGitHub,
                                                                     scratch: Scratch) -> None:
    number = open_pull_request(fake_github)
    args = ("--pr", str(number), "--repo-name", "kestrel-eng/ops", "--base", "HEAD")
    comment(fake_github, scratch, *args)
    scratch.git("checkout", "--", ".")  # the pull request drops its change
    code, out, _ = comment(fake_github, scratch, *args)
    assert code == 0 and out.startswith(f"updated the preview comment on kestrel-eng/ops#{number}")
    [body] = comments(fake_github, number)
    assert body == (f"{MARKER}\n### On-call preview\n\n"
                    f"Comparing `HEAD ({scratch.git('rev-parse', '--short=7', 'HEAD')})` with `pull request #{number}`, "
                    "Mon 2026-11-23 10:00 CET to Fri 2027-01-22 10:00 CET (60 days).\n\n"
                    "No change to who is on call, escalation chains, severity levels, action items or alert "
                    "rules.\n")


def test_other_comments_are_left_alone(fake_github: FakeGitHub, scratch: Scratch) -> None:
    number = open_pull_request(fake_github)
    fake_github.repo.add_comment(number, f"LGTM. (quoting: {MARKER})", fake_github.clock.now(), "alice-moreau")
    comment(fake_github, scratch, "--pr", str(number), "--repo-name", "kestrel-eng/ops", "--base", "HEAD")
    found = comments(fake_github, number)
    assert len(found) == 2 and found[0] == f"LGTM. (quoting: {MARKER})" and found[1].startswith(MARKER)


def test_a_lost_answer_does_not_duplicate_the_comment(fake_github: FakeGitHub, scratch: Scratch) -> None:
    number = open_pull_request(fake_github)
    fake_github.inject(Fault("drop", method="POST", path="/comments$", before=False))  # created, answer lost
    code, out, err = comment(fake_github, scratch, "--pr", str(number), "--repo-name", "kestrel-eng/ops",
                             "--base", "HEAD")
    assert (code, err) == (0, "")
    assert out.startswith(f"created the preview comment on kestrel-eng/ops#{number}")
    assert len(comments(fake_github, number)) == 1


def test_dry_run_prints_the_comment(fake_github: FakeGitHub, scratch: Scratch) -> None:
    code, out, _ = comment(fake_github, scratch, "--base", "HEAD", "--dry-run")
    assert code == 0
    assert out.startswith(f"{MARKER}\n### On-call preview\n")
    assert fake_github.log == []


@pytest.mark.parametrize(("args", "env", "error"), [
    (["--pr", "7", "--repo-name", "kestrel-eng/ops"], {},
     "opsrepo: error: no base revision to compare with\n  hint: pass --base REV (e.g. origin/main)\n"),
    (["--base", "HEAD"], {},
     "opsrepo: error: which pull request?\n  hint: pass --pr N and --repo-name owner/name, or run in a "
     "pull_request workflow\n"),
    (["--pr", "7", "--repo-name", "not a repo", "--base", "HEAD"], {},
     "opsrepo: error: 'not a repo' is not a GitHub repository name\n"
     "  hint: write it as owner/name, e.g. kestrel-eng/ops\n"),
])
def test_usage_errors(fake_github: FakeGitHub, scratch: Scratch, args: list[str], env: dict[str, str],
                      error: str) -> None:
    assert comment(fake_github, scratch, *args, env=env) == (2, "", error)


def test_a_missing_token(fake_github: FakeGitHub, scratch: Scratch, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GITHUB_TOKEN")
    code, _, err = comment(fake_github, scratch, "--pr", "7", "--repo-name", "kestrel-eng/ops", "--base", "HEAD")
    assert code == 1
    assert err == ("opsrepo: error: GITHUB_TOKEN is not set\n  hint: export GITHUB_TOKEN with a token that may "
                   "comment on pull requests (in a workflow: permissions: pull-requests: write)\n")


def test_the_pull_requests_own_opsrepo_yaml_never_chooses_where_the_token_goes(
        fake_github: FakeGitHub, scratch: Scratch) -> None:
    """A pull request sets github.base_url to its own server: the token still goes to $GITHUB_API_URL only."""
    import http.server
    import threading

    heard: list[str] = []

    class Evil(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            heard.append(f"{self.path} {self.headers.get('Authorization')}")
            self.send_response(200)
            self.end_headers()

        do_POST = do_PATCH = do_GET

        def log_message(self, *args: object) -> None:
            pass

    evil = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Evil)
    threading.Thread(target=evil.serve_forever, daemon=True).start()
    try:
        org = (scratch.root / "opsrepo.yaml").read_text(encoding="utf-8")
        (scratch.root / "opsrepo.yaml").write_text(
            org + f"github: {{base_url: 'http://127.0.0.1:{evil.server_address[1]}'}}\n", encoding="utf-8")
        number = open_pull_request(fake_github)
        result = CliRunner().invoke(cli, ["pr", "comment", "--repo", str(scratch.root), "--pr", str(number),
                                          "--repo-name", "kestrel-eng/ops", "--base", "HEAD"],
                                    env={"OPSREPO_NOW": NOW, "GITHUB_EVENT_PATH": "", "GITHUB_REPOSITORY": "",
                                         "GITHUB_STEP_SUMMARY": "", "GITHUB_API_URL": fake_github.url})
    finally:
        evil.shutdown()
        evil.server_close()
    assert heard == []
    assert result.exit_code == 0, result.stderr
    assert "github.base_url in opsrepo.yaml is not read" in result.stderr
    assert len(comments(fake_github, number)) == 1


def _saved(fake: FakeGitHub, scratch: Scratch, tmp_path: Path, head: str) -> tuple[int, Path]:
    """The preview job: run on the pull request's event with no token, save the preview."""
    number = open_pull_request(fake, head=head)
    base = scratch.git("rev-parse", "HEAD")
    event = tmp_path / "event.json"
    event.write_text(json.dumps({"pull_request": {"number": number, "base": {"sha": base}, "head": {"sha": head}},
                                 "repository": {"full_name": "kestrel-eng/ops"}}), encoding="utf-8")
    saved = tmp_path / "preview" / "preview.json"
    result = CliRunner().invoke(cli, ["pr", "comment", "--repo", str(scratch.root), "--save", str(saved)],
                                env={"OPSREPO_NOW": NOW, "GITHUB_EVENT_PATH": str(event), "GITHUB_TOKEN": "",
                                     "GITHUB_REPOSITORY": "kestrel-eng/ops", "GITHUB_STEP_SUMMARY": ""})
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout == f"saved the preview of kestrel-eng/ops#{number} to {saved}\n"
    assert fake.requests() == []  # the job that runs the pull request's code talks to nobody
    return number, saved


def post_saved(fake: FakeGitHub, saved: Path, head: str) -> tuple[int, str, str]:
    """The workflow_run job: post the saved preview, no repo read."""
    result = CliRunner().invoke(cli, ["pr", "comment", "--from", str(saved), "--head-sha", head],
                                env={"OPSREPO_NOW": NOW, "GITHUB_REPOSITORY": "kestrel-eng/ops",
                                     "GITHUB_API_URL": fake.url, "GITHUB_STEP_SUMMARY": ""})
    return result.exit_code, result.stdout, result.stderr


def test_the_preview_job_saves_and_the_comment_job_posts(fake_github: FakeGitHub, scratch: Scratch,
                                                         tmp_path: Path) -> None:
    head = "c" * 40
    number, saved = _saved(fake_github, scratch, tmp_path, head)
    code, out, err = post_saved(fake_github, saved, head)
    assert (code, err) == (0, "")
    assert out.startswith(f"created the preview comment on kestrel-eng/ops#{number}: ")
    [body] = comments(fake_github, number)
    assert body.startswith(f"{MARKER}\n### On-call preview\n")
    assert post_saved(fake_github, saved, head)[1].startswith(f"the preview comment on kestrel-eng/ops#{number} "
                                                              "is up to date")


def test_a_forged_pull_request_number_is_refused(fake_github: FakeGitHub, scratch: Scratch, tmp_path: Path) -> None:
    """The pull request's job writes another pull request's number: GitHub says that one is elsewhere."""
    victim = open_pull_request(fake_github, "Someone else's change", head="d" * 40)
    head = "c" * 40
    _, saved = _saved(fake_github, scratch, tmp_path, head)
    data = json.loads(saved.read_text(encoding="utf-8"))
    saved.write_text(json.dumps({**data, "number": victim}), encoding="utf-8")
    code, out, err = post_saved(fake_github, saved, head)
    assert (code, out) == (1, "")
    assert err == (f"opsrepo: error: pull request #{victim} is at dddddddddddd, not at cccccccccccc, the commit "
                   "the preview ran on: not commenting\n"
                   "  hint: a newer push runs the preview again; a forged number is refused\n")
    assert comments(fake_github, victim) == []
    assert fake_github.writes() == []


@pytest.mark.parametrize(("content", "error"), [
    ("not json", "cannot read the saved preview"),
    ('{"number": "1", "head_sha": "' + "c" * 40 + '", "markdown": "x", "changed": true}', "names no pull request"),
    ('{"number": 1, "head_sha": "HEAD", "markdown": "x", "changed": true}', "names no head commit"),
    ('{"number": 1, "head_sha": "' + "c" * 40 + '", "markdown": "' + "x" * 70000 + '", "changed": true}',
     "more than GitHub takes"),
])
def test_a_saved_preview_is_data_checked_before_use(fake_github: FakeGitHub, tmp_path: Path, content: str,
                                                    error: str) -> None:
    saved = tmp_path / "preview.json"
    saved.write_text(content, encoding="utf-8")
    code, _, err = post_saved(fake_github, saved, "c" * 40)
    assert code == 1 and error in err
    assert fake_github.requests() == []
