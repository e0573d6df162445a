"""The one shift rule (issue 17 part 5) on generated schedules: the engine, ``oncall``'s JSON and person pages agree.

A shift is a maximal run of one person on call: touching pieces of one
person (other layers, overrides, covers) are one shift; a gap or another
person ends it.
"""

from __future__ import annotations

import itertools
import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from opsrepo import model as m
from opsrepo.oncall import ON_CALL_HORIZON, final_shifts
from opsrepo.oncall.clock import to_micros
from opsrepo.oncall.query import OncallRequest, answer
from opsrepo.oncall.render import to_json
from opsrepo.oncall.rotation import window_spans
from opsrepo.oncall.shifts import Stretch, merge_pieces, next_stretches, person_stretches, stretch_at
from opsrepo.oncall.status import GAP, OFF_HOURS, ON_CALL, status_at
from opsrepo.site.shiftrule import join_spans
from opsrepo.site.state import PERSON_AHEAD, SiteState
from opsrepo.site.views.people import upcoming
from tests.unit.oncall.builders import at, layer, repo, schedule
from tests.unit.oncall.strategies import PEOPLE, ranges, repos, windows

SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
#: a reference computed over this much either side holds every shift that ends within it
WIDE = timedelta(days=120)


def instants() -> st.SearchStrategy[datetime]:
    """An instant in 2026, to the quarter hour."""
    return st.integers(0, 35000).map(lambda n: datetime(2026, 1, 1, tzinfo=UTC) + timedelta(minutes=15 * n))


@st.composite
def covered_repos(draw: st.DrawFn) -> m.Repo:
    """A generated repo whose schedule ``s`` declares 24x7, some windows, or no coverage."""
    found = draw(repos())
    coverage = draw(st.one_of(st.just("24x7"), st.none(), st.lists(windows, min_size=1, max_size=3)))
    if coverage == "24x7":
        return found
    sched = replace(found.schedules["s"], coverage=None if coverage is None else tuple(coverage), coverage_24x7=False)
    return replace(found, schedules={**found.schedules, "s": sched})


def reference(repo: m.Repo, sid: str, around: datetime) -> list[Stretch]:
    """Shifts merged from one wide computation: the rule applied by hand."""
    return merge_pieces(final_shifts(repo, sid, around - WIDE, around + WIDE), start=around - WIDE,
                        end=around + WIDE)


@SETTINGS
@given(repos(), ranges())
def test_shifts_tile_the_pieces_and_adjacent_shifts_are_other_people(repo: m.Repo, span: tuple[datetime, datetime]
                                                                     ) -> None:
    for sid in ("s", "d"):
        pieces = final_shifts(repo, sid, *span)
        shifts = merge_pieces(pieces, start=span[0], end=span[1])
        assert [piece for shift in shifts for piece in shift.pieces] == pieces  # every piece, once, in order
        for shift in shifts:
            assert {piece.person for piece in shift.pieces} == {shift.person}
            assert all(a.end == b.start for a, b in itertools.pairwise(shift.pieces))  # no gap inside
        for earlier, later in itertools.pairwise(shifts):
            assert earlier.end < later.start or earlier.person != later.person  # maximal


@SETTINGS
@given(repos(), instants())
def test_the_shift_at_an_instant_is_its_whole_run(repo: m.Repo, moment: datetime) -> None:
    for sid in ("s", "d"):
        found = stretch_at(repo, sid, moment)
        expected = [s for s in reference(repo, sid, moment) if s.start <= moment < s.end]
        if not expected:
            assert found is None
            continue
        assert found is not None and found.start <= moment < found.end
        if expected[0].starts_known and expected[0].ends_known:
            assert found.pieces == expected[0].pieces and found.since and found.until


@SETTINGS
@given(repos(), instants(), st.integers(1, 6))
def test_next_lists_the_following_shifts_each_another_person(repo: m.Repo, moment: datetime, count: int) -> None:
    for sid in ("s", "d"):
        found = next_stretches(repo, sid, moment, count)
        assert all(shift.start > moment for shift in found)
        for earlier, later in itertools.pairwise(found):
            assert earlier.end <= later.start and (earlier.end < later.start or earlier.person != later.person)
        expected = [s for s in reference(repo, sid, moment) if s.start > moment][:count]
        if len(expected) == count and expected[-1].ends_known:
            assert [s.pieces for s in found] == [s.pieces for s in expected]


