"""PagerDuty's final schedule, computed from a schedule as the REST API v2 describes it.

Written from PagerDuty's documentation, not from opsrepo (nothing here imports it):

* Layers. "In a schedule with multiple layers, the lowest layer always takes
  precedence. If a user on Layer 1 and Layer 2 overlap, the user on Layer 2 will
  be the one on-call ... The last layer, then, essentially acts as an override
  for all layers that it overlaps" (support.pagerduty.com/docs/schedules). In the
  API, ``schedule_layers`` is sent in POST/PUT with Layer 1 first; GET used to
  answer in the opposite order (PagerDuty/public-support-scripts PR #60, 2021:
  "a GET request and a POST or PUT request for a schedule will have schedule
  layers in opposite order"; the Terraform provider reversed them on read) until
  PagerDuty's "layer order fix" (PagerDuty/terraform-provider-pagerduty PR #610,
  2023: "layers will be returned in the correct order"). So here: index 0 is
  Layer 1, the bottom; a higher index wins where layers overlap; the fake
  answers GET in the order it was given.
* Turns. Turn ``k`` starts at ``rotation_virtual_start`` + ``k`` x
  ``rotation_turn_length_seconds`` and belongs to ``users[k mod n]`` (the list is
  "ordered ... the position of the user on the list determines their order in the
  layer"). ``rotation_virtual_start`` may lie before ``start``; only the part
  after ``start`` (and before ``end``, when set) is on call.
* DST. A handoff keeps its local time in the schedule's ``time_zone``: a
  schedule "set to USA EST ... at 2:00" shows its handoff one hour later to a UTC
  user once DST begins (support.pagerduty.com/docs/time-zones, "Daylight Saving
  Time"); the UI asks for a "handoff time" of day. So turns are counted on the
  schedule zone's wall clock (:func:`intervals.wall_add`): a daily turn across
  the spring change lasts 23 h. We apply the same wall-clock rule to turns shorter
  than a day (PagerDuty does not document them; our conclusion, not a quote).
* Restrictions "respect the time_zone" of the schedule (API reference, schedule
  layer ``restrictions``). ``daily_restriction``: every local day from
  ``start_time_of_day`` for ``duration_seconds`` (may pass midnight: 19:00-07:00
  is ``19:00:00`` + 43200 s). ``weekly_restriction``: from ``start_day_of_week``
  (ISO day, 1 = Monday) at ``start_time_of_day`` for up to a week, so a window
  from Friday 18:00 to Monday 08:00 runs across the week's end. The duration is
  counted on the wall clock, like turns. A restricted layer is on call only
  inside its windows; turns keep their handoffs (the windows cut the turns, they
  do not move them): "the final schedule will show that the user is only on
  call from 19:00-07:00 every weekday" (support article "Setting up Restrictions
  for On-Call Shifts").
* Overrides beat every layer; "if you create an override on top of an existing
  override, the last created override will have priority" (API reference,
  "Create one or more overrides").
* ``rendered_schedule_entries`` are truncated at ``since``/``until`` unless
  ``overflow=true`` (API reference, ``overflow``). Entries are NOT joined when
  one user's periods touch: each turn, restriction window and override piece is
  its own entry. We found no statement of the API's rule; PagerDuty's own
  on-call topic bot joins them client-side ("if someone has an override that
  borders a regular shift we merge them and consider it one shift. This is true
  for all bordering shifts for the same user", PagerDuty/pd-oncall-chat-topic
  PR #31), which it would not need if the API did. A comparison with another
  engine should join both sides first (:func:`intervals.merge`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from tests.fakevendors.intervals import Span, at, covered, days, intersect, paint, union, wall_add

MAX_TURN = 365 * 86400  # "The value cannot exceed one year in seconds"


def parse(text: str) -> datetime:
    value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    if value.tzinfo is None:
        raise ValueError(f"date-time without an offset: {text}")
    return value.astimezone(UTC)


@dataclass
class Rendered:
    """Each layer's entries, the overrides' and the final schedule's, as user ids."""

    layers: list[list[Span[str]]]
    overrides: list[Span[str]]
    final: list[Span[str]]
    since: datetime
    until: datetime

    def coverage(self, spans: list[Span[str]]) -> float:
        return covered(spans, self.since, self.until)


