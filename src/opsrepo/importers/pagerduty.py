"""PagerDuty's REST API v2 objects as ops-repo documents.

Semantics followed (sources in docs/migrate.md):

* Layer precedence: "the lowest layer always takes precedence ... the last
  layer essentially acts as an override" (support.pagerduty.com/docs/schedules),
  and opsrepo's last-listed layer wins too. ``schedule_layers`` come with Layer 1
  first since PagerDuty's "layer order fix" (terraform-provider-pagerduty PR
  610); GET answered in the opposite order before it (public-support-scripts PR
  60). So the order is *checked against PagerDuty's own rendering* where two
  layers overlap in the rendered window, and reversed when the rendering says
  the first layer wins; without such evidence the API order is kept.
* Turns: turn k starts at ``rotation_virtual_start`` + k x
  ``rotation_turn_length_seconds`` and belongs to ``users[k mod n]``; nobody is
  on call before ``start`` or from ``end`` on. Handoffs keep their wall-clock
  time in the schedule's zone across DST (support.pagerduty.com/docs/time-zones),
  as opsrepo's turns do.
* Restrictions are wall-clock windows in the schedule's zone; a weekly one runs
  up to a week from its ISO day (1 = Monday) and may cross the week's end.
* Overrides beat every layer; the last created wins where they overlap: kept in
  the API's order, last listed last.
* Escalation: a rule with nobody on call is passed at once (``when_nobody:
  skip``); ``escalation_delay_in_minutes`` is the rule's own wait
  (``escalate_after``); ``num_loops`` is ``repeat``.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from opsrepo.importers import v3
from opsrepo.importers.common import Builder, Existing, TeamIn, User, in_order, path_of
from opsrepo.importers.ids import ids_by_name
from opsrepo.importers.layers import Rotation, layers
from opsrepo.importers.result import Imported, Item
from opsrepo.importers.schedules import ScheduleMaker
from opsrepo.importers.timefmt import parse_instant
from opsrepo.importers.windows import DAY, Span

VENDOR = "PagerDuty"


@dataclass
class Account:
    """A PagerDuty account as its API answers (or a ``--save-dir`` folder holds it)."""

    users: list[dict[str, Any]] = field(default_factory=list)
    teams: list[dict[str, Any]] = field(default_factory=list)
    #: team id -> the members list of GET /teams/{id}/members
    team_members: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    services: list[dict[str, Any]] = field(default_factory=list)
    escalation_policies: list[dict[str, Any]] = field(default_factory=list)
    #: each as GET /schedules/{id} answers (with schedule_layers, and final_schedule for verification)
    schedules: list[dict[str, Any]] = field(default_factory=list)
    #: schedule id -> its overrides
    overrides: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    #: v3 shift-based schedules, each with ``rotations`` holding their ``events``
    v3_schedules: list[dict[str, Any]] = field(default_factory=list)


def import_account(account: Account, now: datetime, existing: Existing | None = None) -> Imported:
    """Every object of ``account`` as ops-repo documents, with the report (pure)."""
    account = dataclasses.replace(
        account,
        users=in_order(account.users),
        teams=in_order(account.teams),
        services=in_order(account.services),
        escalation_policies=in_order(account.escalation_policies),
        schedules=in_order(account.schedules),
        v3_schedules=in_order(account.v3_schedules),
    )
    build = Builder(VENDOR, existing or Existing())
    build.org_zone(s.get("time_zone") for s in account.schedules)
    build.add_people(
        [User(u["id"], u.get("name") or "", u.get("email"), u.get("time_zone")) for u in account.users]
    )
    build.add_teams(
        [
            TeamIn(t["id"], t.get("name") or "", t.get("description"), _members(account, t["id"]))
            for t in account.teams
        ]
    )
    for user in account.users:  # a user in no team listed by the team endpoints, but with team refs
        for ref in sorted(user.get("teams") or [], key=lambda r: build.team_ids.get(r["id"], "~")):
            if ref["id"] in build.team_ids:
                build.home.setdefault(build.people[user["id"]], build.team_ids[ref["id"]])
    maker = ScheduleMaker(build, now)
    ids = ids_by_name([*account.schedules, *account.v3_schedules])
    for schedule in account.schedules:
        _schedule(build, maker, schedule, ids[schedule["id"]], account.overrides.get(schedule["id"], []))
    for schedule in account.v3_schedules:
        v3.import_schedule(build, maker, schedule, ids[schedule["id"]])
    policies = _policies(build, maker, account.escalation_policies)
    _services(build, account.services, policies)
    return maker.finish()


def _members(account: Account, team_id: str) -> list[str]:
    listed = account.team_members.get(team_id)
    if listed is not None:
        return [m["user"]["id"] for m in listed if m.get("user")]
    return [u["id"] for u in account.users if any(r["id"] == team_id for r in u.get("teams") or [])]


# -- schedules -----------------------------------------------------------------------------------------


def _schedule(
    build: Builder,
    maker: ScheduleMaker,
    schedule: dict[str, Any],
    schedule_id: str,
    overrides: list[dict[str, Any]],
) -> None:
    item = maker.item(schedule, schedule_id)
    zone = maker.zone(schedule.get("time_zone"), item)
    team = maker.team(schedule.get("teams") or [], item)
    made: list[dict[str, Any]] = []
    for index, layer in enumerate(_in_precedence_order(schedule, item)):
        rotation = _rotation(layer, index, zone, item)
        if rotation is not None:
            people = {uid: build.person_of(uid, _user_name(layer, uid)) for uid in rotation.members if uid}
            made.extend(layers(rotation, people, item))
    kept = [_override(build, o, zone) for o in overrides if parse_instant(o["end"]) > maker.now]
    maker.override_items(item, [(o.get("id") or "", *_override(build, o, zone)) for o in overrides])
    maker.write(
        item,
        schedule["id"],
        schedule_id,
        schedule.get("name") or schedule_id,
        team,
        zone,
        made,
        kept,
        description=schedule.get("description"),
    )


def _user_name(layer: dict[str, Any], user_id: str) -> str | None:
    for entry in layer.get("users") or []:
        user = entry.get("user") or {}
        if user.get("id") == user_id:
            return user.get("summary")
    return None


def _in_precedence_order(schedule: dict[str, Any], item: Item) -> list[dict[str, Any]]:
    """The layers bottom first (the last wins), the API's order checked against the rendering."""
    given = list(schedule.get("schedule_layers") or [])
    if len(given) < 2:
        return given
    votes = _layer_order_votes(schedule, given)
    if votes < 0:
        item.note(
            "PagerDuty's rendering shows the first listed layer winning where layers overlap: the "
            "layers were reversed (GET's order before PagerDuty's layer order fix)"
        )
        return given[::-1]
    if votes == 0:
        item.note(
            "no overlap of layers in PagerDuty's rendering confirms their precedence: the API's order "
            "was kept (Layer 1 first, the last listed wins)"
        )
    return given


