"""``opsrepo oncall`` end to end: usage errors exit 2 with one line and a hint, broken files warn."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from opsrepo.cli.main import cli
from tests.golden.oncall.regen import HERE, NOW, REPO


def oncall(*arguments: str, repo: Path = REPO) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["oncall", "--repo", str(repo), *arguments], env={"OPSREPO_NOW": NOW})
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize(("arguments", "stderr"), [
    (["--schedule", "primry"], "opsrepo: error: unknown schedule 'primry'\n  hint: did you mean 'primary'?\n"),
    (["--schedule", "zzz"], "opsrepo: error: unknown schedule 'zzz'\n"
     "  hint: known schedule ids: office, primary, secondary\n"),
    (["--team", "opps"], "opsrepo: error: unknown team 'opps'\n  hint: did you mean 'ops'?\n"),
    (["--person", "bn"], "opsrepo: error: unknown person 'bn'\n  hint: did you mean 'ben'?\n"),
    (["--at", "tomorrow"], "opsrepo: error: --at 'tomorrow' is not an ISO 8601 instant\n"
     "  hint: write e.g. 2026-03-29T09:00:00+02:00, or 2026-03-29T09:00 for Europe/Berlin time\n"),
    (["--schedule", "office", "--at", "2026-02-30T09:00"], "opsrepo: error: --at '2026-02-30T09:00' is not an "
     "ISO 8601 instant\n  hint: write e.g. 2026-03-29T09:00:00+02:00, or 2026-03-29T09:00 for Europe/London time\n"),
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


def test_a_naive_at_is_read_in_the_one_schedules_zone_else_the_orgs() -> None:
    code, out, _ = oncall("--schedule", "office", "--at", "2026-11-23T12:00", "--format", "json")
    assert code == 0
    assert json.loads(out) == {"at": "2026-11-23T12:00:00+00:00", "schedules": [
        {"id": "office", "person": "ana", "until": "2026-11-23T17:00:00+00:00",
         "source": {"kind": "layer", "name": "office"}, "from": "2026-11-23T09:00:00+00:00"}]}
    assert oncall("--at", "2026-11-23T12:00") == (0, """On call at 2026-11-23T12:00+01:00

SCHEDULE   ON CALL           UNTIL                   VIA
office     Ana Silva (ana)   2026-11-23T17:00+00:00  layer office
primary    Dan Wu (dan)      2026-11-30T09:00+01:00  layer weekly
secondary  Cléo Park (cleo)  2026-11-30T09:00+01:00  layer weekly
""", "")


def test_an_instant_with_an_offset_is_shown_in_the_display_zone() -> None:
    assert oncall("--schedule", "primary", "--at", "2026-11-23T09:00:00-05:00") == (0, """On call at 2026-11-23T15:00+01:00

SCHEDULE  ON CALL       UNTIL                   VIA
primary   Dan Wu (dan)  2026-11-30T09:00+01:00  layer weekly
""", "")
