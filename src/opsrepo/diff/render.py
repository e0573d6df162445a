"""One entry point for every diff format."""

from __future__ import annotations

from opsrepo.diff.model import RepoDiff

FORMATS = ("text", "markdown", "json")


def render(diff: RepoDiff, output_format: str, *, mention: bool = False) -> str:
    """The diff as ``text``, ``markdown`` (``mention``: ask affected people to review) or ``json``."""
    if output_format == "markdown":
        from opsrepo.diff.markdown import render_markdown

        return render_markdown(diff, mention=mention)
    if output_format == "json":
        from opsrepo.diff.jsonout import render_json

        return render_json(diff)
    if output_format == "text":
        from opsrepo.diff.text import render_text

        return render_text(diff)
    raise ValueError(f"unknown diff format {output_format!r}")
