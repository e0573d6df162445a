"""Blocks of the follow-up sections: action items, post-mortem timeliness, on-call load, runbooks."""

from __future__ import annotations

from collections.abc import Iterator

from opsrepo.report.actions import UNKNOWN_TEAM, Actions, ItemRow, ItemSummary
from opsrepo.report.blocks import Block, Cell, Heading, Link, Para, Table, minute, number, percent, ref
from opsrepo.report.oncall_load import SPREAD_MEASURES, OncallLoad, TeamLoad
from opsrepo.report.runbooks import Runbooks
from opsrepo.report.timeliness import Timeliness

#: the one step that makes an unknown state known
FIX_UNKNOWN = ("To fix it, run `opsrepo actions sync` with a GitHub token in `GITHUB_TOKEN` (the action "
               "items workflow does it every day): it writes status/actions.json, which the next report and "
               "site build read.")
NO_STATUS = ("No action-item status file (status/actions.json): every state is unknown, so no item counts as "
             "closed or overdue; unknown means the report has not asked GitHub, not that the item is open. "
             + FIX_UNKNOWN)


def unknown_items(count_: int, generated: str) -> str:
    """What an unknown state means when the status file leaves some items out, and the step that fixes it."""
    items, them, they = ("1 item has", "it", "it was") if count_ == 1 else (f"{count_} items have", "them",
                                                                            "they were")
    return (f"{items} an unknown state: the status file{generated} does not list {them}, as {they} "
            "added after the last `opsrepo actions sync`; unknown counts as neither open nor closed. "
            + FIX_UNKNOWN)


def action_blocks(found: Actions, zone: str | None = None) -> Iterator[Block]:
    """Completion per team and every overdue item with its owner (instants in ``zone``, without one UTC)."""
    yield Heading(2, "Action items")
    generated = found.status_generated_at
    if not found.has_status:
        yield Para(NO_STATUS)
    else:
        of = "" if generated is None else f" of {minute(generated, zone)}"
        yield Para(f"States from the action-item status file{of}.")
        if found.overall.unknown:
            yield Para(unknown_items(found.overall.unknown, of))
    yield Table(("Team", "Items", "Closed", "Open", "Unknown", "Completion", "Overdue", "Past due, unknown",
                 "Median days to close", "Closed on time"),
                tuple(_summary_row(s) for s in (*found.by_team, found.overall)), frozenset(range(1, 10)))
    yield Heading(3, f"Overdue ({len(found.overdue)})")
    yield from _item_table(found.overdue, "Nothing open is past its due date.")
    if found.past_due_unknown:
        yield Heading(3, f"Past due, state unknown ({len(found.past_due_unknown)})")
        yield from _item_table(found.past_due_unknown, "")


def _item_table(rows: tuple[ItemRow, ...], empty: str) -> Iterator[Block]:
    if not rows:
        yield Para(empty)
        return
    yield Table(("Item", "Post-mortem", "Owner", "Team", "Due", "Days past due"),
                tuple(_overdue_row(row) for row in rows), frozenset({5}))


def _summary_row(summary: ItemSummary) -> tuple[Cell, ...]:
    return (
        "All" if summary.key == "all" else _team(summary.key), str(summary.total), str(summary.closed),
        str(summary.open), str(summary.unknown), percent(summary.completion), str(summary.overdue),
        str(summary.past_due_unknown),
        number(summary.median_days_to_close), str(summary.closed_on_time),
    )


def _overdue_row(row: ItemRow) -> tuple[Cell, ...]:
    title: Cell = Link(row.title, row.url) if row.url else row.title
    owner = row.owner if row.owner_name == row.owner else f"{row.owner_name} ({row.owner})"
    return (title, ref("postmortem", row.postmortem), ref("person", row.owner, owner), _team(row.team),
            row.due.isoformat(), str(row.days_overdue))


def _team(team: str) -> Cell:
    return team if team == UNKNOWN_TEAM else ref("team", team)


