"""Properties of chains and gap arithmetic, for any policy shape (hypothesis)."""

from __future__ import annotations

import itertools
from datetime import datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from opsrepo.escalation import run_policy
from opsrepo.escalation.gaps import Interval, chain_gaps, complement, intersect
from tests.unit.test_escalation_engine import KESTREL, policy

TRIGGER = datetime.fromisoformat("2026-11-30T08:00Z")
waits = st.lists(st.integers(min_value=1, max_value=180), min_size=1, max_size=6)
repeats = st.integers(min_value=0, max_value=4)


@given(waits, repeats)
def test_every_level_is_notified_once_per_run_in_time_order(minutes: list[int], repeat: int) -> None:
    chain = policy(*(("person:ana", f"{m}m") for m in minutes), repeat=repeat)
    notifications = run_policy(KESTREL, chain, TRIGGER, lambda schedule_id, at: None)
    assert len(notifications) == len(minutes) * (repeat + 1)
    assert [n.level for n in notifications] == list(range(1, len(minutes) + 1)) * (repeat + 1)
    for before, after in itertools.pairwise(notifications):
        assert after.notify_at - before.notify_at == before.escalate_after   # each waits from its own notification
    assert all(n.notify_at == TRIGGER + n.offset for n in notifications)


def hours(values: list[int]) -> list[Interval]:
    """Sorted disjoint intervals from a list of hour marks (pairs of distinct sorted values)."""
    marks = sorted(set(values))
    start = datetime.fromisoformat("2026-11-30T00:00Z")
    return [(start + timedelta(hours=a), start + timedelta(hours=b)) for a, b in zip(marks[::2], marks[1::2],
                                                                                        strict=False)]


marks = st.lists(st.integers(min_value=0, max_value=96), max_size=12)


@given(marks, marks)
def test_intersection_is_inside_both_and_symmetric(left: list[int], right: list[int]) -> None:
    a, b = hours(left), hours(right)
    both = intersect(a, b)
    assert both == intersect(b, a)
    for low, high in both:
        assert low < high
        assert any(x <= low and high <= y for x, y in a)
        assert any(x <= low and high <= y for x, y in b)


@given(marks)
def test_complement_twice_is_the_identity_and_the_two_tile_the_window(values: list[int]) -> None:
    start, end = datetime.fromisoformat("2026-11-30T00:00Z"), datetime.fromisoformat("2026-12-04T00:00Z")
    busy = hours(values)   # disjoint, not touching, inside the window
    assert complement(complement(busy, start, end), start, end) == busy
    total = sum(((b - a) for a, b in busy + complement(busy, start, end)), timedelta(0))
    assert total == end - start


@given(marks, st.integers(min_value=1, max_value=300), repeats)
def test_a_chain_on_one_schedule_misses_only_where_its_first_notification_does(
    values: list[int], wait: int, repeat: int,
) -> None:
    gaps = hours(values)
    start, end = datetime.fromisoformat("2026-11-30T00:00Z"), datetime.fromisoformat("2026-12-04T00:00Z")
    chain = policy(("schedule:primary", f"{wait}m"), repeat=repeat)
    missed = chain_gaps(KESTREL, chain, lambda schedule_id: gaps, start, end)
    for low, high in missed:
        assert any(x <= low and high <= y for x, y in gaps)
        for run in range(repeat + 1):   # every run of the chain falls in a gap too
            offset = timedelta(minutes=wait * run)
            assert any(x <= low + offset and high + offset <= y for x, y in gaps)


@given(marks, marks, waits, st.booleans())
def test_a_chain_over_integer_instants_misses_what_it_misses_over_datetimes(
    first: list[int], second: list[int], minutes: list[int], skips: bool,
) -> None:
    from opsrepo.oncall.clock import from_micros, to_micros

    by_schedule = {"primary": hours(first), "secondary": hours(second)}
    targets = ("schedule:primary", "schedule:secondary")
    chain = policy(*((targets[index % 2], f"{m}m") for index, m in enumerate(minutes)),
                   when_nobody="skip" if skips else "wait")
    start, end = datetime.fromisoformat("2026-11-30T00:00Z"), datetime.fromisoformat("2026-12-04T00:00Z")
    missed = chain_gaps(KESTREL, chain, by_schedule.__getitem__, start, end)
    in_micros = {sid: [(to_micros(low), to_micros(high)) for low, high in gaps] for sid, gaps in by_schedule.items()}
    found = chain_gaps(KESTREL, chain, in_micros.__getitem__, to_micros(start), to_micros(end))
    assert [(from_micros(low), from_micros(high)) for low, high in found] == missed
