"""On-call pay: hours by category (weekday, weekday night, weekend, public holiday) priced by ``pay:``.

Pure: the final schedules come from the engine, nothing is read or printed.
"""

from __future__ import annotations

from opsrepo.pay.compute import PayPeriod, PayReport, PersonPay, month_period, pay_report, rounded_hours

__all__ = ["PayPeriod", "PayReport", "PersonPay", "month_period", "pay_report", "rounded_hours"]
