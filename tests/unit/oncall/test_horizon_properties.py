"""What the burnout and fairness checks compute fast equals what they computed before (hypothesis).

Each fast path is compared with the definition it replaces: people's turns
dealt from the composition with ``turns_of`` of the final segments, the
two-cursor busiest window with the bisecting one, and the per-zone day and
night tables with :mod:`opsrepo.oncall.accounting`'s per-person conversion.
"""

from __future__ import annotations

import bisect
import itertools
from contextlib import nullcontext
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from typing import NamedTuple
from unittest.mock import patch

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from opsrepo import model as m
from opsrepo.oncall import accounting, zoneclock
from opsrepo.oncall.accounting import Peak
from opsrepo.oncall.clock import DAY, HOUR, day_micros, day_table, to_micros, wall_micros
from opsrepo.oncall.cover import away_within, person_away
from opsrepo.oncall.engine import Rotation, _rotation, final_segments, rotation
from opsrepo.oncall.intervals import inside, joined, outside, outside_few, overlay, union
from opsrepo.oncall.load import MEASURES, _most_hours, _most_turns, breaches, measure, measures
from opsrepo.oncall.rotation import Shape, composed, layer_pieces, pieces_within, shape_of
from opsrepo.oncall.turns import _Form, _running, person_turns
from opsrepo.oncall.zonedays import ZoneDays
from tests.unit.oncall import builders
from tests.unit.oncall.builders import NOWHERE, person
from tests.unit.oncall.strategies import layers, ranges, repos
from tests.unit.oncall.test_properties import DAY_ZONES, ODD_DAYS

SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
MINUTE = 60_000_000


@st.composite
def busy_repos(draw: st.DrawFn) -> tuple[m.Repo, tuple[datetime, datetime]]:
    """A repo and a range in which people often take time off (whole days or hours), so turns need cover."""
    repo, span = draw(repos()), draw(ranges())
    people = {}
    for pid, someone in repo.people.items():
        extra = []
        for _ in range(draw(st.integers(0, 3))):
            start = span[0].replace(tzinfo=None) + timedelta(hours=draw(st.integers(-48, 24 * 40)))
            end = start + timedelta(hours=draw(st.integers(1, 24 * 6)))
            extra.append(m.TimeOff(start, end, None, NOWHERE))
        people[pid] = replace(someone, time_off=(*someone.time_off, *extra))
    return replace(repo, people=people), span


@SETTINGS
@given(busy_repos())
def test_turns_dealt_from_the_composition_are_those_of_the_final_schedule(
        case: tuple[m.Repo, tuple[datetime, datetime]]) -> None:
    repo, span = case
    low, high = to_micros(span[0]), to_micros(span[1])
    for schedule in repo.schedules.values():
        _assert_dealt_as_final(repo, schedule, low, high)


def _assert_dealt_as_final(repo: m.Repo, schedule: m.Schedule, low: int, high: int) -> None:
    """The turns dealt to ``schedule`` and the time they hold are those of its final segments."""
    dealt = person_turns(repo, schedule, low, high)
    segments = final_segments(repo, schedule, low, high)
    expected = accounting.turns_of(segments)
    assert {person: list(spans) for person, spans in dealt.turns.items()} == expected
    assert list(dealt.turns) == list(expected)  # people in order of their first turn, as the checks report them
    assert list(dealt.held) == union((segment.start, segment.end) for segment in segments)


@SETTINGS
@given(layers(0, "Europe/Berlin"), ranges(), st.data())
def test_a_layers_pieces_in_a_stretch_are_those_of_the_range_cut_to_it(
        layer: m.Layer, span: tuple[datetime, datetime], data: st.DataObject) -> None:
    start, end = to_micros(span[0]), to_micros(span[1])
    low = data.draw(st.integers(start, end - 1))
    high = data.draw(st.integers(low + 1, end))
    cut = pieces_within(shape_of(layer), start, end, low, high)
    assert [tuple(piece) for piece in cut] == [tuple(piece) for piece in layer_pieces(layer, low, high)]


