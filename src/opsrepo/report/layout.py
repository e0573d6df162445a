"""The whole report as blocks: title, headline figures, every section, the definitions."""

from __future__ import annotations

from collections.abc import Iterator

from opsrepo.report.blocks import (
    Block,
    Bullets,
    Definitions,
    Heading,
    Para,
    Table,
    human,
    minute,
    percent,
    ref,
)
from opsrepo.report.core import Report
from opsrepo.report.layout_followup import action_blocks, load_blocks, runbook_blocks, timeliness_blocks
from opsrepo.report.layout_incidents import count, frequency_blocks, repeat_blocks, response_blocks
from opsrepo.report.response import MEASURES, duration


def layout(report: Report, zone: str | None = None) -> list[Block]:
    """Every block of the report, in order; instants in the display zone ``zone`` (without one, UTC)."""
    return [*_header(report, zone), *sections(report, zone=zone), Heading(2, "Definitions"), Definitions()]


def sections(report: Report, fold: bool = False, zone: str | None = None) -> list[Block]:
    """The report's sections, without its title, headline and definitions.

    ``fold``: months without incidents are left out of the tables by month, and named in a line.
    ``zone``: the display zone of instants (without one, UTC); dates stay the org's calendar days.
    """
    return [
        *_incident_list(report),
        *response_blocks(report.response, fold),
        *frequency_blocks(report.frequency, fold),
        *repeat_blocks(report.repeats),
        *action_blocks(report.actions, zone),
        *timeliness_blocks(report.timeliness),
        *load_blocks(report.load),
        *runbook_blocks(report.runbooks),
    ]


def period_text(report: Report) -> str:
    """``2025-12-01 to 2026-11-23 (Europe/Berlin)``."""
    period = report.period
    return f"{period.local_date(period.since)} to {period.last_day} ({period.timezone})"


def headline(report: Report) -> tuple[str, ...]:
    """The few figures that say whether things are getting better."""
    overall = report.response.overall.stats
    trend = report.frequency.trends["all"]
    timely = report.timeliness.counts()
    return (
        f"Incidents: {len(report.incidents)}" + ("" if trend is None else
                                                  f" ({trend.recent} in the last 3 complete months, "
                                                  f"{trend.previous} in the 3 before)"),
        f"Repeat rate: {percent(report.repeats.rate)} ({len(report.repeats.repeats)} of "
        f"{report.repeats.incidents})",
        "Median MTTD / MTTA / MTTR: "
        + " / ".join(human(overall[key].median) for key in ("mttd", "mtta", "mttr")),
        _actions_headline(report),
        f"Post-mortems: {timely['on-time']} on time, {timely['late']} late, {timely['overdue']} overdue",
        f"Runbooks overdue for review: {len(report.runbooks.overdue)} of {report.runbooks.total}",
    )


def _header(report: Report, zone: str | None) -> Iterator[Block]:
    yield Heading(1, f"Reliability review: {report.org}")
    yield Para(f"Period: {period_text(report)}. Generated {minute(report.generated_at, zone)}.")
    yield Bullets(headline(report))


def _incident_list(report: Report) -> Iterator[Block]:
    yield Heading(2, "Incidents")
    if not report.incidents:
        yield Para("No incidents started in the period.")
        return
    repeats = {r.id for r in report.repeats.repeats}
    headers = ("Started", "Incident", "Severity", "Services", *(m.label for m in MEASURES), "Repeat")
    yield Table(headers, tuple(
        (report.period.local_date(pm.timeline.started).isoformat(), ref("postmortem", pm.id), pm.severity,
         tuple(ref("service", service) for service in pm.services),
         *(human(duration(pm, m)) for m in MEASURES),
         "yes" if pm.id in repeats else "")
        for pm in report.incidents
    ))


def _actions_headline(report: Report) -> str:
    summary = report.actions.overall
    known = summary.closed + summary.open
    unknown_late = len(report.actions.past_due_unknown)
    if not summary.total and not unknown_late:
        return "Action items: none"
    if not known:
        return (f"Action items: {summary.total}, state unknown (no status for them); "
                f"{unknown_late} past due")
    unknown = f", {summary.unknown} unknown" if summary.unknown else ""
    text = (f"Action items closed: {percent(summary.completion)} ({summary.closed} of {known} with a "
            f"known state{unknown}); "
            f"{count(len(report.actions.overdue), 'item')} overdue")
    return text + (f", {unknown_late} more past due with an unknown state" if unknown_late else "")
