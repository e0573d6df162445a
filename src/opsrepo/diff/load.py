"""A person's on-call load over some segments, counted as ``opsrepo report`` and the fairness rules do.

The definitions live in :mod:`opsrepo.oncall.accounting`: nights are 22:00-06:00
and days are calendar days, both on the person's own wall clock; a night, a
weekend day or a public holiday counts once when any on-call time touches it.
"""

from __future__ import annotations

from collections.abc import Iterable

from opsrepo import model as m
from opsrepo.diff.model import Load
from opsrepo.diff.timeline import Segment
from opsrepo.oncall import accounting
from opsrepo.oncall.clock import HOUR, to_micros
from opsrepo.oncall.intervals import union


def person_load(segments: Iterable[Segment], person: m.Person | None, fallback_zone: str) -> Load:
    """The load ``segments`` put on ``person`` (an unknown person: ``fallback_zone``, no holidays)."""
    zone = person.timezone if person is not None else fallback_zone
    spans = union((to_micros(s.start), to_micros(s.end)) for s in segments)
    days = accounting.local_days(spans, zone)
    return Load(
        hours=round(sum(end - start for start, end in spans) / HOUR, 2),
        night_hours=round(accounting.night_time(spans, zone) / HOUR, 2),
        nights=accounting.nights_on_call(spans, zone),
        weekend_days=accounting.weekend_days(days),
        holidays=accounting.holiday_days(days, person),
    )
