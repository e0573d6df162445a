"""``opsrepo import`` end to end: whole written files and reports, re-imports, merges, --force, exit codes."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.acceptance.importers.golden import ACCOUNTS, CASES, expected_dir, outputs, run_import

PD_BASIC = ACCOUNTS / "pagerduty" / "basic"
OG_BACKUP = ACCOUNTS / "opsgenie" / "backup"


@pytest.mark.parametrize("case", sorted(CASES))
def test_every_written_file_and_the_report_are_as_recorded(case: str, tmp_path: Path) -> None:
    """Golden files (python -m tests.acceptance.importers.golden --write): deterministic to the byte."""
    expected = {
        p.relative_to(expected_dir(case)).as_posix(): p.read_text(encoding="utf-8")
        for p in sorted(expected_dir(case).rglob("*"))
        if p.is_file()
    }
    assert outputs(case, tmp_path / "out") == expected


def test_the_markdown_report_is_printed_and_written(tmp_path: Path) -> None:
    code, stdout, stderr = run_import(
        tmp_path, "pagerduty", "--from-dir", str(PD_BASIC), "--verify-days", "7"
    )
    assert (code, stderr) == (1, "")
    assert stdout == (tmp_path / "import-report.md").read_text(encoding="utf-8")
    assert (
        "| Platform Primary (`PS1`) | `platform-primary` | 2026-11-23T00:00Z – 2026-11-30T00:00Z | exact |"
        in stdout
    )


def test_a_second_import_of_the_same_account_changes_nothing(tmp_path: Path) -> None:
    run_import(tmp_path, "pagerduty", "--from-dir", str(PD_BASIC))
    before = {p: p.read_bytes() for p in tmp_path.rglob("*.yaml")}
    code, stdout, _ = run_import(tmp_path, "pagerduty", "--from-dir", str(PD_BASIC), "--format", "json")
    assert code == 1  # still lossy: the account has a deleted user, a user without a zone...
    assert set(json.loads(stdout)["files"].values()) == {
        "unchanged",
        "kept (exists; an import never changes it)",
    }
    assert {p: p.read_bytes() for p in tmp_path.rglob("*.yaml")} == before


def test_a_file_that_would_change_is_rewritten_only_with_force(tmp_path: Path) -> None:
    run_import(tmp_path, "pagerduty", "--from-dir", str(PD_BASIC))
    schedule = tmp_path / "schedules" / "night-ops.yaml"
    edited = schedule.read_text(encoding="utf-8").replace("length: 1d", "length: 2d", 1)
    schedule.write_text(edited, encoding="utf-8")
    code, stdout, _ = run_import(tmp_path, "pagerduty", "--from-dir", str(PD_BASIC), "--format", "json")
    assert (
        json.loads(stdout)["files"]["schedules/night-ops.yaml"]
        == "not written: it exists and would change (use --force)"
    )
    assert code == 1 and schedule.read_text(encoding="utf-8") == edited
    code, stdout, _ = run_import(
        tmp_path, "pagerduty", "--from-dir", str(PD_BASIC), "--format", "json", "--force"
    )
    assert json.loads(stdout)["files"]["schedules/night-ops.yaml"] == "rewritten"
    assert "length: 1d" in schedule.read_text(encoding="utf-8")


def test_an_existing_repo_keeps_its_org_and_team_files_and_its_people_ids(tmp_path: Path) -> None:
    (tmp_path / "teams").mkdir()
    (tmp_path / "opsrepo.yaml").write_text("name: Acme\ntimezone: Europe/Berlin\n", encoding="utf-8")
    team = (
        '# our platform team\nid: platform\nname: Platform team\nchat: "#platform"\npeople:\n'
        "  - {id: ana, name: Ana S., email: ANA@acme.example, timezone: Europe/Lisbon, github: ana-s}\n"
    )
    (tmp_path / "teams" / "platform.yaml").write_text(team, encoding="utf-8")
    _, stdout, _ = run_import(tmp_path, "pagerduty", "--from-dir", str(PD_BASIC), "--format", "json")
    files = json.loads(stdout)["files"]
    assert files["opsrepo.yaml"] == "kept (exists; an import never changes it)"
    assert files["teams/platform.yaml"] == "not written: it exists and would change (use --force)"
    assert (tmp_path / "teams" / "platform.yaml").read_text(encoding="utf-8") == team
    assert "members: [ana, ben-okafor]" in (tmp_path / "schedules" / "platform-primary.yaml").read_text(
        encoding="utf-8"
    ).replace("[ana, ben-okafor, cleo-park]", "[ana, ben-okafor]")
    run_import(tmp_path, "pagerduty", "--from-dir", str(PD_BASIC), "--force")
    merged = (tmp_path / "teams" / "platform.yaml").read_text(encoding="utf-8")
    assert (
        merged
        == """\
