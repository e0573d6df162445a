"""Partial loads for quick answers: only the kinds and schedule files a command needs."""

from __future__ import annotations

from opsrepo.load.repo import ONCALL_KINDS, load_for_schedules, load_repo
from tests.helpers import FIXTURES, ROOT

BASIC = FIXTURES / "repos" / "oncall-basic"


def test_kinds_keep_only_those_documents_and_always_the_org() -> None:
    loaded = load_repo(ROOT, kinds={"schedule"})
    assert {d.kind for d in loaded.documents} == {"org", "schedule"}
    assert loaded.repo.schedules and not loaded.repo.runbooks and not loaded.repo.postmortems


def test_a_derived_schedule_brings_its_source_and_nothing_else() -> None:
    loaded = load_for_schedules(BASIC, ["secondary"])
    assert sorted(loaded.repo.schedules) == ["primary", "secondary"]
    assert {d.kind for d in loaded.documents} == ONCALL_KINDS
    assert loaded.repo.people == load_repo(BASIC).repo.people


def test_a_schedule_not_found_by_its_file_name_falls_back_to_every_schedule() -> None:
    whole = load_repo(ROOT, kinds=ONCALL_KINDS)
    assert sorted(load_for_schedules(ROOT, ["no-such-schedule"]).repo.schedules) == sorted(whole.repo.schedules)
