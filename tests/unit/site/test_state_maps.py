"""What pages list about other records, found once per build, is what scanning every record finds.

Person, team, service, policy and post-mortem pages each used to sort or
scan every team, schedule, runbook, service or post-mortem (quadratic in the
org's size: 10,000 schedules and 6,000 runbooks); :class:`SiteState` now
groups them once. Each page's lists are checked here against the plain
definition, on the example repo (severity policies, post-mortems sharing a
root cause) and on a generated org (``benchmarks/genorg.py``) with a team
whose members come from other teams.
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from opsrepo.load.repo import load_repo
from opsrepo.model import Repo
from opsrepo.site.state import SiteState
from opsrepo.site.urls import Linker, page_path
from opsrepo.site.views.common import ref, runbook_ref
from opsrepo.site.views.people import person_page
from opsrepo.site.views.policies import policy_page
from opsrepo.site.views.postmortems import postmortem_page
from opsrepo.site.views.services import service_page, team_page
from tests.helpers import ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))
from genorg import generate

NOW = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)
GUILD = """id: a-guild
name: A guild
people:
  - {id: gil, name: Gil, timezone: Europe/Berlin}
members: [p1-2, gil, p0-1]
"""


def generated(root: Path) -> Repo:
    generate(root, 12, 10)
    (root / "teams" / "a-guild.yaml").write_text(GUILD, encoding="utf-8")
    return loaded_repo(root)


def loaded_repo(root: Path) -> Repo:
    loaded = load_repo(root)
    assert [d for d in loaded.diagnostics if d.severity.value == "error"] == []
    return loaded.repo


@pytest.fixture(params=["example", "generated"])
def state(request: pytest.FixtureRequest, tmp_path: Path) -> SiteState:
    repo = loaded_repo(ROOT) if request.param == "example" else generated(tmp_path)
    return SiteState(repo, NOW, history={})


def test_person_pages_list_the_teams_that_define_or_count_them(state: SiteState) -> None:
    repo = state.repo
    for person_id in sorted(repo.people):
        link = Linker(page_path("person", person_id))
        expected = [ref(link, "team", t.id, t.name) for t in sorted(repo.teams.values(), key=lambda t: t.id)
                    if person_id in t.members or person_id in t.people]
        assert person_page(state, repo.people[person_id], []).data["teams"] == expected, person_id


def test_team_pages_list_their_schedules_and_runbooks(state: SiteState) -> None:
    repo = state.repo
    for team in repo.teams.values():
        link = Linker(page_path("team", team.id))
        data = team_page(state, team).data
        assert data["schedules"] == [ref(link, "schedule", s.id, s.name)
                                     for s in sorted(repo.schedules.values(), key=lambda s: s.id)
                                     if s.team == team.id], team.id
        assert data["runbooks"] == [runbook_ref(state, link, r.id)
                                    for r in sorted(repo.runbooks.values(), key=lambda r: r.id)
                                    if r.team == team.id], team.id


def test_service_pages_list_their_runbooks_then_those_naming_them(state: SiteState) -> None:
    repo = state.repo
    for service in repo.services.values():
        link = Linker(page_path("service", service.id))
        named = list(service.runbooks)
        named += [r.id for r in repo.runbooks.values() if service.id in r.services and r.id not in named]
        runbooks = service_page(state, service, []).data["runbooks"]
        assert runbooks == [runbook_ref(state, link, r) for r in named], service.id


def test_policy_pages_list_the_services_using_them(state: SiteState) -> None:
    repo = state.repo
    for policy in repo.policies.values():
        users = sorted(s.id for s in repo.services.values()
                       if s.escalation_policy == policy.id or policy.id in s.severity_policies.values())
        shown = policy_page(state, policy).data["services"]
        assert [row["href"].rsplit("/", 1)[1] for row in shown] == [f"{s}.html" for s in users], policy.id


def test_postmortem_pages_list_the_others_with_their_root_cause(state: SiteState) -> None:
    repo = state.repo
    for postmortem in repo.postmortems.values():
        link = Linker(page_path("postmortem", postmortem.id))
        same = sorted((p for p in repo.postmortems.values() if p.id != postmortem.id
                       and p.root_cause_category == postmortem.root_cause_category), key=lambda p: p.timeline.started)
        expected = [ref(link, "postmortem", p.id, p.title) for p in same] if postmortem.root_cause_category else []
        assert postmortem_page(state, postmortem).data["repeats"] == expected, postmortem.id


def test_the_orgs_have_what_the_checks_are_about(tmp_path: Path) -> None:
    example, org = SiteState(loaded_repo(ROOT), NOW, history={}), SiteState(generated(tmp_path), NOW, history={})
    assert org.teams_of["p1-2"] == ["a-guild", "team-1"] and org.teams_of["gil"] == ["a-guild"]
    assert org.runbooks_naming["svc-0-0"] == ["team-0/rb-0", "team-0/rb-1", "team-0/rb-6", "team-0/rb-7"]
    assert any(len(ids) > 1 for ids in example.postmortems_by_cause.values())
    assert any(s.severity_policies for s in example.repo.services.values())