# yaml-language-server: $schema=../schemas/team.schema.json
id: platform
name: Platform team
chat: "#platform"
people:
  - id: ana
    name: Ana S.
    email: ANA@acme.example
    timezone: Europe/Lisbon
    github: ana-s
  - id: ben-okafor
    name: Ben Okafor
    email: ben@acme.example
    timezone: America/New_York
members: [ana, ben-okafor, dan-deleted, cleo-park, zoe-angstrom]
services:
  - id: platform-api
    name: Platform API
    description: The public API
    escalation_policy: platform
"""
    )


@pytest.mark.parametrize(
    ("args", "env", "message"),
    [
        (["pagerduty"], {}, "error: $PAGERDUTY_TOKEN is not set"),
        (["opsgenie"], {}, "error: $OPSGENIE_API_KEY is not set"),
        (
            ["pagerduty", "--api-url", "ftp://example.com"],
            {"PAGERDUTY_TOKEN": "t0ken"},
            "error: --api-url 'ftp://example.com' is not an http(s) URL",
        ),
        (["pagerduty", "--from-dir", str(OG_BACKUP)], {}, "holds no saved PagerDuty account"),
        (["opsgenie", "--from-backup", str(PD_BASIC)], {}, "holds no Opsgenie backup"),
        (
            ["pagerduty", "--from-dir", str(PD_BASIC), "--api-url", "https://api.pagerduty.com"],
            {},
            "error: give either an API (--api-url) or a folder, not both",
        ),
        (["pagerduty", "--from-dir", "no/such/folder"], {}, "Directory 'no/such/folder' does not exist"),
        (
            ["pagerduty", "--api-url", "http://127.0.0.1:9"],
            {"PAGERDUTY_TOKEN": "s3cret-token"},
            "error: cannot read PagerDuty at http://127.0.0.1:9",
        ),
    ],
)
def test_usage_errors_exit_2_without_a_traceback(
    tmp_path: Path, args: list[str], env: dict[str, str], message: str
) -> None:
    code, stdout, stderr = run_import(tmp_path, *args, env=env)
    assert (code, stdout) == (2, "")
    assert message in stderr
    assert "Traceback" not in stderr and "s3cret" not in stderr


def test_an_unparsable_saved_file_is_a_usage_error(tmp_path: Path) -> None:
    folder = shutil.copytree(PD_BASIC, tmp_path / "saved")
    (folder / "users.json").write_text("{not json", encoding="utf-8")
    code, _, stderr = run_import(tmp_path / "out", "pagerduty", "--from-dir", str(folder))
    assert code == 2 and "users.json cannot be read" in stderr


def test_plain_http_goes_only_to_this_machine(tmp_path: Path) -> None:
    code, _, stderr = run_import(
        tmp_path, "opsgenie", "--api-url", "http://api.example.com", env={"OPSGENIE_API_KEY": "k3y"}
    )
    assert code == 2
    assert "error: --api-url 'http://api.example.com' is not https" in stderr


@pytest.mark.parametrize("case", sorted(CASES))
def test_the_imported_repo_validates(case: str, tmp_path: Path) -> None:
    from click.testing import CliRunner

    from opsrepo.cli.main import cli
    from tests.acceptance.importers.golden import NOW

    outputs(case, tmp_path)
    result = CliRunner().invoke(
        cli, ["validate", "--repo", str(tmp_path), "--format", "json"], env={"OPSREPO_NOW": NOW}
    )
    assert (result.exit_code, json.loads(result.stdout)["errors"]) == (0, [])
