"""Opsgenie's API v2 objects (or its configuration-backup files) as ops-repo documents.

Semantics followed (sources in docs/migrate.md):

* Rotations are cumulative: "all on-call users in all the different rotations
  are notified" (support.atlassian.com/opsgenie, manage on-call schedules and
  rotations). An ops-repo schedule has one person at a time, so a schedule
  whose rotations can be on call at the same time becomes one schedule per
  rotation, and an escalation rule naming it targets all of them; rotations that
  never overlap stay layers of one schedule.
* A rotation starts its turns at ``startDate`` (the handover time), ``type`` x
  ``length`` long, participants in order; daily and weekly turns keep their wall
  time across DST, hourly turns are elapsed hours. ``none``, ``team`` and
  ``escalation`` participants have no person for their turns.
* ``time-of-day`` restrictions hold every day, ``weekday-and-time-of-day`` from
  a weekday and time to another, across midnight or the week's end when the
  end comes first.
* An override replaces the named rotations (every rotation when it names none)
  wherever they would have someone; a later override wins where two overlap.
* Escalation rule delays count from the alert's creation; opsrepo's levels wait
  after the previous one: sorted by delay, rules with the same delay form one
  level, each level waits the difference to the next. Each rule fires at its
  own time whether or not earlier rules reached anyone: ``when_nobody: wait``.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from opsrepo.importers.common import Builder, Existing, TeamIn, User, in_order
from opsrepo.importers.ids import allocate, first_slug, ids_by_name
from opsrepo.importers.layers import Rotation, layers
from opsrepo.importers.og_escalations import import_escalations, person, user_key
from opsrepo.importers.result import Imported, Item
from opsrepo.importers.schedules import Override, ScheduleMaker
from opsrepo.importers.timefmt import parse_instant, wall
from opsrepo.importers.windows import DAY, WEEK, Span, overlap
from opsrepo.timeutil import resolve_wall_time

VENDOR = "Opsgenie"
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


@dataclass
class Account:
    """An Opsgenie account as its API answers (or the configuration-backup tool saved it)."""

    users: list[dict[str, Any]] = field(default_factory=list)
    teams: list[dict[str, Any]] = field(default_factory=list)
    #: each with its ``rotations``
    schedules: list[dict[str, Any]] = field(default_factory=list)
    #: schedule id -> its overrides
    overrides: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    escalations: list[dict[str, Any]] = field(default_factory=list)


def import_account(account: Account, now: datetime, existing: Existing | None = None) -> Imported:
    """Every object of ``account`` as ops-repo documents, with the report (pure)."""
    account = dataclasses.replace(
        account,
        users=in_order(account.users, "username"),
        teams=in_order(account.teams),
        schedules=in_order(account.schedules),
        escalations=in_order(account.escalations),
    )
    build = Builder(VENDOR, existing or Existing())
    build.org_zone(s.get("timezone") for s in account.schedules)
    build.add_people(
        [
            User(
                u["id"],
                u.get("fullName") or u.get("username") or "",
                u.get("username"),
                u.get("timeZone"),
                (u["username"],) if u.get("username") else (),
            )
            for u in account.users
        ]
    )
    build.add_teams(
        [
            TeamIn(
                t["id"],
                t.get("name") or "",
                t.get("description"),
                [user_key(build, m.get("user") or {}) for m in t.get("members") or []],
            )
            for t in account.teams
        ]
    )
    maker = ScheduleMaker(build, now)
    ids = ids_by_name(account.schedules)
    for schedule in account.schedules:
        _schedule(
            build,
            maker,
            schedule,
            ids[schedule["id"]],
            account.overrides.get(schedule["id"], []),
            taken=set(ids.values()),
        )
    import_escalations(build, maker, account.escalations)
    return maker.finish()


# -- schedules -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Rotation:
    vendor: dict[str, Any]
    rotation: Rotation


def _schedule(
    build: Builder,
    maker: ScheduleMaker,
    schedule: dict[str, Any],
    schedule_id: str,
    overrides: list[dict[str, Any]],
    taken: set[str],
) -> None:
    item = maker.item(schedule, schedule_id)
    zone = maker.zone(schedule.get("timezone"), item)
    team = maker.team([schedule["ownerTeam"]] if schedule.get("ownerTeam") else [], item)
    if schedule.get("enabled") is False:
        item.lose(
            "enabled: false",
            "Opsgenie does not use a disabled schedule; opsrepo has no such switch, "
            "so the schedule was written as it would be enabled",
        )
    rotations = [
        r
        for vendor in schedule.get("rotations") or []
        if (r := _rotation(build, vendor, zone, item)) is not None
    ]
    kept = [o for o in overrides if parse_instant(o["endDate"]) > maker.now]
    maker.override_items(
        item,
        [
            (
                o.get("alias") or "",
                person(build, o.get("user") or {}),
                parse_instant(o["startDate"]),
                parse_instant(o["endDate"]),
            )
            for o in overrides
        ],
    )
    if not _overlapping(rotations):
        made = [layer for r in rotations for layer in _layers(build, r, item)]
        pieces = [p for o in kept for p in _override(build, o, rotations, zone, item)]
        maker.write(
            item,
            schedule["id"],
            schedule_id,
            schedule.get("name") or schedule_id,
            team,
            zone,
            made,
            pieces,
            description=schedule.get("description"),
        )
        return
    item.note(
        "its rotations can be on call at the same time, and Opsgenie notifies every rotation's "
        "on-call user at once: each rotation became a schedule of its own, and escalations that "
        "name this schedule target all of them"
    )
    sub = allocate(
        [
            (str(r.vendor.get("id") or i), f"{schedule_id}-{first_slug(r.vendor.get('name'), str(i))}")
            for i, r in enumerate(rotations)
        ],
        taken=taken,
    )
    for index, rotation in enumerate(rotations):
        pieces = [p for o in kept for p in _override(build, o, [rotation], zone, item)]
        name = f"{schedule.get('name') or schedule_id} / {rotation.rotation.name}"
        maker.write(
            item,
            schedule["id"],
            sub[str(rotation.vendor.get("id") or index)],
            name,
            team,
            zone,
            _layers(build, rotation, item),
            pieces,
            description=schedule.get("description"),
        )


def _layers(build: Builder, rotation: _Rotation, item: Item) -> list[dict[str, Any]]:
    people = {key: build.person_of(key) for key in rotation.rotation.members if key}
    return layers(rotation.rotation, people, item)


def _rotation(build: Builder, vendor: dict[str, Any], zone: ZoneInfo, item: Item) -> _Rotation | None:
    name = vendor.get("name") or vendor.get("id") or "rotation"
    unit = {"hourly": timedelta(hours=1), "daily": timedelta(days=1), "weekly": timedelta(weeks=1)}.get(
        vendor.get("type", "")
    )
    if unit is None or not vendor.get("startDate"):
        item.lose(f"rotation {name!r}", f"type {vendor.get('type')!r} or its start is missing; not imported")
        return None
    members: list[str | None] = []
    for participant in vendor.get("participants") or []:
        if participant.get("type") == "user":
            members.append(user_key(build, participant))
            continue
        members.append(None)
        if participant.get("type") in ("team", "escalation"):
            item.lose(
                f"rotation {name!r}: {participant['type']} participant {participant.get('name', '')!r}",
                f"an opsrepo rotation holds people; the {participant['type']}'s turns have nobody",
            )
    if not members:
        item.lose(f"rotation {name!r}", "it has no participants; not imported")
        return None
    start = parse_instant(vendor["startDate"])
    end = parse_instant(vendor["endDate"]) if vendor.get("endDate") else None
    length = unit * int(vendor.get("length") or 1)
    return _Rotation(
        vendor,
        Rotation(
            name,
            tuple(members),
            start,
            length,
            start,
            end,
            _spans(vendor.get("timeRestriction")),
            zone,
            elapsed=vendor.get("type") == "hourly",
        ),
    )


def _spans(restriction: dict[str, Any] | None) -> list[Span] | None:
    if not restriction:
        return None
    if restriction.get("type") == "time-of-day":
        r = restriction.get("restriction") or {}
        begin = r.get("startHour", 0) * 60 + r.get("startMin", 0)
        end = r.get("endHour", 0) * 60 + r.get("endMin", 0)
        return [(day * DAY + begin, (end - begin) % DAY or DAY) for day in range(7)]
    spans: list[Span] = []
    for r in restriction.get("restrictions") or []:
        begin = (
            WEEKDAYS.index(r.get("startDay", "monday")) * DAY
            + r.get("startHour", 0) * 60
            + r.get("startMin", 0)
        )
        end = WEEKDAYS.index(r.get("endDay", "monday")) * DAY + r.get("endHour", 0) * 60 + r.get("endMin", 0)
        spans.append((begin, (end - begin) % WEEK or WEEK))
    return spans


def _overlapping(rotations: list[_Rotation]) -> bool:
    """True when two rotations can have someone on call at the same instant."""
    for i, left in enumerate(rotations):
        for right in rotations[i + 1 :]:
            a, b = left.rotation, right.rotation
            if (
                (a.end is None or b.start < a.end)
                and (b.end is None or a.start < b.end)
                and overlap(a.spans, b.spans)
            ):
                return True
    return False


def _override(
    build: Builder, override: dict[str, Any], rotations: list[_Rotation], zone: ZoneInfo, item: Item
) -> list[Override]:
    """The override where the rotations it names (all when none) would have someone, as opsrepo overrides."""
    named = {r.get("id") for r in override.get("rotations") or []} | {
        r.get("name") for r in override.get("rotations") or []
    }
    affected = [
        r for r in rotations if not named or r.vendor.get("id") in named or r.vendor.get("name") in named
    ]
    start, end = parse_instant(override["startDate"]), parse_instant(override["endDate"])
    who = person(build, override.get("user") or {})
    pieces = _merge([p for r in affected for p in _active(r.rotation, start, end)])
    if pieces != [(start, end)]:
        item.note("an override applies where its rotations have someone, so it was cut to those times")
    return [(who, a, b) for a, b in pieces]


def _active(rotation: Rotation, start: datetime, end: datetime) -> list[tuple[datetime, datetime]]:
    """Where ``rotation`` would have someone (a turn, restricted by its windows) within ``[start, end)``."""
    low = max(start, rotation.start)
    high = min(end, rotation.end) if rotation.end else end
    if low >= high:
        return []
    if rotation.spans is None:
        return [(low, high)]
    zone = rotation.zone
    monday = wall(low, zone).replace(hour=0, minute=0, second=0, microsecond=0)
    monday -= timedelta(days=monday.weekday() + 7)
    found = []
    while resolve_wall_time(monday, zone) < high:
        for begin, minutes in rotation.spans:
            a = resolve_wall_time(monday + timedelta(minutes=begin), zone)
            b = resolve_wall_time(monday + timedelta(minutes=begin + minutes), zone)
            if max(a, low) < min(b, high):
                found.append((max(a, low), min(b, high)))
        monday += timedelta(weeks=1)
    return _merge(found)


def _merge(spans: list[tuple[datetime, datetime]]) -> list[tuple[datetime, datetime]]:
    merged: list[tuple[datetime, datetime]] = []
    for a, b in sorted(spans):
        if merged and a <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], b))
        else:
            merged.append((a, b))
    return merged
