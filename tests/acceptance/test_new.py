"""``opsrepo new postmortem|runbook|schedule``: a valid file from a template, never an overwrite."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from opsrepo.cli.main import cli
from tests.helpers import MINIMAL, copy_repo

NOW = "2026-11-23T09:00:00Z"


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return copy_repo(MINIMAL, tmp_path / "ops")


def run(root: Path, *args: str, now: str = NOW) -> tuple[int, str, str]:
    previous = Path.cwd()
    os.chdir(root)
    try:
        result = CliRunner().invoke(cli, list(args), env={"OPSREPO_NOW": now})
    finally:
        os.chdir(previous)
    return result.exit_code, result.stdout, result.stderr


def validates(root: Path) -> bool:
    code, out, err = run(root, "validate")
    assert err == ""
    return code == 0 and ", 0 warnings" in out


def test_new_schedule(root: Path) -> None:
    assert run(root, "new", "schedule", "core-weekend") == (0, "schedules/core-weekend.yaml\n", "")
    assert (root / "schedules/core-weekend.yaml").read_text(encoding="utf-8") == (
        "# yaml-language-server: $schema=../schemas/schedule.schema.json\n"
        "id: core-weekend\n"
        'name: "Core weekend"\n'
        "team: core\n"
        "timezone: Europe/Berlin\n"
        "coverage: 24x7\n"
        "time_off: skip\n"
        "layers:\n"
        "  - name: weekly\n"
        "    members: [ana, ben, cleo]\n"
        '    start: "2026-11-23T09:00"\n'
        "    length: 1w\n"
        "    # restrictions:\n"
        '    #   - {days: [mon, tue, wed, thu, fri], from: "09:00", to: "17:00"}\n'
        "# overrides:\n"
        '#   - {person: ..., from: "2026-11-23T09:00", to: "...", reason: swap}\n'
    )
    assert validates(root)


def test_a_new_schedule_starts_at_the_last_monday_handoff_already_past(root: Path) -> None:
    # Monday 08:00 in Berlin: this Monday's 09:00 is still ahead, so the rotation starts a week earlier
    run(root, "new", "schedule", "core-weekend", "--title", "Core: weekends & nights", now="2026-11-23T07:00:00Z")
    text = (root / "schedules/core-weekend.yaml").read_text(encoding="utf-8")
    assert 'start: "2026-11-16T09:00"' in text
    assert 'name: "Core: weekends & nights"' in text
    assert validates(root)


def test_new_runbook(root: Path) -> None:
    code, out, _ = run(root, "new", "runbook", "core/disk-full", "--team", "core", "--service", "api")
    assert (code, out) == (0, "runbooks/core/disk-full.md\n")
    assert (root / "runbooks/core/disk-full.md").read_text(encoding="utf-8") == (
        "---\n"
        "# yaml-language-server: $schema=../../schemas/runbook.schema.json\n"
        'title: "Disk full"\n'
        "team: core\n"
        "services: [api]\n"
        "tags: []\n"
        "reviewed: 2026-11-23\n"
        "---\n"
        "# Disk full\n\n"
        "What this alert or symptom means, and how bad it is for customers.\n\n"
        "## Check\n\n1. ...\n\n## Mitigate\n\n- ...\n\n## Escalate\n\nWhen to wake someone else, and whom.\n"
    )
    code, out, _ = run(root, "validate", "--format", "json")
    assert code == 0


def test_new_postmortem(root: Path) -> None:
    code, out, _ = run(root, "new", "postmortem", "db-failover", "--service", "api", "--lead", "ana")
    assert (code, out) == (0, "postmortems/2026-11-23-db-failover.md\n")
    text = (root / "postmortems/2026-11-23-db-failover.md").read_text(encoding="utf-8")
    assert text.startswith(
        "---\n"
        "# yaml-language-server: $schema=../schemas/postmortem.schema.json\n"
        "id: 2026-11-23-db-failover\n"
        'title: "Db failover"\n'
        "severity: SEV2\n"          # the least urgent level that requires a post-mortem
        "services: [api]\n"
        "status: draft\n"
        "lead: ana\n"
        "timeline:\n"
        "  started: 2026-11-23T00:00:00Z        # when customers were first affected\n"
    )
    assert text.endswith("---\n## Summary\n\n## What happened\n\n## What went well\n\n## What we will change\n")
    assert validates(root)


def test_today_is_the_orgs_date(root: Path) -> None:
    # 23:30 UTC is already the 24th in Berlin
    code, out, _ = run(root, "new", "postmortem", "late", "--service", "api", "--severity", "SEV1",
                       now="2026-11-23T23:30:00Z")
    assert (code, out) == (0, "postmortems/2026-11-24-late.md\n")
    assert "severity: SEV1\n" in (root / out.strip()).read_text(encoding="utf-8")


def test_a_name_that_already_has_the_date_keeps_it_once(root: Path) -> None:
    assert run(root, "new", "postmortem", "2026-11-23-api-down", "--service", "api")[1] == (
        "postmortems/2026-11-23-api-down.md\n")


def test_new_never_overwrites(root: Path) -> None:
    run(root, "new", "runbook", "core/disk-full")
    (root / "runbooks/core/disk-full.md").write_text("mine\n", encoding="utf-8")
    assert run(root, "new", "runbook", "core/disk-full") == (1, "", (
        "opsrepo: error: runbooks/core/disk-full.md already exists\n"
        "  hint: opsrepo new never overwrites a file: choose another name, or edit the file\n"))
    assert (root / "runbooks/core/disk-full.md").read_text(encoding="utf-8") == "mine\n"
    assert run(root, "new", "schedule", "core-primary") == (1, "", (
        "opsrepo: error: a schedule with id 'core-primary' exists already (schedules/core-primary.yaml)\n"
        "  hint: choose another id\n"))


def test_an_existing_file_that_does_not_load_is_not_overwritten(root: Path) -> None:
    (root / "postmortems/2026-11-23-broken.md").write_text("no front matter\n", encoding="utf-8")
    assert run(root, "new", "postmortem", "broken", "--service", "api") == (1, "", (
        "opsrepo: error: postmortems/2026-11-23-broken.md already exists\n"
        "  hint: opsrepo new never overwrites a file: choose another name, or edit the file\n"))
    assert (root / "postmortems/2026-11-23-broken.md").read_text(encoding="utf-8") == "no front matter\n"


@pytest.mark.parametrize(("args", "error"), [
    (["schedule", "Core_Weekend"], "schedule 'Core_Weekend' is not an id\n"
                                   "  hint: use lowercase letters, digits and dashes, e.g. api-outage"),
    (["schedule", "x", "--team", "cor"], "unknown team 'cor'\n  hint: did you mean 'core'?"),
    (["runbook", "core/../../etc"], "runbook path part '..' is not an id\n"
                                    "  hint: use lowercase letters, digits and dashes, e.g. api-outage"),
    (["runbook", "core/x", "--service", "apii"], "unknown service 'apii'\n  hint: did you mean 'api'?"),
    (["postmortem", "x"], "which services did the incident affect?\n"
                          "  hint: pass --service ID, once per service (known: api)"),
    (["postmortem", "x", "--service", "api", "--severity", "SEV9"],
     "unknown severity 'SEV9'\n  hint: one of: SEV1, SEV2, SEV3"),
    (["postmortem", "x", "--service", "api", "--lead", "zed"],
     "unknown person 'zed'\n  hint: check the spelling, or define the person first"),
])
def test_usage_errors(root: Path, args: list[str], error: str) -> None:
    assert run(root, "new", *args) == (2, "", f"opsrepo: error: {error}\n")
    assert sorted(p.name for p in (root / "postmortems").iterdir()) == ["2026-10-01-api-outage.md"]


def test_the_team_is_asked_for_when_there_are_several(root: Path) -> None:
    (root / "teams/web.yaml").write_text("id: web\nname: Web\nmembers: [ana]\n", encoding="utf-8")
    assert run(root, "new", "schedule", "x") == (2, "", (
        "opsrepo: error: which team's schedule is it?\n  hint: pass --team (one of: core, web)\n"))
    assert run(root, "new", "schedule", "web-primary", "--team", "web")[0] == 0


@pytest.mark.parametrize(("args", "created", "kind"), [
    (["schedule", "app-weekend", "--team", "app"], "schedules/app-weekend.yaml", "schedule"),
    (["runbook", "app/deep/disk-full", "--team", "app"], "runbooks/app/deep/disk-full.md", "runbook"),
    (["postmortem", "db-failover", "--service", "web", "--lead", "alex"], "postmortems/2026-11-23-db-failover.md",
     "postmortem"),
])
def test_the_modeline_names_the_schema_opsrepo_init_wrote(tmp_path: Path, args: list[str], created: str,
                                                           kind: str) -> None:
    root = tmp_path / "ops"
    assert run(tmp_path, "init", str(root))[0] == 0
    assert run(root, "new", *args) == (0, created + "\n", "")
    lines = (root / created).read_text(encoding="utf-8").splitlines()
    modeline = lines[1] if lines[0] == "---" else lines[0]
    prefix = "# yaml-language-server: $schema="
    assert modeline.startswith(prefix)
    schema = ((root / created).parent / modeline.removeprefix(prefix)).resolve()
    assert schema == (root / "schemas" / f"{kind}.schema.json").resolve()
    assert schema.is_file()
    code, out, err = run(root, "validate", "--format", "json")
    assert (code, err) == (0, "")
    assert json.loads(out)["errors"] == []
