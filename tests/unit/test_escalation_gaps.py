"""Interval arithmetic behind OPS414/OPS415: when a level, or a whole chain, reaches nobody."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

import pytest

from opsrepo.escalation.gaps import Interval, chain_gaps, complement, intersect, level_gaps, shift
from tests.unit.test_escalation_engine import policy, repo


def t(hour: float) -> datetime:
    """An instant ``hour`` hours after 2026-11-30T00:00Z."""
    return datetime.fromisoformat("2026-11-30T00:00Z") + timedelta(hours=hour)


def spans(*pairs: tuple[float, float]) -> list[Interval]:
    return [(t(a), t(b)) for a, b in pairs]


@pytest.mark.parametrize(("busy", "expected"), [
    ([], [(0, 24)]),
    ([(0, 24)], []),
    ([(-5, 30)], []),
    ([(0, 9), (9, 17)], [(17, 24)]),                 # touching shifts leave no gap
    ([(1, 2), (4, 5)], [(0, 1), (2, 4), (5, 24)]),
    ([(4, 5), (1, 2)], [(0, 1), (2, 4), (5, 24)]),   # unsorted input
    ([(1, 6), (2, 3)], [(0, 1), (6, 24)]),           # nested
    ([(20, 30)], [(0, 20)]),                         # past the end
])
def test_complement(busy: list[tuple[float, float]], expected: list[tuple[float, float]]) -> None:
    assert complement(spans(*busy), t(0), t(24)) == spans(*expected)


@pytest.mark.parametrize(("left", "right", "expected"), [
    ([(0, 10)], [(5, 15)], [(5, 10)]),
    ([(0, 10)], [(10, 15)], []),                     # half-open: touching is not overlapping
    ([(0, 2), (4, 6), (8, 10)], [(1, 9)], [(1, 2), (4, 6), (8, 9)]),
    ([(0, 24)], [], []),
])
def test_intersect(left: list[tuple[float, float]], right: list[tuple[float, float]],
                   expected: list[tuple[float, float]]) -> None:
    assert intersect(spans(*left), spans(*right)) == spans(*expected)
    assert intersect(spans(*right), spans(*left)) == spans(*expected)


def test_shift() -> None:
    assert shift(spans((1, 2)), timedelta(hours=-1)) == spans((0, 1))


WORLD = repo("boss", "day night", teams={"leads": ("", "boss"), "empty": ("", "")})
GAPS = {"day": spans((0, 9), (17, 33), (41, 48)), "night": spans((8, 16), (32, 40))}


def gaps_of(schedule_id: str) -> Sequence[Interval]:
    return GAPS[schedule_id]


@pytest.mark.parametrize(("targets", "expected"), [
    ("schedule:day", [(0, 9), (17, 33), (41, 48)]),
    ("schedule:day schedule:night", [(8, 9), (32, 33)]),   # nobody only where both are empty
    ("schedule:day person:boss", []),                      # a person is always reached
    ("schedule:day team:leads", []),
    ("schedule:day team:empty", [(0, 9), (17, 33), (41, 48)]),  # reported by OPS410, left out here
    ("schedule:day schedule:ghost", [(0, 9), (17, 33), (41, 48)]),
])
def test_level_gaps(targets: str, expected: list[tuple[float, float]]) -> None:
    (level,) = policy((targets, "5m")).levels
    assert level_gaps(WORLD, level, gaps_of) == spans(*expected)


def test_a_level_of_unresolvable_targets_cannot_be_judged() -> None:
    (level,) = policy(("schedule:ghost team:empty", "5m")).levels
    assert level_gaps(WORLD, level, gaps_of) is None


def test_a_chain_reaches_nobody_only_where_every_notification_falls_in_a_gap() -> None:
    # level 1 at T (day), level 2 at T+1h (night): nobody when day is empty at T and night at T+1h
    chain = policy(("schedule:day", "1h"), ("schedule:night", "5m"))
    assert chain_gaps(WORLD, chain, gaps_of, t(0), t(48)) == spans((7, 9), (31, 33))


def test_a_repeated_chain_must_miss_on_every_run() -> None:
    once = policy(("schedule:night", "2h"))
    twice = policy(("schedule:night", "2h"), repeat=1)   # notified at T and at T+2h
    assert chain_gaps(WORLD, once, gaps_of, t(0), t(48)) == spans((8, 16), (32, 40))
    assert chain_gaps(WORLD, twice, gaps_of, t(0), t(48)) == spans((8, 14), (32, 38))


def test_a_chain_with_a_level_that_cannot_be_judged_is_not_reported() -> None:
    chain = policy(("schedule:day", "5m"), ("schedule:ghost", "5m"))
    assert chain_gaps(WORLD, chain, gaps_of, t(0), t(48)) == []


def test_triggers_are_limited_to_chains_that_end_within_the_horizon() -> None:
    chain = policy(("schedule:day", "4h"), ("schedule:day", "5m"))
    # day is empty at T and T+4h for T in [0, 5) and [17, 29) and [41, 44); the horizon ends at 48h
    assert chain_gaps(WORLD, chain, gaps_of, t(0), t(48)) == spans((0, 5), (17, 29), (41, 44))


def test_a_level_with_a_person_means_the_chain_always_reaches_someone() -> None:
    chain = policy(("schedule:day", "5m"), ("person:boss", "5m"))
    assert chain_gaps(WORLD, chain, gaps_of, t(0), t(48)) == []


def test_with_skip_a_chain_reaches_nobody_only_where_every_level_is_empty_at_the_trigger() -> None:
    """Unlike wait, the levels' gaps are not shifted by their offsets: every skipped level is notified at T."""
    world = repo("", "a b")
    gaps = {"a": spans((10, 14)), "b": spans((12, 20))}
    wait = policy(("schedule:a", "1h"), ("schedule:b", "1h"))
    skip = policy(("schedule:a", "1h"), ("schedule:b", "1h"), when_nobody="skip")
    assert chain_gaps(world, wait, gaps.__getitem__, t(0), t(24)) == spans((11, 14))
    assert chain_gaps(world, skip, gaps.__getitem__, t(0), t(24)) == spans((12, 14))
