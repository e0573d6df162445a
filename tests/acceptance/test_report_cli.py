"""``opsrepo report`` end to end: options, periods, formats, exit codes and messages."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

from click.testing import CliRunner

from opsrepo.cli.main import cli
from tests.golden.report.regen import HERE as GOLDEN
from tests.helpers import FIXTURES

FOUR = FIXTURES / "repos" / "report-four"
#: no $TZ: text shows times in the org's zone
ENV: dict[str, str | None] = {"OPSREPO_NOW": "2026-11-23T09:00:00Z", "TZ": None}


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["report", *args], env=ENV)
    return result.exit_code, result.stdout, result.stderr


def as_json(*args: str) -> dict:  # type: ignore[type-arg]
    code, out, err = invoke("--repo", str(FOUR), "--format", "json", *args)
    assert (code, err) == (0, "")
    document: dict = json.loads(out)  # type: ignore[type-arg]
    return document


def test_markdown_headline() -> None:
    code, out, err = invoke("--repo", str(FOUR), "--format", "md")
    assert (code, err) == (0, "")
    assert out.split("## Incidents")[0] == (
        "# Reliability review: Test\n\n"
        "Period: 2025-12-01 to 2026-11-23 (Europe/Berlin). Generated Mon 2026-11-23 10:00 CET.\n\n"
        "- Incidents: 4 (3 in the last 3 complete months, 0 in the 3 before)\n"
        "- Repeat rate: 0% (0 of 4)\n"
        "- Median MTTD / MTTA / MTTR: 5m / 3m / 1h30m\n"
        "- Action items closed: 50% (2 of 4 with a known state, 1 unknown); 1 item overdue, "
        "1 more past due with an unknown state\n"
        "- Post-mortems: 1 on time, 1 late, 2 overdue\n"
        "- Runbooks overdue for review: 1 of 2\n\n"
    )


def test_since_and_until_dates_are_whole_days_in_the_org_timezone() -> None:
    document = as_json("--since", "2026-10-06", "--until", "2026-10-19")
    assert document["period"] == {"since": "2026-10-06T00:00:00+02:00", "until": "2026-10-20T00:00:00+02:00",
                                  "timezone": "Europe/Berlin"}
    assert [i["id"] for i in document["incidents"]] == ["i2", "i3"]


def test_instants_and_naive_times() -> None:
    document = as_json("--since", "2026-10-12T12:00:00Z", "--until", "2026-11-02T11:00")
    assert document["period"]["since"] == "2026-10-12T14:00:00+02:00"
    assert document["period"]["until"] == "2026-11-02T11:00:00+01:00"
    # i4 started at 11:00 Berlin time: the end is exclusive
    assert [i["id"] for i in document["incidents"]] == ["i3"]
    assert [i["id"] for i in as_json("--until", "2026-11-02T11:01")["incidents"]] == ["i1", "i2", "i3", "i4"]


def test_a_bad_date_is_a_usage_error() -> None:
    assert invoke("--repo", str(FOUR), "--since", "last week") == (
        2, "", "opsrepo: error: --since 'last week' is not a time\n"
               "  hint: write an ISO 8601 instant (2026-06-01T09:00+02:00), a wall time (2026-06-01T09:00), now, "
               "today 18:00, tomorrow 09:00, sat 03:00, +7d, +13h or -2h; a wall time is read in Europe/Berlin "
               "(set by --tz, else $TZ, else the organisation's zone)\n")
    assert invoke("--repo", str(FOUR), "--since", "2026-02-30") == (
        2, "", "opsrepo: error: --since '2026-02-30' is not a date\n  hint: write a date such as 2026-11-01\n")


def test_since_takes_a_relative_time_like_at() -> None:
    assert as_json("--since", "-30d") == as_json("--since", "2026-10-24T09:00:00Z")


def test_an_empty_period_is_a_usage_error() -> None:
    code, out, err = invoke("--repo", str(FOUR), "--since", "2026-12-01")
    assert (code, out) == (2, "")
    assert err == ("opsrepo: error: the period is empty: since 2026-12-01T00:00:00+01:00 is not before until "
                   "2026-11-23T10:00:00+01:00\n  hint: pass --since before --until (and not after now)\n")


def test_a_broken_status_file_fails_with_what_to_do(tmp_path: Path) -> None:
    status = tmp_path / "actions.json"
    status.write_text("{}", encoding="utf-8")
    assert invoke("--repo", str(FOUR), "--status", str(status)) == (
        1, "", f"opsrepo: error: {status} is not an action-item status file: expected an object with an "
               "'items' list\n  hint: run 'opsrepo actions status' to write it again, or delete it\n")


def test_another_status_file(tmp_path: Path) -> None:
    status = tmp_path / "none.json"
    status.write_text('{"generated_at": "2026-11-20T00:00:00Z", "repo": "test/ops", "items": []}',
                      encoding="utf-8")
    document = as_json("--status", str(status))
    assert document["action_items"]["status_file"] == {"generated_at": "2026-11-20T00:00:00+00:00"}
    assert document["action_items"]["overall"]["unknown"] == 5


def test_files_that_fail_to_load_are_named_on_stderr(tmp_path: Path) -> None:
    repo = shutil.copytree(FOUR, tmp_path / "ops")
    (repo / "postmortems" / "i4.md").write_text("---\nid: [\n---\n", encoding="utf-8")
    code, out, err = invoke("--repo", str(repo), "--format", "json")
    assert code == 0
    assert [i["id"] for i in json.loads(out)["incidents"]] == ["i1", "i2", "i3"]
    assert err == ("opsrepo: warning: 1 file failed to load and is left out of the report: postmortems/i4.md\n"
                   "  hint: run 'opsrepo validate' to see what to fix\n")


def test_not_an_ops_repo(tmp_path: Path) -> None:
    code, _, err = invoke("--repo", str(tmp_path))
    assert code == 2
    assert err.startswith(f"opsrepo: error: {tmp_path} is not an ops repo (no opsrepo.yaml)\n")


def test_help_lists_the_options() -> None:
    code, out, _ = invoke("--help")
    assert code == 0
    for option in ("--since D", "--until D", "--format [text|md|json]", "--status FILE", "--repo DIRECTORY"):
        assert option in out


def test_a_runbook_without_reviewed_falls_back_to_its_last_commit(tmp_path: Path) -> None:
    repo = shutil.copytree(FOUR, tmp_path / "ops")
    dates = {"GIT_AUTHOR_DATE": "2026-03-01T12:00:00+00:00", "GIT_COMMITTER_DATE": "2026-03-01T12:00:00+00:00"}
    for command in (["init", "-q"], ["add", "."], ["-c", "user.name=T", "-c", "user.email=t@example.com",
                                                   "commit", "-q", "-m", "ops"]):
        subprocess.run(["git", *command], cwd=repo, check=True, env={**os.environ, **dates})
    document = as_json_at(repo)
    # core/never: last commit 2026-03-01 + 180 days = 2026-08-28, 87 days before 2026-11-23
    assert document["runbooks"]["overdue"][1] == {
        "id": "core/never", "title": "Never reviewed", "team": "core", "owner": None, "reviewed": "2026-03-01",
        "source": "git", "due": "2026-08-28", "days_overdue": 87,
    }
    assert document["runbooks"]["review_date_unknown"] == []


def test_outside_git_the_review_date_is_unknown(tmp_path: Path) -> None:
    repo = shutil.copytree(FOUR, tmp_path / "ops")
    assert [r["id"] for r in as_json_at(repo)["runbooks"]["review_date_unknown"]] == ["core/never"]


def as_json_at(repo: Path) -> dict:  # type: ignore[type-arg]
    code, out, err = invoke("--repo", str(repo), "--format", "json")
    assert (code, err) == (0, "")
    document: dict = json.loads(out)  # type: ignore[type-arg]
    return document


def test_an_empty_repo_reports_nothing_without_failing(tmp_path: Path) -> None:
    (tmp_path / "opsrepo.yaml").write_text("name: E\ntimezone: UTC\nsite: {title: E}\n", encoding="utf-8")
    code, out, err = invoke("--repo", str(tmp_path), "--format", "md")
    assert (code, err) == (0, "")
    assert out.split("## Incidents")[0] == (
        "# Reliability review: E\n\n"
        "Period: 2025-12-01 to 2026-11-23 (UTC). Generated Mon 2026-11-23 09:00 UTC.\n\n"
        "- Incidents: 0 (0 in the last 3 complete months, 0 in the 3 before)\n"
        "- Repeat rate: — (0 of 0)\n"
        "- Median MTTD / MTTA / MTTR: — / — / —\n"
        "- Action items: none\n"
        "- Post-mortems: 0 on time, 0 late, 0 overdue\n"
        "- Runbooks overdue for review: 0 of 0\n\n"
    )
    for output_format in ("text", "json"):
        assert invoke("--repo", str(tmp_path), "--format", output_format)[0] == 0


def test_severities_missing_from_the_matrix_are_counted_without_targets(tmp_path: Path) -> None:
    repo = shutil.copytree(FOUR, tmp_path / "ops")
    (repo / "policies" / "severity.yaml").unlink()
    code, out, err = invoke("--repo", str(repo), "--format", "json")
    assert code == 0
    assert "policies/severity.yaml" not in err
    document = json.loads(out)
    assert document["response"]["targets"] == {}
    assert [(r["key"], r["incidents"], r["mtta"]["checked"]) for r in document["response"]["by_severity"]] == [
        ("SEV1", 2, 0), ("SEV2", 2, 0)]
    assert document["postmortem_timeliness"]["counts"]["not-required"] == 4


def test_a_status_file_that_is_not_there_is_a_usage_error(tmp_path: Path) -> None:
    code, out, err = invoke("--repo", str(FOUR), "--status", str(tmp_path / "nope.json"))
    assert (code, out) == (2, "")
    assert f"Invalid value for '--status': File '{tmp_path / 'nope.json'}' does not exist." in err


def invoke_in(tz: str | None, *args: str) -> tuple[int, str, str]:
    """``opsrepo report --repo FOUR ARGS`` with ``$TZ`` set to ``tz``, git history left out as in the golden files."""
    from unittest import mock

    with mock.patch("opsrepo.git.history.last_changes", return_value={}):
        result = CliRunner().invoke(cli, ["report", "--repo", str(FOUR), *args], env={**ENV, "TZ": tz})
    return result.exit_code, result.stdout, result.stderr


def in_new_york(golden: str) -> str:
    """The golden report with its instants (generated, the status file's) in New York time."""
    text = (GOLDEN / golden).read_text(encoding="utf-8")
    for berlin, new_york in (("Generated Mon 2026-11-23 10:00 CET.", "Generated Mon 2026-11-23 04:00 EST."),
                             ("status file of Mon 2026-11-23 07:00 CET", "status file of Mon 2026-11-23 01:00 EST")):
        assert berlin in text
        text = text.replace(berlin, new_york)
    return text


def test_text_shows_instants_in_tz_and_tz_option_overrides_it() -> None:
    expected = in_new_york("four.txt")
    assert invoke_in("America/New_York") == (0, expected, "")
    assert invoke_in("Asia/Kolkata", "--tz", "America/New_York") == (0, expected, "")
    assert invoke_in("EST+5") == (0, (GOLDEN / "four.txt").read_text(encoding="utf-8"), "")


def test_markdown_is_in_the_orgs_zone_whatever_tz_and_tz_option_overrides_it() -> None:
    assert invoke_in("America/New_York", "--format", "md") == (
        0, (GOLDEN / "four.md").read_text(encoding="utf-8"), "")
    assert invoke_in(None, "--format", "md", "--tz", "America/New_York") == (0, in_new_york("four.md"), "")


def test_json_keeps_iso_instants_whatever_the_zone() -> None:
    assert invoke_in("America/New_York", "--format", "json", "--tz", "Asia/Tokyo") == (
        0, (GOLDEN / "four.json").read_text(encoding="utf-8"), "")


def test_naive_since_and_until_are_read_in_tz_dates_stay_the_orgs_days() -> None:
    document = as_json("--since", "2026-10-12T08:00", "--until", "2026-11-02", "--tz", "America/New_York")
    assert document["period"] == {"since": "2026-10-12T14:00:00+02:00", "until": "2026-11-03T00:00:00+01:00",
                                  "timezone": "Europe/Berlin"}
    result = CliRunner().invoke(cli, ["report", "--repo", str(FOUR), "--format", "json", "--since",
                                      "2026-10-12T08:00"], env={**ENV, "TZ": "America/New_York"})
    assert json.loads(result.stdout)["period"]["since"] == "2026-10-12T14:00:00+02:00"


def test_a_bad_tz_is_a_usage_error() -> None:
    assert invoke_in(None, "--tz", "Europe/Berln") == (
        2, "", "opsrepo: error: --tz 'Europe/Berln': 'Europe/Berln' is not an IANA timezone\n"
               "  hint: did you mean 'Europe/Berlin'?\n")
