"""One entry point for every diff format."""

from __future__ import annotations

from opsrepo.diff.model import RepoDiff

FORMATS = ("text", "markdown", "json")


def render(diff: RepoDiff, output_format: str, *, mention: bool = False, zone: str | None = None) -> str:
    """The diff as ``text``, ``markdown`` (``mention``: ask affected people to review) or ``json``.

    ``zone``: the display zone of text and Markdown (JSON keeps ISO 8601 instants with offsets).
    """
    if output_format == "markdown":
        from opsrepo.diff.markdown import render_markdown

        return render_markdown(diff, mention=mention, zone=zone)
    if output_format == "json":
        from opsrepo.diff.jsonout import render_json

        return render_json(diff)
    if output_format == "text":
        from opsrepo.diff.text import render_text

        return render_text(diff, zone)
    raise ValueError(f"unknown diff format {output_format!r}")
