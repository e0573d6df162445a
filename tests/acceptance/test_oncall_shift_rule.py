"""Issue 17 part 5, end to end: one shift rule; ``--next`` lists the next different people, past source changes.

The issue's repo (``tests/fixtures/repos/oncall-issue17``): layers ``base``
(``a``, ``g``, daily from 2026-06-01 09:00) and ``solo`` (``g``, daily from
2026-06-02 12:00) in Europe/Berlin, ``coverage: none``. ``g`` takes over from
``a`` at 09:00 on 06-02 and never hands over: at 12:00 only the source changes.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from click.testing import CliRunner

from opsrepo.cli.main import cli
from tests.helpers import FIXTURES

REPO = FIXTURES / "repos" / "oncall-issue17"
NOW = "2026-05-31T20:00:00Z"


def oncall(*arguments: str, repo: Path = REPO) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["oncall", "--repo", str(repo), "--schedule", "p", *arguments],
                                env={"OPSREPO_NOW": NOW, "TZ": None})
    return result.exit_code, result.stdout, result.stderr


def test_the_issues_example_as_json() -> None:
    code, out, err = oncall("--at", "2026-06-01T00:00", "--next", "5", "--format", "json")
    assert (code, err) == (0, "")
    base = {"kind": "layer", "name": "base"}
    assert json.loads(out) == {"at": "2026-06-01T00:00:00+02:00", "schedules": [{
        "id": "p", "person": None, "until": "2026-06-01T09:00:00+02:00", "source": None, "from": None,
        "status": "off-hours", "coverage_resumes": None,
        "next": [
            {"schedule": "p", "person": "a", "from": "2026-06-01T09:00:00+02:00",
             "until": "2026-06-02T09:00:00+02:00", "source": base, "sources": [
                 {**base, "from": "2026-06-01T09:00:00+02:00", "until": "2026-06-02T09:00:00+02:00"}]},
            # g's shift is one, whatever its sources; it has no end within the search (400 days)
            {"schedule": "p", "person": "g", "from": "2026-06-02T09:00:00+02:00", "until": None,
             "source": base, "sources": [
                 {**base, "from": "2026-06-02T09:00:00+02:00", "until": "2026-06-02T12:00:00+02:00"},
                 {"kind": "layer", "name": "solo", "from": "2026-06-02T12:00:00+02:00", "until": None}]},
        ]}]}


def test_the_issues_example_as_text() -> None:
    assert oncall("--at", "2026-06-01T00:00", "--next", "5") == (0, """\
On call at Mon 2026-06-01 00:00 CEST (in 2 h), times in Europe/Berlin

SCHEDULE  ON CALL            UNTIL                                VIA
p         nobody: off hours  Mon 2026-06-01 09:00 CEST (in 11 h)  no coverage declared

Next in p:
  Mon 2026-06-01 09:00 CEST (in 11 h)      to Tue 2026-06-02 09:00 CEST (in 1 d 11 h)  Ada (a)  layer base
  Tue 2026-06-02 09:00 CEST (in 1 d 11 h)  to no handoff within 400 d                  Gus (g)  layer base (also layer solo)
""", "")


def test_at_gives_from_and_until_by_person_and_the_source_in_force() -> None:
    # at 13:00 on 06-02 g holds the solo layer; the shift began at 09:00 (by person, not at 12:00 by source)
    code, out, _ = oncall("--at", "2026-06-02T13:00", "--format", "json")
    entry = json.loads(out)["schedules"][0]
    assert (code, entry["person"], entry["from"], entry["until"], entry["source"], entry["status"]) == \
        (0, "g", "2026-06-02T09:00:00+02:00", None, {"kind": "layer", "name": "solo"}, "on-call")
    assert oncall("--at", "2026-06-02T13:00") == (0, """\
On call at Tue 2026-06-02 13:00 CEST (in 1 d 15 h), times in Europe/Berlin

SCHEDULE  ON CALL  UNTIL                    VIA
p         Gus (g)  no handoff within 400 d  layer solo (also layer base)
""", "")


def test_next_goes_on_past_source_changes_to_the_next_people(tmp_path: Path) -> None:
    repo = shutil.copytree(REPO, tmp_path / "repo")
    with (repo / "schedules" / "p.yaml").open("a", encoding="utf-8") as file:
        file.write('overrides:\n  - {person: a, from: "2026-06-05T00:00", to: "2026-06-05T12:00", reason: swap}\n')
    code, out, _ = oncall("--at", "2026-06-02T10:00", "--next", "5", "--format", "json", repo=repo)
    entry = json.loads(out)["schedules"][0]
    assert code == 0
    assert (entry["person"], entry["from"], entry["until"]) == \
        ("g", "2026-06-02T09:00:00+02:00", "2026-06-05T00:00:00+02:00")
    assert [(n["person"], n["from"], n["until"], n["source"]["name"]) for n in entry["next"]] == [
        ("a", "2026-06-05T00:00:00+02:00", "2026-06-05T12:00:00+02:00", "swap"),
        ("g", "2026-06-05T12:00:00+02:00", None, "solo"),
    ]
    assert oncall("--at", "2026-06-02T10:00", "--next", "5", repo=repo) == (0, """\
On call at Tue 2026-06-02 10:00 CEST (in 1 d 12 h), times in Europe/Berlin

SCHEDULE  ON CALL  UNTIL                                   VIA
p         Gus (g)  Fri 2026-06-05 00:00 CEST (in 4 d 2 h)  layer base (also layer solo)

Next in p:
  Fri 2026-06-05 00:00 CEST (in 4 d 2 h)   to Fri 2026-06-05 12:00 CEST (in 4 d 14 h)  Ada (a)  override: swap
  Fri 2026-06-05 12:00 CEST (in 4 d 14 h)  to no handoff within 400 d                  Gus (g)  layer solo
""", "")
