"""``opsrepo swap`` and ``opsrepo cover`` on the working tree: whole outputs, files, refusals, exit codes."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from opsrepo.cli.main import cli
from tests.acceptance.rota_repo import PRIMARY, write_rota_repo

ENV = {"OPSREPO_NOW": "2026-11-23T09:00:00Z"}


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    return write_rota_repo(tmp_path / "repo")


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), env=ENV)
    return result.exit_code, result.stdout, result.stderr


def primary(repo: Path) -> str:
    return (repo / "schedules" / "core-primary.yaml").read_text(encoding="utf-8")


def test_cover_without_by_ranks_the_three_best(repo: Path) -> None:
    code, out, err = run("cover", "--repo", str(repo), "--schedule", "core-primary", "--person", "ana",
                         "--from", "2026-12-16T09:00", "--to", "2026-12-18T09:00")
    assert (code, err) == (0, "")
    # ben and cleo would hold 384 h in 28 days with it; dan is on call in core-secondary then
    assert out == """\
ana needs cover in core-primary for 2d between 2026-12-16T09:00+01:00 and 2026-12-18T09:00+01:00 (1 stretch).
Best 3 of 4 candidates:
1. eve (Eve Adams)
   - free
   - within the limits: 48 h in the busiest 28 days (at most 360 h), 1 turn in 28 days (at most 10)
   - fairness spread after: nights 3 (allowed 20), weekends 2 (allowed 6), holidays 2
2. ben (Ben Okafor)
   - free
   - over the limits: 384 h in 28 days, more than 360 h
   - fairness spread after: nights 2 (allowed 20), weekends 2 (allowed 6), holidays 2
3. cleo (Cleo Park)
   - free
   - over the limits: 384 h in 28 days, more than 360 h
   - fairness spread after: nights 3 (allowed 20), weekends 2 (allowed 6), holidays 2

To write it: opsrepo cover --schedule core-primary --person ana --by eve --from 2026-12-16T09:00+01:00 --to 2026-12-18T09:00+01:00 [--pr]
"""
    assert primary(repo) == PRIMARY


def test_the_ranking_names_time_off_and_other_schedules(repo: Path) -> None:
    code, out, _ = run("cover", "--repo", str(repo), "--schedule", "core-primary", "--person", "cleo",
                       "--from", "2026-12-07T09:00", "--to", "2026-12-14T09:00")
    assert code == 0
    assert "3. dan (Dan Wu)\n   - not free: time off from 2026-12-07T09:00+01:00 to 2026-12-14T00:00+01:00\n" in out
    assert out.endswith("\nNobody is both free and within the limits: split the window, or change the limits "
                        "first.\n")


def test_cover_by_appends_one_override_and_keeps_the_file(repo: Path) -> None:
    code, out, err = run("cover", "--repo", str(repo), "--schedule", "core-primary", "--person", "ana",
                         "--by", "eve", "--from", "2026-12-16T09:00", "--to", "2026-12-18T09:00",
                         "--reason", "conference")
    assert (code, err) == (0, "")
    assert out == """\
eve covers ana in core-primary (Europe/Berlin):
  + eve          2026-12-16T09:00 to 2026-12-18T09:00  (eve covers ana: conference)
checked: free, and validation finds no new errors
wrote schedules/core-primary.yaml
"""
    assert primary(repo) == PRIMARY + (
        '  - {person: eve, from: "2026-12-16T09:00", to: "2026-12-18T09:00", reason: "eve covers ana: conference"}\n')
    assert run("validate", "--repo", str(repo))[0] == 0
    oncall = run("oncall", "--repo", str(repo), "--schedule", "core-primary", "--at", "2026-12-17T12:00",
                 "--format", "json")[1]
    assert '"person": "eve"' in oncall


def test_swap_writes_both_halves(repo: Path) -> None:
    # ana holds 14-21 December, ben 21-28: they trade the first half of each week
    code, out, err = run("swap", "--repo", str(repo), "--schedule", "core-primary", "--person", "ana",
                         "--with", "ben", "--from", "2026-12-18T09:00", "--to", "2026-12-24T09:00")
    assert (code, err) == (0, "")
    assert out == """\
