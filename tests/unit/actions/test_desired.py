from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

from opsrepo.actions.desired import Links, desired_issue, item_specs
from opsrepo.actions.model import Owner
from opsrepo.load.repo import load_repo
from tests.fakegithub.opsrepos import item, postmortem, write_ops_repo
from tests.unit.actions.build import LABEL, REPO, spec


def test_item_specs_read_every_item_with_its_context(tmp_path: Path) -> None:
    root = write_ops_repo(tmp_path / "ops", [
        postmortem("2026-10-20-db", [item("b", "cleo"), item("a", "ghost")], "SEV1", "DB failover"),
        postmortem("2026-10-01-api", [item("z", "ana", "2026-11-30", "Canary it")]),
    ])
    repo = load_repo(root).repo
    specs, notices = item_specs(repo, Links.of(repo))
    assert notices == []
    assert [s.key for s in specs] == [("2026-10-01-api", "z"), ("2026-10-20-db", "b"), ("2026-10-20-db", "a")]
    first = specs[0]
    assert (first.title, first.due, first.priority, first.kind) == ("Canary it", date(2026, 11, 30), "high", "prevent")
    assert first.owner == Owner("ana", "Ana Silva", "ana-silva", "teams/core.yaml")
    assert (first.severity, first.severity_name, first.severity_rank) == ("SEV2", "Major", 1)
    assert first.services == (("api", "Public API"),)
    assert first.site_url == "https://ops.example/postmortems/2026-10-01-api.html"
    assert first.source_url == "https://github.example/kestrel-eng/ops/blob/main/postmortems/2026-10-01-api.md"
    assert specs[1].owner == Owner("cleo", "Cleo Park", None, "teams/core.yaml")
    assert specs[2].owner == Owner("ghost", None, None)


def test_without_site_settings_there_are_no_links(tmp_path: Path) -> None:
    repo = load_repo(write_ops_repo(tmp_path / "ops", [postmortem("p", [item("a")])], site=False)).repo
    specs, _ = item_specs(repo, Links.of(repo))
    assert (specs[0].site_url, specs[0].source_url) == (None, None)


def test_a_duplicate_item_id_is_synced_once_and_reported(tmp_path: Path) -> None:
    repo = load_repo(write_ops_repo(tmp_path / "ops", [postmortem("p", [item("a"), item("a", "ben")])])).repo
    specs, notices = item_specs(repo, Links.of(repo))
    assert [s.owner.person for s in specs] == ["ana"]
    assert [n.message for n in notices] == [
        "postmortems/p.md: action item id 'a' is used twice; only the first is synced"]


def test_links_strip_trailing_slashes() -> None:
    links = Links("https://ops.example", "https://github.example/o/r/", "trunk")
    assert links.site("p") == "https://ops.example/postmortems/p.html"
    assert links.source("postmortems/p.md") == "https://github.example/o/r/blob/trunk/postmortems/p.md"


def test_an_assignable_owner_is_the_assignee() -> None:
    desired = desired_issue(spec(), LABEL, True, REPO)
    assert desired.assignee == "ben-okafor"
    assert desired.unassigned_because is None
    assert desired.label_names == ("postmortem-action", "priority:high", "kind:prevent", "severity:SEV2")
    assert desired.milestone == "Due 2026-12-01"
    assert "- **Owner:** Ben Okafor (`ben-okafor`)\n" in desired.body


def test_label_colours() -> None:
    colours = {s.name: s.color for s in desired_issue(spec(severity_rank=0), LABEL, True, REPO).labels}
    assert colours == {"postmortem-action": "5319e7", "priority:high": "d93f0b", "kind:prevent": "1d76db",
                       "severity:SEV2": "b60205"}


def test_an_owner_github_refuses_is_unassigned_and_labelled() -> None:
    desired = desired_issue(spec(), LABEL, False, REPO)
    assert desired.assignee is None
    assert desired.label_names[-1] == "needs-owner"
    assert desired.unassigned_because == (
        "GitHub cannot assign ben-okafor (ben) in kestrel-eng/ops: they need access to it")
    assert ("- **Owner:** Ben Okafor, not assigned: GitHub cannot assign ben-okafor \\(ben\\) in "
            "kestrel-eng/ops\\: they need access to it\n") in desired.body


def test_an_owner_without_login_or_unknown_is_unassigned() -> None:
    no_login = desired_issue(spec(owner=Owner("cleo", "Cleo Park", None, "teams/core.yaml")), LABEL, None, REPO)
    assert no_login.unassigned_because == "cleo has no GitHub login (add 'github:' to them in teams/core.yaml)"
    unknown = desired_issue(spec(owner=Owner("ghost", None, None)), LABEL, None, REPO)
    assert unknown.unassigned_because == "owner 'ghost' is not a person of the ops repo"
    assert "- **Owner:** `ghost`, not assigned: owner 'ghost' is not a person of the ops repo\n" in unknown.body


def test_an_unchecked_login_counts_as_assignable() -> None:
    assert desired_issue(spec(), LABEL, None, REPO).assignee == "ben-okafor"


def test_unknown_severity_gets_a_grey_label() -> None:
    desired = desired_issue(replace(spec(), severity="P9", severity_name=None, severity_rank=None), LABEL, True, REPO)
    assert [(s.name, s.color) for s in desired.labels][-1] == ("severity:P9", "ededed")
