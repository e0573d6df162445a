"""``opsrepo report pay`` output: an aligned text table, CSV for a spreadsheet, or JSON for scripts."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from typing import Any

from opsrepo.model import PAY_CATEGORIES
from opsrepo.pay.compute import PayReport, PersonPay

HEADINGS = {"weekday": "weekday", "weekday_night": "weekday night", "weekend": "weekend",
            "holiday": "holiday", "total": "total"}
NO_RULES = "no pay rules (pay: in opsrepo.yaml): hours only"
FOOTNOTE = ("Hours are on call by the final schedules; time on two schedules at once counts once "
            "unless a pay rule says 'overlap: each'.")


def render(report: PayReport, output_format: str) -> str:
    """The report as ``text``, ``csv`` or ``json``."""
    return {"text": render_text, "csv": render_csv, "json": render_json}[output_format](report)


def period_text(report: PayReport) -> str:
    """``2026-11 (2026-11-01 to 2026-11-30)`` or the two dates."""
    period = report.period
    days = f"{period.first.isoformat()} to {period.last.isoformat()}"
    return f"{period.month} ({days})" if period.month else days


def to_json(report: PayReport) -> dict[str, Any]:
    """The JSON document: the period, every person's row and the totals."""
    hours, amount = report.totals()
    period = report.period
    return {
        "period": {"month": period.month, "from": period.first.isoformat(), "to": period.last.isoformat()},
        "currency": report.currency,
        "people": [_person_json(person, report.currency) for person in report.people],
        "totals": {"hours": {key: float(value) for key, value in hours.items()},
                   "amount": _money(amount), "currency": report.currency},
    }


def _person_json(person: PersonPay, currency: str | None) -> dict[str, Any]:
    return {"person": person.person, "name": person.name, "team": person.team,
            "hours": {key: float(value) for key, value in person.hours().items()},
            "shifts": {key: person.shifts.get(key, 0) for key in (*PAY_CATEGORIES, "total")},
            "amount": _money(person.amount), "currency": currency}


def _money(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def render_json(report: PayReport) -> str:
    """One JSON document."""
    return json.dumps(to_json(report), indent=2) + "\n"


def _columns(report: PayReport) -> list[str]:
    return ["person", "name", "team", *PAY_CATEGORIES, "total", "shifts", "amount"]


def _rows(report: PayReport) -> list[list[str]]:
    rows = []
    for person in report.people:
        hours = person.hours()
        figures = [f"{hours[key]:.2f}" for key in (*PAY_CATEGORIES, "total")]
        rows.append([person.person, person.name, person.team, *figures, str(person.shifts.get("total", 0)),
                     _amount(person.amount)])
    hours, amount = report.totals()
    shifts = sum(person.shifts.get("total", 0) for person in report.people)
    rows.append(["total", "", "", *(f"{hours[k]:.2f}" for k in (*PAY_CATEGORIES, "total")), str(shifts),
                 _amount(amount)])
    return rows


def _amount(value: Decimal | None) -> str:
    return "" if value is None else f"{value:.2f}"


def render_csv(report: PayReport) -> str:
    """A header row, one row per person and a ``total`` row; hours and amounts with two decimals."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([*_columns(report), "currency"])
    for row in _rows(report):
        writer.writerow([*row, report.currency or ""])
    return out.getvalue()


def render_text(report: PayReport) -> str:
    """An aligned table with a heading line; numbers right-aligned."""
    currency = f"amounts in {report.currency}" if report.currency else NO_RULES
    lines = [f"On-call pay for {period_text(report)}, each person's days on their own clock; {currency}", ""]
    if not report.people:
        return "\n".join([*lines, "Nobody was on call."]) + "\n"
    header = [HEADINGS.get(c, c) for c in _columns(report)]
    rows = _rows(report)
    if report.currency is None:
        header, rows = header[:-1], [row[:-1] for row in rows]
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    for row in [header, *rows]:
        cells = [cell.ljust(widths[i]) if i < 3 else cell.rjust(widths[i]) for i, cell in enumerate(row)]
        lines.append("  ".join(cells).rstrip())
    lines += ["", FOOTNOTE]
    return "\n".join(lines) + "\n"
