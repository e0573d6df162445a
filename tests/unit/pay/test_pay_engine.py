"""Pay hours against the engine on a generated org (benchmarks/genorg.py), checked by an independent count.

The count samples every quarter hour of each person's month (every handoff,
window and clock change of the generated org falls on a quarter hour) and
classifies it with zoneinfo and the ``holidays`` package directly: who is on
call comes from the engine's public ``final_shifts``, nothing else from opsrepo.
"""

from __future__ import annotations

import bisect
import sys
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import holidays
import pytest

from opsrepo.load.repo import load_repo
from opsrepo.model import Repo
from opsrepo.oncall import final_shifts
from opsrepo.oncall.intervals import union
from opsrepo.pay import month_period, pay_report
from tests.helpers import ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))
from genorg import generate

QUARTER = timedelta(minutes=15)
RATES = {"weekday": Decimal("2.5"), "weekday_night": Decimal("4"), "weekend": Decimal("5.25"),
         "holiday": Decimal("10")}
PAY = """pay:
  currency: EUR
  rules:
    - name: on top
      schedules: [sched-1, sched-6]
      overlap: each
      rates: {weekday: {per_hour: 1}, weekend: {per_hour: 3}}
    - name: seconds
      schedules: [sched-2, sched-5]
      rates: {weekday_night: {per_hour: 7}, holiday: {per_hour: 1.5}}
    - name: standard
      rates: {weekday: {per_hour: 2.5}, weekday_night: {per_hour: 4}, weekend: {per_hour: 5.25},
              holiday: {per_hour: 10}}
"""
#: rule per schedule as the oracle sees it: (rule index, each?, rates per category)
ON_TOP = (0, True, {"weekday": Decimal(1), "weekend": Decimal(3)})
SECONDS = (1, False, {"weekday_night": Decimal(7), "holiday": Decimal("1.5")})
STANDARD = (2, False, RATES)


def rule_of(schedule: str) -> tuple[int, bool, dict[str, Decimal]]:
    return {"sched-1": ON_TOP, "sched-6": ON_TOP, "sched-2": SECONDS, "sched-5": SECONDS}.get(schedule, STANDARD)


@pytest.fixture(scope="module")
def org(tmp_path_factory: pytest.TempPathFactory) -> Repo:
    root = tmp_path_factory.mktemp("org")
    generate(root, 12, 0)  # three teams: Berlin, New York, Sydney
    with (root / "opsrepo.yaml").open("a", encoding="utf-8") as out:
        out.write(PAY)
    loaded = load_repo(root)
    assert loaded.diagnostics == []
    return loaded.repo


def category(person_zone: str, days: set[date], instant: datetime) -> str:
    local = instant.astimezone(ZoneInfo(person_zone))
    if local.date() in days:
        return "holiday"
    if local.weekday() >= 5:
        return "weekend"
    return "weekday_night" if local.hour >= 22 or local.hour < 6 else "weekday"


@pytest.mark.parametrize("month", ["2026-03", "2026-10", "2026-12"])
def test_hours_and_amounts_match_an_independent_count(org: Repo, month: str) -> None:
    period = month_period(month)
    report = {p.person: p for p in pay_report(org, period).people}
    wide = (datetime.combine(period.first, datetime.min.time(), UTC) - timedelta(days=2),
            datetime.combine(period.last, datetime.min.time(), UTC) + timedelta(days=3))
    held: dict[str, dict[str, list[tuple[datetime, datetime]]]] = {}
    for sid in org.schedules:
        for shift in final_shifts(org, sid, *wide):
            held.setdefault(shift.person, {}).setdefault(sid, []).append((shift.start, shift.end))
    assert sorted(report) == sorted(p for p in held if _month_time(org, p, held[p], period.first, period.last))
    for pid, by_schedule in held.items():
        person = org.people[pid]
        zone = ZoneInfo(person.timezone)
        low = datetime.combine(period.first, datetime.min.time(), zone).astimezone(UTC)
        high = datetime.combine(period.last + timedelta(days=1), datetime.min.time(), zone).astimezone(UTC)
        days = set(holidays.country_holidays(person.country, subdiv=person.subdivision,
                                             years=[period.first.year, period.first.year + 1]))
        quarters = dict.fromkeys(RATES, 0)
        amount = Decimal(0)
        starts = {sid: [s for s, _ in spans] for sid, spans in by_schedule.items()}
        instant = low
        while instant < high:
            on = sorted(((rule_of(sid), sid) for sid, spans in by_schedule.items()
                         if _holds(spans, starts[sid], instant)), key=lambda found: (found[0][0], found[1]))
            kind = category(person.timezone, days, instant)
            priced = [r for r, _ in on if r[1]] + [r for r, _ in on if not r[1]][:1]
            for _index, _each, rates in priced:
                quarters[kind] += 1
                amount += rates.get(kind, Decimal(0)) / 4
            instant += QUARTER
        row = report.get(pid)
        if row is None:
            assert sum(quarters.values()) == 0
            continue
        assert {k: v * 900_000_000 for k, v in quarters.items()} == dict(row.time), pid
        assert row.amount == amount.quantize(Decimal("0.01")), pid


def _holds(spans: list[tuple[datetime, datetime]], starts: list[datetime], instant: datetime) -> bool:
    index = bisect.bisect_right(starts, instant) - 1
    return index >= 0 and spans[index][0] <= instant < spans[index][1]


def _month_time(org: Repo, pid: str, by_schedule: dict[str, list[tuple[datetime, datetime]]], first: date,
                last: date) -> int:
    zone = ZoneInfo(org.people[pid].timezone)
    low = datetime.combine(first, datetime.min.time(), zone).astimezone(UTC)
    high = datetime.combine(last + timedelta(days=1), datetime.min.time(), zone).astimezone(UTC)
    micros = 0
    for spans in by_schedule.values():
        micros += sum(max(0, int((min(e, high) - max(s, low)) / timedelta(microseconds=1))) for s, e in spans)
    return micros


def test_hours_add_up_exactly_to_the_final_schedules(org: Repo) -> None:
    """Total = the union of a person's shifts on every schedule (once), plus 'overlap: each' schedules again."""
    period = month_period("2026-12")
    for row in pay_report(org, period).people:
        zone = ZoneInfo(org.people[row.person].timezone)
        low = datetime.combine(period.first, datetime.min.time(), zone)
        high = datetime.combine(period.last + timedelta(days=1), datetime.min.time(), zone)
        once, each = [], 0
        for sid in org.schedules:
            spans = [(_micros(max(s.start, low)), _micros(min(s.end, high)))
                     for s in final_shifts(org, sid, low, high) if s.person == row.person]
            if sid in ("sched-1", "sched-6"):
                each += sum(e - s for s, e in spans)
            else:
                once += spans
        assert row.total_time == sum(e - s for s, e in union(once)) + each
        assert sum(row.hours()[k] for k in RATES) == row.hours()["total"]


def _micros(instant: datetime) -> int:
    return int((instant - datetime(1970, 1, 1, tzinfo=UTC)) / timedelta(microseconds=1))
