"""The diff as one JSON document (instants ISO 8601 with offset, in each schedule's zone)."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from opsrepo.diff.model import Chain, FieldChange, Load, Move, PersonRef, RepoDiff, ScheduleDiff
from opsrepo.diff.words import notice_message
from opsrepo.timeutil import format_duration, get_zone

#: objects this deep (a moved turn, a person, a load) are written on one line, unless they hold records
ONE_LINE_DEPTH = 3
_ENCODE = json.JSONEncoder(ensure_ascii=False).encode


def render_json(diff: RepoDiff) -> str:
    """The diff as one JSON document, newline-terminated: indented, with each record on one line.

    A change that re-deals a large org moves tens of thousands of turns; one
    line per moved turn reads well and lets the standard library's C encoder
    write each record (``indent`` forces its pure-Python encoder, ~20 times
    slower on such a document).
    """
    return dumps(to_data(diff)) + "\n"


def dumps(value: Any, depth: int = 0) -> str:
    """``value`` as JSON indented by two spaces; records (flat objects, deep ones) on one line each."""
    pad = "  " * depth
    if isinstance(value, dict) and value and not _one_line(value, depth):
        items = [f"{pad}  {_ENCODE(key)}: {dumps(item, depth + 1)}"
                 for key, item in value.items()]
        return "{\n" + ",\n".join(items) + f"\n{pad}}}"
    if isinstance(value, list) and any(isinstance(item, dict | list) for item in value):
        items = [f"{pad}  {dumps(item, depth + 1)}" for item in value]
        return "[\n" + ",\n".join(items) + f"\n{pad}]"
    return _ENCODE(value)


def _one_line(value: dict[str, Any], depth: int) -> bool:
    """Flat objects, and objects from :data:`ONE_LINE_DEPTH` on that hold no list of records."""
    items = value.values()
    if any(isinstance(item, list) and any(isinstance(x, dict | list) for x in item) for item in items):
        return False
    return depth >= ONE_LINE_DEPTH or not any(isinstance(item, dict | list) and item for item in items)


def to_data(diff: RepoDiff) -> dict[str, Any]:
    """The JSON-ready dict of a diff."""
    return {
        "base": {"label": diff.base.label, "problems": diff.base.problems},
        "head": {"label": diff.head.label, "problems": diff.head.problems},
        "from": diff.start.isoformat(),
        "to": diff.end.isoformat(),
        "notice": format_duration(diff.notice),
        "changed": diff.changed,
        "warnings": [{"schedule": s.id, **_move(m, s.timezone), "message": notice_message(diff, s, m)}
                     for s, m in diff.notice_moves],
        "schedules": [_schedule(s) for s in diff.schedules],
        "people": [{"person": _person(d.person), "before": _load(d.before), "after": _load(d.after)}
                   for d in diff.people],
        "escalation": [{"service": c.service, "service_name": c.service_name, "severity": c.severity,
                        "before": _chain(c.before), "after": _chain(c.after)} for c in diff.escalation],
        "severity": [{"level": c.level, "name": c.name, "status": c.status, "fields": _fields(c.fields)}
                     for c in diff.severity],
        "action_items": [{"postmortem": c.postmortem, "item": c.item, "title": c.title, "status": c.status,
                          "fields": _fields(c.fields)} for c in diff.action_items],
        "alerts": [{"alert": c.alert, "status": c.status, "severity": c.severity, "pages": c.pages,
                    "runbook": c.runbook, "fields": _fields(c.fields)} for c in diff.alerts],
    }


def _instant(value: datetime, zone: str) -> str:
    return value.astimezone(get_zone(zone)).isoformat()


def _person(ref: PersonRef | None) -> dict[str, Any] | None:
    return None if ref is None else {"id": ref.id, "name": ref.name, "github": ref.github}


def _move(move: Move, zone: str) -> dict[str, Any]:
    return {"from": _instant(move.start, zone), "to": _instant(move.end, zone),
            "before": _person(move.before), "after": _person(move.after), "within_notice": move.within_notice}


def _schedule(schedule: ScheduleDiff) -> dict[str, Any]:
    return {"id": schedule.id, "name": schedule.name, "timezone": schedule.timezone,
            "status": schedule.status, "moves": [_move(move, schedule.timezone) for move in schedule.moves]}


def _load(load: Load) -> dict[str, Any]:
    return {"hours": load.hours, "nights": load.nights, "night_hours": load.night_hours,
            "weekend_days": load.weekend_days, "holidays": load.holidays}


def _chain(chain: Chain | None) -> dict[str, Any] | None:
    if chain is None:
        return None
    levels = [{"level": index, "escalate_after": format_duration(level.escalate_after),
               "targets": [{"kind": t.kind, "id": t.id, "name": t.name} for t in level.targets]}
              for index, level in enumerate(chain.levels, 1)]
    return {"policy": chain.policy, "name": chain.policy_name, "levels": levels, "repeat": chain.repeat,
            "when_nobody": chain.when_nobody}


def _fields(fields: tuple[FieldChange, ...]) -> list[dict[str, Any]]:
    return [{"field": f.field, "before": f.before, "after": f.after} for f in fields]
