"""The diff as GitHub-flavoured Markdown, for a pull-request comment or a job summary.

Everything a file author wrote (names, titles) is escaped: a pull request
cannot inject links, HTML or mentions through a person's name. Only the
logins of people whose turns move are mentioned, and only when asked. The
comment stays under GitHub's size limit by cutting the longest tables first.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from opsrepo.diff import words as w
from opsrepo.diff.model import ChainChange, RepoDiff, ScheduleDiff

#: GitHub rejects comment bodies over 65536 characters; keep room for the marker
DEFAULT_LIMIT = 60000
_ROW_CAPS = (None, 50, 20, 5, 0)
#: a change that re-deals a whole org mentions the first this many people, not hundreds
MAX_MENTIONS = 50
#: no table row or list item is shorter than this (a lower bound to skip caps that cannot fit)
_MIN_ROW = 20
_SPECIAL = re.compile(r"([\\`*_\[\]|<>~])")
_LOGIN = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}\Z")


def escape(text: str) -> str:
    """Literal text inside Markdown (and table cells): no markup, no HTML, no mentions."""
    flat = " ".join(text.split())
    return _SPECIAL.sub(r"\\\1", flat.replace("&", "&amp;")).replace("@", "&#64;")


def code(text: str) -> str:
    """``text`` as a code span (backslashes are literal there, so backticks are replaced)."""
    return "`" + " ".join(text.replace("`", "'").split()) + "`"


def render_markdown(diff: RepoDiff, *, mention: bool = False, limit: int = DEFAULT_LIMIT,
                    zone: str | None = None) -> str:
    """The diff in Markdown; with ``mention``, a closing line asks the affected people to review.

    ``zone``: the display zone of every instant (without one: each schedule's zone, the window in UTC).

    Long lists (warnings, each schedule's moved turns, people) are cut to the
    first 50, 20, 5 or 0 rows until the document fits ``limit``; the closing
    mentions are never cut, since they are how the people affected learn of it.
    """
    mentions = list(_mentions(diff)) if mention else []
    tail = "".join(f"\n{line}\n" for line in mentions)
    for cap in _ROW_CAPS:
        if _rows(diff, cap) * _MIN_ROW > limit:
            continue  # cannot fit: skip building it
        text = _document(diff, cap, zone) + tail
        if len(text) <= limit:
            return text
    cut = text[: limit - len(tail) - 80].rsplit("\n", 1)[0]
    return cut + "\n\n_\u2026 cut to fit; run `opsrepo diff` for the rest._\n" + tail


def _rows(diff: RepoDiff, cap: int | None) -> int:
    """How many table rows and list items a document with row cap ``cap`` holds."""
    def capped(count: int) -> int:
        return count if cap is None else min(count, cap)
    return (capped(len(diff.notice_moves)) + capped(len(diff.people))
            + sum(capped(len(s.moves)) for s in diff.schedules))


def _document(diff: RepoDiff, cap: int | None, zone: str | None) -> str:
    parts = ["### On-call preview", "",
             f"Comparing {code(diff.base.label)} with {code(diff.head.label)}, "
             f"{w.window_text(diff.start, diff.end, zone)}."]
    parts += _problems(diff)
    if not diff.changed:
        parts += ["", "No change to who is on call, escalation chains, severity levels, action items "
                      "or alert rules."]
        return "\n".join(parts) + "\n"
    sections = (_warnings(diff, cap, zone), _moves(diff, cap, zone), _people(diff, cap), _escalation(diff),
                _severity(diff), _action_items(diff), _alerts(diff))
    for section in sections:
        block = list(section)
        if block:
            parts += ["", *block]
    return "\n".join(parts) + "\n"


def _problems(diff: RepoDiff) -> Iterator[str]:
    for side in (diff.base, diff.head):
        if side.problems:
            yield ""
            yield (f"> [!CAUTION]\n> {code(side.label)} has {side.problems} load error"
                   f"{'s' if side.problems != 1 else ''}; the files that failed are left out.")


def _warnings(diff: RepoDiff, cap: int | None, zone: str | None) -> Iterator[str]:
    found = diff.notice_moves
    if not found:
        return
    count = len(found)
    yield "> [!WARNING]"
    yield (f"> {count} turn{'s' if count != 1 else ''} move within the notice period "
           f"({w.span(diff.notice)}):")
    shown = found if cap is None else found[:cap]
    for schedule, move in shown:
        where = "" if zone is not None else f" ({schedule.timezone})"
        yield (f"> - **{escape(schedule.name)}**: {w.instant_text(move.start, schedule.timezone, zone)} to "
               f"{w.instant_text(move.end, schedule.timezone, zone)}{where} moves from "
               f"{escape(w.person_name(move.before))} to {escape(w.person_name(move.after))}, "
               f"{w.until_text(move.start, diff.start)}")
    if len(shown) < count:
        yield f"> - \u2026 and {count - len(shown)} more; run `opsrepo diff` for all of them"


def _moves(diff: RepoDiff, cap: int | None, zone: str | None) -> Iterator[str]:
    if not diff.schedules:
        return
    yield "#### Moved turns"
    for schedule in diff.schedules:
        yield ""
        yield from _schedule_table(schedule, cap, zone)


def _schedule_table(schedule: ScheduleDiff, cap: int | None, zone: str | None) -> Iterator[str]:
    status = "" if schedule.status == "changed" else f", {schedule.status}"
    count = len(schedule.moves)
    yield (f"**{escape(schedule.name)}** (`{schedule.id}`{status}): {w.turns_count(schedule)}, "
           f"times in {w.times_in(schedule, zone)}")
    shown = schedule.moves if cap is None else schedule.moves[:cap]
    if shown:
        yield ""
        yield "| from | to | before | after |"
        yield "| --- | --- | --- | --- |"
    for move in shown:
        flag = " \u26a0\ufe0f" if move.within_notice else ""
        start, end = (w.instant_text(t, schedule.timezone, zone) for t in (move.start, move.end))
        before, after = (escape(w.person_name(p)) for p in (move.before, move.after))
        yield f"| {start}{flag} | {end} | {before} | {after} |"
    if len(shown) < count:
        yield ""
        yield f"_\u2026 and {count - len(shown)} more; run `opsrepo diff` for all of them._"


def _people(diff: RepoDiff, cap: int | None) -> Iterator[str]:
    if not diff.people:
        return
    yield "#### People"
    yield ""
    yield "| person | " + " | ".join(label for label, _ in w.LOAD_COLUMNS) + " |"
    yield "| --- |" + " ---: |" * len(w.LOAD_COLUMNS)
    shown = diff.people if cap is None else diff.people[:cap]
    for delta in shown:
        cells = [w.load_change(delta.before, delta.after, attribute) for _, attribute in w.LOAD_COLUMNS]
        yield f"| {escape(delta.person.name)} | " + " | ".join(cells) + " |"
    if len(shown) < len(diff.people):
        yield ""
        yield f"_\u2026 and {len(diff.people) - len(shown)} more people; run `opsrepo diff` for all of them._"


def _escalation(diff: RepoDiff) -> Iterator[str]:
    if not diff.escalation:
        return
    yield "#### Escalation chains"
    for change in diff.escalation:
        yield ""
        yield from _chain_table(change)


def _chain_table(change: ChainChange) -> Iterator[str]:
    severity = "default" if change.severity == "default" else f"severity {change.severity}"
    yield f"**{escape(change.service_name)}** (`{change.service}`), {severity}"
    yield ""
    yield "| level | before | after |"
    yield "| ---: | --- | --- |"
    old = change.before.levels if change.before else ()
    new = change.after.levels if change.after else ()
    for index in range(max(len(old), len(new))):
        cells = [escape(w.level_text(levels[index])) if index < len(levels) else "\u2014"
                 for levels in (old, new)]
        yield f"| {index + 1} | {cells[0]} | {cells[1]} |"
    yield "| policy | " + " | ".join(
        escape(f"{chain.policy_name}{w.repeat_text(chain)}") if chain else "(no service)"
        for chain in (change.before, change.after)) + " |"


def _severity(diff: RepoDiff) -> Iterator[str]:
    if not diff.severity:
        return
    yield "#### Severity matrix"
    yield ""
    yield "| level | change | field | before | after |"
    yield "| --- | --- | --- | --- | --- |"
    for change in diff.severity:
        label = f"{escape(change.level)} {escape(change.name)}"
        if not change.fields:
            yield f"| {label} | {change.status} | | | |"
        for field in change.fields:
            yield (f"| {label} | {change.status} | {field.field} | {escape(field.before or '-')} "
                   f"| {escape(field.after or '-')} |")


def _action_items(diff: RepoDiff) -> Iterator[str]:
    if not diff.action_items:
        return
    yield "#### Action items"
    yield ""
    yield "| post-mortem | item | change | details |"
    yield "| --- | --- | --- | --- |"
    for change in diff.action_items:
        details = "; ".join(
            f"{f.field}: {escape(f.after or '-')}" if change.status == "added"
            else f"{f.field}: {escape(f.before or '-')} \u2192 {escape(f.after or '-')}"
            for f in change.fields)
        yield (f"| `{change.postmortem}` | {escape(change.title)} (`{change.item}`) | {change.status} "
               f"| {details} |")


def _alerts(diff: RepoDiff) -> Iterator[str]:
    if not diff.alerts:
        return
    yield "#### Alert rules"
    yield ""
    yield "| alert | change | severity | runbook | details |"
    yield "| --- | --- | --- | --- | --- |"
    for change in diff.alerts:
        details = "; ".join(f"{f.field}: {_cell_code(f.before or '-')} \u2192 {_cell_code(f.after or '-')}"
                            for f in change.fields)
        yield (f"| {_cell_code(change.alert)} | {change.status} | {escape(change.severity)} "
               f"| {escape(change.runbook)} | {details} |")


def _cell_code(text: str) -> str:
    """A code span inside a table cell: a ``|`` (PromQL's ``=~"a|b"``) would end the cell."""
    return code(text).replace("|", "\\|")


def _mentions(diff: RepoDiff) -> Iterator[str]:
    people = diff.affected
    if not people:
        return
    names = [f"@{p.github}" if p.github and _LOGIN.match(p.github) else escape(p.name)
             for p in people[:MAX_MENTIONS]]
    if len(people) > MAX_MENTIONS:
        names.append(f"and {len(people) - MAX_MENTIONS} more people")
    yield f"cc {', '.join(names)}: your on-call turns change with this pull request; please review."
