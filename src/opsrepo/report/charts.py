"""The Reliability page's charts, each an SVG plus the data table it draws (the accessible alternative)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from opsrepo.report.blocks import Table, human, number, percent, ref
from opsrepo.report.core import Report
from opsrepo.report.svg import Series, horizontal_bars, lines, stacked_bars

#: readable tick steps for a time axis, in minutes (1 minute to 4 weeks)
_DURATION_STEPS = (1, 2, 5, 10, 15, 30, 60, 120, 180, 360, 720, 1440, 2880, 10080, 40320)


@dataclass(frozen=True)
class Chart:
    """One chart: its id, title, SVG markup and the same data as a table."""

    id: str
    title: str
    svg: str
    table: Table


def charts(report: Report) -> tuple[Chart, ...]:
    """Every chart of the page, in order."""
    return (
        *(_response(report, key, label) for key, label in (
            ("mttd", "Time to detect"), ("mtta", "Time to acknowledge"), ("mttr", "Time to resolve"))),
        _frequency(report),
        _repeats(report),
        _burndown(report),
        *_load(report),
    )


def _minutes(value: timedelta | None) -> float | None:
    return None if value is None else value.total_seconds() / 60


def _response(report: Report, key: str, label: str) -> Chart:
    months = [row.key for row in report.response.by_month]
    stats = [row.stats[key] for row in report.response.by_month]
    median = Series("median", tuple(_minutes(s.median) for s in stats))
    p90 = Series("p90", tuple(_minutes(s.p90) for s in stats))
    title = f"{label} per month (median and p90)"
    measured = [(m, s) for m, s in zip(months, stats, strict=True) if s.count]
    figures = "; ".join(f"{m}: median {human(s.median)}, p90 {human(s.p90)}" for m, s in measured)
    desc = f"{label} of incidents by the month they started. {figures or 'No incidents.'}"
    svg = lines(f"chart-{key}", title, desc, months, (median, p90),
                lambda v: human(timedelta(minutes=v)) if v else "0", _DURATION_STEPS)
    table = Table(("Month", "Incidents measured", "Median", "p90"), tuple(
        (m, str(s.count), human(s.median), human(s.p90)) for m, s in zip(months, stats, strict=True)
    ), frozenset({1}))
    return Chart(f"chart-{key}", title, svg, table)


def _frequency(report: Report) -> Chart:
    found = report.frequency
    series = tuple(Series(sev, tuple(float(found.counts[sev][m]) for m in found.months))
                   for sev in found.severities)
    title = "Incidents per month by severity"
    desc = "Stacked incident counts per month. " + "; ".join(
        f"{m}: {found.total(m)}" for m in found.months)
    table = Table(("Month", *found.severities, "Total"), tuple(
        (m, *(str(found.counts[sev][m]) for sev in found.severities), str(found.total(m)))
        for m in found.months
    ), frozenset(range(1, len(found.severities) + 2)))
    return Chart("chart-frequency", title, stacked_bars("chart-frequency", title, desc, found.months, series),
                 table)


def _repeats(report: Report) -> Chart:
    per_month = report.repeats.per_month
    months = list(per_month)
    series = (Series("repeat", tuple(float(r) for _, r in per_month.values())),
              Series("first occurrence", tuple(float(n - r) for n, r in per_month.values())))
    title = f"Repeat incidents per month (overall rate {percent(report.repeats.rate)})"
    figures = "; ".join(f"{m}: {r} of {n}" for m, (n, r) in per_month.items() if n)
    desc = f"Incidents per month, split into repeats of an earlier incident and first occurrences. {figures}"
    table = Table(("Month", "Incidents", "Repeats", "Rate"), tuple(
        (m, str(n), str(r), percent(r / n if n else None)) for m, (n, r) in per_month.items()
    ), frozenset({1, 2, 3}))
    return Chart("chart-repeats", title, stacked_bars("chart-repeats", title, desc, months, series), table)


def _burndown(report: Report) -> Chart:
    burndown = report.actions.burndown
    months = list(burndown)
    names = ("open", "closed", "unknown")
    series = tuple(Series(name, tuple(float(counts[i]) for counts in burndown.values()))
                   for i, name in enumerate(names))
    title = "Action items at each month's end"
    desc = ("Action items of the period's post-mortems by state at the end of each month "
            "(unknown: no status from GitHub). " + "; ".join(
                f"{m}: {o} open, {c} closed, {u} unknown" for m, (o, c, u) in burndown.items() if o + c + u))
    table = Table(("Month", *names), tuple((m, *(str(v) for v in counts)) for m, counts in burndown.items()),
                  frozenset({1, 2, 3}))
    return Chart("chart-burndown", title, stacked_bars("chart-burndown", title, desc, months, series), table)


def _load(report: Report) -> tuple[Chart, ...]:
    if report.load is None or not report.load.people:
        return ()
    people = report.load.people
    labels = [p.name for p in people]
    series = (Series("night hours (22:00–06:00)", tuple(p.night_hours for p in people)),
              Series("other hours", tuple(round(p.hours - p.night_hours, 2) for p in people)))
    title = "On-call hours per person"
    desc = "Hours on call in the period, nights first. " + "; ".join(
        f"{p.name}: {number(p.hours)} h, {number(p.night_hours)} at night" for p in people)
    headers = ("Person", "Team", "Hours", "Night hours", "Nights", "Turns", "Weekend days", "Holidays")
    table = Table(headers, tuple(
        (ref("person", p.person, p.name), ref("team", p.team), number(p.hours), number(p.night_hours),
         str(p.nights), str(p.turns), str(p.weekend_days), str(p.holiday_days)) for p in people
    ), frozenset(range(2, 8)))
    svg = horizontal_bars("chart-load", title, desc, labels, series, lambda v: f"{number(v)} h")
    return (Chart("chart-load", title, svg, table),)