def timeliness_blocks(found: Timeliness) -> Iterator[Block]:
    """Verdict counts and every post-mortem that is not on time."""
    yield Heading(2, "Post-mortem timeliness")
    counts = ", ".join(f"{verdict} {n}" for verdict, n in found.counts().items())
    yield Para(f"{counts}. Median days from resolution to publication: "
               f"{number(found.median_days_to_publish)}.")
    late = [row for row in found.rows if row.verdict in ("late", "overdue", "pending")]
    if late:
        yield Table(("Post-mortem", "Severity", "Status", "Resolved", "Deadline", "Published", "Verdict",
                     "Days late"), tuple(
            (ref("postmortem", row.id), row.severity, row.status, row.resolved.isoformat(),
             "—" if row.deadline is None else row.deadline.isoformat(),
             "—" if row.published is None else row.published.isoformat(), row.verdict, str(row.days_late))
            for row in late
        ), frozenset({7}))


def load_blocks(found: OncallLoad | None) -> Iterator[Block]:
    """Load per person and the fairness spread per team."""
    yield Heading(2, "On-call load")
    if found is None:
        yield Para("Not computed: the schedule engine is not available in this installation.")
        return
    if not found.people:
        yield Para("Nobody was on call in the period.")
    else:
        headers = ("Person", "Team", "Hours", "Turns", "Night hours", "Nights", "Weekend days", "Holidays")
        yield Table(headers, tuple(
            (ref("person", p.person, f"{p.name} ({p.person})"), _team(p.team), number(p.hours), str(p.turns),
             number(p.night_hours),
             str(p.nights), str(p.weekend_days), str(p.holiday_days)) for p in found.people
        ), frozenset(range(2, 8)))
    yield from _team_totals(found)
    yield Heading(3, "Fairness spread per team")
    yield Para("Largest minus smallest among the rotation members of the team's schedules (lowest–highest).")
    yield Table(("Team", "Members", "Hours", "Turns", "Night hours", "Nights", "Weekend days", "Holidays"),
                tuple(_spread_row(team) for team in found.teams), frozenset(range(1, 8)))


def _team_totals(found: OncallLoad) -> Iterator[Block]:
    yield Heading(3, "Load per team")
    yield Para("Everyone who held the team's schedules, added up "
               "(people from other teams covering included).")
    yield Table(("Team", "Schedules", "People", "Hours", "Turns", "Night hours", "Nights", "Weekend days",
                 "Holidays"), tuple(
        (_team(team.team), tuple(ref("schedule", s) for s in team.schedules), str(t.people), number(t.hours),
         str(t.turns),
         number(t.night_hours), str(t.nights), str(t.weekend_days), str(t.holiday_days))
        for team in found.teams for t in (team.totals,)
    ), frozenset(range(2, 9)))


def _spread_row(team: TeamLoad) -> tuple[Cell, ...]:
    by_measure = {s.measure: s for s in team.spread}
    cells = []
    for measure in SPREAD_MEASURES:
        spread = by_measure.get(measure)
        cells.append("—" if spread is None else
                     f"{number(spread.value)} ({number(spread.low)}–{number(spread.high)})")
    return (_team(team.team), str(len(team.members)), *cells)


def runbook_blocks(found: Runbooks) -> Iterator[Block]:
    """Runbooks overdue for review, then those with no known review."""
    yield Heading(2, "Runbooks overdue for review")
    unknown = len(found.unknown)
    yield Para(f"Overdue: {len(found.overdue)} of {found.total} runbooks. "
               f"No known review date: {unknown}.")
    if found.overdue:
        yield Table(("Runbook", "Team", "Owner", "Last reviewed", "Due", "Days overdue"), tuple(
            (ref("runbook", r.id), _optional("team", r.team), _optional("person", r.owner),
             f"{r.reviewed} ({r.source})", str(r.due),
             str(r.days_overdue))
            for r in found.overdue
        ), frozenset({5}))
    if found.unknown:
        yield Table(("Runbook (no known review)", "Team", "Owner"),
                    tuple((ref("runbook", r.id), _optional("team", r.team), _optional("person", r.owner))
                          for r in found.unknown))


def _optional(kind: str, object_id: str | None) -> Cell:
    return "—" if object_id is None else ref(kind, object_id)
