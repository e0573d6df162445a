"""What a build is made from, as one digest per kind of input, and the shifts kept between builds.

A page names the kinds of input it reads (:class:`~opsrepo.site.state.Maker`);
comparing these digests with the last build's says which pages cannot have
changed, so a one-runbook edit does not make thousands of pages again.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from opsrepo.git.history import Change
from opsrepo.load.repo import Loaded
from opsrepo.oncall import Shift
from opsrepo.oncall.clock import from_micros, to_micros
from opsrepo.site import state as s
from opsrepo.site.files import write_json
from opsrepo.timeutil import get_zone

SHIFTS_FILE = ".opsrepo-site-shifts.json"
_KINDS = {"org": s.ORG, "team": s.TEAM, "schedule": s.SCHEDULE, "escalation": s.ESCALATION,
          "severity": s.SEVERITY, "alertrules": s.ALERTS, "prometheusrule": s.ALERTS}


def _digest(parts: Iterable[str]) -> str:
    # SHA-256, which processors compute in hardware: twice BLAKE2b's speed over every runbook's text
    hasher = hashlib.sha256()
    for part in parts:
        hasher.update(part.encode("utf-8", "surrogatepass") + b"\0")
    return hasher.hexdigest()[:32]


def input_digests(loaded: Loaded, history: Mapping[str, Change], issues: Mapping[Any, Any],
                  feeds: Iterable[tuple[str, str]], now: datetime) -> dict[str, str]:
    """One digest per kind of input (see the constants in :mod:`opsrepo.site.state`)."""
    texts: dict[str, list[str]] = {kind: [] for kind in s.MODEL}
    own: dict[str, str] = {}
    for document in sorted(loaded.documents, key=lambda d: d.path):
        if document.kind in ("runbook", "postmortem"):
            meta = s.RUNBOOK_META if document.kind == "runbook" else s.POSTMORTEM_META
            texts[meta] += [document.path, document.yaml_text]
            own[s.own_file(document.path)] = text = _digest([document.text])
            texts[document.kind] += [document.path, text]  # its text hashed once, not again here
            change = history.get(document.path)
            own[s.own_history(document.path)] = _digest(
                [] if change is None else [str(change.when), change.author or "", change.commit or "",
                                           change.unknown_because or ""])
        elif document.kind in _KINDS:
            texts[_KINDS[document.kind]] += [document.path, document.text]
    # files that failed to load still change what links resolve to
    texts[s.ORG] += sorted(f"{kind}:{name}" for kind, name in loaded.repo.broken)
    digests = {kind: _digest(parts) for kind, parts in texts.items()}
    digests[s.HISTORY] = _digest(f"{p}|{c.when}|{c.author}|{c.commit}|{c.unknown_because}"
                                 for p, c in sorted(history.items()))
    zone = get_zone(loaded.repo.org.timezone)
    digests[s.CHANGE_DAYS] = _digest(f"{p}|{c.when.astimezone(zone).date() if c.when else None}"
                                     for p, c in sorted(history.items()))
    digests[s.STATUS] = _digest(json.dumps(sorted((list(k), v) for k, v in issues.items()), default=str))
    digests[s.FEEDS] = _digest(sorted(f"{kind}/{name}" for kind, name in feeds))
    digests[s.DAY] = _digest([*_local_days(loaded, now), loaded.repo.org.timezone])
    digests[s.CLOCK] = _digest([now.isoformat()])
    return digests | own


def _local_days(loaded: Loaded, now: datetime) -> list[str]:
    """The date now in UTC and in the org's and every schedule's zone.

    A schedule's calendar marks its own today: an Auckland schedule's page
    changes when Auckland's date does, not Berlin's.
    """
    zones = {loaded.repo.org.timezone, *(schedule.timezone for schedule in loaded.repo.schedules.values())}
    days = {now.astimezone(UTC).date()} | {now.astimezone(get_zone(zone)).date() for zone in zones}
    return sorted(day.isoformat() for day in days)


def schedules_key(digests: Mapping[str, str], window: tuple[datetime, datetime]) -> str:
    """What every schedule's shifts over ``window`` depend on."""
    return _digest([digests[s.ORG], digests[s.TEAM], digests[s.SCHEDULE], window[0].isoformat(),
                    window[1].isoformat()])


class KeptShifts:
    """One schedule's shifts as the last build kept them: decoded only where a page looks.

    Rows are ``[start, end, person, kind, source, covering_for]`` with instants
    in microseconds, sorted and non-overlapping, so both ends are sorted too.
    Turning 150,000 rows into :class:`Shift` objects takes most of a second: a
    one-runbook rebuild needs only the days around now, for the home page.
    """

    def __init__(self, schedule: str, rows: list[list[Any]]) -> None:
        self.schedule = schedule
        self.rows = rows
        self.starts = [int(row[0]) for row in rows]
        self.ends = [int(row[1]) for row in rows]

    def decode(self, first: int = 0, stop: int | None = None) -> list[Shift]:
        """Rows ``first`` to ``stop`` (not included) as shifts."""
        return [Shift(self.schedule, str(p), from_micros(int(a)), from_micros(int(b)), str(k), str(src),
                      None if c is None else str(c)) for a, b, p, k, src, c in self.rows[first:stop]]

    def spans(self, first: int, stop: int) -> list[tuple[int, int, str]]:
        """``(start, end, person)`` of rows ``first`` to ``stop``, in microseconds (no datetimes made)."""
        return [(int(row[0]), int(row[1]), str(row[2])) for row in self.rows[first:stop]]


def load_shifts(out: Path, key: str) -> dict[str, KeptShifts] | None:
    """The shifts the last build kept, when they were computed from the same inputs."""
    try:
        document = json.loads((out / SHIFTS_FILE).read_text(encoding="utf-8"))
        if document.get("key") != key:
            return None
        schedules = document["schedules"].items()
        return {str(schedule): KeptShifts(str(schedule), rows) for schedule, rows in schedules}
    except (OSError, ValueError, KeyError, TypeError, AttributeError, IndexError):
        return None


def shifts_fit(out: Path, key: str) -> bool:
    """Whether the last build kept shifts computed from the same inputs (the file's first bytes say)."""
    head = json.dumps({"key": key, "schedules": {}}, separators=(",", ":"))[:-3].encode("utf-8")
    try:
        with (out / SHIFTS_FILE).open("rb") as file:
            return file.read(len(head)) == head
    except OSError:
        return False


def save_shifts(out: Path, key: str, shifts: Mapping[str, list[Shift]]) -> None:
    """Keep the shifts for the next build (atomically)."""
    document = {"key": key, "schedules": {
        schedule: [[to_micros(x.start), to_micros(x.end), x.person, x.kind, x.source, x.covering_for]
                   for x in rows] for schedule, rows in sorted(shifts.items())}}
    write_json(out / SHIFTS_FILE, document)
