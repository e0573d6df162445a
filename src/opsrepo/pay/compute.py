"""On-call hours by category and their pay, per person, from the engine's final schedules.

Each person is counted over their own calendar days (the period's first day
00:00 to the day after its last, on their clock), the way payroll counts a
month. Time on two schedules at once counts once, priced by the first pay
rule of those schedules (rules without ``schedules`` last, schedules no rule
prices after them, unpaid); a rule with ``overlap: each`` instead counts and
pays each of its schedules on top. A *shift* is an unbroken stretch of time
priced by one rule (one schedule for ``each`` rules); it is paid per shift in
the period it starts in, once for every category it has time in, judged over
its whole length (looked for up to :data:`SHIFT_REACH` past the period).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from opsrepo.model import NIGHT_WINDOW, PAY_CATEGORIES, PayConfig, PayRule, Person, Repo
from opsrepo.oncall import shift_segments
from opsrepo.oncall.accounting import turns_of
from opsrepo.oncall.clock import HOUR, day_micros, to_micros
from opsrepo.oncall.intervals import Span, outside, union
from opsrepo.pay import categories as cat

#: how far past the period a shift is followed to judge its categories (per-shift pay)
SHIFT_REACH = timedelta(days=35)
CENT = Decimal("0.01")


@dataclass(frozen=True)
class PayPeriod:
    """Calendar days ``first``..``last`` (both included); ``month`` when it is one calendar month."""

    first: date
    last: date
    month: str | None = None


@dataclass(frozen=True)
class PersonPay:
    """One person's on-call time (microseconds) and shifts per category, and what it earns."""

    person: str
    name: str
    team: str
    time: Mapping[str, int]
    #: shifts starting in the period with time in each category; ``total``: shifts starting in it
    shifts: Mapping[str, int]
    #: ``None`` without pay rules
    amount: Decimal | None

    @property
    def total_time(self) -> int:
        """All on-call time in the period (microseconds)."""
        return sum(self.time.values())

    def hours(self) -> dict[str, Decimal]:
        """Hours per category to the hundredth, adding up exactly to ``total`` (largest remainders)."""
        return rounded_hours(self.time)


@dataclass(frozen=True)
class PayReport:
    """Everyone with on-call time in the period, by id."""

    period: PayPeriod
    currency: str | None
    people: tuple[PersonPay, ...]

    def totals(self) -> tuple[dict[str, Decimal], Decimal | None]:
        """Hours per category and amount, summed from what each person's row shows."""
        hours = dict.fromkeys((*PAY_CATEGORIES, "total"), Decimal(0))
        for person in self.people:
            for key, value in person.hours().items():
                hours[key] += value
        if self.currency is None:
            return hours, None
        return hours, sum((p.amount or Decimal(0) for p in self.people), Decimal("0.00"))


