"""A person page's teams, found once for the whole build, are the teams that define or count the person.

Each person page used to sort and scan every team (quadratic in the org's
size); :attr:`SiteState.teams_of` is made once. This checks every person of a
generated org (``benchmarks/genorg.py``) plus a team whose members come from
other teams against the plain definition, in the order of the team ids.
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path

from opsrepo.load.repo import load_repo
from opsrepo.site.state import SiteState
from opsrepo.site.urls import Linker, page_path
from opsrepo.site.views.common import ref
from opsrepo.site.views.people import person_page
from tests.helpers import ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))
from genorg import generate

GUILD = """id: a-guild
name: A guild
people:
  - {id: gil, name: Gil, timezone: Europe/Berlin}
members: [p1-2, gil, p0-1]
"""


def test_each_person_page_lists_the_teams_that_define_or_count_them(tmp_path: Path) -> None:
    generate(tmp_path, 12, 0)
    (tmp_path / "teams" / "a-guild.yaml").write_text(GUILD, encoding="utf-8")
    loaded = load_repo(tmp_path)
    assert [d for d in loaded.diagnostics if d.severity.value == "error"] == []
    repo = loaded.repo
    state = SiteState(repo, datetime(2026, 12, 7, 9, 0, tzinfo=UTC), history={})
    for person_id in sorted(repo.people):
        link = Linker(page_path("person", person_id))
        expected = [ref(link, "team", t.id, t.name) for t in sorted(repo.teams.values(), key=lambda t: t.id)
                    if person_id in t.members or person_id in t.people]
        assert person_page(state, repo.people[person_id], []).data["teams"] == expected, person_id
    guild = {"href": "../teams/a-guild.html", "text": "A guild"}
    assert state.teams_of["p1-2"] == ["a-guild", "team-1"]
    assert person_page(state, repo.people["p1-2"], []).data["teams"][0] == guild
    assert state.teams_of["gil"] == ["a-guild"]
