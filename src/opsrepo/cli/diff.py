"""``opsrepo diff BASE [HEAD]``: what a change does to who is on call and to the policies."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

import click

from opsrepo.cli.common import (
    echo,
    format_option,
    input_clock,
    kind_of,
    now,
    output_zone,
    repo_option,
    resolve_root,
    tz_option,
)
from opsrepo.errors import UsageError

if TYPE_CHECKING:
    from opsrepo.diff.model import RepoDiff

#: the longest --horizon accepted: turns further ahead are a guess anyway
MAX_HORIZON = timedelta(days=731)
#: the instants a comparison may cover (the on-call engine's range)
EARLIEST, LATEST = datetime(1970, 1, 1, tzinfo=UTC), datetime(9000, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class DiffRequest:
    """What to compare: two revisions of the ops repo at ``root``, from ``at`` over ``horizon``."""

    root: Path
    base: str
    head: str | None
    horizon: timedelta
    #: ``--at`` as written (:mod:`opsrepo.instants`); ``None``: now
    at: str | None = None
    merge_base: bool = False
    #: how the output names the new revision (default: its git name, or "working tree")
    head_label: str | None = None
    #: ``--tz`` (:func:`opsrepo.instants.display_zone`): the zone a naive ``--at`` is read in
    tz: str | None = None


def run_diff(request: DiffRequest) -> RepoDiff:
    """Load both revisions from git and compare them."""
    from opsrepo.diff import Side, diff_repos
    from opsrepo.git.revisions import load_revisions

    before, after = load_revisions(request.root, request.base, request.head, merge_base=request.merge_base)
    at = parse_at(request.at, after.loaded.repo.org.timezone, request.tz)
    if at < EARLIEST or at > LATEST - request.horizon:
        given = f"--at {request.at}" if request.at else f"now ({at.isoformat()})"
        raise UsageError(f"{given} is out of range", "compare from an instant between 1970 and 9000")
    return diff_repos(before.loaded.repo, after.loaded.repo, at, request.horizon,
                      base=Side(before.label, before.problems),
                      head=Side(request.head_label or after.label, after.problems))


def parse_horizon(text: str) -> timedelta:
    """``--horizon``: a positive duration of at most two years."""
    from opsrepo.timeutil import parse_duration

    try:
        value = parse_duration(text)
    except ValueError as exc:
        raise UsageError(f"--horizon: {exc}") from None
    if not timedelta(0) < value <= MAX_HORIZON:
        raise UsageError(f"--horizon {text} is out of range", "give a duration from 1h to 104w, e.g. 60d")
    return value


def parse_at(text: str | None, org_zone: str, tz: str | None = None) -> datetime:
    """``--at`` as :mod:`opsrepo.instants` reads it: a wall time in --tz, else $TZ, else the org's."""
    if text is None:
        return now()
    from opsrepo.instants import parse_when

    return parse_when(text, input_clock(tz, org_zone))



def horizon_option(function: click.decorators.FC) -> click.decorators.FC:
    """``--horizon`` (default 60d)."""
    return click.option("--horizon", default="60d", show_default=True, metavar="DURATION",
                        help="How far ahead to compare turns, e.g. 30d or 12w.")(function)


def merge_base_option(function: click.decorators.FC) -> click.decorators.FC:
    """``--merge-base``."""
    return click.option(
        "--merge-base", is_flag=True,
        help="Compare with the common ancestor of BASE and HEAD (what a pull request changes).",
    )(function)


@click.command("diff")
@click.argument("base")
@click.argument("head", required=False)
@repo_option
@format_option("text", "markdown", "json")
@horizon_option
@merge_base_option
@click.option("--at", "at", default=None, metavar="T",
              help="Compare from this instant: ISO 8601, a wall time in the --tz zone, "
                   "'tomorrow 09:00', 'sat 03:00', +7d... (default: now).")
@tz_option
def command(base: str, head: str | None, repo: Path | None, output_format: str, horizon: str,
            merge_base: bool, at: str | None, tz: str | None) -> None:
    """Show what changes between git revisions BASE and HEAD (default: the working tree).

    Lists the turns that move per schedule over the horizon, each person's
    change in on-call hours, night hours, weekend days and holidays, turns
    moved within the notice period, and changed escalation chains, severity
    levels and post-mortem action items. Text shows times in --tz ($TZ, else
    the org's zone); Markdown, a pull-request comment, in --tz else the org's zone.
    """
    from opsrepo.diff.render import render

    root = resolve_root(repo)
    request = DiffRequest(root, base, head, parse_horizon(horizon), at, merge_base, tz=tz)
    diff = run_diff(request)
    zone = output_zone(output_format, tz, diff.org_zone)
    echo(render(diff, output_format, zone=zone), kind=kind_of(output_format))
