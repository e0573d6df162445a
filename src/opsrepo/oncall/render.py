"""``opsrepo oncall`` output: aligned text for people, the SPEC's JSON for scripts.

Text shows every instant in the display zone (``--tz``, else ``$TZ``, else the
organisation's) with its abbreviation and how far it is from now. JSON keeps
ISO 8601 instants with offsets, each schedule's in its own zone, and adds to the
SPEC's shape only: ``from``, ``status``, ``coverage_resumes``, ``sources`` and ``next``.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from opsrepo.instants import Clock, show
from opsrepo.model import Repo
from opsrepo.oncall import ON_CALL_HORIZON, Shift
from opsrepo.oncall.query import Answer, OncallResult
from opsrepo.oncall.shifts import Stretch
from opsrepo.oncall.status import GAP, OFF_HOURS
from opsrepo.timeutil import get_zone

#: what text output says for an end beyond the search
BEYOND = f"no handoff within {ON_CALL_HORIZON.days} d"
#: what text output says for nobody inside declared coverage (the CLI shows it in red on a terminal)
GAP_TEXT = "NOBODY: a gap in coverage"


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
        schedules = [_schedule(answer, result.at) for answer in result.answers]
        document = {"at": stamp(result.at, result.zone), "schedules": schedules}
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _schedule(answer: Answer, at: datetime) -> dict[str, Any]:
    zone, status, shift = answer.schedule.timezone, answer.status, answer.status.shift
    since, until = (shift.since, shift.until) if shift else (status.since, status.until)
    found: dict[str, Any] = {
        "id": answer.schedule.id,
        "person": shift.person if shift else None,
        "until": _stamp(until, zone),
        "source": source(shift.piece_at(at)) if shift else None,
        "from": _stamp(since, zone),
        "status": status.state,
        "coverage_resumes": _stamp(status.resumes, zone),
    }
    if shift:
        found["sources"] = _sources(shift, zone)
    if answer.upcoming:
        found["next"] = [_turn(s, zone) for s in answer.upcoming]
    return found


def _turn(shift: Stretch, zone: str) -> dict[str, Any]:
    return {"schedule": shift.schedule, "person": shift.person, "from": _stamp(shift.since, zone),
            "until": _stamp(shift.until, zone), "source": source(shift.first),
            "sources": _sources(shift, zone)}


def _sources(shift: Stretch, zone: str) -> list[dict[str, Any]]:
    """Every piece of a shift: what put the person on call, from when until when."""
    last = len(shift.pieces) - 1
    return [{**source(piece),
             "from": _stamp(piece.start if n or shift.starts_known else None, zone),
             "until": _stamp(piece.end if n < last or shift.ends_known else None, zone)}
            for n, piece in enumerate(shift.pieces)]


def _stamp(value: datetime | None, zone: str) -> str | None:
    return stamp(value, zone) if value is not None else None


def to_text(repo: Repo, result: OncallResult) -> str:
    """A table of who is on call (or a person's turns), instants in the display zone."""
    clock = result.clock
    if result.person is not None:
        return _person_text(repo, result)
    lines = [f"On call at {show(result.at, clock)}, times in {clock.zone}", ""]
    rows = [("SCHEDULE", "ON CALL", "UNTIL", "VIA")]
    rows += [(answer.schedule.id, *_now_row(repo, answer, result.at, clock)) for answer in result.answers]
    lines += _table(rows)
    for answer in result.answers:
        if answer.upcoming:
            lines += ["", f"Next in {answer.schedule.id}:"]
            lines += _table([(show(s.start, clock), "to " + _until(s.until, clock), _who(repo, s.person),
                              _via(s)) for s in answer.upcoming], indent="  ")
    return "\n".join(lines) + "\n"


def _now_row(repo: Repo, answer: Answer, at: datetime, clock: Clock) -> tuple[str, str, str]:
    status, shift = answer.status, answer.status.shift
    if shift is not None:
        return _who(repo, shift.person), _until(shift.until, clock), _via(shift, at)
    if status.state == GAP:
        return GAP_TEXT, _until(status.until, clock), "-"
    assert status.state == OFF_HOURS
    if status.resumes is None:
        return "nobody: off hours", _until(status.until, clock), "no coverage declared"
    return "nobody: off hours", _until(status.until, clock), f"coverage resumes {show(status.resumes, clock)}"


def _via(shift: Stretch, at: datetime | None = None) -> str:
    """What holds the pager at ``at`` (the shift's start by default), then the shift's other sources."""
    first = via(shift.piece_at(at) if at is not None else shift.first)
    others = [text for text in dict.fromkeys(via(piece) for piece in shift.pieces) if text != first]
    return first + (f" (also {', '.join(others)})" if others else "")


def _until(value: datetime | None, clock: Clock) -> str:
    return show(value, clock) if value is not None else BEYOND


def _person_text(repo: Repo, result: OncallResult) -> str:
    assert result.person is not None
    who, clock = _who(repo, result.person.id), result.clock
    if not result.turns:
        return f"{who} has no turns ahead of {show(result.at, clock)}\n"
    lines = [f"Turns of {who} from {show(result.at, clock)}, times in {clock.zone}", ""]
    rows = [("FROM", "UNTIL", "SCHEDULE", "VIA")]
    rows += [(show(s.start, clock), _until(s.until, clock), s.schedule, _via(s)) for s in result.turns]
    return "\n".join(lines + _table(rows)) + "\n"


def _who(repo: Repo, person_id: str) -> str:
    person = repo.people.get(person_id)
    return f"{person.name} ({person_id})" if person else person_id


def _table(rows: Sequence[tuple[str, ...]], indent: str = "") -> list[str]:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return [indent + "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
            for row in rows]
