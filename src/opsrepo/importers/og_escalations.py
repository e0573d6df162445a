"""Opsgenie escalations as ops-repo escalation policies.

Rule delays count from the alert's creation; opsrepo's levels wait after the
previous one. Sorted by delay, rules with the same delay form one level, and
each level waits the difference to the next; the last waits the repeat's
``waitInterval``. Each rule fires at its own time whether or not earlier rules
reached anyone: ``when_nobody: wait``.
"""

from __future__ import annotations

from datetime import timedelta
from itertools import pairwise
from typing import Any

from opsrepo.importers.common import Builder, path_of
from opsrepo.importers.ids import ids_by_name, slug
from opsrepo.importers.result import Item
from opsrepo.importers.schedules import ScheduleMaker
from opsrepo.importers.timefmt import duration_text

UNITS = {
    "days": 86400,
    "hours": 3600,
    "minutes": 60,
    "seconds": 1,
    "miliseconds": 0.001,
    "milliseconds": 0.001,
    "micros": 1e-6,
    "nanos": 1e-9,
}


def person(build: Builder, recipient: dict[str, Any]) -> str:
    """The person a user recipient (by id, else username) names; a placeholder for an unknown one."""
    key = user_key(build, recipient)
    return build.person_of(key, recipient.get("username") or recipient.get("name"))


def user_key(build: Builder, user: dict[str, Any]) -> str:
    """The vendor key of a user reference: its id when the account has it, else its username."""
    if user.get("id") in build.people:
        return str(user["id"])
    return str(user.get("username") or user.get("id") or "")


def _delay(rule: dict[str, Any]) -> timedelta:
    delay = rule.get("delay") or {}
    return timedelta(
        seconds=float(delay.get("timeAmount") or 0) * UNITS.get(delay.get("timeUnit", "minutes"), 60)
    )


def import_escalations(build: Builder, maker: ScheduleMaker, escalations: list[dict[str, Any]]) -> None:
    """Every escalation as a policy document (none when no rule has a recipient opsrepo can notify)."""
    ids = ids_by_name(escalations)
    for escalation in escalations:
        item = build.report.item(
            "escalation policy", escalation["id"], escalation.get("name") or escalation["id"]
        )
        levels = _levels(build, maker, escalation, item)
        if not levels:
            item.lose(
                "escalation", "none of its rules has a recipient opsrepo could import; no policy written"
            )
            continue
        doc: dict[str, Any] = {
            "id": ids[escalation["id"]],
            "name": escalation.get("name") or ids[escalation["id"]],
        }
        if escalation.get("description"):
            doc["description"] = escalation["description"]
        doc["levels"] = levels
        repeat = escalation.get("repeat") or {}
        count = int(repeat.get("count") or 0)
        if count > 10:
            item.lose("repeat count", f"{count} repeats; opsrepo allows at most 10, so 10 were written")
        if count:
            doc["repeat"] = min(count, 10)
        for flag in ("resetRecipientStates", "closeAlertAfterAll"):
            if repeat.get(flag):
                item.ignore(f"repeat.{flag} (alert handling, outside opsrepo's on-call model)")
        doc["when_nobody"] = "wait"
        build.documents[path_of("escalation", doc["id"])] = doc
        item.became.append(f"escalation:{doc['id']}")