@SETTINGS
@given(st.lists(st.sampled_from(("Europe/Berlin", "America/New_York", "Australia/Lord_Howe")), min_size=1,
                max_size=4).flatmap(lambda zones: st.tuples(*(layers(i, zone) for i, zone in enumerate(zones)))),
       ranges())
def test_the_composition_made_from_the_last_layer_down_is_the_layers_overlaid_in_order(
        drawn: tuple[m.Layer, ...], span: tuple[datetime, datetime]) -> None:
    start, end = to_micros(span[0]), to_micros(span[1])
    shapes = tuple(shape_of(layer) for layer in drawn)
    expected: list[tuple[int, int, int, int]] = []
    for position, layer in enumerate(drawn):  # each layer hides what lies below it, in the order listed
        expected = overlay(expected, [(low, high, position, turn) for low, high, turn
                                      in layer_pieces(layer, start, end)])
    assert list(composed.__wrapped__(shapes, start, end)) == expected


#: sorted, disjoint spans as (gap before, length): gaps of 0 make spans that touch
SPANS = st.lists(st.tuples(st.integers(0, 30), st.integers(1, 30)), max_size=30)


def _laid(steps: list[tuple[int, int]]) -> list[tuple[int, int, str]]:
    found, cursor = [], 0
    for number, (gap, length) in enumerate(steps):
        found.append((cursor + gap, cursor + gap + length, f"p{number}"))  # a payload, kept when cut
        cursor += gap + length
    return found


@SETTINGS
@given(SPANS, SPANS)
@example([(0, 10), (0, 10)], [(5, 10)])  # a hole over the end of one segment and the start of the next
@example([(0, 30)], [(1, 2), (2, 2), (2, 2)])  # holes that all cut one segment
def test_cutting_a_few_holes_by_bisection_is_cutting_them_one_by_one(
        segments: list[tuple[int, int]], holes: list[tuple[int, int]]) -> None:
    laid, cut = _laid(segments), [(low, high) for low, high, _ in _laid(holes)]
    assert outside_few(laid, cut) == outside(laid, cut)
    assert outside_few(tuple(laid), cut) == outside(laid, cut)


@SETTINGS
@given(SPANS, SPANS)
@example([(0, 2)], [(0, 1), (0, 1), (0, 1), (0, 1), (0, 1)])  # many holes before and inside one segment
@example([(0, 10), (0, 10)], [(5, 10)])
def test_cutting_holes_keeps_every_instant_of_a_segment_no_hole_holds(
        segments: list[tuple[int, int]], holes: list[tuple[int, int]]) -> None:
    """``outside`` against its definition, instant by instant (``outside_few`` and the layers' composition
    are built on it, so they cannot check it): many holes before a segment are passed by bisection."""
    laid, cut = _laid(segments), [(low, high) for low, high, _ in _laid(holes)]
    held = {instant for low, high in cut for instant in range(low, high)}
    expected: list[tuple[int, int, str]] = []
    for low, high, payload in laid:
        for instant in range(low, high):
            if instant in held:
                continue
            if expected and expected[-1][1] == instant and expected[-1][2] == payload:
                expected[-1] = (expected[-1][0], instant + 1, payload)
            else:
                expected.append((instant, instant + 1, payload))
    assert outside(laid, cut) == expected


@SETTINGS
@given(SPANS)
@example([(0, 10), (0, 10), (1, 10)])  # touching, touching, a gap
def test_sorted_disjoint_pieces_joined_are_their_union(steps: list[tuple[int, int]]) -> None:
    """``joined`` (the composition's held instants, and so what a dealt schedule holds) against ``union``."""
    laid = [(low, high, payload) for low, high, payload in _laid(steps) if high > low]
    assert list(joined(laid)) == union((low, high) for low, high, _ in laid)
    assert joined([]) == ()


