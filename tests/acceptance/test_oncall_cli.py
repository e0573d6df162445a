"""``opsrepo oncall`` end to end: usage errors exit 2 with one line and a hint, broken files warn."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from opsrepo.cli.main import cli
from tests.golden.oncall.regen import HERE, NOW, REPO

FORMS = ("write an ISO 8601 instant (2026-06-01T09:00+02:00), a wall time (2026-06-01T09:00), now, "
         "today 18:00, tomorrow 09:00, sat 03:00, +7d, +13h or -2h; a wall time is read in Europe/Berlin "
         "(set by --tz, else $TZ, else the organisation's zone)")


def oncall(*arguments: str, repo: Path = REPO, tz: str | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["oncall", "--repo", str(repo), *arguments],
                                env={"OPSREPO_NOW": NOW, "TZ": tz})
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize(("arguments", "stderr"), [
    (["--schedule", "primry"], "opsrepo: error: unknown schedule 'primry'\n  hint: did you mean 'primary'?\n"),
    (["--schedule", "zzz"], "opsrepo: error: unknown schedule 'zzz'\n"
     "  hint: known schedule ids: office, primary, secondary\n"),
    (["--team", "opps"], "opsrepo: error: unknown team 'opps'\n  hint: did you mean 'ops'?\n"),
    (["--person", "bn"], "opsrepo: error: unknown person 'bn'\n  hint: did you mean 'ben'?\n"),
    (["--at", "tomorow"], f"opsrepo: error: --at 'tomorow' is not a time\n  hint: {FORMS}\n"),
    (["--at", "sat 25:00"], f"opsrepo: error: --at 'sat 25:00' is not a time\n  hint: {FORMS}\n"),
    (["--at", "+7x"], f"opsrepo: error: --at '+7x' is not a time\n  hint: {FORMS}\n"),
    (["--schedule", "office", "--at", "2026-02-30T09:00"],
     f"opsrepo: error: --at '2026-02-30T09:00' is not a time\n  hint: {FORMS}\n"),
    (["--tz", "Europe/Berln"], "opsrepo: error: --tz 'Europe/Berln': 'Europe/Berln' is not an IANA timezone\n"
     "  hint: did you mean 'Europe/Berlin'?\n"),
    (["--next", "0"], "opsrepo: error: --next must be at least 1, not 0\n"),
])
def test_usage_errors_exit_2_with_one_line(arguments: list[str], stderr: str) -> None:
    assert oncall(*arguments) == (2, "", stderr)


def test_a_broken_file_warns_and_the_rest_still_answers(tmp_path: Path) -> None:
    repo = shutil.copytree(REPO, tmp_path / "repo")
    (repo / "schedules" / "office.yaml").write_text("id: office\nname: [unclosed\n", encoding="utf-8")
    code, out, err = oncall("--format", "json", repo=repo)
    assert code == 0
    assert err == ("opsrepo: warning: 1 file failed to load and is left out: schedules/office.yaml\n"
                   "  hint: run 'opsrepo validate' to see what to fix\n")
    everything = json.loads((HERE / "now.json").read_text(encoding="utf-8"))
    kept = [entry for entry in everything["schedules"] if entry["id"] != "office"]
    assert json.loads(out) == {**everything, "schedules": kept}


def test_a_naive_at_is_read_in_tz_else_dollar_tz_else_the_orgs_zone() -> None:
    # the org's zone (Europe/Berlin), whatever the schedule's (office is in London): 12:00 CET is 11:00 GMT
    code, out, _ = oncall("--schedule", "office", "--at", "2026-11-23T12:00", "--format", "json")
    assert code == 0
    assert json.loads(out) == {"at": "2026-11-23T12:00:00+01:00", "schedules": [
        {"id": "office", "person": "ana", "until": "2026-11-23T17:00:00+00:00",
         "source": {"kind": "layer", "name": "office"}, "from": "2026-11-23T09:00:00+00:00",
         "status": "on-call", "coverage_resumes": None, "sources": [
             {"kind": "layer", "name": "office", "from": "2026-11-23T09:00:00+00:00",
              "until": "2026-11-23T17:00:00+00:00"}]}]}
    assert oncall("--schedule", "office", "--at", "2026-11-23T06:00", tz="America/New_York") == (0, """\
