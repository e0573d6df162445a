"""Incident metrics and the weekly review: pure measures of the model, then renderers.

``build_report(repo, ReportRequest(now=...))`` computes everything; the
renderers (``render``) turn the result into text, Markdown or JSON and
``charts`` into SVG. Nothing here reads the clock, the network or git: "now",
the action-item status and the schedule engine's shifts are passed in.

The names below are imported from :mod:`opsrepo.report.core` when first asked
for: a module of the package (the site's status snapshot) does not import the
whole report (30 ms of a one-runbook site rebuild).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from opsrepo.report.core import Report, ReportRequest, build_report

__all__ = ["Report", "ReportRequest", "build_report"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from opsrepo.report import core

        return getattr(core, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