class _Piece(NamedTuple):
    start: int
    end: int
    payload: str


@SETTINGS
@given(SPANS, SPANS)
@example([(0, 10), (0, 10)], [(5, 10)])
@example([(0, 30)], [(1, 2), (2, 2), (2, 2)])
def test_parts_cut_out_of_plain_and_named_tuples_keep_their_type_and_payload(
        segments: list[tuple[int, int]], holes: list[tuple[int, int]]) -> None:
    """``outside`` and ``inside`` make a plain tuple's part by joining its bounds to the payload, a named
    tuple's as its own type (what ``clip`` makes): both against their definitions."""
    laid, cut = _laid(segments), [(low, high) for low, high, _ in _laid(holes)]
    named = [_Piece(*segment) for segment in laid]
    held = {instant for low, high in cut for instant in range(low, high)}
    free: list[tuple[int, int, str]] = []  # outside, instant by instant
    for low, high, payload in laid:
        for instant in range(low, high):
            if instant in held:
                continue
            if free and free[-1][1] == instant and free[-1][2] == payload:
                free[-1] = (free[-1][0], instant + 1, payload)
            else:
                free.append((instant, instant + 1, payload))
    within = [(max(low, start), min(high, end), payload)  # inside: each segment met with each span
              for low, high, payload in laid for start, end in cut if max(low, start) < min(high, end)]
    for cutting, expected in ((outside, free), (inside, within)):
        plain, parts = cutting(laid, cut), cutting(named, cut)
        assert plain == expected
        assert all(type(part) is tuple for part in plain)
        assert parts == [_Piece(*part) for part in expected]
        assert all(type(part) is _Piece for part in parts)


def _twin(repo: m.Repo) -> tuple[m.Repo, m.Schedule]:
    """The repo with a copy of schedule ``s`` whose people are others, with the same time off."""
    renamed = {pid: f"twin-{pid}" for pid in repo.people}
    people = dict(repo.people)
    people.update({renamed[pid]: replace(p, id=renamed[pid]) for pid, p in repo.people.items()})
    source = repo.schedules["s"]
    twin = replace(source, id="twin",
                   layers=tuple(replace(layer, members=tuple(renamed[p] for p in layer.members))
                                for layer in source.layers),
                   overrides=tuple(replace(o, person=renamed[o.person]) for o in source.overrides))
    return replace(repo, people=people, schedules={**repo.schedules, "twin": twin}), twin


@SETTINGS
@given(busy_repos())
def test_a_schedule_of_the_same_form_gets_the_turns_under_its_own_names(
        case: tuple[m.Repo, tuple[datetime, datetime]]) -> None:
    repo, span = case
    repo, twin = _twin(repo)
    low, high = to_micros(span[0]), to_micros(span[1])
    person_turns(repo, repo.schedules["s"], low, high)  # dealt and kept: the twin is read back
    _assert_dealt_as_final(repo, twin, low, high)


@SETTINGS
@given(busy_repos())
def test_fairness_measures_from_turns_are_those_from_the_final_schedule(
        case: tuple[m.Repo, tuple[datetime, datetime]]) -> None:
    repo, span = case
    low, high = to_micros(span[0]), to_micros(span[1])
    repo = _with_countries(repo)
    for schedule in repo.schedules.values():
        found = measures(repo, schedule, person_turns(repo, schedule, low, high).turns, low, high)
        segments = final_segments(repo, schedule, low, high)
        assert found == {name: measure(repo, schedule, segments, name) for name in MEASURES}


def _with_countries(repo: m.Repo) -> m.Repo:
    """People in countries with holidays (one with a subdivision), and one without a country."""
    places = (("DE", "BY"), ("US", None), (None, None), ("AU", "NSW"))
    people = {pid: replace(p, country=places[i % 4][0], subdivision=places[i % 4][1])
              for i, (pid, p) in enumerate(sorted(repo.people.items()))}
    return replace(repo, people=people)


