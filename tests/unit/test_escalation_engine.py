"""The escalation engine with hand-written resolvers: instants, offsets, people."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

import pytest

from opsrepo import model as m
from opsrepo.escalation import Notification, Reached, policy_id_for, run_policy, schedule
from opsrepo.escalation.engine import Resolver, chain_length
from opsrepo.timeutil import parse_duration

NOWHERE = m.Src(None)


def at(text: str) -> datetime:
    """An aware instant (tests write UTC with Z)."""
    return datetime.fromisoformat(text)


def policy(*levels: tuple[str, str], repeat: int = 0, pid: str = "p", when_nobody: str = "wait",
           ) -> m.EscalationPolicy:
    """``policy(("schedule:a person:b", "5m"), ...)``."""
    return m.EscalationPolicy(pid, tuple(
        m.EscalationLevel(i, tuple(m.Target(*t.split(":")) for t in targets.split()), parse_duration(wait),
                          NOWHERE)
        for i, (targets, wait) in enumerate(levels)
    ), NOWHERE, repeat=repeat, when_nobody=when_nobody)


def person(pid: str) -> m.Person:
    return m.Person(pid, pid.title(), "Europe/Berlin", "t", NOWHERE)


def repo(people: str = "", schedules: str = "", teams: dict[str, tuple[str, str]] | None = None) -> m.Repo:
    """People and schedule ids space-separated; teams map id -> (people, members)."""
    teams = teams or {}
    return m.Repo(
        org=m.Org("Test", "Europe/Berlin", NOWHERE),
        teams={tid: m.Team(tid, tid, NOWHERE, people=tuple(own.split()), members=tuple(members.split()))
               for tid, (own, members) in teams.items()},
        people={pid: person(pid) for pid in people.split()}, services={}, alerts={},
        schedules={sid: m.Schedule(sid, sid, "t", "Europe/Berlin", NOWHERE) for sid in schedules.split()},
        severities=(), policies={}, runbooks={}, postmortems={},
    )


def rota(**handoffs: Iterable[tuple[str, str | None]]) -> Resolver:
    """A resolver from ``schedule=[(from_instant, person or None), ...]`` (sorted)."""
    table = {sid: [(at(start), who) for start, who in turns] for sid, turns in handoffs.items()}

    def resolve(schedule_id: str, instant: datetime) -> str | None:
        current = None
        for start, who in table[schedule_id]:
            if start <= instant:
                current = who
        return current

    return resolve


def rows(notifications: Iterable[Notification]) -> list[tuple[int, int, str, float, list[str]]]:
    """(level, cycle, notify_at, offset in minutes, people) of each notification."""
    return [(n.level, n.cycle, n.notify_at.isoformat(), n.offset / timedelta(minutes=1), list(n.people))
            for n in notifications]


KESTREL = repo("ana ben cleo dan boss", "primary secondary")
#: primary hands off from ana to ben at 09:00; secondary is cleo all day
HANDOFF = rota(primary=[("2026-11-30T00:00Z", "ana"), ("2026-11-30T09:00Z", "ben")],
               secondary=[("2026-11-30T00:00Z", "cleo")])
THREE_LEVELS = policy(("schedule:primary", "5m"), ("schedule:secondary", "10m"), ("person:boss", "15m"), repeat=1)


@pytest.mark.parametrize(("trigger", "expected"), [
    pytest.param("2026-11-30T08:50:00+00:00", [
        (1, 0, "2026-11-30T08:50:00+00:00", 0, ["ana"]),
        (2, 0, "2026-11-30T08:55:00+00:00", 5, ["cleo"]),
        (3, 0, "2026-11-30T09:05:00+00:00", 15, ["boss"]),
        (1, 1, "2026-11-30T09:20:00+00:00", 30, ["ben"]),   # the repeat reaches the new primary
        (2, 1, "2026-11-30T09:25:00+00:00", 35, ["cleo"]),
        (3, 1, "2026-11-30T09:35:00+00:00", 45, ["boss"]),
    ], id="handoff-between-the-runs"),
    pytest.param("2026-11-30T08:30:00+00:00", [
        (1, 0, "2026-11-30T08:30:00+00:00", 0, ["ana"]),
        (2, 0, "2026-11-30T08:35:00+00:00", 5, ["cleo"]),
        (3, 0, "2026-11-30T08:45:00+00:00", 15, ["boss"]),
        (1, 1, "2026-11-30T09:00:00+00:00", 30, ["ben"]),   # notified exactly at the handoff: the new person
        (2, 1, "2026-11-30T09:05:00+00:00", 35, ["cleo"]),
        (3, 1, "2026-11-30T09:15:00+00:00", 45, ["boss"]),
    ], id="notified-at-the-handoff-instant"),
    pytest.param("2026-11-30T08:29:59+00:00", [
        (1, 0, "2026-11-30T08:29:59+00:00", 0, ["ana"]),
        (2, 0, "2026-11-30T08:34:59+00:00", 5, ["cleo"]),
        (3, 0, "2026-11-30T08:44:59+00:00", 15, ["boss"]),
        (1, 1, "2026-11-30T08:59:59+00:00", 30, ["ana"]),   # one second before it: still the old person
        (2, 1, "2026-11-30T09:04:59+00:00", 35, ["cleo"]),
        (3, 1, "2026-11-30T09:14:59+00:00", 45, ["boss"]),
    ], id="one-second-before-the-handoff"),
])
def test_three_levels_with_repeat_and_a_handoff_mid_chain(trigger: str, expected: list[object]) -> None:
    assert rows(run_policy(KESTREL, THREE_LEVELS, at(trigger), HANDOFF)) == expected


def test_each_level_waits_from_its_own_notification() -> None:
    chain = policy(("person:ana", "1m"), ("person:ben", "1h30m"), ("person:cleo", "90s"), repeat=2)
    offsets = [(cycle, offset / timedelta(seconds=1), level.index + 1) for cycle, offset, level in schedule(chain)]
    assert offsets == [
        (0, 0, 1), (0, 60, 2), (0, 5460, 3),
        (1, 5550, 1), (1, 5610, 2), (1, 11010, 3),
        (2, 11100, 1), (2, 11160, 2), (2, 16560, 3),
    ]
    assert chain_length(chain) == timedelta(seconds=16560)


def test_without_repeat_each_level_is_notified_once() -> None:
    chain = policy(("person:ana", "5m"), ("person:ben", "5m"))
    assert rows(run_policy(KESTREL, chain, at("2026-11-30T23:58:00Z"), HANDOFF)) == [
        (1, 0, "2026-11-30T23:58:00+00:00", 0, ["ana"]),
        (2, 0, "2026-12-01T00:03:00+00:00", 5, ["ben"]),
    ]


@pytest.mark.parametrize(("teams", "expected"), [
    pytest.param({"leads": ("boss", "dan boss ana")}, ("dan", "boss", "ana"), id="members-in-their-order"),
    pytest.param({"leads": ("dan boss", "")}, ("dan", "boss"), id="no-members-listed-uses-its-people"),
])
def test_a_team_target_notifies_every_member(teams: dict[str, tuple[str, str]], expected: tuple[str, ...]) -> None:
    chain = policy(("team:leads", "5m"))
    (notification,) = run_policy(repo("ana dan boss", teams=teams), chain, at("2026-11-30T08:00Z"), HANDOFF)
    assert notification.reached == (Reached(m.Target("team", "leads"), expected),)
    assert notification.people == expected


def test_people_reached_twice_in_one_level_are_listed_once() -> None:
    chain = policy(("schedule:primary team:leads person:ana", "5m"))
    world = repo("ana ben boss", "primary", teams={"leads": ("", "boss ana ben")})
    (notification,) = run_policy(world, chain, at("2026-11-30T08:00Z"), HANDOFF)
    assert [r.people for r in notification.reached] == [("ana",), ("boss", "ana", "ben"), ("ana",)]
    assert notification.people == ("ana", "boss", "ben")
    assert [str(t) for t in notification.targets] == ["schedule:primary", "team:leads", "person:ana"]


def test_a_level_that_resolves_to_nobody_is_visible() -> None:
    gap = rota(primary=[("2026-11-30T00:00Z", "ana"), ("2026-11-30T17:00Z", None), ("2026-12-01T08:00Z", "ben")])
    chain = policy(("schedule:primary", "5m"), ("person:boss", "10m"))
    notifications = run_policy(repo("ana ben boss", "primary"), chain, at("2026-11-30T16:58Z"), gap)
    assert rows(notifications) == [
        (1, 0, "2026-11-30T16:58:00+00:00", 0, ["ana"]),
        (2, 0, "2026-11-30T17:03:00+00:00", 5, ["boss"]),
    ]
    (first, _) = run_policy(repo("ana ben boss", "primary"), chain, at("2026-11-30T17:00Z"), gap)
    assert first.reached == (Reached(m.Target("schedule", "primary"), (), "nobody on call"),)
    assert first.people == ()


#: primary is empty from 17:00 to 08:00; secondary always has cleo
NIGHT_GAP = rota(primary=[("2026-11-30T00:00Z", "ana"), ("2026-11-30T17:00Z", None), ("2026-12-01T08:00Z", "ben")],
                 secondary=[("2026-11-30T00:00Z", "cleo")])


@pytest.mark.parametrize(("when_nobody", "expected"), [
    pytest.param("wait", [
        (1, 0, "2026-11-30T17:00:00+00:00", 0, []),           # waits its 5m although it reached nobody
        (2, 0, "2026-11-30T17:05:00+00:00", 5, ["cleo"]),
        (1, 1, "2026-11-30T17:15:00+00:00", 15, []),
        (2, 1, "2026-11-30T17:20:00+00:00", 20, ["cleo"]),
    ], id="wait"),
    pytest.param("skip", [
        (1, 0, "2026-11-30T17:00:00+00:00", 0, []),           # skipped: level 2 at once
        (2, 0, "2026-11-30T17:00:00+00:00", 0, ["cleo"]),
        (1, 1, "2026-11-30T17:10:00+00:00", 10, []),
        (2, 1, "2026-11-30T17:10:00+00:00", 10, ["cleo"]),
    ], id="skip"),
])
def test_when_nobody_decides_whether_an_empty_level_waits(when_nobody: str, expected: list[object]) -> None:
    chain = policy(("schedule:primary", "5m"), ("schedule:secondary", "10m"), repeat=1, when_nobody=when_nobody)
    notifications = run_policy(KESTREL, chain, at("2026-11-30T17:00Z"), NIGHT_GAP)
    assert rows(notifications) == expected
    assert [n.skipped for n in notifications] == [when_nobody == "skip", False] * 2


def test_skip_resolves_the_next_level_at_the_skipped_instant_across_a_handoff() -> None:
    """Level 1 is skipped at 16:58, level 2 reaches ana at once and waits its 5m as usual."""
    chain = policy(("schedule:secondary", "5m"), ("schedule:primary", "5m"), ("person:boss", "5m"),
                   when_nobody="skip")
    gap = rota(secondary=[("2026-11-30T00:00Z", None)],
               primary=[("2026-11-30T00:00Z", "ana"), ("2026-11-30T17:00Z", None)])
    assert rows(run_policy(KESTREL, chain, at("2026-11-30T16:58Z"), gap)) == [
        (1, 0, "2026-11-30T16:58:00+00:00", 0, []),
        (2, 0, "2026-11-30T16:58:00+00:00", 0, ["ana"]),        # reached: waits 5m
        (3, 0, "2026-11-30T17:03:00+00:00", 5, ["boss"]),
    ]


def test_a_chain_that_reaches_nobody_with_skip_notifies_every_level_at_the_trigger() -> None:
    chain = policy(("schedule:primary", "5m"), ("schedule:primary", "10m"), repeat=2, when_nobody="skip")
    notifications = run_policy(KESTREL, chain, at("2026-11-30T18:00Z"), NIGHT_GAP)
    assert {n.offset for n in notifications} == {timedelta(0)}
    assert len(notifications) == 6


@pytest.mark.parametrize(("target", "problem"), [
    ("schedule:ghost", "unknown schedule 'ghost'"),
    ("person:ghost", "unknown person 'ghost'"),
    ("team:ghost", "unknown team 'ghost'"),
    ("team:empty", "the team has no members"),
])
def test_targets_that_cannot_resolve_say_why(target: str, problem: str) -> None:
    world = repo("ana", teams={"empty": ("", "")})
    (notification,) = run_policy(world, policy((target, "5m")), at("2026-11-30T08:00Z"), HANDOFF)
    assert notification.reached == (Reached(m.Target(*target.split(":")), (), problem),)


def test_the_resolver_is_asked_at_each_notification_instant() -> None:
    asked: list[tuple[str, str]] = []

    def resolver(schedule_id: str, instant: datetime) -> str | None:
        asked.append((schedule_id, instant.isoformat()))
        return "ana"

    run_policy(KESTREL, THREE_LEVELS, at("2026-11-30T08:00Z"), resolver)
    assert asked == [
        ("primary", "2026-11-30T08:00:00+00:00"), ("secondary", "2026-11-30T08:05:00+00:00"),
        ("primary", "2026-11-30T08:30:00+00:00"), ("secondary", "2026-11-30T08:35:00+00:00"),
    ]


SERVICE = m.Service("api", "t", "default", NOWHERE, severity_policies={"SEV0": "critical", "SEV1": "major"})


@pytest.mark.parametrize(("severity", "expected"), [
    ("SEV0", "critical"), ("SEV1", "major"), ("SEV2", "default"), (None, "default"),
])
def test_a_service_overrides_its_policy_per_severity(severity: str | None, expected: str) -> None:
    assert policy_id_for(SERVICE, severity) == expected
