"""``opsrepo swap``: two people trade their turns within a window, written as overrides."""

from __future__ import annotations

from pathlib import Path

import click

from opsrepo.cli.common import repo_option
from opsrepo.cli.overrides import Options, carry_out, change_options, read_source, window


@click.command("swap")
@repo_option
@click.option("--schedule", required=True, metavar="ID", help="The schedule.")
@click.option("--person", required=True, metavar="ID", help="One of the two people.")
@click.option("--with", "other", required=True, metavar="ID", help="The other.")
@change_options
def command(repo: Path | None, schedule: str, person: str, other: str, start: str, end: str,
            tz: str | None, reason: str | None, dry_run: bool, pull_request: bool, base: str | None,
            remote: str, repo_name: str | None, base_url: str | None) -> None:
    """Swap turns: within [--from, --to), --with takes --person's time on call and the other way round.

    Both halves are appended to the schedule's overrides (comments and layout
    kept). The change is refused when a person is on time off, or when
    validation would find new errors (coverage, burnout limits, fairness).
    """
    from opsrepo.rota.plan import plan_swap

    options = Options(repo, schedule, start, end, reason, dry_run, pull_request, base, remote, repo_name,
                      base_url, tz)
    source = read_source(options)
    found, low, high = window(source.loaded.repo, options)
    carry_out(source, plan_swap(source.loaded.repo, found.id, person, other, low, high, reason), options)
