"""One renderer per ``--format``: text, Markdown and JSON, all fed the same report."""

from __future__ import annotations

import json

from opsrepo.report.core import Report

FORMATS = ("text", "md", "json")


def render(report: Report, output_format: str, zone: str | None = None) -> str:
    """The report in ``output_format`` (one of ``FORMATS``); text and Markdown show instants in ``zone``.

    Without a zone, instants are in UTC; JSON keeps ISO 8601 instants with offsets.
    """
    if output_format == "json":
        return json.dumps(report.to_dict(), indent=2, ensure_ascii=False) + "\n"
    from opsrepo.report.layout import layout

    blocks = layout(report, zone)
    if output_format == "md":
        from opsrepo.report.markdown import render_markdown

        return render_markdown(blocks)
    from opsrepo.report.text import render_text

    return render_text(blocks)
