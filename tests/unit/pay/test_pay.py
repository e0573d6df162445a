"""The pay report's hours and amounts, computed by hand for one December in Berlin."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, time
from decimal import Decimal

import pytest

from opsrepo import model as m
from opsrepo.pay import PayPeriod, month_period, pay_report, rounded_hours
from opsrepo.pay.render import render
from tests.unit.oncall.builders import NOWHERE, layer, override, person, repo, schedule

HOUR = 3_600_000_000
DECEMBER = month_period("2026-12")


def rule(name: str, index: int, rates: dict[str, tuple[float, float]], schedules: tuple[str, ...] | None = None,
         overlap: str = "once") -> m.PayRule:
    return m.PayRule(name, index, {k: m.PayRate(Decimal(str(h)), Decimal(str(s))) for k, (h, s) in rates.items()},
                     NOWHERE, schedules, overlap)


STANDARD = {"weekday": (2.5, 0), "weekday_night": (4, 0), "weekend": (5, 0), "holiday": (10, 0)}


def december(*rules: m.PayRule) -> m.Repo:
    """ana and ben take weekly turns from Monday 7 December; ana also holds 'ic' on Saturday 12."""
    primary = schedule("primary", layer("weekly", "ana ben", "2026-12-07T09:00", "1w"))
    ic = schedule("ic", overrides=[override("ana", "2026-12-12T00:00", "2026-12-13T00:00")])
    people = [person("ana", country="DE", subdivision="BE"), person("ben", country="DE", subdivision="BE")]
    org = m.Org("Test", "Europe/Berlin", NOWHERE, pay=m.PayConfig("EUR", tuple(rules), NOWHERE) if rules else None)
    return repo(primary, ic, people=people, org=org)


def hours(report_row: object) -> dict[str, float]:
    return {k: float(v) for k, v in report_row.hours().items()}  # type: ignore[attr-defined]


def test_month_period() -> None:
    assert month_period("2026-02") == PayPeriod(date(2026, 2, 1), date(2026, 2, 28), "2026-02")
    assert month_period("2026-12") == PayPeriod(date(2026, 12, 1), date(2026, 12, 31), "2026-12")
    for bad in ("2026-13", "2026-1", "26-01", "2026/01", "november"):
        with pytest.raises(ValueError):
            month_period(bad)


def test_hours_by_category_without_pay_rules() -> None:
    report = pay_report(december(), DECEMBER)
    assert report.currency is None
    ana, ben = report.people
    # week 1 (Mon 7 09:00 - Mon 14 09:00): weekend 12+13, nights Mon 7 22h .. Mon 14 06h on weekdays;
    # week 3 (Mon 21 - Mon 28): 25 and 26 are holidays in Berlin (Friday, Saturday), Sunday 27 weekend
    assert hours(ana) == {"weekday": 144.0, "weekday_night": 72.0, "weekend": 72.0, "holiday": 48.0, "total": 336.0}
    assert dict(ana.shifts) == {"weekday": 2, "weekday_night": 2, "weekend": 2, "holiday": 1, "total": 2}
    # week 2, and from Mon 28 09:00 to the end of the month (87 h, 31 December is no holiday)
    assert hours(ben) == {"weekday": 141.0, "weekday_night": 66.0, "weekend": 48.0, "holiday": 0.0, "total": 255.0}
    assert (ana.amount, ben.amount) == (None, None)


def test_time_on_two_schedules_at_once_counts_once() -> None:
    report = pay_report(december(rule("standard", 0, STANDARD)), DECEMBER)
    ana, ben = report.people
    assert hours(ana)["total"] == 336.0  # Saturday 12 on 'ic' and 'primary' at once
    assert ana.amount == Decimal("1488.00")  # 144 x 2.5 + 72 x 4 + 72 x 5 + 48 x 10
    assert ben.amount == Decimal("856.50")  # 141 x 2.5 + 66 x 4 + 48 x 5
    assert report.totals() == ({"weekday": Decimal(285), "weekday_night": Decimal(138), "weekend": Decimal(120),
                                "holiday": Decimal(48), "total": Decimal(591)}, Decimal("2344.50"))


def test_a_rule_with_overlap_each_pays_its_schedule_on_top() -> None:
    ic = rule("ic", 0, {"weekend": (0, 80)}, ("ic",), "each")
    ana, _ = pay_report(december(ic, rule("standard", 1, STANDARD)), DECEMBER).people
    assert hours(ana) == {"weekday": 144.0, "weekday_night": 72.0, "weekend": 96.0, "holiday": 48.0, "total": 360.0}
    assert ana.amount == Decimal("1568.00")  # 1488 + one 'ic' shift with weekend time
    assert ana.shifts["total"] == 3  # two weeks of 'primary', one 'ic' day


def test_the_first_rule_prices_time_held_on_two_schedules() -> None:
    ic = rule("ic", 0, {"weekend": (0, 80)}, ("ic",))
    ana, _ = pay_report(december(ic, rule("standard", 1, STANDARD)), DECEMBER).people
    assert hours(ana)["total"] == 336.0
    # Saturday 12 is the ic rule's (80 per shift), so the standard rule pays 48 weekend hours, not 72
    assert ana.amount == Decimal("1448.00")
    assert ana.shifts["total"] == 3  # the interrupted week is still one shift of the standard rule


def test_a_shift_is_paid_in_the_month_it_starts_for_every_category_it_has_time_in() -> None:
    flat = december(rule("flat", 0, {"weekday": (0, 100), "weekend": (0, 50), "holiday": (0, 30)}))
    ben = pay_report(flat, DECEMBER).people[1]
    # Dec 14-21 (weekdays, weekend); Dec 28 - Jan 4 (weekdays, weekend, and New Year's Day in January)
    assert dict(ben.shifts) == {"weekday": 2, "weekday_night": 2, "weekend": 2, "holiday": 1, "total": 2}
    assert ben.amount == Decimal("330.00")
    january = {p.person: p for p in pay_report(flat, month_period("2027-01")).people}
    # Jan 1-4 belongs to December's shift; Jan 11-18 and Jan 25 - Feb 1 start in January
    assert hours(january["ben"])["total"] == 81 + 168 + 159
    assert dict(january["ben"].shifts) == {"weekday": 2, "weekday_night": 2, "weekend": 2, "holiday": 0,
                                           "total": 2}
    assert january["ben"].amount == Decimal("300.00")


def test_each_person_is_counted_over_their_own_days() -> None:
    base = december()
    ben = replace(base.people["ben"], timezone="Pacific/Auckland")
    row = pay_report(replace(base, people={**base.people, "ben": ben}), DECEMBER).people[1]
    # Auckland's December ends at 12:00 on 31 December in Berlin: 12 hours of Ben's last shift are January's
    assert hours(row)["total"] == 255.0 - 12


def test_the_night_window_is_configurable() -> None:
    config = m.PayConfig("EUR", (rule("standard", 0, STANDARD),), NOWHERE,
                         m.Window(m.ALL_DAYS, time(20), time(8)))
    base = december()
    ana, _ = pay_report(replace(base, org=replace(base.org, pay=config)), DECEMBER).people
    assert hours(ana) == {"weekday": 108.0, "weekday_night": 108.0, "weekend": 72.0, "holiday": 48.0, "total": 336.0}


def test_rounded_hours_add_up_to_the_rounded_total() -> None:
    third = HOUR // 3
    shown = rounded_hours({"weekday": third, "weekday_night": third, "weekend": third, "holiday": 0})
    assert shown == {"weekday": Decimal("0.34"), "weekday_night": Decimal("0.33"), "weekend": Decimal("0.33"),
                     "holiday": Decimal(0), "total": Decimal(1)}


def test_text_csv_and_json() -> None:
    report = pay_report(december(rule("standard", 0, STANDARD)), DECEMBER)
    assert render(report, "text") == """\