def reference_busiest_hours(spans: list[tuple[int, int]], width: int) -> Peak:
    """``accounting.busiest_hours`` before its two cursors: every anchor's window found by bisection."""
    if not spans:
        return Peak(0, 0)
    starts = [s for s, _ in spans]
    prefix = [0]
    for s, e in spans:
        prefix.append(prefix[-1] + e - s)
    best = Peak(0, spans[0][0])
    for anchor in [s for s, _ in spans] + [e - width for _, e in spans]:
        low, high = anchor, anchor + width
        first = max(bisect.bisect_right(starts, low) - 1, 0)
        last = bisect.bisect_left(starts, high)
        amount = 0
        if first < last:
            amount = prefix[last] - prefix[first]
            amount -= max(0, min(low, spans[first][1]) - spans[first][0])
            amount -= max(0, spans[last - 1][1] - max(high, spans[last - 1][0]))
        if amount > best.amount:
            best = Peak(amount, anchor)
    return best


#: turns as (gap before, length) in minutes: sorted, disjoint and apart, as ``turns_of`` gives them
TURNS = st.lists(st.tuples(st.integers(1, 20 * 24 * 60), st.integers(1, 15 * 24 * 60)), max_size=40)


def _spans(turns: list[tuple[int, int]], base: int = 0) -> list[tuple[int, int]]:
    spans, cursor = [], base
    for gap, length in turns:
        cursor += gap * MINUTE
        spans.append((cursor, cursor + length * MINUTE))
        cursor += length * MINUTE
    return spans


@SETTINGS
@given(TURNS, st.sampled_from((28 * DAY, DAY, HOUR, 3 * DAY + 7 * MINUTE, 400 * DAY)))
@example([(1, 60), (1, 60)], 120 * MINUTE)  # a window that ends exactly where a turn ends
def test_the_busiest_window_found_by_two_cursors_is_the_bisected_one(turns: list[tuple[int, int]],
                                                                       width: int) -> None:
    spans = _spans(turns)
    assert accounting.busiest_hours(spans, width) == reference_busiest_hours(spans, width)


@SETTINGS
@given(st.sampled_from(ODD_DAYS), TURNS, st.integers(0, 3 * 24 * 60))
@example(ODD_DAYS[0], [(90, 20)], 0)  # Goose Bay, 2009-10-31 23:30 the second time: after 11-01's midnight
def test_days_and_nights_from_zone_tables_are_those_of_the_accounting(
        odd: tuple[str, datetime], turns: list[tuple[int, int]], lead: int) -> None:
    zone, base = odd
    spans = _spans(turns, to_micros(base))
    start = to_micros(base) - lead * MINUTE
    end = (spans[-1][1] if spans else start + DAY) + lead * MINUTE
    table = ZoneDays(zone, start, end)
    days = table.days(spans)
    assert {table.dates[k] for low, high in days for k in range(low, high)} == accounting.local_days(spans, zone)
    assert table.nights(spans) == accounting.nights_on_call(spans, zone)
    dates = accounting.local_days(spans, zone)
    assert table.weekend_days(days) == accounting.weekend_days(dates)
    for country, subdivision in (("DE", "BY"), ("US", None), ("AU", "NSW")):
        someone = person("p", zone, country=country, subdivision=subdivision)
        assert table.holidays(days, country, subdivision) == accounting.holiday_days(dates, someone)


@SETTINGS
@given(st.sampled_from((*DAY_ZONES, "Asia/Kolkata", "America/New_York")), TURNS, st.integers(0, 365),
       st.integers(0, 3 * 24 * 60))