On call at Mon 2026-11-23 06:00 EST (in 2 h), times in America/New_York

SCHEDULE  ON CALL          UNTIL                              VIA
office    Ana Silva (ana)  Mon 2026-11-23 12:00 EST (in 8 h)  layer office
""", "")
    # --tz wins over $TZ; a $TZ that is no IANA zone (a POSIX rule) is passed over for the org's zone
    assert oncall("--schedule", "office", "--at", "2026-11-23T16:59", "--tz", "Europe/London",
                  tz="America/New_York")[1].splitlines()[0] == \
        "On call at Mon 2026-11-23 16:59 GMT (in 7 h 59 min), times in Europe/London"
    assert oncall("--schedule", "office", "--at", "2026-11-23T16:59", tz="EST+5")[1].splitlines()[0] == \
        "On call at Mon 2026-11-23 16:59 CET (in 6 h 59 min), times in Europe/Berlin"
    assert oncall("--schedule", "office", "--at", "2026-11-23T16:59", tz=":Asia/Tokyo")[1].splitlines()[0] == \
        "On call at Mon 2026-11-23 16:59 JST (1 h 1 min ago), times in Asia/Tokyo"


@pytest.mark.parametrize(("at", "instant"), [
    ("now", "2026-11-23T10:00:00+01:00"),
    ("NOW", "2026-11-23T10:00:00+01:00"),
    ("today 18:00", "2026-11-23T18:00:00+01:00"),
    ("today 08:00", "2026-11-23T08:00:00+01:00"),
    ("tomorrow 09:00", "2026-11-24T09:00:00+01:00"),
    ("tomorrow", "2026-11-24T00:00:00+01:00"),
    ("sat 03:00", "2026-11-28T03:00:00+01:00"),
    ("Saturday  3:00", "2026-11-28T03:00:00+01:00"),
    # today is a Monday: a later hour today is today, an earlier one (or now) next week
    ("mon 11:00", "2026-11-23T11:00:00+01:00"),
    ("mon 10:00", "2026-11-30T10:00:00+01:00"),
    ("+7d", "2026-11-30T10:00:00+01:00"),
    ("+13h", "2026-11-23T23:00:00+01:00"),
    ("-2h", "2026-11-23T08:00:00+01:00"),
    ("+1h30m", "2026-11-23T11:30:00+01:00"),
    ("2026-11-23 12:00", "2026-11-23T12:00:00+01:00"),
    ("2026-11-23T12:00Z", "2026-11-23T13:00:00+01:00"),
])
def test_at_takes_relative_and_named_days(at: str, instant: str) -> None:
    code, out, err = oncall("--schedule", "primary", "--at", at, "--format", "json")
    assert (code, err) == (0, "")
    assert json.loads(out)["at"] == instant


def test_a_named_day_is_read_in_the_display_zone() -> None:
    # 09:00Z is already Monday 18:00 in Tokyo: "tomorrow" there is Tuesday, 09:00 JST is 00:00 UTC
    code, out, _ = oncall("--schedule", "primary", "--at", "tomorrow 09:00", "--format", "json",
                          "--tz", "Asia/Tokyo")
    assert (code, json.loads(out)["at"]) == (0, "2026-11-24T09:00:00+09:00")


def test_an_instant_with_an_offset_is_shown_in_the_display_zone() -> None:
    assert oncall("--schedule", "primary", "--at", "2026-11-23T09:00:00-05:00") == (0, """\
On call at Mon 2026-11-23 15:00 CET (in 5 h), times in Europe/Berlin

