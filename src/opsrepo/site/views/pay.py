"""The On-call pay page: last month and this month (as scheduled), per person, priced by ``pay:``."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from functools import partial
from typing import TYPE_CHECKING, Any

from opsrepo.model import PAY_CATEGORIES
from opsrepo.site.state import DAY, ORG, SCHEDULE, TEAM, Maker, Page, SiteState
from opsrepo.site.urls import INDEXES, Linker
from opsrepo.site.views.common import ref

if TYPE_CHECKING:
    from opsrepo.pay import PayReport

TITLE = "On-call pay"


def pages(state: SiteState) -> Iterator[Maker]:
    """The pay page: it follows the schedules, the people, the pay rules and the date."""
    yield Maker(INDEXES["pay"], frozenset({ORG, TEAM, SCHEDULE, DAY}), partial(pay_page, state))


def pay_page(state: SiteState) -> Page:
    """Last month's and this month's hours and pay (months of the org's timezone, as of the build)."""
    from opsrepo.pay import month_period, pay_report  # 7 ms: a rebuild that keeps the page does not import it
    from opsrepo.pay.render import HEADINGS

    link = Linker(INDEXES["pay"])
    today = state.now.astimezone(state.zone).date()
    previous = today.replace(day=1) - timedelta(days=1)
    months = [(f"{previous.year:04d}-{previous.month:02d}", "Last month"),
              (f"{today.year:04d}-{today.month:02d}", "This month, as scheduled")]
    config = state.repo.org.pay
    data = {
        "currency": config.currency if config else None,
        "headings": [HEADINGS[key] for key in (*PAY_CATEGORIES, "total")],
        "months": [_month(state, link, pay_report(state.repo, month_period(month)), label)
                   for month, label in months],
        "rules": [_rule(state, link, rule) for rule in config.rules] if config else [],
        "night": f"{config.night.start:%H:%M}-{config.night.end:%H:%M}" if config else "22:00-06:00",
    }
    return Page(INDEXES["pay"], "pay.html", TITLE, data)


def _month(state: SiteState, link: Linker, report: PayReport, label: str) -> dict[str, Any]:
    from opsrepo.pay.render import period_text

    hours, amount = report.totals()
    return {
        "label": label, "period": period_text(report),
        "rows": [{"person": ref(link, "person", p.person, p.name),
                  "hours": [f"{value:.2f}" for value in p.hours().values()],
                  "shifts": p.shifts.get("total", 0),
                  "amount": f"{p.amount:.2f}" if p.amount is not None else None}
                 for p in report.people],
        "totals": {"hours": [f"{value:.2f}" for value in hours.values()],
                   "shifts": sum(p.shifts.get("total", 0) for p in report.people),
                   "amount": f"{amount:.2f}" if amount is not None else None},
    }


def _rule(state: SiteState, link: Linker, rule: Any) -> dict[str, Any]:
    schedules = [ref(link, "schedule", sid, state.repo.schedules[sid].name) if sid in state.repo.schedules
                 else {"href": "", "text": sid} for sid in rule.schedules or ()]
    rates = []
    for key in PAY_CATEGORIES:
        rate = rule.rates.get(key)
        parts = [f"{rate.per_hour} an hour" if rate and rate.per_hour else "",
                 f"{rate.per_shift} a shift" if rate and rate.per_shift else ""]
        rates.append(" + ".join(part for part in parts if part) or "-")
    return {"name": rule.name, "schedules": schedules, "each": rule.overlap == "each", "rates": rates}
