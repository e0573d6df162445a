"""PagerDuty's v3 shift-based schedules: what an ops-repo schedule can hold, and a report of the rest.

A v3 schedule has rotations of *events*: a shift from ``start_time`` to
``end_time`` repeated by an RRULE, its ``members`` taking ``shifts_per_member``
shifts each in turn. Such an event is an ops-repo layer when its shifts repeat
every day (``FREQ=DAILY``) or on some weekdays (``FREQ=WEEKLY;BYDAY=...``) with
``INTERVAL=1``, and a member's turn spans whole days or whole weeks. Events
that put every member on call at once, other recurrences, and the several
people at once that overlapping events give are reported, not imported.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from opsrepo.importers.common import Builder
from opsrepo.importers.layers import Rotation, layers
from opsrepo.importers.result import Item
from opsrepo.importers.schedules import ScheduleMaker
from opsrepo.importers.timefmt import parse_instant, wall, zone_or_none
from opsrepo.importers.windows import DAY, Span

DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


def import_schedule(build: Builder, maker: ScheduleMaker, schedule: dict[str, Any], schedule_id: str) -> None:
    """One v3 schedule as one ops-repo schedule (its importable events as layers)."""
    item = maker.item(schedule, schedule_id)
    item.note("a v3 shift-based schedule")
    zone = maker.zone(schedule.get("time_zone"), item)
    made: list[dict[str, Any]] = []
    events = [e for rotation in schedule.get("rotations") or [] for e in rotation.get("events") or []]
    for event in events:
        rotation = _rotation(event, zone, item)
        if rotation is not None:
            people = {uid: build.person_of(uid) for uid in rotation.members if uid}
            made.extend(layers(rotation, people, item))
    if len(events) > 1:
        item.lose(
            "several events",
            "v3 events may put several people on call at once; an opsrepo schedule "
            "has one person at a time, so where they overlap the event listed last wins",
        )
    overrides = [
        (
            build.person_of(o["overriding_member"]["user_id"]),
            parse_instant(o["start_time"]),
            parse_instant(o["end_time"]),
        )
        for o in schedule.get("overrides") or []
        if (o.get("overriding_member") or {}).get("user_id") and parse_instant(o["end_time"]) > maker.now
    ]
    for shift in schedule.get("custom_shifts") or []:
        member = ((shift.get("assignments") or [{}])[0].get("member") or {}).get("user_id")
        if member and parse_instant(shift["end_time"]) > maker.now:
            overrides.append(
                (
                    build.person_of(member),
                    parse_instant(shift["start_time"]),
                    parse_instant(shift["end_time"]),
                )
            )
            item.note("custom shifts were written as overrides (they replace whoever else is on call then)")
    maker.write(
        item,
        schedule["id"],
        schedule_id,
        schedule.get("name") or schedule_id,
        maker.team(schedule.get("teams") or [], item),
        zone,
        made,
        overrides,
    )


def _rule(recurrence: list[str]) -> dict[str, str]:
    parts: dict[str, str] = {}
    for line in recurrence:
        for part in line.removeprefix("RRULE:").split(";"):
            key, _, value = part.partition("=")
            if key:
                parts[key.upper()] = value.upper()
    return parts


def _rotation(event: dict[str, Any], zone: ZoneInfo, item: Item) -> Rotation | None:
    name = event.get("name") or event.get("id", "event")
    strategy = event.get("assignment_strategy") or {}
    members = tuple(
        m.get("user_id") if m.get("type") == "user_member" else None for m in strategy.get("members") or []
    )
    if strategy.get("type") == "every_member_assignment_strategy" and len(members) > 1:
        item.lose(
            f"event {name!r}",
            "it puts every member on call at once; an opsrepo schedule has one "
            "person at a time, so the event was not imported",
        )
        return None
    rule = _rule(event.get("recurrence") or [])
    event_zone = zone_or_none((event.get("start_time") or {}).get("time_zone")) or zone
    start = parse_instant(event["start_time"]["date_time"])
    end = parse_instant(event["end_time"]["date_time"])
    begin = wall(start, event_zone)
    shift = wall(end, event_zone) - begin
    per_member = int(strategy.get("shifts_per_member") or 1)
    spans, length = _shape(rule, begin, shift, per_member)
    if length is None:
        item.lose(
            f"event {name!r}",
            f"its recurrence {';'.join(f'{k}={v}' for k, v in rule.items())} with "
            f"{per_member} shift(s) per member is not a rotation of whole days or weeks; not imported",
        )
        return None
    if event_zone != zone:
        item.lose(
            f"event {name!r}: time zone",
            f"its shifts are in {event_zone.key}, the schedule in "
            f"{zone.key}; the event was written on the schedule's clock",
        )
    since = parse_instant(event["effective_since"]) if event.get("effective_since") else start
    until = parse_instant(event["effective_until"]) if event.get("effective_until") else None
    return Rotation(name, members, start, length, max(since, start), until, spans, zone)


def _shape(
    rule: dict[str, str], begin: datetime, shift: timedelta, per_member: int
) -> tuple[list[Span] | None, timedelta | None]:
    """The restriction spans and turn length of a recurrence; no length when it is not representable."""
    if rule.get("INTERVAL", "1") != "1" or set(rule) - {"FREQ", "INTERVAL", "BYDAY", "WKST"}:
        return None, None
    minutes = int(shift.total_seconds() // 60)
    at = begin.hour * 60 + begin.minute
    if rule.get("FREQ") == "DAILY" and "BYDAY" not in rule:
        if minutes == DAY:
            return None, timedelta(days=per_member)
        if minutes > DAY:
            return None, None
        return [(day * DAY + at, minutes) for day in range(7)], timedelta(days=per_member)
    if rule.get("FREQ") in ("WEEKLY", "DAILY"):
        days = [
            DAYS.index(d[-2:]) for d in rule.get("BYDAY", DAYS[begin.weekday()]).split(",") if d[-2:] in DAYS
        ]
        if not days or per_member % len(days) or minutes > 7 * DAY:
            return None, None
        return [(day * DAY + at, minutes) for day in days], timedelta(weeks=per_member // len(days))
    return None, None
