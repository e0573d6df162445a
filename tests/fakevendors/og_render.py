"""Opsgenie's schedule timeline, computed from a schedule as its API v2 describes it.

Written from Opsgenie's documentation, not from opsrepo (nothing here imports it):

* Rotations are cumulative: "When an alert is escalated through the schedule, all
  on-call users in all the different rotations are notified (cumulative)"
  (support.atlassian.com/opsgenie/docs/manage-on-call-schedules-and-rotations).
  No rotation wins over another: the final timeline lists every rotation with
  its own periods, and at one instant several recipients can be on call.
* Turns. "Starting date and time indicates when the rotation becomes active.
  Schedule rotations are calculated from this date and time ... it becomes the
  handover time" (same page). ``type`` hourly/daily/weekly with ``length`` ("if
  the rotation is hourly and the length is 5, it is a 5 hours rotation"); turn
  ``k`` belongs to ``participants[k mod n]`` ("will be rotated in the order they
  given", swagger ``CreateScheduleRotationPayload``). ``endDate``, when set,
  ends the rotation. A ``none`` participant's turn has nobody on call: it makes
  no period. ``team`` and ``escalation`` participants are recipients of their own
  type.
* Time zone: handover times are the schedule ``timezone``'s wall clock, so daily
  and weekly turns keep their local hour across DST (our reading of "handover
  time", the same conclusion as for PagerDuty); hourly turns are elapsed hours.
* ``timeRestriction`` (swagger ``TimeOfDayRestrictionInterval``,
  ``WeekdayTimeRestrictionInterval``): ``time-of-day`` is every day from
  startHour:startMin to endHour:endMin (an end at or before the start passes
  midnight); ``weekday-and-time-of-day`` is a list of windows from startDay
  startHour:startMin to endDay endHour:endMin (an end at or before the start in
  the week runs across the week's end). Restrictions cut the turns and do not move
  the handovers.
* Overrides "have a higher priority than Rotations ... If you select a Rotation,
  the override only applies to that Rotation. If not, the override takes
  precedence over all Rotations" (Opsgenie on-call schedule guide); swagger
  ``rotations``: "When it's set, only specified schedule rotations will be
  overridden". We read this as: inside the override's time, the named rotations
  (all, when none is named) have the override user wherever they would have
  had someone (a ``none`` turn included); a later override wins where two
  overlap, as in PagerDuty.
* Timeline (``GET /v2/schedules/{id}/timeline``): from ``date`` (default now)
  for ``interval`` ``intervalUnit`` (default 1 week); ``finalTimeline`` is the
  schedule with overrides, ``baseTimeline`` without them, ``overrideTimeline``
  the override periods only. Periods have ``type`` ``default`` or ``override``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from tests.fakevendors.intervals import Span, at, days, intersect, paint, union, wall_add

WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
Who = tuple[str, str, str]  # (type, id, name); type "none" for nobody


def parse(text: str) -> datetime:
    value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    if value.tzinfo is None:
        raise ValueError(f"date-time without an offset: {text}")
    return value.astimezone(UTC)


def participant(recipient: dict[str, Any]) -> Who:
    kind = recipient["type"]
    name = recipient.get("username") or recipient.get("name") or ""
    return (kind, recipient.get("id", ""), name)


def restriction_windows(restriction: dict[str, Any], zone: ZoneInfo, lo: datetime,
                        hi: datetime) -> list[tuple[datetime, datetime]]:
    windows = []
    if restriction["type"] == "time-of-day":
        rule = restriction["restriction"]
        start, end = time(rule["startHour"], rule["startMin"]), time(rule["endHour"], rule["endMin"])
        for day in days(lo, hi, zone):
            windows.append((at(day, start, zone), at(day + timedelta(days=end <= start), end, zone)))
        return union(windows)
    for rule in restriction["restrictions"]:
        first, last = WEEKDAYS.index(rule["startDay"]), WEEKDAYS.index(rule["endDay"])
        start, end = time(rule["startHour"], rule["startMin"]), time(rule["endHour"], rule["endMin"])
        span = (last - first) % 7
        if span == 0 and end <= start:
            span = 7
        for day in days(lo, hi, zone):
            if day.weekday() == first:
                windows.append((at(day, start, zone), at(day + timedelta(days=span), end, zone)))
    return union(windows)


def rotation_turns(rotation: dict[str, Any], zone: ZoneInfo, lo: datetime, hi: datetime) -> list[Span[Who]]:
    people = [participant(p) for p in rotation.get("participants", [])]
    if not people:
        return []
    unit = {"hourly": 3600, "daily": 86400, "weekly": 7 * 86400}[rotation["type"]]
    length = unit * int(rotation.get("length") or 1)
    origin = parse(rotation["startDate"])
    start = max(origin, lo)
    end = min(parse(rotation["endDate"]), hi) if rotation.get("endDate") else hi

    def step(k: int) -> datetime:
        if rotation["type"] == "hourly":
            return origin + timedelta(seconds=k * length)
        return wall_add(origin, k * length, zone)

    if start >= end:
        return []
    k = max(int((start - origin).total_seconds() // length) - 1, 0)
    while k > 0 and step(k) > start:
        k -= 1
    spans = []
    while (begin := step(k)) < end:
        span = Span(begin, step(k + 1), people[k % len(people)]).clip(start, end)
        if span is not None:
            spans.append(span)
        k += 1
    return spans


@dataclass
class RotationLine:
    id: str
    name: str
    order: int
    base: list[Span[Who]]  # "none" turns included; callers drop them for display
    final: list[tuple[Span[Who], bool]]  # (span, from an override)


def render(schedule: dict[str, Any], overrides: list[dict[str, Any]], lo: datetime,
           hi: datetime) -> list[RotationLine]:
    """Every rotation's turns over ``[lo, hi)``, before and after the overrides (creation order)."""
    zone = ZoneInfo(schedule["timezone"])
    lines = []
    for order, rotation in enumerate(schedule.get("rotations", [])):
        turns = rotation_turns(rotation, zone, lo, hi)
        if rotation.get("timeRestriction"):
            turns = intersect(turns, restriction_windows(rotation["timeRestriction"], zone, lo, hi))
        tops = []
        for override in overrides:
            named = {r.get("id") for r in override.get("rotations") or []} | {
                r.get("name") for r in override.get("rotations") or []}
            if named and rotation.get("id") not in named and rotation.get("name") not in named:
                continue
            who = participant(override["user"])
            ospan = Span(parse(override["startDate"]), parse(override["endDate"]), (*who, "override"))
            tops.append([Span(s.start, s.end, ospan.who) for s in intersect([ospan], [(t.start, t.end) for t in turns])])
        marked = [Span(t.start, t.end, (*t.who, "default")) for t in turns]
        final = [(Span(s.start, s.end, s.who[:3]), s.who[3] == "override") for s in paint([marked, *tops])]
        lines.append(RotationLine(rotation.get("id", ""), rotation.get("name", ""), order, turns, final))
    return lines


def on_call(lines: list[RotationLine], instant: datetime) -> list[Who]:
    """Everyone on call at ``instant``: one recipient per rotation whose final period holds it."""
    found = []
    for line in lines:
        for span, _ in line.final:
            if span.start <= instant < span.end and span.who[0] != "none" and span.who not in found:
                found.append(span.who)
    return found
