"""Partial loads for quick answers: only the kinds, schedule and team files a command needs."""

from __future__ import annotations

from pathlib import Path

import pytest

from opsrepo.load.files import discover, schedule_files
from opsrepo.load.partial import ONCALL_KINDS, load_for_schedules, may_define
from opsrepo.load.repo import load_repo
from opsrepo.model import Repo
from opsrepo.oncall.query import OncallRequest, answer
from opsrepo.oncall.render import to_json, to_text
from tests.helpers import FIXTURES, NOW, ROOT, copy_repo, overlay

BASIC = FIXTURES / "repos" / "oncall-basic"


def test_kinds_keep_only_those_documents_and_always_the_org() -> None:
    loaded = load_repo(ROOT, kinds={"schedule"})
    assert {d.kind for d in loaded.documents} == {"org", "schedule"}
    assert loaded.repo.schedules and not loaded.repo.runbooks and not loaded.repo.postmortems


@pytest.mark.parametrize("kinds", [{"org", "schedule"}, ONCALL_KINDS, {"org", "escalation", "runbook"}])
def test_discovering_some_kinds_finds_what_discovering_all_finds_of_them(kinds: set[str]) -> None:
    some = list(discover(ROOT, kinds))
    assert [found for found in some if found[0] in kinds] == [found for found in discover(ROOT) if found[0] in kinds]
    # only the folders that may hold those kinds are walked (policies/ holds severity and escalation)
    assert {kind for kind, _ in some} == kinds | ({"severity"} if "escalation" in kinds else set())


def test_a_derived_schedule_brings_its_source_and_nothing_else() -> None:
    loaded = load_for_schedules(BASIC, ["secondary"])
    assert sorted(loaded.repo.schedules) == ["primary", "secondary"]
    assert {d.kind for d in loaded.documents} == ONCALL_KINDS
    assert loaded.repo.people == load_repo(BASIC).repo.people


def test_a_schedule_not_found_by_its_file_name_falls_back_to_every_schedule() -> None:
    whole = load_repo(ROOT, kinds=ONCALL_KINDS)
    assert sorted(load_for_schedules(ROOT, ["no-such-schedule"]).repo.schedules) == sorted(whole.repo.schedules)


def _answers(repo: Repo, schedule: str) -> tuple[str, ...]:
    """``opsrepo oncall --schedule`` as JSON and as text, with the next handoffs, at two instants."""
    shown = []
    for at in ("2026-12-24T19:00", "2026-03-29T02:30"):
        result = answer(repo, OncallRequest(now=NOW, at=at, schedules=(schedule,), next=3))
        shown += [to_json(result), to_text(repo, result)]
    return tuple(shown)


ANSWERED = [(root, path.stem) for root in (ROOT, BASIC, FIXTURES / "repos" / "escalation-handoff",
                                           FIXTURES / "repos" / "report-four", FIXTURES / "repos" / "invalid" / "mixed")
            for path in sorted((root / "schedules").glob("*.yaml"))
            if path.name != "web-primary.yaml"]  # mixed's web-primary does not parse: no answer to compare


@pytest.mark.parametrize(("root", "schedule"), ANSWERED, ids=[f"{r.name}-{s}" for r, s in ANSWERED])
def test_a_schedules_answer_from_its_partial_load_equals_the_whole_loads(root: Path, schedule: str) -> None:
    whole = load_repo(root, kinds=ONCALL_KINDS).repo
    assert _answers(load_for_schedules(root, [schedule]).repo, schedule) == _answers(whole, schedule)


def _night_repo(tmp_path: Path) -> Path:
    """oncall-basic plus a schedule of eve, whose team writes her id with an escape, and two unrelated teams."""
    root = copy_repo(BASIC, tmp_path / "repo")
    overlay(root, {
        "schedules/night.yaml": "id: night\nname: Night\nteam: ops\nlayers:\n"
                                '  - {name: nights, members: [eve, ana], start: "2026-11-02T20:00", length: 1d}\n',
        "teams/night.yaml": 'id: night\nname: Night\npeople:\n  - {id: "\\x65ve", name: Eve Night, timezone: UTC}\n',
        "teams/web.yaml": "id: web\nname: Web\npeople:\n  - {id: zoe, name: Zoe, timezone: UTC}\n",
        "teams/broken.yaml": "id: [unclosed\n",
    })
    return root