def _entries(block: dict[str, Any] | None) -> list[tuple[datetime, datetime, str]]:
    found = []
    for entry in (block or {}).get("rendered_schedule_entries") or []:
        user = entry.get("user") or {}
        if user.get("id"):
            found.append((parse_instant(entry["start"]), parse_instant(entry["end"]), user["id"]))
    return found


def _at(entries: list[tuple[datetime, datetime, str]], instant: datetime) -> str | None:
    return next((who for start, end, who in entries if start <= instant < end), None)


def _layer_order_votes(schedule: dict[str, Any], given: list[dict[str, Any]]) -> int:
    """+1 for each rendered instant where the last of several layers on call wins, -1 where the first does."""
    final = _entries(schedule.get("final_schedule"))
    overridden = _entries(schedule.get("overrides_subschedule"))
    rendered = [_entries(layer) for layer in given]
    votes = 0
    for start, _, who in final:
        instant = start + timedelta(seconds=1)
        if _at(overridden, instant):
            continue
        on_call = [(i, u) for i, entries in enumerate(rendered) if (u := _at(entries, instant))]
        if len({u for _, u in on_call}) < 2:
            continue
        votes += (who == on_call[-1][1]) - (who == on_call[0][1])
    return votes


def _rotation(layer: dict[str, Any], index: int, zone: ZoneInfo, item: Item) -> Rotation | None:
    name = layer.get("name") or f"Layer {index + 1}"
    users = tuple((entry.get("user") or {}).get("id") for entry in layer.get("users") or [])
    if not users:
        item.lose(f"layer {name!r}", "it has no users, so nobody is ever on call in it")
        return None
    try:
        start = parse_instant(layer["start"])
        anchor = parse_instant(layer.get("rotation_virtual_start") or layer["start"])
        end = parse_instant(layer["end"]) if layer.get("end") else None
    except (KeyError, ValueError) as exc:
        item.lose(f"layer {name!r}", f"its times do not read ({exc}); the layer was left out")
        return None
    length = timedelta(seconds=int(layer.get("rotation_turn_length_seconds") or 0))
    return Rotation(
        name, users, anchor, length, start, end, _spans(layer.get("restrictions") or [], name, item), zone
    )


def _spans(restrictions: list[dict[str, Any]], layer: str, item: Item) -> list[Span] | None:
    """The wall-clock spans of PagerDuty restrictions; ``None`` when there are none."""
    if not restrictions:
        return None
    spans: list[Span] = []
    for restriction in restrictions:
        hours, minutes, seconds = (
            int(p) for p in (restriction.get("start_time_of_day") or "0:0:0").split(":")
        )
        duration = int(restriction.get("duration_seconds") or 0)
        if seconds or duration % 60:
            item.lose(
                f"layer {layer!r}: restriction to the second",
                "opsrepo windows are in whole minutes; the restriction was cut to the minute",
            )
        begin, length = hours * 60 + minutes, duration // 60
        if restriction.get("type") == "weekly_restriction":
            day = int(restriction.get("start_day_of_week") or 1) - 1
            spans.append((day * DAY + begin, min(length, 7 * DAY)))
        else:
            spans.extend((day * DAY + begin, min(length, DAY)) for day in range(7))
    return spans


