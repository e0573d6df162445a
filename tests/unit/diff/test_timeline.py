from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from opsrepo.diff.timeline import Difference, Segment, differences, held_by, timeline
from tests.unit.diff.repos import FakeShift, at


def test_timeline_clips_fills_gaps_and_merges_equal_neighbours() -> None:
    shifts = [
        FakeShift("ana", at(20), at(24)),
        FakeShift("ana", at(24), at(25)),  # same person again: one segment
        FakeShift("ben", at(26), at(30)),  # a gap before it
    ]
    assert timeline(shifts, at(23), at(28)) == [
        Segment(at(23), at(25), "ana"),
        Segment(at(25), at(26), None),
        Segment(at(26), at(28), "ben"),
    ]


def test_timeline_of_nothing_is_one_gap() -> None:
    assert timeline([], at(23), at(28)) == [Segment(at(23), at(28), None)]


def test_timeline_ignores_shifts_outside_the_window_and_unsorted_input() -> None:
    shifts = [FakeShift("ben", at(25), at(27)), FakeShift("ana", at(1), at(2)), FakeShift("cleo", at(23), at(25))]
    assert timeline(shifts, at(23), at(26)) == [Segment(at(23), at(25), "cleo"), Segment(at(25), at(26), "ben")]


def test_differences_merge_contiguous_moves_with_the_same_people() -> None:
    before = [Segment(at(23), at(24), "ana"), Segment(at(24), at(25), "ana2"), Segment(at(25), at(27), "ben")]
    after = [Segment(at(23), at(23, 12), "ana"), Segment(at(23, 12), at(27), "cleo")]
    assert differences(before, after) == [
        Difference(at(23, 12), at(24), "ana", "cleo"),
        Difference(at(24), at(25), "ana2", "cleo"),
        Difference(at(25), at(27), "ben", "cleo"),
    ]


def test_differences_of_equal_timelines_are_empty() -> None:
    segments = [Segment(at(23), at(24), "ana"), Segment(at(24), at(25), None)]
    assert differences(segments, list(segments)) == []


def test_differences_name_gaps_as_nobody() -> None:
    before = [Segment(at(23), at(25), None)]
    after = [Segment(at(23), at(24), "ana"), Segment(at(24), at(25), None)]
    assert differences(before, after) == [Difference(at(23), at(24), None, "ana")]


def test_held_by_groups_segments_per_person() -> None:
    segments = [Segment(at(23), at(24), "ana"), Segment(at(24), at(25), None), Segment(at(25), at(26), "ana")]
    assert held_by(segments) == {"ana": [segments[0], segments[2]]}


START = datetime(2026, 11, 23, tzinfo=UTC)
people = st.sampled_from(["ana", "ben", "cleo", None])
turns = st.lists(st.tuples(st.integers(1, 30), people), max_size=12)


def as_shifts(spec: list[tuple[int, str | None]]) -> list[FakeShift]:
    shifts, cursor = [], START
    for hours, person in spec:
        end = cursor + timedelta(hours=hours)
        if person is not None:
            shifts.append(FakeShift(person, cursor, end))
        cursor = end
    return shifts


def person_at(segments: list[Segment], instant: datetime) -> str | None:
    return next(s.person for s in segments if s.start <= instant < s.end)


@given(turns, turns)
def test_differences_are_exactly_the_instants_where_people_differ(old: list, new: list) -> None:
    end = START + timedelta(hours=200)
    before, after = timeline(as_shifts(old), START, end), timeline(as_shifts(new), START, end)
    found = differences(before, after)
    for hour in range(200):
        instant = START + timedelta(hours=hour)
        inside = [d for d in found if d.start <= instant < d.end]
        differ = person_at(before, instant) != person_at(after, instant)
        assert len(inside) == (1 if differ else 0)
        if inside:
            assert (inside[0].before, inside[0].after) == (person_at(before, instant), person_at(after, instant))
    assert all(a.end <= b.start for a, b in itertools.pairwise(found))
    assert all(not (a.end == b.start and (a.before, a.after) == (b.before, b.after))
               for a, b in itertools.pairwise(found))


@given(turns)
def test_timeline_tiles_the_window(spec: list) -> None:
    end = START + timedelta(hours=100)
    segments = timeline(as_shifts(spec), START, end)
    assert segments[0].start == START and segments[-1].end == end
    assert all(a.end == b.start and a.person != b.person for a, b in itertools.pairwise(segments))
    assert all(s.start < s.end for s in segments)
