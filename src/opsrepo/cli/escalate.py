"""``opsrepo escalate``: who gets paged if this fires now, and who is next."""

from __future__ import annotations

import os
from pathlib import Path

import click

from opsrepo.cli.common import (
    AT_HELP,
    echo,
    format_option,
    kind_of,
    now,
    repo_option,
    resolve_root,
    tz_option,
    warn_if_broken,
)
from opsrepo.errors import OpsrepoError, UnknownIdError


@click.command("escalate")
@repo_option
@click.option("--service", "service", metavar="ID", help="The service whose alert fires.")
@click.option("--alert", "alert", metavar="ID",
              help="The alert that fires (its service, severity and runbook).")
@click.option("--severity", "severity", metavar="LEVEL",
              help="A level of the severity matrix (default: the alert's; none for --service).")
@click.option("--at", "at", metavar="T", help="The trigger. " + AT_HELP)
@tz_option
@format_option("text", "json")
def command(repo: Path | None, service: str | None, alert: str | None, severity: str | None,
            at: str | None, tz: str | None, output_format: str) -> None:
    """Show the escalation chain as it would run: each level's offset, targets and people."""
    from opsrepo.escalation import EscalationRequest, plan, render
    from opsrepo.escalation.engine import oncall_resolver
    from opsrepo.load.repo import load_repo

    request = EscalationRequest(now=now(), service=service, alert=alert, severity=severity, at=at, tz=tz,
                                environment=os.environ)
    loaded = load_repo(resolve_root(repo))
    # a chain computed from a partly broken repo may be wrong
    broken = warn_if_broken(loaded.diagnostics)
    try:
        chain = plan(loaded.repo, request, oncall_resolver(loaded.repo))
    except UnknownIdError as exc:
        if not broken:
            raise
        # the id may well be right and live in a file that did not load: the repo is at fault, not the call
        raise OpsrepoError(f"{exc.message}, or it is in a file that failed to load",
                           "run 'opsrepo validate' and fix what it reports") from None
    show = render.to_json if output_format == "json" else render.to_text
    echo(show(loaded.repo, chain), kind=kind_of(output_format))
