"""``opsrepo cover``: someone takes a person's time on call within a window; without --by, who could."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

import click

from opsrepo.cli.common import echo, now, repo_option
from opsrepo.cli.overrides import Options, carry_out, change_options, read_source, window

if TYPE_CHECKING:
    from opsrepo.model import Repo

#: how many candidates the ranking shows
SHOWN = 3


@click.command("cover")
@repo_option
@click.option("--schedule", required=True, metavar="ID", help="The schedule.")
@click.option("--person", required=True, metavar="ID", help="Who needs cover.")
@click.option("--by", default=None, metavar="ID", help="Who covers (without it: the three best candidates).")
@change_options
def command(repo: Path | None, schedule: str, person: str, by: str | None, start: str, end: str,
            tz: str | None, reason: str | None, dry_run: bool, pull_request: bool, base: str | None,
            remote: str, repo_name: str | None, base_url: str | None) -> None:
    """Cover: --by takes --person's time on call within [--from, --to), as one override per stretch.

    Without --by nothing is written: the three best candidates are ranked with
    their reasons (free of time off and other schedules, within the burnout
    limits after the change, the fairness spread it leaves).
    """
    from opsrepo.rota.plan import plan_cover

    options = Options(repo, schedule, start, end, reason, dry_run, pull_request, base, remote, repo_name,
                      base_url, tz)
    source = read_source(options)
    found, low, high = window(source.loaded.repo, options)
    if by is None:
        _rank(source.loaded.repo, found.id, person, low, high)
        return
    carry_out(source, plan_cover(source.loaded.repo, found.id, person, by, low, high, reason), options)


def _rank(repo: Repo, schedule_id: str, person: str, low: datetime, high: datetime) -> None:
    """Print the best candidates with their reasons, and the command that writes the first one's cover."""
    from opsrepo.rota.candidates import rank, reasons
    from opsrepo.rota.plan import plan_need
    from opsrepo.timeutil import format_duration, format_instant

    need = plan_need(repo, schedule_id, person, low, high)
    zone = repo.schedules[schedule_id].timezone
    total = sum(move.end - move.start for move in need.handovers)
    length = format_duration(timedelta(microseconds=total))
    echo(f"{person} needs cover in {schedule_id} for {length} between "
         f"{format_instant(low, zone)} and {format_instant(high, zone)}"
         f" ({len(need.handovers)} stretch{'es' if len(need.handovers) != 1 else ''}).\n")
    ranked = rank(repo, need, now())
    if not ranked:
        echo("Nobody else is in the schedule's rotation or team.\n")
        return
    echo(f"Best {min(SHOWN, len(ranked))} of {len(ranked)} candidates:\n")
    for place, candidate in enumerate(ranked[:SHOWN], start=1):
        echo(f"{place}. {candidate.person} ({repo.people[candidate.person].name})\n")
        for line in reasons(candidate, zone):
            echo(f"   - {line}\n")
    best = ranked[0]
    if best.free and not best.over_limits:
        echo(f"\nTo write it: opsrepo cover --schedule {schedule_id} --person {person} --by {best.person} "
             f"--from {_arg(low, zone)} --to {_arg(high, zone)} [--pr]\n")
    else:
        echo("\nNobody is both free and within the limits: split the window, or change the limits first.\n")


def _arg(instant: datetime, zone: str) -> str:
    from opsrepo.timeutil import get_zone

    return instant.astimezone(get_zone(zone)).isoformat(timespec="minutes")
