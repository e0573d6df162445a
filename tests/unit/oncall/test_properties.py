"""Properties of the engine over random schedules (hypothesis)."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from opsrepo import model as m
from opsrepo.oncall import accounting, final_shifts, on_call, shift_segments
from opsrepo.oncall.clock import day_micros, local_date, to_micros
from opsrepo.oncall.engine import compute, held_spans
from opsrepo.oncall.intervals import union
from opsrepo.oncall.rotation import turn_wall
from opsrepo.timeutil import get_zone, resolve_wall_time
from tests.unit.oncall.strategies import ranges, repos

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(repos(), ranges())
def test_shifts_are_sorted_disjoint_clipped_and_merged(repo: m.Repo, span: tuple[datetime, datetime]) -> None:
    for sid in ("s", "d"):
        shifts = final_shifts(repo, sid, *span)
        for shift in shifts:
            assert span[0] <= shift.start < shift.end <= span[1]
        for earlier, later in itertools.pairwise(shifts):
            assert earlier.end <= later.start  # at most one person at any instant
            same = (earlier.person, earlier.kind, earlier.source, earlier.covering_for) == \
                (later.person, later.kind, later.source, later.covering_for)
            assert not (same and earlier.end == later.start), "adjacent equal shifts are merged"


@SETTINGS
@given(repos(), ranges())
def test_shift_segments_are_the_final_shifts_in_microseconds(repo: m.Repo, span: tuple[datetime, datetime]) -> None:
    for sid in ("s", "d"):
        assert [(s.start, s.end, s.person, s.kind, s.source, s.covering) for s in shift_segments(repo, sid, *span)] == \
            [(to_micros(s.start), to_micros(s.end), s.person, s.kind, s.source, s.covering_for)
             for s in final_shifts(repo, sid, *span)]


@SETTINGS
@given(repos(), ranges())
def test_the_shared_composition_equals_layer_by_layer(repo: m.Repo, span: tuple[datetime, datetime]) -> None:
    low, high = to_micros(span[0]), to_micros(span[1])
    for schedule in repo.schedules.values():
        assert compute(repo, schedule, low, high) == compute(repo, schedule, low, high, shared=False)


@SETTINGS
@given(repos(), ranges(), st.data())
def test_a_sub_range_is_the_clipped_range(repo: m.Repo, span: tuple[datetime, datetime], data: st.DataObject) -> None:
    start, end = span
    cut = start + (end - start) * data.draw(st.floats(0.05, 0.95))
    cut = cut.replace(microsecond=0)
    whole = final_shifts(repo, "s", start, end)
    left, right = final_shifts(repo, "s", start, cut), final_shifts(repo, "s", cut, end)
    pieces = [(s.person, max(s.start, start), min(s.end, cut)) for s in whole if s.start < cut]
    assert [(s.person, s.start, s.end) for s in left] == pieces
    assert [(s.person, s.start, s.end) for s in right] == \
        [(s.person, max(s.start, cut), s.end) for s in whole if s.end > cut]


@SETTINGS
@given(repos(), ranges(), st.data())
def test_on_call_agrees_with_final_shifts(repo: m.Repo, span: tuple[datetime, datetime], data: st.DataObject) -> None:
    start, end = span
    at = start + timedelta(minutes=data.draw(st.integers(0, int((end - start).total_seconds() // 60) - 1)))
    shifts = [s for s in final_shifts(repo, "s", start, end) if s.start <= at < s.end]
    found = on_call(repo, "s", at)
    if not shifts:
        assert found is None
    else:
        assert found is not None
        assert (found.person, found.kind, found.source) == (shifts[0].person, shifts[0].kind, shifts[0].source)
        assert found.start <= shifts[0].start and found.end >= shifts[0].end


@SETTINGS
@given(repos(), ranges())
def test_every_handoff_of_a_plain_layer_falls_at_its_wall_clock_time(repo: m.Repo,
                                                                    span: tuple[datetime, datetime]) -> None:
    layer = repo.schedules["s"].layers[0]
    plain = m.Schedule("p", "P", "team", layer.timezone, layer.src, layers=(layer,), time_off="flag")
    alone = m.Repo(repo.org, {}, repo.people, {}, {}, {"p": plain}, (), {}, {}, {})
    zone = get_zone(layer.timezone)
    first = max(0, (span[0].astimezone(zone).replace(tzinfo=None) - layer.start) // layer.length - 2)
    last = (span[1].astimezone(zone).replace(tzinfo=None) - layer.start) // layer.length + 2
    handoffs = {_instant(turn_wall(layer.start, layer.length, k), zone) for k in range(first, last + 1)}
    for shift in final_shifts(alone, "p", *span):
        for edge in (shift.start, shift.end):
            if edge not in span:
                inside_window = any(_opens_or_closes(edge, w, zone) for w in layer.restrictions)
                at_end = layer.end is not None and edge == _instant(layer.end, zone)
                assert edge in handoffs or inside_window or at_end


def _opens_or_closes(edge: datetime, window: m.Window, zone: ZoneInfo) -> bool:
    local = edge.astimezone(zone)
    wall = local.replace(tzinfo=None)
    for day in (wall.date(), wall.date() - timedelta(days=1)):
        for clock in (window.start, window.end):
            if _instant(datetime.combine(day, clock), zone) == edge:
                return True
            if _instant(datetime.combine(day + timedelta(days=1), clock), zone) == edge:
                return True
    return False


def _instant(wall: datetime, zone: ZoneInfo) -> datetime:
    # in UTC, as the engine's edges are: an aware time in a fall-back overlap never equals (nor hashes as)
    # an instant of another zone (PEP 495), so 02:00 on a fall-back day would match no edge
    return resolve_wall_time(wall, zone).astimezone(UTC)


@SETTINGS
@given(repos(), ranges())
def test_held_spans_found_without_dealing_are_the_dealt_schedules(repo: m.Repo, span: tuple[datetime, datetime]) -> None:
    low, high = to_micros(span[0]), to_micros(span[1])
    for schedule in repo.schedules.values():
        held = held_spans(repo, schedule, low, high)
        if held is not None:
            assert held == union((s.start, s.end) for s in compute(repo, schedule, low, high))


#: zones with clock changes at 02:00 and 03:00, by 30 minutes (Lord Howe), at midnight (Santiago,
#: Havana, Beirut: some local days start at 01:00, or have midnight twice) and none (UTC)
DAY_ZONES = ("Europe/Berlin", "Australia/Lord_Howe", "America/Santiago", "America/Havana", "Asia/Beirut", "UTC")


@SETTINGS
@given(st.sampled_from(DAY_ZONES), st.lists(st.tuples(st.integers(0, 400 * 24 * 60), st.integers(1, 3 * 24 * 60)),
                                             max_size=20))
def test_local_days_are_the_dates_of_every_instant_of_the_spans(zone: str, minutes: list[tuple[int, int]]) -> None:
    minute, quarter = 60_000_000, 15 * 60_000_000
    base = to_micros(datetime(2025, 9, 1, tzinfo=UTC))
    spans = sorted((base + start * minute, base + (start + length) * minute) for start, length in minutes)
    expected: set[date] = set()
    for start, end in spans:
        # the date can change only at a local midnight or a clock change, which in these zones fall
        # on the quarter hours of UTC: the span's first and last instant and each quarter hour in it
        probes = [start, end - 1, *range(start - start % quarter + quarter, end, quarter)]
        expected.update(local_date(zone, micros) for micros in probes)
    assert accounting.local_days(spans, zone) == expected


#: just before odd local days: a clock going back across midnight (Goose Bay, 2009-11-01 00:01 to
#: 2009-10-31 23:01), a skipped date (Apia, 2011-12-30), a year starting on a midnight the clock goes
#: back across (Phoenix, 1944), and the zones above; spans reach into the next year
ODD_DAYS = (("America/Goose_Bay", datetime(2009, 11, 1, 2, tzinfo=UTC)),
            ("Pacific/Apia", datetime(2011, 12, 29, 8, tzinfo=UTC)),
            ("America/Phoenix", datetime(1944, 1, 1, 5, tzinfo=UTC)),
            *((zone, datetime(2025, 9, 1, tzinfo=UTC)) for zone in DAY_ZONES))


def local_days_by_conversion(spans: list[tuple[int, int]], zone: str) -> set[date]:
    """``accounting.local_days`` before its day tables: each day a span starts on found by converting."""
    days: set[date] = set()
    day, low, high = date.min, 0, 0
    for start, end in spans:
        if not low <= start < high:
            day = local_date(zone, start)
            low, high = day_micros(zone, day), day_micros(zone, day + timedelta(days=1))
        days.add(day)
        while end > high:
            day += timedelta(days=1)
            low, high = high, day_micros(zone, day + timedelta(days=1))
            days.add(day)
    return days


@SETTINGS
@given(st.sampled_from(ODD_DAYS),
       st.lists(st.tuples(st.one_of(st.integers(0, 2 * 24 * 60), st.integers(0, 400 * 24 * 60)),
                          st.integers(1, 3 * 24 * 60)), max_size=20))
@example(ODD_DAYS[0], [(90, 20)])  # Goose Bay, 2009-10-31 23:30 the second time: after 11-01's midnight
def test_local_days_from_day_tables_are_those_found_by_converting(odd: tuple[str, datetime],
                                                                  minutes: list[tuple[int, int]]) -> None:
    zone, base = odd
    minute, first = 60_000_000, to_micros(base)
    spans = sorted((first + start * minute, first + (start + length) * minute) for start, length in minutes)
    assert accounting.local_days(spans, zone) == local_days_by_conversion(spans, zone)