def test_only_the_team_files_that_may_define_the_schedules_people_are_read(tmp_path: Path) -> None:
    root = _night_repo(tmp_path)
    loaded = load_for_schedules(root, ["night"])
    # ops.yaml names ana (and has a backslash), night.yaml spells eve with an escape; web and broken cannot
    assert [d.path for d in loaded.documents] == [
        "opsrepo.yaml", "teams/night.yaml", "teams/ops.yaml", "schedules/night.yaml"]
    assert loaded.diagnostics == []
    assert sorted(loaded.repo.people) == ["ana", "ben", "cleo", "dan", "eve"]
    assert loaded.repo.people["eve"] == load_repo(root).repo.people["eve"]


def test_a_broken_team_file_that_may_define_them_is_read_and_reported(tmp_path: Path) -> None:
    root = _night_repo(tmp_path)
    overlay(root, {"teams/web.yaml": "id: web\nname: Web\npeople:\n  - {id: eve, name: Eve, timezone: Nowhere/Else\n"})
    loaded = load_for_schedules(root, ["night"])
    whole = load_repo(root, kinds=ONCALL_KINDS)
    web = [d.to_dict() for d in whole.diagnostics if d.file == "teams/web.yaml"]
    assert web and [d.to_dict() for d in loaded.diagnostics] == web


@pytest.mark.parametrize(("text", "expected"), [
    ("people:\n  - {id: eve}\n", True),
    ("people:\n  - {id: steve}\n", True),  # may: the id is part of the text
    ('people:\n  - {id: "\\x65ve"}\n', True),  # an escape can spell any id
    ("people:\n  - {id: zoe}\nmembers: [ana]\n", False),
    ("id: [unclosed\n", False),
])
def test_a_team_file_may_define_a_person_when_its_text_names_them_or_has_an_escape(
        tmp_path: Path, text: str, expected: bool) -> None:
    (tmp_path / "teams").mkdir()
    path = tmp_path / "teams" / "t.yaml"
    path.write_text(text, encoding="utf-8")
    assert may_define(path, {"eve", "dan"}) is expected


def test_a_linked_team_file_is_kept_unread_so_that_loading_reports_it(tmp_path: Path) -> None:
    (tmp_path / "teams").mkdir()
    (tmp_path / "elsewhere.yaml").write_text("people: []\n", encoding="utf-8")
    (tmp_path / "teams" / "t.yaml").symlink_to(tmp_path / "elsewhere.yaml")
    assert may_define(tmp_path / "teams" / "t.yaml", {"eve"}) is True


def test_schedule_files_finds_what_discover_finds_of_those_ids(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    overlay(root, {name: "id: x\n" for name in (
        "opsrepo.yaml", "teams/t.yaml", "schedules/a.yaml", "schedules/b.yml", "schedules/_draft.yaml",
        "schedules/.hidden.yaml", "schedules/sub/c.yaml", "schedules/d.yaml/inside.yaml", "outside.yaml")})
    (root / "schedules" / "e.yaml").symlink_to(root / "outside.yaml")
    ids = {"a", "b", "c", "d", "e", "_draft", ".hidden", "sub/c", "missing", "..", "../teams/t", ""}
    expected = [(kind, path) for kind, path in discover(root) if kind == "schedule" and path.stem in ids]
    assert [path.name for _, path in expected] == ["a.yaml", "b.yml", "e.yaml"]
    assert schedule_files(root, ids) == expected


def test_team_files_behind_a_linked_folder_are_all_kept_so_that_loading_reports_them(tmp_path: Path) -> None:
    root = _night_repo(tmp_path)
    (root / "teams").rename(tmp_path / "elsewhere")
    (root / "teams").symlink_to(tmp_path / "elsewhere")
    reported = [d.to_dict() for d in load_for_schedules(root, ["night"]).diagnostics]
    assert [(d["file"], d["code"]) for d in reported] == [
        (f"teams/{name}.yaml", "OPS015") for name in ("broken", "night", "ops", "web")]
    assert reported == [d.to_dict() for d in load_repo(root, kinds=ONCALL_KINDS).diagnostics]