SCHEDULE  ON CALL       UNTIL                                   VIA
primary   Dan Wu (dan)  Mon 2026-11-30 09:00 CET (in 6 d 23 h)  layer weekly (also layer weekend-days)
""", "")


def test_nobody_inside_declared_coverage_is_a_gap_and_outside_it_off_hours(tmp_path: Path) -> None:
    repo = shutil.copytree(REPO, tmp_path / "repo")
    office = repo / "schedules" / "office.yaml"
    # the office declares Saturdays too, but its layer is restricted to weekdays: Saturday noon is a gap
    office.write_text(office.read_text(encoding="utf-8").replace(
        'coverage:\n  - {days: [mon, tue, wed, thu, fri], from: "09:00", to: "17:00"}',
        'coverage:\n  - {days: [mon, tue, wed, thu, fri, sat], from: "09:00", to: "17:00"}'), encoding="utf-8")
    arguments = ("--schedule", "office", "--tz", "Europe/London")
    assert oncall(*arguments, "--at", "sat 12:00", repo=repo) == (0, """\
On call at Sat 2026-11-28 12:00 GMT (in 5 d 3 h), times in Europe/London

SCHEDULE  ON CALL                    UNTIL                              VIA
office    NOBODY: a gap in coverage  Mon 2026-11-30 09:00 GMT (in 7 d)  -
""", "")
    code, out, _ = oncall(*arguments, "--at", "sat 12:00", "--format", "json", repo=repo)
    assert (code, json.loads(out)) == (0, {"at": "2026-11-28T12:00:00+00:00", "schedules": [{
        "id": "office", "person": None, "until": "2026-11-30T09:00:00+00:00", "source": None,
        "from": "2026-11-27T17:00:00+00:00", "status": "gap", "coverage_resumes": None}]})
    # Saturday evening is outside the declared coverage: off hours, with when coverage resumes
    code, out, _ = oncall(*arguments, "--at", "sat 18:00", "--format", "json", repo=repo)
    assert (code, json.loads(out)) == (0, {"at": "2026-11-28T18:00:00+00:00", "schedules": [{
        "id": "office", "person": None, "until": "2026-11-30T09:00:00+00:00", "source": None,
        "from": "2026-11-27T17:00:00+00:00", "status": "off-hours", "coverage_resumes": "2026-11-30T09:00:00+00:00"}]})


def test_on_a_terminal_a_gap_is_red_and_off_hours_plain(tmp_path: Path) -> None:
    repo = shutil.copytree(REPO, tmp_path / "repo")
    office = repo / "schedules" / "office.yaml"
    office.write_text(office.read_text(encoding="utf-8").replace("thu, fri]", "thu, fri, sat]", 1), encoding="utf-8")
    arguments = ["oncall", "--repo", str(repo), "--schedule", "office", "--tz", "Europe/London", "--at"]
    gap = CliRunner().invoke(cli, [*arguments, "sat 12:00"], env={"OPSREPO_NOW": NOW}, color=True)
    assert gap.stdout.splitlines()[3] == \
        "office    \x1b[31m\x1b[1mNOBODY: a gap in coverage\x1b[0m  Mon 2026-11-30 09:00 GMT (in 7 d)  -"
    off = CliRunner().invoke(cli, [*arguments, "sat 18:00"], env={"OPSREPO_NOW": NOW}, color=True)
    assert (off.exit_code, off.stdout, off.stderr) == (0, (  # off hours: plain, no colour
        "On call at Sat 2026-11-28 18:00 GMT (in 5 d 9 h), times in Europe/London\n\n"
        "SCHEDULE  ON CALL            UNTIL                              VIA\n"
        "office    nobody: off hours  Mon 2026-11-30 09:00 GMT (in 7 d)  "
        "coverage resumes Mon 2026-11-30 09:00 GMT (in 7 d)\n"), "")