@SETTINGS
@given(covered_repos(), instants())
def test_nobody_on_call_is_a_gap_inside_declared_coverage_and_off_hours_outside(repo: m.Repo,
                                                                                  moment: datetime) -> None:
    sched = repo.schedules["s"]
    status = status_at(repo, "s", moment)
    assert (status.state == ON_CALL) == (stretch_at(repo, "s", moment) is not None)
    if status.state == ON_CALL:
        return
    low = to_micros(moment)
    covered = sched.coverage is not None and bool(window_spans(sched.timezone, sched.coverage, low, low + 1))
    assert status.state == (GAP if covered else OFF_HOURS)
    if status.state == OFF_HOURS and sched.coverage is not None:
        assert status.resumes is not None and status.resumes > moment
        resumes = to_micros(status.resumes)
        # coverage holds at the instant it resumes, and nowhere between now and then
        assert window_spans(sched.timezone, sched.coverage, resumes, resumes + 1)
        assert not window_spans(sched.timezone, sched.coverage, low, resumes)
    if sched.coverage is None:
        assert status.resumes is None


@SETTINGS
@given(covered_repos(), instants(), st.integers(1, 4))
def test_oncall_json_is_the_engines_answer(repo: m.Repo, moment: datetime, count: int) -> None:
    result = answer(repo, OncallRequest(now=moment, schedules=("s", "d"), next=count))
    document = json.loads(to_json(result))
    for entry in document["schedules"]:
        sid = entry["id"]
        shift = stretch_at(repo, sid, moment)
        status = status_at(repo, sid, moment)
        assert entry["person"] == (shift.person if shift else None)
        assert entry["status"] == status.state
        since, until = (shift.since, shift.until) if shift else (status.since, status.until)
        assert _instant(entry["from"]) == since and _instant(entry["until"]) == until
        assert [(n["person"], _instant(n["from"]), _instant(n["until"])) for n in entry.get("next", [])] == \
            [(s.person, s.since, s.until) for s in next_stretches(repo, sid, moment, count)]


@SETTINGS
@given(repos(), instants())
def test_person_pages_list_the_engines_shifts(repo: m.Repo, moment: datetime) -> None:
    state = SiteState(repo, moment, {})
    grouped = state.shifts_by_person()
    for pid in PEOPLE:
        on_page = upcoming(state, grouped.get(pid, []))
        engine = person_stretches(repo, pid, state.today, state.today + PERSON_AHEAD)
        # an end beyond the horizon is unknown (None) to both; the pieces before it depend on where the
        # search started, so whole pieces are compared where both ends are known
        assert [_seen(s) for s in on_page] == [_seen(s) for s in engine]


@SETTINGS
@given(repos(), ranges())
def test_the_browsers_compact_rows_join_as_the_engine_joins(repo: m.Repo, span: tuple[datetime, datetime]) -> None:
    """``join_spans`` (integers, for the browser) and ``merge_pieces`` make the same shifts of the same pieces."""
    start, end = span
    for sid in repo.schedules:
        pieces = final_shifts(repo, sid, start, end)
        rows = join_spans([(to_micros(p.start), to_micros(p.end), p.person) for p in pieces])
        engine = [(to_micros(s.start), to_micros(s.end), s.person) for s in merge_pieces(pieces)]
        assert rows == engine


def test_compact_rows_join_only_touching_pieces_of_one_person() -> None:
    pieces = [(0, 10, "a"), (10, 20, "a"), (20, 30, "b"), (35, 40, "b"), (40, 50, "b"), (50, 60, "a")]
    assert join_spans(pieces) == [(0, 20, "a"), (20, 30, "b"), (35, 50, "b"), (50, 60, "a")]
    assert join_spans([]) == []


def test_a_derived_schedule_is_listed_on_its_peoples_pages() -> None:
    source = schedule("primary", layer("weekly", "a b", "2026-11-02T09:00", "1w"))
    derived = schedule("secondary", derive=m.Derive("primary", 1))
    state = SiteState(repo(source, derived), at("2026-11-23T09:00Z"), {})
    assert state.schedules_of == {"a": ["primary", "secondary"], "b": ["primary", "secondary"]}


def test_a_shift_beyond_the_horizon_has_no_end() -> None:
    forever = repo(schedule("s", layer("solo", "a", "2026-01-05T09:00", "1d")))
    found = stretch_at(forever, "s", at("2026-06-01T12:00Z"))
    assert found is not None
    assert (found.person, found.since, found.until) == ("a", at("2026-01-05T09:00+01:00"), None)
    assert found.end >= at("2026-06-01T12:00Z") + ON_CALL_HORIZON


def _seen(shift: Stretch) -> tuple[object, ...]:
    whole = shift.pieces if shift.since and shift.until else None
    return shift.schedule, shift.person, shift.since, shift.until, whole


def _instant(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text is not None else None
