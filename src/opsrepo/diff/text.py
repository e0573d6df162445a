"""The plain-text diff, for a terminal and a CI log."""

from __future__ import annotations

import re
from collections.abc import Iterator

from opsrepo.diff import words as w
from opsrepo.diff.model import ChainChange, RepoDiff

#: control characters (newlines, escape sequences) a file author may have put into a name
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def render_text(diff: RepoDiff, zone: str | None = None) -> str:
    """The whole diff as lines of text (names can neither break a line nor send terminal escapes).

    ``zone``: the display zone of every instant (without one: each schedule's zone, the window in UTC).
    """
    return "".join(_CONTROL.sub(" ", line) + "\n" for line in _lines(diff, zone))


def _lines(diff: RepoDiff, zone: str | None) -> list[str]:
    lines = [f"opsrepo diff: {diff.base.label} \u2192 {diff.head.label}",
             f"compared {w.window_text(diff.start, diff.end, zone)}; notice period {w.span(diff.notice)}"]
    lines += _problems(diff)
    if not diff.changed:
        lines.append("no change to who is on call, escalation, severity levels, action items or alert rules")
        return lines
    sections = (_warnings(diff, zone), _moves(diff, zone), _people(diff), _escalation(diff), _severity(diff),
                _action_items(diff), _alerts(diff))
    for section in sections:
        block = list(section)
        if block:
            lines += ["", *block]
    return lines


def _problems(diff: RepoDiff) -> Iterator[str]:
    for side in (diff.base, diff.head):
        if side.problems:
            yield (f"warning: {side.label} has {side.problems} load error{'s' if side.problems != 1 else ''};"
                   " the files that failed are left out (run opsrepo validate)")


def _warnings(diff: RepoDiff, zone: str | None) -> Iterator[str]:
    for schedule, move in diff.notice_moves:
        yield f"warning: {w.notice_message(diff, schedule, move, zone)}"


def _moves(diff: RepoDiff, zone: str | None) -> Iterator[str]:
    if not diff.schedules:
        return
    yield "Moved turns"
    for schedule in diff.schedules:
        status = "" if schedule.status == "changed" else f", {schedule.status}"
        yield (f"  {schedule.name} ({schedule.id}{status}): {w.turns_count(schedule)}, "
               f"times in {w.times_in(schedule, zone)}")
        for move in schedule.moves:
            mark = "!" if move.within_notice else " "
            yield (f"  {mark} {w.instant_text(move.start, schedule.timezone, zone)} to "
                   f"{w.instant_text(move.end, schedule.timezone, zone)}  "
                   f"{w.person_name(move.before)} \u2192 {w.person_name(move.after)}")


def _people(diff: RepoDiff) -> Iterator[str]:
    if not diff.people:
        return
    yield "People"
    for delta in diff.people:
        changes = [f"{label} {w.load_change(delta.before, delta.after, attribute)}"
                   for label, attribute in w.LOAD_COLUMNS
                   if getattr(delta.before, attribute) != getattr(delta.after, attribute)]
        yield f"  {delta.person.name} ({delta.person.id}): " + "; ".join(changes)


def _escalation(diff: RepoDiff) -> Iterator[str]:
    if not diff.escalation:
        return
    yield "Escalation chains"
    for change in diff.escalation:
        yield f"  {change.service_name} ({change.service}), {_severity_label(change)}:"
        yield f"    before: {w.chain_summary(change.before)}"
        yield f"    after:  {w.chain_summary(change.after)}"


def _severity_label(change: ChainChange) -> str:
    return "default" if change.severity == "default" else f"severity {change.severity}"


def _severity(diff: RepoDiff) -> Iterator[str]:
    if not diff.severity:
        return
    yield "Severity matrix"
    for change in diff.severity:
        yield f"  {change.level} ({change.name}): {change.status}"
        for field in change.fields:
            yield f"    {field.field}: {field.before or '-'} \u2192 {field.after or '-'}"


def _action_items(diff: RepoDiff) -> Iterator[str]:
    if not diff.action_items:
        return
    yield "Action items"
    for change in diff.action_items:
        yield f"  {change.postmortem} / {change.item}: {change.status}: {change.title}"
        for field in change.fields:
            before = "" if change.status == "added" else f"{field.before or '-'} \u2192 "
            yield f"    {field.field}: {before}{field.after or '-'}"


def _alerts(diff: RepoDiff) -> Iterator[str]:
    if not diff.alerts:
        return
    yield "Alert rules"
    for change in diff.alerts:
        was = "was " if change.status == "removed" else ""
        yield f"  {change.alert}: {change.status}; {was}severity {change.severity}; runbook {change.runbook}"
        for field in change.fields:
            yield f"    {field.field}: {field.before or '-'} \u2192 {field.after or '-'}"
