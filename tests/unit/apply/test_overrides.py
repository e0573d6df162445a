"""The overrides that make PagerDuty's final schedule opsrepo's: time off, opsrepo overrides, the DST gap."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from opsrepo.apply.layers import schedule_layers
from opsrepo.apply.overrides import GRID, Horizon, corrections, next_grid
from opsrepo.oncall.clock import from_micros, to_micros
from opsrepo.timeutil import get_zone
from tests.unit.oncall.builders import layer, override, person, repo, schedule

NOW = datetime(2026, 11, 23, 9, 0, 30, tzinfo=UTC)
FOUR_WEEKS = timedelta(days=28)


def local(micros: int, zone: str = "Europe/Berlin") -> str:
    return from_micros(micros).astimezone(get_zone(zone)).isoformat(timespec="minutes")


def test_the_horizon_starts_at_the_minute_and_is_computed_to_the_next_grid_point() -> None:
    horizon = Horizon.from_now(NOW, FOUR_WEEKS)
    assert from_micros(horizon.start) == datetime(2026, 11, 23, 9, tzinfo=UTC)
    assert horizon.until - horizon.start == FOUR_WEEKS // timedelta(microseconds=1)
    assert horizon.until <= horizon.end < horizon.until + GRID
    assert from_micros(horizon.end).strftime("%a %H:%M") == "Thu 12:00"
    assert next_grid(horizon.end) == horizon.end and next_grid(horizon.end + 1) == horizon.end + GRID


def test_time_off_is_covered_by_an_override_for_the_next_free_member() -> None:
    sched = schedule("s", layer("weekly", "a b c", "2026-11-02T09:00", "1w"))
    # a holds the week from 2026-11-23 (turns a, b, c from 2026-11-02)
    loaded = repo(sched, people=[person("a", off=[("2026-11-25", "2026-11-26")]), person("b"), person("c")])
    layers, _ = schedule_layers(loaded, sched)
    wanted, uncovered = corrections(loaded, sched, layers, Horizon.from_now(NOW, FOUR_WEEKS))
    assert uncovered == []
    assert [(w.person, local(w.start), local(w.end), w.kind, w.covering, w.instead) for w in wanted] == [
        ("b", "2026-11-25T00:00+01:00", "2026-11-27T00:00+01:00", "time-off-cover", "a", "a")]


def test_an_override_of_the_repo_is_one_override_and_one_that_began_is_cut_at_now() -> None:
    sched = schedule("s", layer("weekly", "a b", "2026-11-02T09:00", "1w"),
                     overrides=[override("a", "2026-11-20T00:00", "2026-11-24T00:00", "swap"),
                                override("b", "2026-12-02T00:00", "2026-12-03T00:00")])
    loaded = repo(sched)
    layers, _ = schedule_layers(loaded, sched)
    wanted, _ = corrections(loaded, sched, layers, Horizon.from_now(NOW, FOUR_WEEKS))
    assert [(w.person, local(w.start), local(w.end), w.source) for w in wanted] == [
        ("a", "2026-11-23T10:00+01:00", "2026-11-24T00:00+01:00", "swap"),
        ("b", "2026-12-02T00:00+01:00", "2026-12-03T00:00+01:00", "override")]


def test_a_handoff_in_the_spring_gap_is_fixed_by_an_override_of_the_difference() -> None:
    sched = schedule("s", layer("daily", "a b", "2026-03-01T02:30", "1d"))
    loaded = repo(sched)
    layers, _ = schedule_layers(loaded, sched)
    wanted, _ = corrections(loaded, sched, layers, Horizon.from_now(datetime(2026, 3, 20, tzinfo=UTC), FOUR_WEEKS))
    # turn 28 is a's: opsrepo hands over at 03:00, the first instant after the gap; PagerDuty at 03:30
    assert [(w.person, local(w.start), local(w.end), w.instead) for w in wanted] == [
        ("a", "2026-03-29T03:00+02:00", "2026-03-29T03:30+02:00", "b")]


def test_nobody_free_to_cover_where_the_layers_have_someone_cannot_be_written() -> None:
    sched = schedule("s", layer("weekly", "a b", "2026-11-02T09:00", "1w"))
    loaded = repo(sched, people=[person("a", off=[("2026-11-25", "2026-11-25")]),
                                 person("b", off=[("2026-11-25", "2026-11-25")])])
    layers, _ = schedule_layers(loaded, sched)
    wanted, uncovered = corrections(loaded, sched, layers, Horizon.from_now(NOW, FOUR_WEEKS))
    assert wanted == []
    assert [(u.person, local(u.start), local(u.end)) for u in uncovered] == [  # b's week, both away
        ("b", "2026-11-25T00:00+01:00", "2026-11-26T00:00+01:00")]


def test_a_stretch_is_cut_at_each_grid_point_so_that_tomorrow_wants_the_same_overrides() -> None:
    sched = schedule("s", layer("weekly", "a b", "2026-11-02T09:00", "1w"),
                     overrides=[override("b", "2026-11-24T00:00", "2027-02-24T00:00")])
    loaded = repo(sched)
    layers, _ = schedule_layers(loaded, sched)
    today = corrections(loaded, sched, layers, Horizon.from_now(NOW, FOUR_WEEKS))[0]
    later = corrections(loaded, sched, layers, Horizon.from_now(NOW + timedelta(days=20), FOUR_WEEKS))[0]
    assert all(next_grid(w.start + 1) >= w.end for w in today)  # no piece crosses a grid point
    assert [(w.start, w.end) for w in today if w.start >= to_micros(NOW + timedelta(days=20))] == \
        [(w.start, w.end) for w in later if w.end <= today[-1].end and w.start >= to_micros(NOW + timedelta(days=20))]
