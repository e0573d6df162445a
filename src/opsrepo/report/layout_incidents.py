"""Blocks of the incident sections: response times, frequency and repeats."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import timedelta

from opsrepo.report.blocks import Block, Bullets, Cell, Heading, Para, Ref, Table, human, number, percent, ref
from opsrepo.report.frequency import Frequency, Trend
from opsrepo.report.repeats import ChainLink, Repeats
from opsrepo.report.response import MEASURES, Response, ResponseRow
from opsrepo.report.stats import Stats
from opsrepo.timeutil import format_duration

RESPONSE_HEADERS = ("Incidents", "MTTD", "MTTA", "Ack target missed", "Time to mitigate", "MTTR",
                    "Resolve target missed")


def response_blocks(found: Response, fold: bool = False) -> Iterator[Block]:
    """Response times overall, by severity, service and month.

    ``fold``: months without incidents are left out of the table by month and named in a line.
    """
    yield Heading(2, "Response times")
    yield Para("Each cell: median / p90 / mean; targets from the severity matrix.")
    yield _table("Severity", [found.overall, *found.by_severity], _severity_label(found))
    yield Heading(3, "By service")
    yield (_table("Service", found.by_service, linked="service") if found.by_service
           else Para("No incidents."))
    yield Heading(3, "By month")
    months = [row for row in found.by_month if not fold or row.incidents]
    if months:
        yield _table("Month", months)
    if fold:
        yield from _folded([row.key for row in found.by_month if not row.incidents])


def _folded(empty: Sequence[str]) -> Iterator[Para]:
    """The line that stands for the months left out of a table, when any are."""
    if empty:
        yield Para(f"No incidents in {month_runs(empty)}: those months are left out.")


def month_runs(months: Sequence[str]) -> str:
    """``2025-12 to 2026-02, 2026-05 and 2026-07``: consecutive months (``YYYY-MM``) as ranges."""
    runs: list[list[str]] = []
    for month in months:
        if runs and _next_month(runs[-1][-1]) == month:
            runs[-1].append(month)
        else:
            runs.append([month])
    texts = [run[0] if len(run) == 1 else f"{run[0]} to {run[-1]}" for run in runs]
    return texts[0] if len(texts) == 1 else ", ".join(texts[:-1]) + " and " + texts[-1]


def _next_month(month: str) -> str:
    year, number_ = int(month[:4]), int(month[5:7])
    return f"{year + number_ // 12:04d}-{number_ % 12 + 1:02d}"


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


def _table(first: str, rows: Sequence[ResponseRow], labels: dict[str, str] | None = None,
           linked: str | None = None) -> Table:
    labels = labels or {}

    def key(row: ResponseRow) -> Cell:
        text = labels.get(row.key, row.key)
        return text if linked is None else ref(linked, row.key, text)

    return Table((first, *RESPONSE_HEADERS), tuple(
        (key(row), str(row.incidents), *_measure_cells(row)) for row in rows
    ), frozenset({1}))


def _measure_cells(row: ResponseRow) -> list[str]:
    cells = []
    for measure in MEASURES:
        cells.append(stats_cell(row.stats[measure.key]))
        if measure.target is not None:
            checked = row.checked[measure.key]
            cells.append(f"{row.missed[measure.key]} of {checked}" if checked else "—")
    return cells


def frequency_blocks(found: Frequency, fold: bool = False) -> Iterator[Block]:
    """Incidents per severity and month, and the trend (``fold``: months without incidents in a line)."""
    yield Heading(2, "Incident frequency")
    partial = set(found.partial_months)
    rows = tuple(
        (f"{month} (partial)" if month in partial else month,
         *(str(found.counts[sev][month]) for sev in found.severities), str(found.total(month)))
        for month in found.months if not fold or found.total(month)
    )
    columns = frozenset(range(1, len(found.severities) + 2))
    if rows:
        yield Table(("Month", *found.severities, "Total"), rows, columns)
    if fold:
        yield from _folded([month for month in found.months if not found.total(month)])
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
    yield Bullets(tuple(_chain(chain) for chain in found.chains))


def _chain(chain: Sequence[ChainLink]) -> tuple[str | Ref, ...]:
    """``a (SEV2, config) * → b (SEV1)``, each incident a reference to its post-mortem."""
    pieces: list[str | Ref] = []
    for index, link in enumerate(chain):
        category = f", {link.category}" if link.category else ""
        pieces += [*([" → "] if index else []), ref("postmortem", link.id),
                   f" ({link.severity}{category})" + ("" if link.in_period else " *")]
    return tuple(pieces)


def days(value: timedelta) -> str:
    """``180 days``, or the duration when it is not whole days."""
    if value % timedelta(days=1):
        return format_duration(value)
    return count(value.days, "day")


def count(value: int, noun: str) -> str:
    """``1 incident``, ``2 incidents``."""
    return f"{number(value)} {noun}{'' if value == 1 else 's'}"
