"""Incident metrics and the weekly review: pure measures of the model, then renderers.

``build_report(repo, ReportRequest(now=...))`` computes everything; the
renderers (``render``) turn the result into text, Markdown or JSON and
``charts`` into SVG. Nothing here reads the clock, the network or git: "now",
the action-item status and the schedule engine's shifts are passed in.
"""

from __future__ import annotations

from opsrepo.report.core import Report, ReportRequest, build_report

__all__ = ["Report", "ReportRequest", "build_report"]