def restriction_windows(restrictions: list[dict[str, Any]], zone: ZoneInfo, lo: datetime,
                        hi: datetime) -> list[tuple[datetime, datetime]]:
    """The windows in which a restricted layer may be on call, around ``[lo, hi)``."""
    windows = []
    for rule in restrictions:
        clock = time.fromisoformat(rule["start_time_of_day"])
        seconds = int(rule["duration_seconds"])
        for day in days(lo, hi, zone):
            if rule["type"] == "weekly_restriction" and day.isoweekday() != int(rule["start_day_of_week"]):
                continue
            start = at(day, clock, zone)
            windows.append((start, wall_add(start, seconds, zone)))
    return union(windows)


def layer_turns(layer: dict[str, Any], zone: ZoneInfo, lo: datetime, hi: datetime) -> list[Span[str]]:
    """The layer's turns that meet ``[lo, hi)``, cut to the layer's start and end."""
    users = [entry["user"]["id"] for entry in layer["users"]]
    length = int(layer["rotation_turn_length_seconds"])
    if not users or not 0 < length <= MAX_TURN:
        return []
    virtual = parse(layer["rotation_virtual_start"])
    start = max(parse(layer["start"]), lo)
    end = min(parse(layer["end"]), hi) if layer.get("end") else hi
    if start >= end:
        return []
    # first turn: step back from an estimate until the turn begins at or before `start`
    k = int((start - virtual).total_seconds() // length) - 1
    while wall_add(virtual, k * length, zone) > start:
        k -= 1
    spans = []
    while (begin := wall_add(virtual, k * length, zone)) < end:
        finish = wall_add(virtual, (k + 1) * length, zone)
        span = Span(begin, finish, users[k % len(users)]).clip(start, end)
        if span is not None:
            spans.append(span)
        k += 1
    return spans


def render_layer(layer: dict[str, Any], zone: ZoneInfo, lo: datetime, hi: datetime) -> list[Span[str]]:
    turns = layer_turns(layer, zone, lo, hi)
    if layer.get("restrictions"):
        turns = intersect(turns, restriction_windows(layer["restrictions"], zone, lo, hi))
    return turns


def render(schedule: dict[str, Any], overrides: list[dict[str, Any]], since: datetime, until: datetime,
           overflow: bool = False) -> Rendered:
    """The schedule's layers, overrides and final schedule over ``[since, until)``.

    ``overrides`` in creation order (a later one wins where two overlap). With
    ``overflow`` entries that cross the bounds are kept whole (rendered over a
    window widened by the longest turn).
    """
    zone = ZoneInfo(schedule["time_zone"])
    pad = timedelta(0)
    if overflow:
        longest = max((int(layer["rotation_turn_length_seconds"]) for layer in schedule.get("schedule_layers", [])),
                      default=0)
        pad = timedelta(seconds=max(longest, 7 * 86400))
    lo, hi = since - pad, until + pad
    layers = [render_layer(layer, zone, lo, hi) for layer in schedule.get("schedule_layers", [])]
    pieces = []
    for override in overrides:
        span = Span(parse(override["start"]), parse(override["end"]), override["user"]["id"]).clip(lo, hi)
        if span is not None:
            pieces.append([span])
    override_spans = paint(pieces)
    final = paint([*layers, override_spans])
    if overflow:
        keep = [[s for s in spans if s.end > since and s.start < until] for spans in [*layers, override_spans, final]]
        return Rendered(keep[:-2], keep[-2], keep[-1], since, until)
    return Rendered(layers, override_spans, final, since, until)