def rounded_hours(time: Mapping[str, int]) -> dict[str, Decimal]:
    """Microseconds per category as hours to the hundredth whose sum is the rounded total."""
    unit = HOUR // 100
    total = (sum(time.values()) + unit // 2) // unit
    floors = {key: time[key] // unit for key in PAY_CATEGORIES}
    spare = total - sum(floors.values())
    for key in sorted(PAY_CATEGORIES, key=lambda k: (-(time[k] % unit), PAY_CATEGORIES.index(k)))[:spare]:
        floors[key] += 1
    shown = {key: Decimal(value) / 100 for key, value in floors.items()}
    shown["total"] = Decimal(total) / 100
    return shown


def pay_report(repo: Repo, period: PayPeriod) -> PayReport:
    """Hours by category and pay of everyone on call in ``period``."""
    config = repo.org.pay
    reach = SHIFT_REACH if config is not None and _pays_shifts(config) else timedelta(0)
    start = datetime.combine(period.first, datetime.min.time(), UTC) - timedelta(days=1) - reach
    end = datetime.combine(period.last, datetime.min.time(), UTC) + timedelta(days=2) + reach
    held: dict[str, dict[str, list[Span]]] = defaultdict(dict)
    for schedule_id in sorted(repo.schedules):
        for person, spans in turns_of(shift_segments(repo, schedule_id, start, end)).items():
            held[person][schedule_id] = spans
    low, high = to_micros(start), to_micros(end)
    people = [
        _person_pay(repo.people[pid], spans, config, period, (low, high))
        for pid, spans in sorted(held.items()) if pid in repo.people
    ]
    return PayReport(period, config.currency if config else None,
                     tuple(p for p in people if p.total_time or p.shifts["total"]))


def _pays_shifts(config: PayConfig) -> bool:
    return any(rate.per_shift for rule in config.rules for rate in rule.rates.values())


def _person_pay(person: Person, held: Mapping[str, list[Span]], config: PayConfig | None,
                period: PayPeriod, reach: Span) -> PersonPay:
    zone = person.timezone
    own_low, own_high = day_micros(zone, period.first), day_micros(zone, period.last + timedelta(days=1))
    timeline = cat.timeline_of(person, config.night if config else NIGHT_WINDOW, *reach)
    time = dict.fromkeys(PAY_CATEGORIES, 0)
    shifts = dict.fromkeys((*PAY_CATEGORIES, "total"), 0)
    amount = Decimal(0)
    for rule, own, paid in priced_groups(held, config):
        group_time = timeline.time(paid, own_low, own_high)
        group_shifts = _shift_counts(own, paid, timeline, own_low, own_high)
        for key in PAY_CATEGORIES:
            time[key] += group_time[key]
        for key, count in group_shifts.items():
            shifts[key] += count
        if rule is not None:
            amount += price(rule, group_time, group_shifts)
    paid_amount = amount.quantize(CENT, ROUND_HALF_UP) if config is not None else None
    return PersonPay(person.id, person.name, person.team, time, shifts, paid_amount)


def priced_groups(held: Mapping[str, list[Span]], config: PayConfig | None,
                  ) -> Iterable[tuple[PayRule | None, list[Span], list[Span]]]:
    """``(rule, own time, time it prices)`` per group of a person's schedules (rule None: unpaid)."""
    rules = config.rules if config is not None else ()
    once: dict[int, tuple[PayRule | None, list[Span]]] = {}
    for schedule_id, spans in held.items():
        rule = config.rule_for(schedule_id) if config is not None else None
        if rule is not None and rule.overlap == "each":
            yield rule, spans, spans
            continue
        key = rule.index if rule is not None else len(rules)
        once.setdefault(key, (rule, []))[1].extend(spans)
    covered: list[Span] = []
    for key in sorted(once):
        rule, spans = once[key]
        own = union(spans)
        yield rule, own, outside(own, covered) if covered else own
        covered = union([*covered, *own])


def _shift_counts(own: Sequence[Span], paid: Sequence[Span], timeline: cat.Timeline, low: int,
                  high: int) -> dict[str, int]:
    """Shifts of ``own`` starting in ``[low, high)``: in all, and with ``paid`` time in each category.

    ``paid`` lies within ``own``; both are sorted and merged.
    """
    counts: dict[str, int] = defaultdict(int)
    index = 0
    for start, end in own:
        while index < len(paid) and paid[index][1] <= start:
            index += 1
        if not low <= start < high:
            continue
        counts["total"] += 1
        found: set[str] = set()
        probe = index
        while probe < len(paid) and paid[probe][0] < end:
            found |= timeline.categories(max(paid[probe][0], start), min(paid[probe][1], end))
            probe += 1
        for category in found:
            counts[category] += 1
    return counts


def price(rule: PayRule, time: Mapping[str, int], shifts: Mapping[str, int]) -> Decimal:
    """What ``rule`` pays for ``time`` (microseconds per category) and ``shifts`` (per category)."""
    amount = Decimal(0)
    for category, rate in rule.rates.items():
        if rate.per_hour:
            amount += rate.per_hour * Decimal(time.get(category, 0)) / HOUR
        if rate.per_shift:
            amount += rate.per_shift * shifts.get(category, 0)
    return amount


def month_period(text: str) -> PayPeriod:
    """``2026-11`` as the period of that calendar month; ``ValueError`` when it is not one."""
    year, _, month = text.partition("-")
    if not (len(year) == 4 and year.isdigit() and len(month) == 2 and month.isdigit()):
        raise ValueError(text)
    first = date(int(year), int(month), 1)
    following = date(first.year + first.month // 12, first.month % 12 + 1, 1)
    return PayPeriod(first, following - timedelta(days=1), text)


__all__ = ["CENT", "PayPeriod", "PayReport", "PersonPay", "month_period", "pay_report", "price",
           "priced_groups", "rounded_hours"]
