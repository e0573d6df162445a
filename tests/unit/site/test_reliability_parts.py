"""The Reliability page made from parts (one per team) equals the page made in one piece, and builds keep parts.

The orgs come from ``benchmarks/genorg.py``: the default profile with two
schedules of team 0 that people of teams 1 and 2 hold (so some people's load
joins parts), and the realistic profile at several sizes (each size its own
random org).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from opsrepo.load.repo import load_repo
from opsrepo.site import SiteResult, build_site, builder, parts
from opsrepo.site.parts import PARTS_FILE
from opsrepo.site.reliability import LoadParts, reliability_page
from opsrepo.site.render import render_page, site_globals
from opsrepo.site.state import SiteState
from tests.helpers import ROOT, count_pools
from tests.unit.report.test_oncall_load_generated import CROSSING, NOW

sys.path.insert(0, str(ROOT / "benchmarks"))
from genorg import generate

PAGE = "reliability.html"
#: an override on sched-5 (team 1)
OVERRIDE = '  - {person: p1-2, from: "2026-06-01T09:00", to: "2026-06-04T09:00", reason: cover}\n'


def org(root: Path, profile: str = "default", schedules: int = 24) -> Path:
    generate(root, schedules, 4 if profile == "default" else 0, profile)
    if profile == "default":
        for n in (1, 2):
            (root / "schedules" / f"crossing-{n}.yaml").write_text(CROSSING.format(n=n), encoding="utf-8")
    return root


def build(root: Path, out: Path, **options: object) -> SiteResult:
    return build_site(load_repo(root), out, NOW, history={}, search=False, **options)  # type: ignore[arg-type]


def one_piece(root: Path) -> str:
    """The page as the one-piece computation makes it (``opsrepo.site.reliability.reliability_page``)."""
    repo = load_repo(root).repo
    site = site_globals(repo.org.site_title, repo.org.name, repo.org.repo_url, repo.org.site_base_url)
    return render_page(reliability_page(SiteState(repo, NOW, history={}), None), site, None)


@pytest.mark.parametrize(("profile", "schedules"), [("default", 24), ("realistic", 20), ("realistic", 33),
                                                    ("realistic", 47)])
def test_the_page_from_parts_is_the_page_made_in_one_piece(tmp_path: Path, profile: str, schedules: int) -> None:
    root = org(tmp_path / "org", profile, schedules)
    result = build(root, tmp_path / "site")
    teams = sorted({s.team for s in load_repo(root).repo.schedules.values()})
    assert result.parts == teams and len(teams) >= 4
    assert (tmp_path / "site" / PAGE).read_text(encoding="utf-8") == one_piece(root)


def test_forked_workers_make_the_parts_and_the_same_page(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import concurrent.futures

    root = org(tmp_path / "org")
    pools = count_pools(monkeypatch, concurrent.futures)
    monkeypatch.setattr(builder, "may_fork", lambda: True)  # (threads other tests left forbid it)
    monkeypatch.setattr(builder, "PARALLEL_PAGES", 2)
    monkeypatch.setattr("opsrepo.site.parts.RUN_WEIGHT", 3)  # several runs of parts
    result = build(root, tmp_path / "site", jobs=2)
    assert pools == [2] and result.parts == ["team-0", "team-1", "team-2", "team-3", "team-4", "team-5"]
    assert (tmp_path / "site" / PAGE).read_text(encoding="utf-8") == one_piece(root)


def test_a_rebuild_keeps_every_part_whose_inputs_did_not_change(tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    root, out = org(tmp_path / "org"), tmp_path / "site"
    build(root, out)
    assembled = []
    real = LoadParts.assemble
    monkeypatch.setattr(LoadParts, "assemble", lambda self, data: assembled.append(len(data)) or real(self, data))
    runbook = root / "runbooks/team-0/rb-0.md"
    runbook.write_text(runbook.read_text().replace("title: Runbook 0 ", "title: First runbook "), encoding="utf-8")
    again = build(root, out)
    assert again.parts == [] and assembled == [6]  # the page is made again (it lists runbooks), its parts kept
    assert (out / PAGE).read_text(encoding="utf-8") == one_piece(root)
    schedule = root / "schedules/sched-5.yaml"
    schedule.write_text(schedule.read_text() + OVERRIDE, encoding="utf-8")
    changed = build(root, out)
    assert changed.parts == ["team-1"] and assembled == [6, 6]
    page = (out / PAGE).read_text(encoding="utf-8")
    assert page == one_piece(root) and page != one_piece_before(root, schedule)
    assert build(root, out).made == 0 and assembled == [6, 6]  # nothing changed: the page is not made


def one_piece_before(root: Path, schedule: Path) -> str:
    """The page without the override (so that the test sees the schedule's edit change the page)."""
    schedule.write_text(schedule.read_text().replace(OVERRIDE, ""), encoding="utf-8")
    try:
        return one_piece(root)
    finally:
        schedule.write_text(schedule.read_text() + OVERRIDE, encoding="utf-8")


def test_a_schedule_derived_from_an_edited_one_has_its_part_made_again(tmp_path: Path) -> None:
    root, out = org(tmp_path / "org"), tmp_path / "site"
    (root / "schedules/follower.yaml").write_text(
        "id: follower\nname: Follower\nteam: team-3\ntimezone: Europe/Berlin\ncoverage: 24x7\nderive: {from: sched-5, offset: 1}\n",
        encoding="utf-8")
    build(root, out)
    schedule = root / "schedules/sched-5.yaml"
    schedule.write_text(schedule.read_text().replace('length: 1w\n', 'length: 2w\n', 1), encoding="utf-8")
    assert build(root, out).parts == ["team-1", "team-3"]
    assert (out / PAGE).read_text(encoding="utf-8") == one_piece(root)


def test_unreadable_kept_parts_are_made_again(tmp_path: Path) -> None:
    root, out = org(tmp_path / "org"), tmp_path / "site"
    build(root, out)
    kept = json.loads((out / PARTS_FILE).read_text(encoding="utf-8"))
    assert sorted(kept["pages"][PAGE]) == ["team-0", "team-1", "team-2", "team-3", "team-4", "team-5"]
    (out / PARTS_FILE).write_text("{not json", encoding="utf-8")
    runbook = root / "runbooks/team-0/rb-0.md"
    runbook.write_text(runbook.read_text().replace("title: Runbook 0 ", "title: First runbook "), encoding="utf-8")
    assert build(root, out).parts == ["team-0", "team-1", "team-2", "team-3", "team-4", "team-5"]
    assert (out / PAGE).read_text(encoding="utf-8") == one_piece(root)


def test_kept_parts_of_the_wrong_shape_give_the_page_made_in_one_piece(tmp_path: Path) -> None:
    """A kept file edited by hand: its keys still match, its data does not fit; the page is still right."""
    root, out = org(tmp_path / "org"), tmp_path / "site"
    build(root, out)
    kept = json.loads((out / PARTS_FILE).read_text(encoding="utf-8"))
    kept["pages"][PAGE]["team-0"]["data"] = {"people": "not a table"}
    kept["pages"][PAGE]["team-1"] = ["not", "a", "part"]
    (out / PARTS_FILE).write_text(json.dumps(kept), encoding="utf-8")
    runbook = root / "runbooks/team-0/rb-0.md"
    runbook.write_text(runbook.read_text().replace("title: Runbook 0 ", "title: First runbook "), encoding="utf-8")
    assert build(root, out).parts == ["team-1"]  # the part that is no part is made again; the other is kept
    assert (out / PAGE).read_text(encoding="utf-8") == one_piece(root)


def test_a_build_reads_the_kept_parts_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The file is read when the parts are planned, and that reading serves to keep them again."""
    root, out = org(tmp_path / "org"), tmp_path / "site"
    build(root, out)
    reads = []
    real = parts.read_parts
    monkeypatch.setattr(parts, "read_parts", lambda at: reads.append(at) or real(at))
    schedule = root / "schedules/sched-5.yaml"
    schedule.write_text(schedule.read_text() + OVERRIDE, encoding="utf-8")
    before = json.loads((out / PARTS_FILE).read_text(encoding="utf-8"))
    assert build(root, out).parts == ["team-1"] and reads == [out]
    after = json.loads((out / PARTS_FILE).read_text(encoding="utf-8"))
    assert {team: part for team, part in after["pages"][PAGE].items() if team != "team-1"} == \
        {team: part for team, part in before["pages"][PAGE].items() if team != "team-1"}
    assert after["pages"][PAGE]["team-1"] != before["pages"][PAGE]["team-1"]
