"""``opsrepo oncall``: who is on call now (or at --at), until when, and who is next."""

from __future__ import annotations

import os
from pathlib import Path

import click

from opsrepo.cli.common import (
    AT_HELP,
    echo,
    format_option,
    now,
    repo_option,
    resolve_root,
    tz_option,
    warn_if_broken,
)


@click.command("oncall")
@repo_option
@click.option("--schedule", "schedules", metavar="ID", multiple=True,
              help="Only this schedule (repeat for several; default: every schedule).")
@click.option("--team", metavar="ID", help="Only the schedules of this team.")
@click.option("--person", metavar="ID", help="This person's turns from --at on, in every schedule.")
@click.option("--at", "at", metavar="T", help=AT_HELP)
@tz_option
@click.option("--next", "count", type=int, metavar="N",
              help="Also list the next N shifts, each of another person (with --person: N turns, default 5).")
@format_option("text", "json")
def command(repo: Path | None, schedules: tuple[str, ...], team: str | None, person: str | None,
            at: str | None, tz: str | None, count: int | None, output_format: str) -> None:
    """Who is on call at an instant, per schedule, with the layer or override and until when."""
    from opsrepo.load.partial import ONCALL_KINDS, load_for_schedules
    from opsrepo.load.repo import load_repo
    from opsrepo.oncall.query import OncallRequest, answer
    from opsrepo.oncall.render import to_json, to_text

    root = resolve_root(repo)
    # only what the answer needs: with --schedule, those schedules' files (and their derive sources)
    if schedules and team is None and person is None:
        loaded = load_for_schedules(root, schedules)
    else:
        loaded = load_repo(root, kinds=ONCALL_KINDS)
    request = OncallRequest(now=now(), at=at, schedules=schedules, team=team, person=person, next=count,
                            tz=tz, environment=os.environ)
    result = answer(loaded.repo, request)
    warn_if_broken(loaded.diagnostics)
    if output_format == "json":
        echo(to_json(result), kind="json")
    else:
        _echo_text(to_text(loaded.repo, result))


def _echo_text(text: str) -> None:
    """The text, a gap in declared coverage in red (on a terminal only; off hours stay plain)."""
    from opsrepo.oncall.render import GAP_TEXT
    from opsrepo.reporters.logsafe import log_safe

    click.echo(log_safe(text).replace(GAP_TEXT, click.style(GAP_TEXT, fg="red", bold=True)), nl=False)
