"""What a build is made from, as one digest per kind of input, and the shifts kept between builds.

A page names the kinds of input it reads (:class:`~opsrepo.site.state.Maker`);
comparing these digests with the last build's says which pages cannot have
changed, so a one-runbook edit does not make thousands of pages again.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import sys
from array import array
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from opsrepo.git.history import Change
from opsrepo.load.repo import Loaded
from opsrepo.oncall import Shift
from opsrepo.oncall.clock import from_micros, to_micros
from opsrepo.plaindata import load_plain
from opsrepo.site import state as s
from opsrepo.timeutil import get_zone

SHIFTS_FILE = ".opsrepo-site-shifts.pickle"
#: where an earlier opsrepo kept them, as JSON (removed when the shifts are kept again)
_OLD_SHIFTS_FILE = ".opsrepo-site-shifts.json"
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

    Kept by column: the starts and the ends in microseconds (sorted and
    non-overlapping, so both are sorted), then the person, kind, source and
    whom it covers for of each. Turning 150,000 rows into :class:`Shift`
    objects takes most of a second: a one-runbook rebuild needs only the days
    around now, for the home page.
    """

    def __init__(self, schedule: str, rows: list[list[Any]]) -> None:
        """From rows ``[start, end, person, kind, source, covering_for]``."""
        self.schedule = schedule
        self.starts = [int(row[0]) for row in rows]
        self.ends = [int(row[1]) for row in rows]
        self.people: list[str] = [str(row[2]) for row in rows]
        self.kinds: list[str] = [str(row[3]) for row in rows]
        self.sources: list[str] = [str(row[4]) for row in rows]
        self.covering: list[str | None] = [None if row[5] is None else str(row[5]) for row in rows]

    @classmethod
    def from_columns(cls, schedule: str, columns: Any) -> KeptShifts:
        """From what :func:`save_shifts` wrote (``ValueError``/``TypeError`` when it is not that)."""
        starts, ends, people, kinds, sources, covering = columns
        kept = cls(schedule, [])
        kept.starts, kept.ends = array("q", starts).tolist(), array("q", ends).tolist()
        kept.people, kept.kinds, kept.sources, kept.covering = people, kinds, sources, covering
        count = len(kept.starts)
        if not (type(starts) is type(ends) is bytes and len(kept.ends) == count
                and all(type(column) is list and len(column) == count for column in (people, kinds, sources))
                and type(covering) is list and len(covering) == count):
            raise ValueError(f"the kept shifts of {schedule} are not whole")
        return kept

    def decode(self, first: int = 0, stop: int | None = None) -> list[Shift]:
        """Rows ``first`` to ``stop`` (not included) as shifts."""
        rows = slice(first, stop)
        return [Shift(self.schedule, person, from_micros(start), from_micros(end), kind, source, covering)
                for start, end, person, kind, source, covering in zip(
                    self.starts[rows], self.ends[rows], self.people[rows], self.kinds[rows],
                    self.sources[rows], self.covering[rows], strict=True)]

    def spans(self, first: int, stop: int) -> list[tuple[int, int, str]]:
        """``(start, end, person)`` of rows ``first`` to ``stop``, in microseconds (no datetimes made)."""
        rows = slice(first, stop)
        return list(zip(self.starts[rows], self.ends[rows], self.people[rows], strict=True))


#: what the kept shifts' file starts with: its format, then the key of the inputs they were computed from
_SHIFTS_HEAD = f"opsrepo-site-shifts 2 {sys.byteorder} ".encode()


def _head(key: str) -> bytes:
    return _SHIFTS_HEAD + key.encode("utf-8") + b"\n"


def load_shifts(out: Path, key: str) -> dict[str, KeptShifts] | None:
    """The shifts the last build kept, when they were computed from the same inputs."""
    try:
        raw = (out / SHIFTS_FILE).read_bytes()
        head = _head(key)
        if not raw.startswith(head):
            return None
        schedules = load_plain(raw, len(head))
        return {str(schedule): KeptShifts.from_columns(str(schedule), columns)
                for schedule, columns in schedules.items()}
    except Exception:  # any damage (a cut file, another format): unpickling raises many kinds
        return None


def shifts_fit(out: Path, key: str) -> bool:
    """Whether the last build kept shifts computed from the same inputs (the file's first bytes say)."""
    head = _head(key)
    try:
        with (out / SHIFTS_FILE).open("rb") as file:
            return file.read(len(head)) == head
    except OSError:
        return False


def save_shifts(out: Path, key: str, shifts: Mapping[str, list[Shift]]) -> None:
    """Keep the shifts for the next build (atomically), by column: pickled plain data, each text once.

    Reading them is a tenth of what reading the same rows as JSON took (30 ms
    at 300 schedules, on every build: the home page reads every schedule).
    """
    texts: dict[str | None, str | None] = {None: None}

    def once(text: str | None) -> str | None:
        return texts.setdefault(text, text)

    columns = {schedule: (array("q", [to_micros(x.start) for x in rows]).tobytes(),
                          array("q", [to_micros(x.end) for x in rows]).tobytes(),
                          [once(x.person) for x in rows], [once(x.kind) for x in rows],
                          [once(x.source) for x in rows], [once(x.covering_for) for x in rows])
               for schedule, rows in sorted(shifts.items())}
    temporary = out / (SHIFTS_FILE + ".tmp")
    temporary.write_bytes(_head(key) + pickle.dumps(columns, protocol=pickle.HIGHEST_PROTOCOL))
    os.replace(temporary, out / SHIFTS_FILE)
    (out / _OLD_SHIFTS_FILE).unlink(missing_ok=True)