@example("UTC", [(1, 24 * 60), (0, 60)], 0, 0)  # a turn ending at midnight, the next at the same midnight
def test_nights_days_and_weekends_counted_in_one_pass_are_those_of_the_accounting(
        zone: str, turns: list[tuple[int, int]], offset: int, lead: int) -> None:
    base = to_micros(datetime(2026, 1, 1, tzinfo=UTC)) + offset * DAY  # some ranges have a clock change
    spans = _spans(turns, base)
    start = base - lead * MINUTE
    end = (spans[-1][1] if spans else start + DAY) + lead * MINUTE
    table = ZoneDays(zone, start, end)
    nights, days, weekends = table.counted(spans)
    assert days == table.days(spans)
    dates = accounting.local_days(spans, zone)
    assert {table.dates[k] for low, high in days for k in range(low, high)} == dates
    assert (nights, weekends) == (accounting.nights_on_call(spans, zone), accounting.weekend_days(dates))


#: places with public holidays (one with a subdivision), and none
PLACES = (("DE", "BY"), ("US", None), ("AU", "NSW"), (None, None))
#: zones with offsets of whole hours, half hours and quarter hours, with and without clock changes
GRID_ZONES = (*DAY_ZONES, "Asia/Kolkata", "Asia/Kathmandu", "Pacific/Chatham", "America/St_Johns", "America/New_York")


@SETTINGS
@given(st.sampled_from(GRID_ZONES), TURNS, st.integers(0, 365), st.integers(0, 3 * 24 * 60), st.sampled_from(PLACES),
       st.integers(0, MINUTE - 1), st.booleans())
@example("UTC", [(1, 24 * 60), (0, 60)], 0, 0, PLACES[0], 0, False)  # a turn ending at midnight, the next at it
@example("Asia/Kathmandu", [(18 * 60 + 15, 8 * 60)], 0, 0, PLACES[1], 0, False)  # 22:00-06:00 local, +05:45
@example("UTC", [(60, 60)], 0, 0, PLACES[3], 7, True)  # the range starts at 23:59:59.999993, in a night
def test_nights_weekends_and_holidays_read_off_the_grid_are_those_of_the_accounting(
        zone: str, turns: list[tuple[int, int]], offset: int, lead: int, place: tuple[str | None, str | None],
        jitter: int, flush: bool) -> None:
    """From a range that may start and end off the grid (now), in a night, with turns from its very start."""
    table, spans = _table_and_spans(zone, turns, offset, lead, jitter)
    if flush and spans:  # the first turn from the range's start, the last to its end
        spans = [(table.low, spans[0][1]), *spans[1:]]
        spans[-1] = (spans[-1][0], table.high)
    country, subdivision = place
    dates = accounting.local_days(spans, zone)
    expected = (accounting.nights_on_call(spans, zone), accounting.weekend_days(dates),
                accounting.holiday_days(dates, person("p", zone, country=country, subdivision=subdivision)))
    # without a clock change near (every day even), these turns are read off the grid, never bisected
    read_off = table.all_even and spans
    with patch.object(table, "_measured", side_effect=AssertionError("bisected")) if read_off else nullcontext():
        assert table.measured(spans, country, subdivision) == expected
        assert table.measured(spans, country, subdivision) == expected  # again, from the grid and totals kept


@SETTINGS
@given(st.sampled_from(GRID_ZONES), st.lists(st.tuples(st.integers(1, 3 * 24 * 60), st.integers(0, 3 * 24 * 60)),
                                             max_size=30), st.integers(0, 365), st.sampled_from(PLACES),
       st.integers(0, MINUTE - 1), st.booleans())
@example("UTC", [(2 * 24 * 60, 0), (3 * 24 * 60, 60)], 0, PLACES[0], 0, False)  # empty at Saturday's midnight
@example("Europe/Berlin", [(1, 0), (1, 0)], 0, PLACES[0], 0, False)  # empty turns inside a night
@example("Europe/Berlin", [(1, 0)], 0, PLACES[0], 0, False)  # an empty turn where the range ends, in a night
@example("UTC", [(60, 60)], 0, PLACES[0], 7, True)  # empty turns where the range starts and ends, in nights
def test_turns_read_off_the_grid_are_counted_as_one_pass_counts_them_even_empty(
        zone: str, turns: list[tuple[int, int]], offset: int, place: tuple[str | None, str | None], jitter: int,
        at_ends: bool) -> None:
    table, spans = _table_and_spans(zone, turns, offset, 0, jitter)
    if at_ends:
        spans = [(table.low, table.low), *spans, (table.high, table.high)]
    country, subdivision = place
    nights, days, weekends = table.counted(spans)
    holidays = table.holidays(days, country, subdivision) if country else 0
    assert table.measured(spans, country, subdivision) == (nights, weekends, holidays)