On-call pay for 2026-12 (2026-12-01 to 2026-12-31), each person's days on their own clock; amounts in EUR

person  name  team  weekday  weekday night  weekend  holiday   total  shifts   amount
ana     Ana   team   144.00          72.00    72.00    48.00  336.00       2  1488.00
ben     Ben   team   141.00          66.00    48.00     0.00  255.00       2   856.50
total                285.00         138.00   120.00    48.00  591.00       4  2344.50

Hours are on call by the final schedules; time on two schedules at once counts once unless a pay rule says 'overlap: each'.
"""
    assert render(report, "csv") == """\
person,name,team,weekday,weekday_night,weekend,holiday,total,shifts,amount,currency
ana,Ana,team,144.00,72.00,72.00,48.00,336.00,2,1488.00,EUR
ben,Ben,team,141.00,66.00,48.00,0.00,255.00,2,856.50,EUR
total,,,285.00,138.00,120.00,48.00,591.00,4,2344.50,EUR
"""
    import json

    assert json.loads(render(report, "json")) == {
        "period": {"month": "2026-12", "from": "2026-12-01", "to": "2026-12-31"},
        "currency": "EUR",
        "people": [
            {"person": "ana", "name": "Ana", "team": "team",
             "hours": {"weekday": 144.0, "weekday_night": 72.0, "weekend": 72.0, "holiday": 48.0, "total": 336.0},
             "shifts": {"weekday": 2, "weekday_night": 2, "weekend": 2, "holiday": 1, "total": 2},
             "amount": 1488.0, "currency": "EUR"},
            {"person": "ben", "name": "Ben", "team": "team",
             "hours": {"weekday": 141.0, "weekday_night": 66.0, "weekend": 48.0, "holiday": 0.0, "total": 255.0},
             "shifts": {"weekday": 2, "weekday_night": 2, "weekend": 2, "holiday": 1, "total": 2},
             "amount": 856.5, "currency": "EUR"},
        ],
        "totals": {"hours": {"weekday": 285.0, "weekday_night": 138.0, "weekend": 120.0, "holiday": 48.0,
                             "total": 591.0}, "amount": 2344.5, "currency": "EUR"},
    }


def test_nobody_on_call() -> None:
    report = pay_report(december(), month_period("2026-11"))
    assert render(report, "text") == (
        "On-call pay for 2026-11 (2026-11-01 to 2026-11-30), each person's days on their own clock; "
        "no pay rules (pay: in opsrepo.yaml): hours only\n\nNobody was on call.\n")
