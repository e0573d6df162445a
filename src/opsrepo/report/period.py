"""The period a report covers and its calendar months in the organisation's timezone."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from opsrepo.timeutil import get_zone, resolve_wall_time

#: the default period: this many calendar months, the current one included
DEFAULT_MONTHS = 12


@dataclass(frozen=True)
class Month:
    """A calendar month clipped to the period; ``partial`` when clipped."""

    key: str
    start: datetime
    end: datetime
    partial: bool


@dataclass(frozen=True)
class Period:
    """``[since, until)`` as instants (kept in UTC); months are read in ``timezone``."""

    since: datetime
    until: datetime
    timezone: str

    def __post_init__(self) -> None:
        # UTC everywhere inside: Python subtracts datetimes sharing one zone as wall times
        object.__setattr__(self, "since", self.since.astimezone(UTC))
        object.__setattr__(self, "until", self.until.astimezone(UTC))

    def local(self, instant: datetime) -> datetime:
        """``instant`` in the organisation's zone (for display)."""
        return instant.astimezone(self.zone)

    @property
    def zone(self) -> ZoneInfo:
        """The organisation's zone."""
        return get_zone(self.timezone)

    def contains(self, instant: datetime) -> bool:
        """True when ``since <= instant < until``."""
        return self.since <= instant < self.until

    def local_date(self, instant: datetime) -> date:
        """The calendar date of ``instant`` in the organisation's zone."""
        return instant.astimezone(self.zone).date()

    def month_key(self, instant: datetime) -> str:
        """``YYYY-MM`` of ``instant`` in the organisation's zone."""
        return self.local_date(instant).strftime("%Y-%m")

    @property
    def last_day(self) -> date:
        """The last calendar day the period touches (``until`` is exclusive)."""
        return self.local_date(self.until - timedelta(microseconds=1))

    def months(self) -> tuple[Month, ...]:
        """Every calendar month the period touches, in order."""
        found: list[Month] = []
        first = self.local_date(self.since).replace(day=1)
        while True:
            start = start_of_day(first, self.zone)
            if start >= self.until:
                break
            end = start_of_day(_next_month(first), self.zone)
            clipped = Month(first.strftime("%Y-%m"), max(start, self.since), min(end, self.until),
                            partial=start < self.since or end > self.until)
            found.append(clipped)
            first = _next_month(first)
        return tuple(found)


def start_of_day(day: date, zone: ZoneInfo) -> datetime:
    """The first instant of ``day`` in ``zone``, in UTC."""
    return resolve_wall_time(datetime.combine(day, time(0)), zone).astimezone(UTC)


def default_since(until: datetime, zone: ZoneInfo) -> datetime:
    """The first instant of the month ``DEFAULT_MONTHS - 1`` months before ``until``'s."""
    first = until.astimezone(zone).date().replace(day=1)
    for _ in range(DEFAULT_MONTHS - 1):
        first = (first - timedelta(days=1)).replace(day=1)
    return start_of_day(first, zone)


def _next_month(first: date) -> date:
    return (first + timedelta(days=32)).replace(day=1)
