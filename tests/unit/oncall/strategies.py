"""Hypothesis strategies: random schedules over DST-heavy zones, with restrictions, overrides and time off."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from hypothesis import strategies as st

from opsrepo import model as m
from tests.unit.oncall.builders import NOWHERE, person, repo

ZONES = ("Europe/Berlin", "America/New_York", "America/Chicago", "Australia/Sydney", "Australia/Lord_Howe",
         "Europe/London", "UTC", "Asia/Kolkata")
PEOPLE = ("ana", "ben", "cleo", "dan", "eve")
LENGTHS = tuple(timedelta(**kw) for kw in (
    {"hours": 1}, {"minutes": 90}, {"hours": 8}, {"hours": 12}, {"days": 1}, {"days": 2}, {"weeks": 1},
    {"weeks": 2}))
#: wall times around the 2026 transitions are likely (02:00-03:00 is where gaps and overlaps are)
CLOCKS = st.sampled_from([time(h, mi) for h in (0, 1, 2, 3, 8, 9, 17, 22) for mi in (0, 15, 30)])


@st.composite
def walls(draw: st.DrawFn, low: datetime = datetime(2025, 9, 1), days: int = 480) -> datetime:
    """A naive wall time (minute precision) in the range, often at DST-prone clock times."""
    day = low + timedelta(days=draw(st.integers(0, days)))
    return datetime.combine(day.date(), draw(CLOCKS))


windows = st.builds(
    m.Window,
    st.frozensets(st.integers(0, 6), min_size=1).map(frozenset),
    CLOCKS,
    CLOCKS,
)


@st.composite
def layers(draw: st.DrawFn, index: int, zone: str) -> m.Layer:
    """A layer: 1-4 members (repeats allowed), any length, maybe an end and restriction windows."""
    start = draw(walls())
    end = draw(st.one_of(st.none(), walls(start, 300)))
    return m.Layer(
        name=f"layer-{index}", index=index,
        members=tuple(draw(st.lists(st.sampled_from(PEOPLE), min_size=1, max_size=4))),
        start=start, length=draw(st.sampled_from(LENGTHS)),
        timezone=draw(st.sampled_from((zone, *ZONES))), src=NOWHERE, end=end,
        restrictions=tuple(draw(st.lists(windows, max_size=2))),
    )


@st.composite
def overrides(draw: st.DrawFn, index: int) -> m.Override:
    """An override of a few hours to a few days (sometimes inverted)."""
    start = draw(walls(datetime(2026, 1, 1), 360))
    return m.Override(draw(st.sampled_from(PEOPLE)), index, start,
                      start + timedelta(hours=draw(st.integers(-2, 80))), NOWHERE, draw(st.sampled_from((None, "swap"))))


@st.composite
def repos(draw: st.DrawFn) -> m.Repo:
    """A repo with one random schedule ``s`` (and a schedule ``d`` derived from it)."""
    zone = draw(st.sampled_from(ZONES))
    count = draw(st.integers(1, 3))
    sched = m.Schedule(
        "s", "S", "team", zone, NOWHERE,
        layers=tuple(draw(layers(i, zone)) for i in range(count)),
        overrides=tuple(draw(overrides(i)) for i in range(draw(st.integers(0, 3)))),
        time_off=draw(st.sampled_from(("skip", "flag"))),
    )
    derived = m.Schedule("d", "D", "team", zone, NOWHERE, derive=m.Derive("s", draw(st.integers(1, 3))),
                         overrides=tuple(draw(overrides(i)) for i in range(draw(st.integers(0, 2)))))
    people = []
    for pid in PEOPLE:
        spans = []
        for _ in range(draw(st.integers(0, 2))):
            first = draw(walls(datetime(2026, 1, 1), 360)).date()
            spans.append((first.isoformat(), (first + timedelta(days=draw(st.integers(0, 9)))).isoformat()))
        people.append(person(pid, draw(st.sampled_from(ZONES)), off=spans))
    return repo(sched, derived, people=people)


@st.composite
def ranges(draw: st.DrawFn) -> tuple[datetime, datetime]:
    """An aware query range in 2026 of up to 40 days."""
    from datetime import UTC

    start = datetime(2026, 1, 1, tzinfo=UTC) + timedelta(minutes=15 * draw(st.integers(0, 35000)))
    return start, start + timedelta(hours=draw(st.integers(1, 960)))