ana and ben swap turns in core-primary (Europe/Berlin):
  + ben          2026-12-18T09:00 to 2026-12-21T09:00  (swap: ben takes ana's turn)
  + ana          2026-12-21T09:00 to 2026-12-24T09:00  (swap: ana takes ben's turn)
checked: free, and validation finds no new errors
wrote schedules/core-primary.yaml
"""
    assert primary(repo).endswith(
        '  - {person: ben, from: "2026-12-18T09:00", to: "2026-12-21T09:00", reason: "swap: ben takes ana\'s turn"}\n'
        '  - {person: ana, from: "2026-12-21T09:00", to: "2026-12-24T09:00", reason: "swap: ana takes ben\'s turn"}\n')


def test_a_change_that_breaks_a_limit_is_refused_with_the_errors(repo: Path) -> None:
    code, out, err = run("cover", "--repo", str(repo), "--schedule", "core-primary", "--person", "ana",
                         "--by", "ben", "--from", "2026-12-16T09:00", "--to", "2026-12-18T09:00")
    assert code == 1
    assert out == """\
ben covers ana in core-primary (Europe/Berlin):
  + ben          2026-12-16T09:00 to 2026-12-18T09:00  (ben covers ana)
"""
    assert err == (
        "schedules/core-primary.yaml:2:1: OPS306 error: ben would be on call 384h in the 28 days from "
        "2026-11-30T09:00+01:00 in schedule 'core-primary'; the limit is 360h (oncall.limits.max_hours_28d in "
        "opsrepo.yaml)\n"
        "opsrepo: error: the change would make the repo invalid (1 new error above): nothing written\n"
        "  hint: pick another window or person, or change the limits first\n")
    assert primary(repo) == PRIMARY


def test_someone_on_time_off_cannot_cover(repo: Path) -> None:
    code, _, err = run("cover", "--repo", str(repo), "--schedule", "core-primary", "--person", "cleo",
                       "--by", "dan", "--from", "2026-12-10T09:00", "--to", "2026-12-11T09:00")
    assert code == 1
    assert err == ("opsrepo: error: dan is not free: time off from 2026-12-10T09:00+01:00 to "
                   "2026-12-11T09:00+01:00\n"
                   "  hint: ask someone else (opsrepo cover without --by ranks who is free)\n")


def test_covering_while_on_call_elsewhere_is_a_warning(repo: Path) -> None:
    code, _, err = run("cover", "--repo", str(repo), "--schedule", "core-primary", "--person", "ana",
                       "--by", "dan", "--from", "2026-12-16T09:00", "--to", "2026-12-17T09:00", "--dry-run")
    assert code == 0
    assert err == ("opsrepo: warning: dan is also on call in core-secondary from 2026-12-16T09:00+01:00 to "
                   "2026-12-17T09:00+01:00\n")
    assert primary(repo) == PRIMARY


@pytest.mark.parametrize(("args", "code", "message"), [
    (["cover", "--schedule", "core-primray", "--person", "ana", "--from", "2026-12-16", "--to", "2026-12-17"], 2,
     "opsrepo: error: unknown schedule 'core-primray'\n  hint: did you mean 'core-primary'?\n"),
    (["cover", "--schedule", "core-primary", "--person", "anna", "--by", "ben", "--from", "2026-12-16T09:00",
      "--to", "2026-12-17T09:00"], 2, "opsrepo: error: unknown person 'anna'\n  hint: did you mean 'ana'?\n"),
    (["swap", "--schedule", "core-primary", "--person", "ana", "--with", "ben", "--from", "next week",
      "--to", "2026-12-17T09:00"], 2,
     "opsrepo: error: --from 'next week' is not a time\n  hint: write an ISO 8601 instant "
     "(2026-06-01T09:00+02:00), a wall time (2026-06-01T09:00), now, today 18:00, tomorrow 09:00, sat 03:00, "
     "+7d, +13h or -2h; a wall time is read in Europe/Berlin (set by --tz, else $TZ, else the organisation's "
     "zone)\n"),
    (["swap", "--schedule", "core-primary", "--person", "ana", "--with", "ben", "--from", "2026-12-17T09:00",
      "--to", "2026-12-16T09:00"], 2,
     "opsrepo: error: --from 2026-12-17T09:00 is not before --to 2026-12-16T09:00\n  hint: swap the two\n"),
    (["swap", "--schedule", "core-primary", "--person", "ana", "--with", "ana", "--from", "2026-12-16T09:00",
      "--to", "2026-12-17T09:00"], 1,
     "opsrepo: error: ana cannot swap with themselves\n  hint: name someone else with --with\n"),
    (["swap", "--schedule", "core-primary", "--person", "ana", "--with", "eve", "--from", "2026-12-16T09:00",
      "--to", "2026-12-17T09:00"], 1,
     "opsrepo: error: eve is not on call in core-primary from 2026-12-16T09:00+01:00 to 2026-12-17T09:00+01:00\n"
     "  hint: see their turns with 'opsrepo oncall --person eve', and pass a window that holds one\n"),
])
def test_errors(repo: Path, args: list[str], code: int, message: str) -> None:
    assert run(*args[:1], "--repo", str(repo), *args[1:]) == (code, "", message)
    assert primary(repo) == PRIMARY


def test_missing_options_are_usage_errors(repo: Path) -> None:
    code, _, err = run("swap", "--repo", str(repo), "--schedule", "core-primary", "--person", "ana")
    assert code == 2 and "Missing option '--with'" in err


def test_a_schedule_whose_file_is_broken_is_named(repo: Path) -> None:
    (repo / "schedules" / "core-primary.yaml").write_text("id: core-primary\nname: [\n", encoding="utf-8")
    code, out, err = run("cover", "--repo", str(repo), "--schedule", "core-primary", "--person", "ana",
                         "--from", "2026-12-16T09:00", "--to", "2026-12-18T09:00")
    assert (code, out) == (1, "")
    assert err == ("opsrepo: warning: 1 file failed to load and is left out: schedules/core-primary.yaml\n"
                   "  hint: run 'opsrepo validate' to see what to fix\n"
                   "opsrepo: error: schedule 'core-primary' is in a file that failed to load (named above)\n"
                   "  hint: run 'opsrepo validate' and fix it first\n")


@pytest.mark.parametrize("zone", [["--tz", "Asia/Tokyo"], ["TZ=Asia/Tokyo"]])
def test_swap_reads_wall_times_in_tz_and_writes_the_schedules_own(repo: Path, zone: list[str]) -> None:
    # 17:00 in Tokyo is 09:00 in Berlin, the schedule's zone its overrides are written in; +31d from now
    # (09:00Z) is 10:00 in Berlin
    arguments = ["swap", "--repo", str(repo), "--schedule", "core-primary", "--person", "ana", "--with", "ben",
                 "--from", "2026-12-18T17:00", "--to", "+31d", "--dry-run"]
    environment = dict(ENV, TZ=zone[0][3:]) if zone[0].startswith("TZ=") else ENV
    result = CliRunner().invoke(cli, arguments + ([] if zone[0].startswith("TZ=") else zone), env=environment)
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout.splitlines()[:3] == [
        "ana and ben swap turns in core-primary (Europe/Berlin):",
        "  + ben          2026-12-18T09:00 to 2026-12-21T09:00  (swap: ben takes ana's turn)",
        "  + ana          2026-12-21T09:00 to 2026-12-24T10:00  (swap: ana takes ben's turn)",
    ]