def _override(build: Builder, override: dict[str, Any], zone: ZoneInfo) -> tuple[str, datetime, datetime]:
    user = override.get("user") or {}
    return (
        build.person_of(user.get("id", ""), user.get("summary")),
        parse_instant(override["start"]),
        parse_instant(override["end"]),
    )


# -- escalation policies and services --------------------------------------------------------------------


def _policies(build: Builder, maker: ScheduleMaker, policies: list[dict[str, Any]]) -> dict[str, str]:
    ids = ids_by_name(policies)
    written: dict[str, str] = {}
    for policy in policies:
        item = build.report.item("escalation policy", policy["id"], policy.get("name") or ids[policy["id"]])
        levels = [
            level
            for index, rule in enumerate(policy.get("escalation_rules") or [])
            if (level := _level(build, maker, rule, index, item))
        ]
        if not levels:
            item.lose("policy", "none of its rules has a target opsrepo could import; no policy was written")
            continue
        doc: dict[str, Any] = {"id": ids[policy["id"]], "name": policy.get("name") or ids[policy["id"]]}
        if policy.get("description"):
            doc["description"] = policy["description"]
        doc["levels"] = levels
        loops = int(policy.get("num_loops") or 0)
        if loops > 10:
            item.lose("num_loops", f"{loops} repeats; opsrepo allows at most 10, so 10 were written")
        if loops:
            doc["repeat"] = min(loops, 10)
        doc["when_nobody"] = "skip"
        item.note("when_nobody: skip, as PagerDuty escalates at once past a rule with nobody on call")
        if policy.get("on_call_handoff_notifications"):
            item.ignore(
                f"on_call_handoff_notifications: {policy['on_call_handoff_notifications']} "
                "(opsrepo sends no handoff notifications)"
            )
        build.documents[path_of("escalation", doc["id"])] = doc
        item.became.append(f"escalation:{doc['id']}")
        written[policy["id"]] = doc["id"]
    return written


def _level(
    build: Builder, maker: ScheduleMaker, rule: dict[str, Any], index: int, item: Item
) -> dict[str, Any] | None:
    targets: list[str] = []
    for target in rule.get("targets") or []:
        kind, target_id = target.get("type", ""), target.get("id", "")
        if kind in ("user", "user_reference"):
            targets.append(f"person:{build.person_of(target_id, target.get('summary'))}")
        elif (
            kind in ("schedule", "schedule_reference", "schedule_v3_reference") and target_id in maker.groups
        ):
            targets.extend(f"schedule:{s}" for s in maker.groups[target_id])
        else:
            item.lose(
                f"rule {index + 1}: target {kind} {target_id}",
                "it is not a user or a schedule the import wrote; the target was left out",
            )
    strategy = rule.get("escalation_rule_assignment_strategy")
    strategy = strategy.get("type") if isinstance(strategy, dict) else strategy
    if strategy == "round_robin":
        item.lose(
            f"rule {index + 1}: round robin",
            "PagerDuty assigns the incident to one target in turn; opsrepo notifies every target",
        )
    if not targets:
        return None
    delay = int(rule.get("escalation_delay_in_minutes") or 0)
    if delay < 1:
        item.lose(f"rule {index + 1}: escalation delay", f"{delay} minutes; opsrepo waits at least 1m")
    return {"targets": list(dict.fromkeys(targets)), "escalate_after": f"{max(delay, 1)}m"}


def _services(build: Builder, services: list[dict[str, Any]], policies: dict[str, str]) -> None:
    ids = ids_by_name(services)
    for service in services:
        item = build.report.item("service", service["id"], service.get("name") or ids[service["id"]])
        policy = policies.get((service.get("escalation_policy") or {}).get("id", ""))
        if policy is None:
            item.lose("service", "its escalation policy was not imported; no service was written")
            continue
        teams = sorted(
            build.team_ids[r["id"]] for r in service.get("teams") or [] if r["id"] in build.team_ids
        )
        team = teams[0] if teams else build.team_for_people()
        doc: dict[str, Any] = {"id": ids[service["id"]], "name": service.get("name") or ids[service["id"]]}
        if service.get("description"):
            doc["description"] = service["description"]
        doc["escalation_policy"] = policy
        build.teams[team]["services"].append(doc)
        item.became.append(f"service:{doc['id']} (teams/{team}.yaml)")
        for key in (
            "incident_urgency_rule",
            "support_hours",
            "scheduled_actions",
            "acknowledgement_timeout",
            "auto_resolve_timeout",
            "alert_grouping_parameters",
            "auto_pause_notifications_parameters",
            "integrations",
        ):
            if service.get(key):
                item.ignore(f"{key} (alert handling, outside opsrepo's on-call model)")
