"""``opsrepo calendar``: iCalendar feeds (per schedule, per person) and HTML month views."""

from __future__ import annotations

from pathlib import Path

import click

from opsrepo.cli.common import echo, now, repo_option, resolve_root, warn_if_broken

#: where the calendars go unless --out says otherwise (below the ops repo)
DEFAULT_OUT = "_calendars"


@click.command("calendar")
@repo_option
@click.option("--from", "start", metavar="D",
              help="First day or instant (default: the start of the current month); a naive value is read "
              "in the organisation's timezone.")
@click.option("--to", "end", metavar="D", help="End, exclusive (default: six months after --from).")
@click.option("--out", "out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help=f"Output directory (default: {DEFAULT_OUT}/ in the ops repo).")
def command(repo: Path | None, start: str | None, end: str | None, out: Path | None) -> None:
    """Write iCalendar feeds, one per schedule and one per person, and HTML month views."""
    from opsrepo.calendar import write_calendars
    from opsrepo.calendar.request import calendar_range
    from opsrepo.load.repo import load_repo

    root = resolve_root(repo)
    loaded = load_repo(root)
    low, high = calendar_range(loaded.repo, now(), start, end)
    target = out if out is not None else root / DEFAULT_OUT
    warn_if_broken(loaded.diagnostics, "left out of the calendars")
    paths = write_calendars(loaded.repo, low, high, target)
    feeds = sum(1 for p in paths if p.suffix == ".ics")
    pages = sum(1 for p in paths if p.suffix == ".html")
    echo(f"wrote {len(paths)} files to {target}: {feeds} iCalendar feeds and {pages} HTML pages (and their "
         f"stylesheet) for [{low.isoformat(timespec='minutes')}, {high.isoformat(timespec='minutes')})\n")