def _table_and_spans(zone: str, turns: list[tuple[int, int]], offset: int, lead: int,
                     jitter: int = 0) -> tuple[ZoneDays, list[tuple[int, int]]]:
    base = to_micros(datetime(2026, 1, 1, tzinfo=UTC)) + offset * DAY  # some ranges have a clock change
    spans = _spans(turns, base)
    start = base - lead * MINUTE - jitter
    end = (spans[-1][1] if spans else start + DAY) + lead * MINUTE + jitter
    return ZoneDays(zone, start, end), spans


@SETTINGS
@given(st.sampled_from(DAY_ZONES), TURNS)
def test_ranges_of_days_are_merged_and_ordered(zone: str, turns: list[tuple[int, int]]) -> None:
    base = to_micros(datetime(2026, 3, 1, tzinfo=UTC))
    spans = _spans(turns, base)
    table = ZoneDays(zone, base, spans[-1][1] if spans else base + DAY)
    days = table.days(spans)
    assert all(low < high for low, high in days)
    assert all(earlier[1] < later[0] for earlier, later in itertools.pairwise(days))


@SETTINGS
@given(st.sampled_from(ODD_DAYS), st.integers(0, 400 * 24), st.integers(1, 400 * 24))
def test_zone_tables_hold_the_days_of_the_year_tables(odd: tuple[str, datetime], hours: int, length: int) -> None:
    zone, base = odd
    start = to_micros(base) + hours * HOUR
    table = ZoneDays(zone, start, start + length * HOUR)
    for index, day in enumerate(table.dates):
        year = day_table(zone, day.year)
        position = (day - date(day.year, 1, 1)).days
        assert table.starts[index] == year.starts[position]
        assert table.even[index] == (year.days[position] is not None)
    assert table.starts[-1] == day_micros(zone, table.dates[-1] + timedelta(days=1))


@SETTINGS
@given(TURNS.filter(bool), st.sampled_from((28 * DAY, DAY, HOUR, 3 * DAY + 7 * MINUTE, 1)))
@example([(1, 60), (1, 60)], 120 * MINUTE)
def test_the_bounds_that_spare_finding_the_busiest_window_are_never_below_it(turns: list[tuple[int, int]],
                                                                               width: int) -> None:
    spans = _spans(turns)
    starts, ends = [low for low, _ in spans], [high for _, high in spans]
    assert _most_hours(starts, ends, width) >= accounting.busiest_hours(spans, width).amount
    assert _most_turns(starts, ends, width) >= accounting.busiest_turns(spans, width).amount


@SETTINGS
@given(st.dictionaries(st.sampled_from(["ana", "ben", "cleo"]), TURNS, max_size=3),
       st.one_of(st.none(), st.integers(1, 500)), st.one_of(st.none(), st.integers(1, 12)),
       st.one_of(st.none(), st.integers(0, 48)))
