"""The proof (interval comparison) and the file plan (create, keep, merge, refuse, --force)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from itertools import pairwise

from hypothesis import given
from hypothesis import strategies as st

from opsrepo.importers.files import CREATED, KEPT, MERGED, REFUSED, REWRITTEN, UNCHANGED, merge_team, plan
from opsrepo.importers.result import Difference
from opsrepo.importers.verify import compare, segments

T0 = datetime(2026, 11, 23, tzinfo=UTC)


def t(hours: float) -> datetime:
    return T0 + timedelta(hours=hours)


def test_segments_are_sets_of_people_with_the_gaps() -> None:
    entries = [(t(0), t(8), "ana"), (t(4), t(12), "ben"), (t(14), t(30), "ana")]
    assert segments(entries, t(0), t(24)) == [
        (t(0), t(4), frozenset({"ana"})),
        (t(4), t(8), frozenset({"ana", "ben"})),
        (t(8), t(12), frozenset({"ben"})),
        (t(12), t(14), frozenset()),
        (t(14), t(24), frozenset({"ana"})),
    ]


ENTRIES = st.lists(
    st.tuples(st.integers(-4, 30), st.integers(1, 12), st.sampled_from(["ana", "ben", "cy"])), max_size=12
)


@given(ENTRIES)
def test_segments_tile_the_window_with_who_is_on_call_at_each_instant(
    drawn: list[tuple[int, int, str]],
) -> None:
    entries = [(t(a), t(a + n), who) for a, n, who in drawn]
    found = segments(entries, t(0), t(24))
    assert found[0][0] == t(0) and found[-1][1] == t(24)
    assert all(left[1] == right[0] and left[2] != right[2] for left, right in pairwise(found))
    for low, high, people in found:
        for instant in (low, high - timedelta(minutes=30)):
            assert people == {who for a, b, who in entries if a <= instant < b}


def test_equal_sides_split_differently_do_not_differ() -> None:
    ours = [(t(0), t(12), "ana"), (t(12), t(24), "ana")]
    assert compare(ours, [(t(-5), t(30), "ana")], t(0), t(24)) == []


def test_every_differing_interval_is_listed_with_both_sides_and_the_reasons() -> None:
    ours = [(t(0), t(10), "ana"), (t(10), t(24), "ben")]
    theirs = [(t(0), t(9), "ana"), (t(9), t(20), "ben"), (t(20), t(24), "ben"), (t(20), t(24), "cy")]
    assert compare(ours, theirs, t(0), t(24), reasons=("a loss",)) == [
        Difference(t(9), t(10), ("ana",), ("ben",), ("a loss",)),
        Difference(t(20), t(24), ("ben",), ("ben", "cy"), ("a loss",)),
    ]


def test_a_gap_on_one_side_is_a_difference_and_under_a_minute_is_not() -> None:
    ours = [(t(0), t(24), "ana")]
    theirs = [(t(0), t(6), "ana"), (t(6) + timedelta(seconds=30), t(12), "ana"), (t(13), t(24), "ana")]
    assert compare(ours, theirs, t(0), t(24)) == [Difference(t(12), t(13), ("ana",), ())]


TEAM = {
    "id": "ops",
    "name": "Ops",
    "people": [{"id": "ana", "name": "Ana", "timezone": "UTC"}],
    "members": ["ana", "ben"],
    "services": [{"id": "web", "escalation_policy": "ops"}],
}


def test_a_team_file_keeps_what_it_has_and_gains_what_it_lacks() -> None:
    current = {
        "id": "ops",
        "name": "Operations",
        "chat": "#ops",
        "people": [{"id": "ana", "name": "Ana S.", "timezone": "Europe/Lisbon", "github": "ana-s"}],
    }
    assert merge_team(current, TEAM) == {
        "id": "ops",
        "name": "Operations",
        "chat": "#ops",
        "people": [{"id": "ana", "name": "Ana S.", "timezone": "Europe/Lisbon", "github": "ana-s"}],
        "members": ["ana", "ben"],
        "services": [{"id": "web", "escalation_policy": "ops"}],
    }


def test_the_plan_creates_keeps_merges_and_refuses() -> None:
    docs = {
        "opsrepo.yaml": {"name": "X", "timezone": "UTC"},
        "teams/ops.yaml": TEAM,
        "schedules/a.yaml": {"id": "a", "name": "A", "team": "ops"},
        "schedules/b.yaml": {"id": "b", "name": "B", "team": "ops"},
    }
    first = plan(docs, {}, force=False)
    assert [p.status for p in first] == [CREATED] * 4
    texts = {p.path: p.text for p in first}
    texts["opsrepo.yaml"] = "name: Ours\ntimezone: UTC\n"
    texts["schedules/b.yaml"] = "id: b\n"
    texts["teams/ops.yaml"] = "id: ops\nname: Ops\n"
    assert [(p.path, p.status) for p in plan(docs, texts, force=False)] == [
        ("opsrepo.yaml", KEPT),
        ("teams/ops.yaml", REFUSED),
        ("schedules/a.yaml", UNCHANGED),
        ("schedules/b.yaml", REFUSED),
    ]
    forced = plan(docs, texts, force=True)
    assert [p.status for p in forced] == [KEPT, MERGED, UNCHANGED, REWRITTEN]
    assert forced[3].text == first[3].text
