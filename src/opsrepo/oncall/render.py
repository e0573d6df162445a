"""``opsrepo oncall`` output: aligned text for people, the SPEC's JSON for scripts."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from opsrepo.model import Repo
from opsrepo.oncall import Shift
from opsrepo.oncall.query import Answer, OncallResult
from opsrepo.timeutil import format_instant as instant
from opsrepo.timeutil import get_zone


def stamp(value: datetime, zone: str) -> str:
    """ISO 8601 to the second with the offset ``zone`` has at ``value`` (JSON: always the same shape)."""
    return value.astimezone(get_zone(zone)).isoformat(timespec="seconds")


def source(shift: Shift) -> dict[str, Any]:
    """The SPEC's ``source``: kind and name (plus whose turn a cover takes)."""
    found: dict[str, Any] = {"kind": shift.kind, "name": shift.source}
    if shift.covering_for:
        found["covering_for"] = shift.covering_for
    return found


def via(shift: Shift) -> str:
    """``layer weekly``, ``override: swap with alice`` or ``covering alice's time off (layer weekly)``."""
    if shift.kind == "override":
        return "override" if shift.source == "override" else f"override: {shift.source}"
    if shift.kind == "time-off-cover":
        return f"covering {shift.covering_for}'s time off (layer {shift.source})"
    return f"layer {shift.source}"


def to_json(result: OncallResult) -> str:
    """``{"at", "schedules": [...]}`` (or ``{"at", "person", "turns"}`` for --person)."""
    if result.person is not None:
        document: dict[str, Any] = {
            "at": stamp(result.at, result.zone), "person": result.person.id,
            "turns": [_turn(shift, result.zone) for shift in result.turns],
        }
    else:
        schedules = [_schedule(answer) for answer in result.answers]
        document = {"at": stamp(result.at, result.zone), "schedules": schedules}
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _schedule(answer: Answer) -> dict[str, Any]:
    zone, shift = answer.schedule.timezone, answer.shift
    found: dict[str, Any] = {
        "id": answer.schedule.id,
        "person": shift.person if shift else None,
        "until": stamp(answer.until, zone) if answer.until else None,
        "source": source(shift) if shift else None,
        "from": stamp(answer.since, zone) if answer.since else None,
    }
    if answer.upcoming:
        found["next"] = [_turn(s, zone, until) for s, until in answer.upcoming]
    return found


def _turn(shift: Shift, zone: str, until: datetime | None = None) -> dict[str, Any]:
    end = until if until is not None else shift.end
    return {"schedule": shift.schedule, "person": shift.person, "from": stamp(shift.start, zone),
            "until": stamp(end, zone), "source": source(shift)}


def to_text(repo: Repo, result: OncallResult) -> str:
    """A table of who is on call (or a person's turns), instants in each schedule's zone."""
    if result.person is not None:
        return _person_text(repo, result)
    lines = [f"On call at {instant(result.at, result.zone)}", ""]
    rows = [("SCHEDULE", "ON CALL", "UNTIL", "VIA")]
    for answer in result.answers:
        zone, shift = answer.schedule.timezone, answer.shift
        until = instant(answer.until, zone) if answer.until else "-"
        rows.append((answer.schedule.id, _who(repo, shift.person) if shift else "nobody (gap)", until,
                     via(shift) if shift else "-"))
    lines += _table(rows)
    for answer in result.answers:
        if answer.upcoming:
            lines += ["", f"Next in {answer.schedule.id} ({answer.schedule.timezone}):"]
            zone = answer.schedule.timezone
            lines += _table([(instant(s.start, zone), "to " + (instant(until, zone) if until else "-"),
                              _who(repo, s.person), via(s)) for s, until in answer.upcoming], indent="  ")
    return "\n".join(lines) + "\n"


def _person_text(repo: Repo, result: OncallResult) -> str:
    assert result.person is not None
    who = _who(repo, result.person.id)
    if not result.turns:
        return f"{who} has no turns ahead of {instant(result.at, result.zone)}\n"
    lines = [f"Turns of {who} from {instant(result.at, result.zone)} ({result.zone})", ""]
    rows = [("FROM", "UNTIL", "SCHEDULE", "VIA")]
    zone = result.zone
    rows += [(instant(s.start, zone), instant(s.end, zone), s.schedule, via(s)) for s in result.turns]
    return "\n".join(lines + _table(rows)) + "\n"


def _who(repo: Repo, person_id: str) -> str:
    person = repo.people.get(person_id)
    return f"{person.name} ({person_id})" if person else person_id


def _table(rows: Sequence[tuple[str, ...]], indent: str = "") -> list[str]:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return [indent + "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
            for row in rows]