def test_breaches_are_every_person_over_a_limit(people: dict[str, list[tuple[int, int]]], hours: int | None,
                                               turns: int | None, rest: int | None) -> None:
    limits = m.Limits(max_hours_28d=hours, max_turns_28d=turns,
                      min_rest=None if rest is None else timedelta(hours=rest))
    schedule = m.Schedule("s", "S", "team", "UTC", NOWHERE, limits=limits)
    spans = {pid: _spans(turn) for pid, turn in people.items()}
    found = breaches(schedule, spans)
    expected_hours = [(pid, accounting.busiest_hours(s, 28 * DAY)) for pid, s in sorted(spans.items())
                      if hours is not None and accounting.busiest_hours(s, 28 * DAY).amount > hours * HOUR]
    expected_turns = [(pid, accounting.busiest_turns(s, 28 * DAY)) for pid, s in sorted(spans.items())
                      if turns is not None and accounting.busiest_turns(s, 28 * DAY).amount > turns]
    shortest = {pid: accounting.shortest_rest(s) for pid, s in spans.items()}
    expected_rest = [(pid, shortest[pid]) for pid in sorted(spans) if rest is not None
                     and shortest[pid] is not None and shortest[pid][0] < rest * HOUR]
    assert list(found.hours) == expected_hours
    assert list(found.turns) == expected_turns
    assert list(found.rest) == expected_rest


@SETTINGS
@given(st.sampled_from(("Pacific/Apia", "America/Goose_Bay", "Australia/Lord_Howe", "Pacific/Kiritimati",
                        "Etc/GMT+12", "Europe/Berlin")),
       st.lists(st.tuples(st.integers(-10 * 24 * 4, 60 * 24 * 4), st.integers(-4, 14 * 24 * 4)), max_size=5),
       st.integers(0, 2 * 365 * 24), st.integers(1, 60 * 24))
# UTC-12: the range is 12:00-16:00 of the walls; one entry ends exactly two days before it, one starts
# exactly two days after it (the walls beyond which time off is passed without a conversion)
@example("Etc/GMT+12", [(-152, 8), (256, 8), (-151, 8)], 0, 4)
# one entry reaching in (kept without a union), inverted or empty (dropped), or past the clock (clipped)
@example("Europe/Berlin", [(-2, 8)], 0, 4)
@example("Europe/Berlin", [(2, -3)], 0, 4)
@example("Europe/Berlin", [(2, 0)], 0, 4)
@example("Europe/Berlin", [(-10 * 24 * 4, 14 * 24 * 4)], 0, 4)
def test_time_off_within_a_range_is_the_persons_time_off_clipped_to_it(
        zone: str, entries: list[tuple[int, int]], hour: int, hours: int) -> None:
    base = datetime(2010, 6, 1) + timedelta(hours=hour)
    off = [(f"{base + timedelta(minutes=15 * low):%Y-%m-%dT%H:%M}",
            f"{base + timedelta(minutes=15 * (low + length)):%Y-%m-%dT%H:%M}")
           for low, length in entries]  # some empty or inverted, some far outside the range
    repo = builders.repo(people=[person("p", zone, off=off)])
    start = wall_micros(zone, base)
    end = start + hours * HOUR
    zoneclock._CLOCKS.pop(zone, None)  # a clock made for this range: walls past it are placed without it
    expected = tuple((max(low, start), min(high, end)) for low, high in person_away(repo, "p")
                     if low < end and high > start)
    assert away_within(repo, "p", start, end) == expected


def test_a_forms_key_leaves_the_names_out_and_running_layers_are_moved_back_to_2000() -> None:
    layer = replace(builders.layer("l", "ana ben", "2026-01-05T09:00", "1w", "Asia/Tokyo", end="2026-06-01T09:00",
                                   restrictions=[builders.window("mon", "09:00", "17:00")], index=2), name="l2")
    twin = replace(layer, members=("cy", "dan"))
    form, other = _Form(Rotation((layer,), 1, 0), [], None, 0, 1), _Form(Rotation((twin,), 1, 0), [], None, 0, 1)
    assert form.key == other.key
    assert (form.numbers, other.numbers) == ({"ana": "0", "ben": "1"}, {"cy": "0", "dan": "1"})
    start = to_micros(datetime(2026, 12, 7, tzinfo=UTC))
    shift = (layer.start - datetime(2000, 1, 3)) // layer.length  # running since before the range: moved back
    shapes, shifts = _running(Rotation((layer, twin)), start)
    assert shapes == (shape_of(layer)._replace(first=layer.start - shift * layer.length),) * 2
    assert shifts == [shift, shift]
    assert all(type(shape) is Shape for shape in (*shapes, shape_of(layer)))  # named tuples, made in C
    assert _running(Rotation((layer,)), to_micros(datetime(2025, 12, 7, tzinfo=UTC))) == ((shape_of(layer),), [0])


