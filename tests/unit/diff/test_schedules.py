from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from opsrepo import model as m
from opsrepo.diff import diff_repos
from opsrepo.diff.model import Load
from opsrepo.diff.schedules import fingerprint, named_people
from opsrepo.oncall import final_shifts
from tests.unit.diff.repos import NOW, minimal_text, repo

SCHEDULE = minimal_text("schedules/core-primary.yaml")
TEAM = minimal_text("teams/core.yaml")
SECONDARY = ("id: core-secondary\nname: Core secondary\nteam: core\ntimezone: Europe/Berlin\ncoverage: 24x7\n"
             "derive: {from: core-primary, offset: 1}\n")
OTHER = SCHEDULE.replace("core-primary", "web-primary").replace("Core primary", "Web primary")


class Counting:
    """The real engine, counting which schedules it computes."""

    def __init__(self) -> None:
        self.calls: list[str] = []

    def __call__(self, repo: m.Repo, schedule_id: str, start: datetime, end: datetime) -> Sequence[object]:
        self.calls.append(schedule_id)
        return final_shifts(repo, schedule_id, start, end)


def test_unchanged_schedules_are_never_computed() -> None:
    before = repo({"schedules/web-primary.yaml": OTHER})
    after = repo({"schedules/web-primary.yaml": OTHER.replace(
        "length: 1w", 'length: 1w\noverrides:\n  - {person: ana, from: "2026-12-01T09:00", to: "2026-12-02T09:00"}')})
    engine = Counting()
    diff = diff_repos(before, after, NOW, shifts=engine)  # type: ignore[arg-type]
    assert [s.id for s in diff.schedules] == ["web-primary"]
    # web-primary at both revisions; core-primary once, shared, for the load of ana and ben
    assert sorted(engine.calls) == ["core-primary", "web-primary", "web-primary"]


def test_time_off_of_a_member_changes_the_fingerprint() -> None:
    away = TEAM.replace("{id: ben, name: Ben Okafor, timezone: Europe/Berlin, country: DE, github: ben-okafor}",
                        "{id: ben, name: Ben Okafor, timezone: Europe/Berlin, country: DE, github: ben-okafor,\n"
                        "     time_off: [{from: 2026-12-14, to: 2026-12-20}]}")
    assert fingerprint(repo(), "core-primary") != fingerprint(repo({"teams/core.yaml": away}), "core-primary")
    diff = diff_repos(repo(), repo({"teams/core.yaml": away}), NOW)
    [schedule] = diff.schedules
    assert [(m.start.date().isoformat(), m.before.id if m.before else None, m.after.id if m.after else None)
            for m in schedule.moves] == [("2026-12-14", "ben", "cleo")]


def test_a_rename_or_a_new_email_is_not_a_change() -> None:
    renamed = TEAM.replace("Ana Silva", "Ana Souza")
    assert fingerprint(repo(), "core-primary") == fingerprint(repo({"teams/core.yaml": renamed}), "core-primary")
    assert diff_repos(repo(), repo({"teams/core.yaml": renamed}), NOW).changed is False


def test_a_derived_schedule_follows_its_source() -> None:
    before = repo({"schedules/core-secondary.yaml": SECONDARY})
    after = repo({"schedules/core-secondary.yaml": SECONDARY,
                  "schedules/core-primary.yaml": SCHEDULE.replace("[ana, ben, cleo]", "[cleo, ben, ana]")})
    assert named_people(after, "core-secondary") == {"ana", "ben", "cleo"}
    assert [s.id for s in diff_repos(before, after, NOW).schedules] == ["core-primary", "core-secondary"]


def test_a_persons_new_timezone_changes_their_load_without_moving_turns() -> None:
    moved = TEAM.replace("{id: ana, name: Ana Silva, timezone: Europe/Berlin, country: DE",
                         "{id: ana, name: Ana Silva, timezone: America/New_York, country: US")
    diff = diff_repos(repo(), repo({"teams/core.yaml": moved}), NOW)
    assert diff.schedules == ()
    [delta] = diff.people
    assert delta.person.id == "ana"
    assert (delta.before.hours, delta.after.hours) == (433, 433)
    assert delta.before.nights != delta.after.nights or delta.before.holidays != delta.after.holidays


def test_a_removed_schedule_drops_its_turns() -> None:
    before = repo({"schedules/web-primary.yaml": OTHER.replace("[ana, ben, cleo]", "[cleo, ana, ben]")})
    diff = diff_repos(before, repo(), NOW, timedelta(days=14))
    [schedule] = diff.schedules
    assert (schedule.id, schedule.status) == ("web-primary", "removed")
    assert all(move.after is None for move in schedule.moves)
    # web-primary gave ben the week core-primary did not: he loses it; ana and cleo lose their web weeks
    assert [(d.person.id, d.before, d.after) for d in diff.people] == [
        ("ana", Load(168, 56, 7, 2, 0), Load(1, 0, 0, 0, 0)),
        ("ben", Load(335, 112, 14, 4, 0), Load(167, 56, 7, 2, 0)),
        ("cleo", Load(169, 56, 7, 2, 0), Load(168, 56, 7, 2, 0)),
    ]


def test_time_on_two_schedules_at_once_counts_once() -> None:
    # an exact copy of core-primary puts everyone on call at the same times: removing it changes no one's load
    diff = diff_repos(repo({"schedules/web-primary.yaml": OTHER}), repo(), NOW, timedelta(days=14))
    assert [s.id for s in diff.schedules] == ["web-primary"]
    assert diff.people == ()
