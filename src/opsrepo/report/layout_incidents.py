"""Blocks of the incident sections: response times, frequency and repeats."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import timedelta

from opsrepo.report.blocks import Block, Bullets, Heading, Para, Table, human, number, percent
from opsrepo.report.frequency import Frequency, Trend
from opsrepo.report.repeats import Repeats
from opsrepo.report.response import MEASURES, Response, ResponseRow
from opsrepo.report.stats import Stats
from opsrepo.timeutil import format_duration

RESPONSE_HEADERS = ("Incidents", "MTTD", "MTTA", "Ack target missed", "Time to mitigate", "MTTR",
                    "Resolve target missed")


def response_blocks(found: Response) -> Iterator[Block]:
    """Response times overall, by severity, service and month."""
    yield Heading(2, "Response times")
    yield Para("Each cell: median / p90 / mean; targets from the severity matrix.")
    yield _table("Severity", [found.overall, *found.by_severity], _severity_label(found))
    yield Heading(3, "By service")
    yield _table("Service", found.by_service) if found.by_service else Para("No incidents.")
    yield Heading(3, "By month")
    yield _table("Month", found.by_month)


def stats_cell(stats: Stats) -> str:
    """``median / p90 / mean``, and how many incidents could not be measured."""
    text = "—" if stats.count == 0 else f"{human(stats.median)} / {human(stats.p90)} / {human(stats.mean)}"
    return f"{text} ({stats.missing} missing)" if stats.missing else text


def _severity_label(found: Response) -> dict[str, str]:
    labels = {"all": "All"}
    for severity, targets in found.targets.items():
        labels[severity] = (f"{severity} (ack {format_duration(targets['mtta'])}, "
                            f"resolve {format_duration(targets['mttr'])})")
    return labels


def _table(first: str, rows: Sequence[ResponseRow], labels: dict[str, str] | None = None) -> Table:
    labels = labels or {}
    return Table((first, *RESPONSE_HEADERS), tuple(
        (labels.get(row.key, row.key), str(row.incidents), *_measure_cells(row)) for row in rows
    ), frozenset({1}))


def _measure_cells(row: ResponseRow) -> list[str]:
    cells = []
    for measure in MEASURES:
        cells.append(stats_cell(row.stats[measure.key]))
        if measure.target is not None:
            checked = row.checked[measure.key]
            cells.append(f"{row.missed[measure.key]} of {checked}" if checked else "—")
    return cells


def frequency_blocks(found: Frequency) -> Iterator[Block]:
    """Incidents per severity and month, and the trend."""
    yield Heading(2, "Incident frequency")
    partial = set(found.partial_months)
    rows = tuple(
        (f"{month} (partial)" if month in partial else month,
         *(str(found.counts[sev][month]) for sev in found.severities), str(found.total(month)))
        for month in found.months
    )
    columns = frozenset(range(1, len(found.severities) + 2))
    yield Table(("Month", *found.severities, "Total"), rows, columns)
    trend = found.trends["all"]
    if trend is None:
        yield Para("Trend: not enough complete months yet (6 are needed).")
        return
    yield Para(f"Trend: {_span(trend.recent_months)} against {_span(trend.previous_months)}.")
    keys = [*found.severities, "all"]
    yield Table(("Severity", "Recent", "Before", "Change"), tuple(
        ("Total" if key == "all" else key, *_trend_cells(found.trends[key])) for key in keys
    ), frozenset({1, 2}))


def _span(months: Sequence[str]) -> str:
    return f"{months[0]} to {months[-1]}"


def _trend_cells(trend: Trend | None) -> tuple[str, str, str]:
    if trend is None:
        return ("—", "—", "—")
    if trend.change is None:
        change = "new" if trend.recent else "none"
    else:
        change = f"{trend.direction} {percent(abs(trend.change))}" if trend.change else "flat"
    return (str(trend.recent), str(trend.previous), change)


def repeat_blocks(found: Repeats) -> Iterator[Block]:
    """The repeat rate and every chain with a repeat in the period."""
    yield Heading(2, "Repeat incidents")
    if found.incidents == 0:
        yield Para("No incidents in the period.")
        return
    yield Para(f"Repeat rate: {percent(found.rate)} ({len(found.repeats)} of {found.incidents} incidents "
               f"repeat an earlier one; window {days(found.window)}).")
    if not found.chains:
        return
    yield Para("Chains (earliest first; * before the period):")
    yield Bullets(tuple(
        " → ".join(f"{link.id} ({link.severity}{', ' + link.category if link.category else ''})"
                   + ("" if link.in_period else " *") for link in chain)
        for chain in found.chains
    ))


def days(value: timedelta) -> str:
    """``180 days``, or the duration when it is not whole days."""
    if value % timedelta(days=1):
        return format_duration(value)
    return count(value.days, "day")


def count(value: int, noun: str) -> str:
    """``1 incident``, ``2 incidents``."""
    return f"{number(value)} {noun}{'' if value == 1 else 's'}"