def _levels(
    build: Builder, maker: ScheduleMaker, escalation: dict[str, Any], item: Item
) -> list[dict[str, Any]]:
    rules = sorted(enumerate(escalation.get("rules") or []), key=lambda pair: (_delay(pair[1]), pair[0]))
    grouped: list[tuple[timedelta, list[str]]] = []
    for index, rule in rules:
        targets = _targets(build, maker, rule, index, item)
        if not targets:
            continue
        if grouped and grouped[-1][0] == _delay(rule):
            grouped[-1][1].extend(t for t in targets if t not in grouped[-1][1])
        else:
            grouped.append((_delay(rule), targets))
    if not grouped:
        return []
    if grouped[0][0] > timedelta(0):
        item.lose(
            "first rule's delay",
            f"Opsgenie notifies it {duration_text(grouped[0][0])} after the alert; "
            "opsrepo notifies level 1 at once (the later levels keep their waits between levels)",
        )
    repeat = escalation.get("repeat") or {}
    after_last = timedelta(minutes=int(repeat.get("waitInterval") or 0)) if repeat.get("count") else None
    if after_last is not None and after_last < timedelta(minutes=1):
        item.lose("repeat wait", f"{duration_text(after_last)} before the repeat; opsrepo waits at least 1m")
    waits = [b[0] - a[0] for a, b in pairwise(grouped)]
    waits.append(max(after_last, timedelta(minutes=1)) if after_last is not None else timedelta(minutes=5))
    if after_last is None:
        item.note("the last level's escalate_after (5m) has no effect: nothing follows it")
    item.note("rule delays from the alert's creation became waits after the previous level")
    return [
        {"targets": targets, "escalate_after": duration_text(max(wait, timedelta(minutes=1)))}
        for (_, targets), wait in zip(grouped, waits, strict=True)
    ]


def _targets(build: Builder, maker: ScheduleMaker, rule: dict[str, Any], index: int, item: Item) -> list[str]:
    recipient, notify = rule.get("recipient") or {}, rule.get("notifyType", "default")
    kind, label = recipient.get("type"), f"rule {index + 1}"
    if rule.get("condition") == "if-not-closed":
        item.lose(f"{label}: if-not-closed", "opsrepo escalates while an alert is not acknowledged")
    if kind == "user":
        return [f"person:{person(build, recipient)}"]
    if kind == "schedule":
        group = maker.groups.get(recipient.get("id", "")) or _by_name(maker, build, recipient.get("name"))
        if not group:
            item.lose(f"{label}: schedule {recipient.get('name') or recipient.get('id')}", "not imported")
            return []
        if notify == "previous":
            return [f"schedule:{_previous(build, maker, s)}" for s in group]
        if notify == "next":
            item.lose(
                f"{label}: next on-call",
                "opsrepo has no 'next on call' target; the schedule itself "
                "(whoever is on call now) is notified instead",
            )
        return [f"schedule:{s}" for s in group]
    if kind == "team" and recipient.get("id") in build.team_ids:
        if notify == "admins":
            item.lose(f"{label}: team admins", "opsrepo notifies every member of a team target")
        elif notify == "default":
            item.lose(
                f"{label}: team {recipient.get('name')!r}",
                "Opsgenie follows the team's own escalation; opsrepo notifies every member of the team",
            )
        team_id = build.team_ids[recipient["id"]]
        extra = [m for m in build.teams[team_id]["members"] if m not in build.vendor_members.get(team_id, ())]
        if extra:
            item.lose(
                f"{label}: team {team_id} members",
                f"{', '.join(extra)} count as members of {team_id} "
                "because its schedules name them, so this level notifies them too",
            )
        return [f"team:{team_id}"]
    item.lose(
        f"{label}: {kind} recipient {recipient.get('name') or recipient.get('id') or ''}".rstrip(),
        "opsrepo levels notify schedules, people and teams; the recipient was left out",
    )
    return []


def _by_name(maker: ScheduleMaker, build: Builder, name: str | None) -> tuple[str, ...]:
    wanted = slug(name or "")
    return next((g for g in maker.groups.values() if g and g[0].startswith(wanted) and wanted), ())


def _previous(build: Builder, maker: ScheduleMaker, schedule_id: str) -> str:
    """A derived schedule one turn behind ``schedule_id`` (Opsgenie's "previous on-call"), made once."""
    derived = f"{schedule_id}-previous"
    path = path_of("schedule", derived)
    if path not in build.documents:
        source = build.documents[path_of("schedule", schedule_id)]
        build.documents[path] = {
            "id": derived,
            "name": f"{source['name']} (previous)",
            "team": source["team"],
            "timezone": source["timezone"],
            "coverage": "none",
            "derive": {"from": schedule_id, "offset": 1},
        }
    return derived