@SETTINGS
@given(repos(), repos())
def test_a_kept_rotation_is_the_one_followed_again_in_its_own_repo(first: m.Repo, second: m.Repo) -> None:
    """``rotation`` keeps its answers for the last repo asked about: the same as following ``derive`` afresh,
    in that repo and in another sharing the derived schedule but not its source."""
    derived = first.schedules["d"]
    other = replace(second, schedules={**second.schedules, "d": derived})  # 'd' derives from the other's 's'
    for repo in (first, other, first):
        for schedule in repo.schedules.values():
            assert rotation(repo, schedule) == _rotation(repo, schedule)
            assert rotation(repo, schedule) is rotation(repo, schedule)
    assert rotation(other, derived) == _rotation(other, derived)
    assert rotation(first, derived) == _rotation(first, derived)


def test_a_member_with_time_off_keeps_the_pieces_it_does_not_meet_and_is_covered_in_those_it_meets() -> None:
    """Dealing checks each piece of someone with time off against it (inline): away within one turn,
    across a handoff and in a daytime window only; the turns are those of the final schedule."""
    daily = builders.layer("day", "ana ben cy", "2026-03-02T09:00", "1d",
                           restrictions=[builders.window("", "09:00", "17:00")])
    weekly = builders.layer("week", "ana ben", "2026-03-02T09:00", "1w")
    repo = builders.repo(builders.schedule("s", weekly, daily), people=[
        person("ana", off=[("2026-03-04T10:00", "2026-03-04T12:00"), ("2026-03-15T20:00", "2026-03-16T10:00")]),
        person("ben", off=[("2026-03-10", "2026-03-11")]), person("cy")])
    low, high = to_micros(builders.at("2026-03-02T00:00+01:00")), to_micros(builders.at("2026-03-30T00:00+02:00"))
    dealt = person_turns(repo, repo.schedules["s"], low, high)
    assert set(dealt.turns) == {"ana", "ben", "cy"}
    _assert_dealt_as_final(repo, repo.schedules["s"], low, high)


def test_where_a_whole_layer_is_away_the_layers_listed_before_it_show_through() -> None:
    """A hole in the top layer is filled from the layers below it only; in the first layer it stays a gap."""
    weekly = builders.layer("week", "ana ben", "2026-03-02T09:00", "1w")
    daily = builders.layer("day", "cy dan", "2026-03-02T09:00", "1d",
                           restrictions=[builders.window("", "09:00", "17:00")])
    people = [person("ana"), person("ben", off=[("2026-03-09", "2026-03-09")]),
              person("cy", off=[("2026-03-04", "2026-03-05")]), person("dan", off=[("2026-03-04", "2026-03-04")])]
    repo = builders.repo(builders.schedule("s", weekly, daily), builders.schedule("t", daily), people=people)
    low, high = to_micros(builders.at("2026-03-02T00:00+01:00")), to_micros(builders.at("2026-03-16T00:00+01:00"))
    layered_under = person_turns(repo, repo.schedules["s"], low, high)
    away_day = (to_micros(builders.at("2026-03-04T09:00+01:00")), to_micros(builders.at("2026-03-04T17:00+01:00")))
    assert any(span[0] <= away_day[0] and away_day[1] <= span[1] for span in layered_under.turns["ana"])
    _assert_dealt_as_final(repo, repo.schedules["s"], low, high)
    alone = person_turns(repo, repo.schedules["t"], low, high)
    assert all(span[1] <= away_day[0] or span[0] >= away_day[1] for span in alone.held)  # nobody: a gap
    _assert_dealt_as_final(repo, repo.schedules["t"], low, high)
