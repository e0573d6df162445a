"""Render a :class:`Chain`: the SPEC's JSON document and a readable timeline."""

from __future__ import annotations

import json
import textwrap
from dataclasses import dataclass
from datetime import datetime, timedelta

from opsrepo.escalation.engine import Notification, Reached
from opsrepo.escalation.request import Chain
from opsrepo.instants import relative
from opsrepo.model import Repo, TimeOff
from opsrepo.oncall.status import GAP, OFF_HOURS, status_at
from opsrepo.timeutil import format_duration, get_zone


def to_json(repo: Repo, chain: Chain) -> str:
    """``escalate --format json`` as SPEC section 6, one document with a final newline.

    Beyond the SPEC's keys, each level says which of its targets reached
    nobody and why (``unreached``: off hours with when coverage resumes, a
    gap, or another problem) and whether the policy skipped it
    (``skipped``: ``when_nobody: skip`` notified the next level at once).
    """
    document = {
        "service": chain.service.id,
        "severity": chain.severity,
        "at": instant(chain.at),
        "policy": chain.policy.id,
        "levels": [
            {
                "level": n.level,
                "notify_at": instant(n.notify_at),
                "offset_minutes": offset_minutes(n.offset),
                "targets": [str(t) for t in n.targets],
                "people": list(n.people),
                "unreached": [_unreached(repo, chain, reached, n.notify_at)
                              for reached in n.reached if not reached.people],
                "skipped": n.skipped,
            }
            for n in chain.notifications
        ],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _unreached(repo: Repo, chain: Chain, reached: Reached, at: datetime) -> dict[str, str | None]:
    why = why_nobody(repo, reached, at)
    return {"target": str(reached.target), "reason": why.reason, "detail": why.detail,
            "coverage_resumes": None if why.resumes is None else instant(why.resumes.astimezone(chain.zone))}


#: why a target reached nobody, besides its schedule's ``off-hours`` or ``gap`` (oncall.status's words)
OTHER = "other"


@dataclass(frozen=True)
class Why:
    """Why a target reached nobody at an instant."""

    reason: str  # OFF_HOURS, GAP (as oncall --format json's status) or OTHER
    #: the engine's words: ``nobody on call``, ``the team has no members``, ``unknown person 'x'``
    detail: str
    #: off hours: when someone next comes on call within the schedule's coverage (None: none declared)
    resumes: datetime | None = None


def why_nobody(repo: Repo, reached: Reached, at: datetime) -> Why:
    """Why ``reached`` (a target that reached nobody at ``at``) did: for a schedule, off hours or a gap."""
    target, detail = reached.target, str(reached.problem)
    if target.kind != "schedule" or target.id not in repo.schedules or reached.problem != "nobody on call":
        return Why(OTHER, detail)
    status = status_at(repo, target.id, at)
    if status.state == GAP:
        return Why(GAP, detail)
    if status.state == OFF_HOURS:
        return Why(OFF_HOURS, detail, status.resumes)
    return Why(OTHER, detail)


def instant(at: datetime) -> str:
    """ISO 8601 with offset, to the second."""
    return at.isoformat(timespec="seconds")


def offset_minutes(offset: timedelta) -> int | float:
    """Minutes from the trigger: an integer when whole (``90s`` is ``1.5``)."""
    minutes = offset.total_seconds() / 60
    return int(minutes) if minutes.is_integer() else minutes


def offset_label(offset: timedelta) -> str:
    """``+0m``, ``+5m``, ``+1h30m``."""
    return "+0m" if not offset else "+" + format_duration(offset)


#: a timeline row (offset, time, level, target, people) or a separator line
Row = list[str] | str
PEOPLE_WIDTH = 60


def to_text(repo: Repo, chain: Chain) -> str:
    """A header (subject, severity, channels, runbook, policy) and the timeline."""
    rows: list[Row] = [["offset", f"time ({chain.zone.key})", "level", "target", "people"]]
    for notification in chain.notifications:
        if notification.cycle and notification.level == 1:
            rows.append(f"-- repeat {notification.cycle} of {chain.policy.repeat} --")
        rows.extend(_rows(repo, chain, notification))
    lines = [*_header(repo, chain), "", *_table(rows), "", _first_reached(repo, chain)]
    return "\n".join(lines) + "\n"


def _header(repo: Repo, chain: Chain) -> list[str]:
    service = chain.service
    subject = f"{service.id} ({service.name})" if service.name else service.id
    how_far = f" ({relative(chain.at, chain.now)})" if chain.now is not None else ""
    lines = [f"Escalation of {subject} triggered {_when(chain, chain.at, full=True)}{how_far}"]
    if chain.alert is not None:
        summary = f": {chain.alert.summary}" if chain.alert.summary else ""
        lines.append(f"Alert:    {chain.alert.id}{summary}")
        runbook = repo.runbooks.get(chain.alert.runbook)
        where = runbook.path if runbook else f"runbooks/{chain.alert.runbook}.md (missing)"
        lines.append(f"Runbook:  {where}")
    lines.append(f"Severity: {_severity(chain)}")
    if chain.level is not None:
        lines.append(f"Channels: {', '.join(chain.level.channels) or 'none listed'}")
    lines.append(f"Policy:   {_policy(chain)}")
    return lines


def _severity(chain: Chain) -> str:
    if chain.severity is None:
        return f"none given (default policy of {chain.service.id}; channels depend on the severity)"
    if chain.level is None:
        return f"{chain.severity} (not in the severity matrix)"
    pages = "pages" if chain.level.pages else "does not page"
    return f"{chain.level.id} {chain.level.name} ({pages}; acknowledge within " \
           f"{format_duration(chain.level.acknowledge_within)})"


def _policy(chain: Chain) -> str:
    policy = chain.policy
    name = f" ({policy.name})" if policy.name else ""
    runs = {0: "", 1: ", repeated once"}.get(policy.repeat, f", repeated {policy.repeat} times")
    last = chain.notifications[-1].offset if chain.notifications else timedelta(0)
    levels, count = _count(len(policy.levels), "level"), _count(len(chain.notifications), "notification")
    nobody = "skipped at once" if policy.skips else "waits its escalate_after"
    return f"{policy.id}{name}: {levels}{runs}; {count} over {format_duration(last)}; " \
           f"a level that reaches nobody {nobody} (when_nobody: {policy.when_nobody})"


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" + ("" if number == 1 else "s")


def _when(chain: Chain, at: datetime, *, full: bool = False) -> str:
    local = at.astimezone(chain.zone)
    return local.strftime("%a %Y-%m-%d %H:%M %Z" if full else "%a %d %b %H:%M %Z")


def _rows(repo: Repo, chain: Chain, notification: Notification) -> list[Row]:
    rows: list[Row] = []
    for index, reached in enumerate(notification.reached):
        when = _when(chain, notification.notify_at)
        lead = [offset_label(notification.offset), when, str(notification.level)]
        text = _people(repo, chain, reached, notification.notify_at)
        if notification.skipped and index == len(notification.reached) - 1:
            text += "; skipped: the next level is notified at once"
        people = textwrap.wrap(text, PEOPLE_WIDTH) or [""]
        rows.append([*(lead if index == 0 else ["", "", ""]), str(reached.target), people[0]])
        rows += [["", "", "", "", more] for more in people[1:]]
    return rows


def _people(repo: Repo, chain: Chain, reached: Reached, at: datetime) -> str:
    if not reached.people:
        return f"NOBODY ({_why_nobody(repo, chain, reached, at)})"
    return ", ".join(_person(repo, person, at) for person in reached.people)


def _why_nobody(repo: Repo, chain: Chain, reached: Reached, at: datetime) -> str:
    """The problem; for a schedule with nobody on call, whether it is off hours or a gap in its coverage."""
    why = why_nobody(repo, reached, at)
    if why.reason == GAP:
        return "a gap in its coverage"
    if why.reason != OFF_HOURS:
        return why.detail
    if why.resumes is None:
        return "off hours: no coverage declared"
    return f"off hours, coverage resumes {_when(chain, why.resumes)}"


def _person(repo: Repo, person_id: str, at: datetime) -> str:
    person = repo.people.get(person_id)
    if person is None:
        return f"{person_id} (unknown person)"
    off = time_off_at(repo, person_id, at)
    return f"{person.name} (on time off until {off.end:%Y-%m-%d %H:%M})" if off else person.name


def time_off_at(repo: Repo, person_id: str, at: datetime) -> TimeOff | None:
    """The person's time off that contains ``at`` (their wall time), if any."""
    person = repo.people.get(person_id)
    if person is None or not person.time_off:
        return None
    wall = at.astimezone(get_zone(person.timezone)).replace(tzinfo=None)
    return next((off for off in person.time_off if off.start <= wall < off.end), None)


def _first_reached(repo: Repo, chain: Chain) -> str:
    for notification in chain.notifications:
        if notification.people:
            names = ", ".join(_name(repo, p) for p in notification.people)
            when = offset_label(notification.offset)
            return f"First reached: {names} at {when} (level {notification.level})."
    return "Nobody is reached by this chain: every level resolves to nobody."


def _name(repo: Repo, person_id: str) -> str:
    person = repo.people.get(person_id)
    return person.name if person else person_id


def _table(rows: list[Row]) -> list[str]:
    cells = [row for row in rows if isinstance(row, list)]
    widths = [max(len(row[i]) for row in cells) for i in range(len(cells[0]))]
    return [
        row if isinstance(row, str)
        else "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        for row in rows
    ]
