"""``opsrepo apply pagerduty``: reconcile PagerDuty to the repo (plan, apply, drift check)."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING

import click

from opsrepo.cli.apply_session import URL_VARIABLE, Session, open_session, parse_adoptions
from opsrepo.cli.common import echo, now, repo_option
from opsrepo.errors import OpsrepoError, UsageError

if TYPE_CHECKING:
    from opsrepo.apply.flows import Settings
    from opsrepo.apply.state import State
    from opsrepo.model import Repo



@click.group("apply")
def command() -> None:
    """Keep a vendor in step with the repo (token from the environment)."""


@command.command("pagerduty")
@repo_option
@click.option("--plan", "mode", flag_value="plan", help="Show what would change; write nothing.")
@click.option(
    "--check",
    "mode",
    flag_value="check",
    help="Exit 1 when PagerDuty differs from the repo (edited by hand), with the differences.",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json", "markdown"]),
    default="text",
    show_default=True,
    help="Output format.",
)
@click.option(
    "--api-url",
    metavar="URL",
    help=f"The REST API root (default: ${URL_VARIABLE}, else "
    "https://api.pagerduty.com; EU accounts: https://api.eu.pagerduty.com).",
)
@click.option(
    "--adopt",
    multiple=True,
    metavar="KIND:ID=PAGERDUTY_ID",
    help="Take over an object made by hand (KIND: schedule, policy or service). Repeatable.",
)
@click.option(
    "--state",
    "state_file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="The state file (default: status/pagerduty.json in the ops repo).",
)
@click.option(
    "--max-wait",
    default="15m",
    show_default=True,
    metavar="DURATION",
    help="The longest single wait for PagerDuty's rate limit before giving up.",
)
@click.option("--horizon", metavar="DURATION", help="Overrides ahead (default: apply.horizon, 28d).")
@click.option(
    "--issue",
    is_flag=True,
    help="With --check: open or update one GitHub issue while PagerDuty has "
    "drifted, close it when it has not ($GITHUB_TOKEN).",
)
@click.option(
    "--verify",
    is_flag=True,
    help="Read every schedule's overrides from PagerDuty instead of trusting the state file: puts back "
    "overrides deleted by hand (the daily workflow run does this).",
)
@click.option("--all", "show_all", is_flag=True, help="Also list the objects that stay as they are.")
def pagerduty_command(
    repo: Path | None,
    mode: str | None,
    output_format: str,
    api_url: str | None,
    adopt: tuple[str, ...],
    state_file: Path | None,
    max_wait: str,
    horizon: str | None,
    issue: bool,
    verify: bool,
    show_all: bool,
) -> None:
    """Make PagerDuty's schedules, escalation policies and services what the repo says.

    People are matched to PagerDuty users by email (never created). Each
    schedule's final schedule is made opsrepo's: layers where PagerDuty's
    mean the same, overrides over the horizon for the rest. opsrepo changes
    only objects it made or adopted and never deletes one made by hand.
    """
    from opsrepo.apply import render
    from opsrepo.apply.flows import Settings, apply, make_plan
    from opsrepo.cli.actions import token_guard

    if issue and mode != "check":
        raise UsageError("--issue goes with --check")
    session = open_session(repo, api_url, state_file, max_wait)
    settings = Settings(now(), _horizon(horizon, session.repo), parse_adoptions(adopt, session.repo), verify)
    try:
        with token_guard(session.token):
            if mode == "check":
                _check(session, settings, output_format, issue)
                return
            if mode == "plan":
                plan = make_plan(session.repo, session.api, session.state, settings)
                applied = False
            else:
                plan, _ = apply(session.repo, session.api, session.state, settings,
                                save=lambda state: _save(session.state_path, state), on_write=_progress)
                applied = not plan.blocked
    finally:
        session.api.close()
    counters = session.api.counters
    extra = {"applied": applied, "requests": counters.requests, "writes": counters.writes}
    if output_format == "json":
        echo(render.to_json(plan, session.repo, extra))
    elif output_format == "markdown":
        echo(render.to_markdown(plan, session.repo, applied))
    else:
        echo(render.to_text(plan, session.repo, unchanged=show_all, applied=applied))
        click.echo(f"opsrepo: {counters.requests} requests to PagerDuty, {counters.writes} writes", err=True)
    if plan.blocked:
        message = "the plan is blocked: apply would write nothing" if mode == "plan" else \
            "nothing was written: the plan lists what to fix"
        raise OpsrepoError(message, "fix what the plan lists (people without a PagerDuty user, name clashes, "
                                    "adoptions)")


def _check(session: Session, settings: Settings, output_format: str, issue: bool) -> None:
    """Print the drift (and keep the drift issue); exit 1 when PagerDuty differs from the repo."""
    from opsrepo.apply import render
    from opsrepo.apply.check import drift_markdown, drift_text
    from opsrepo.apply.flows import check

    found = check(session.repo, session.api, session.state, settings)
    markdown = drift_markdown(found, session.repo)
    if issue:
        _publish_drift(session.repo, markdown, found.drifted)
    if output_format == "json":
        extra = {"drifted": found.drifted, "differences": found.lines()}
        echo(render.to_json(found.plan, session.repo, extra))
    else:
        echo(markdown if output_format == "markdown" else drift_text(found, session.repo))
    if found.drifted:
        raise SystemExit(1)


def _horizon(option: str | None, repo: Repo) -> timedelta:
    from opsrepo.cli.actions import _duration

    return _duration("--horizon", option) if option else repo.org.apply_horizon


def _save(path: Path, state: State) -> None:
    from opsrepo.apply.state import write_state

    write_state(path, state)


def _progress(text: str) -> None:
    click.echo(f"opsrepo: {text}", err=True)


def _publish_drift(repo: Repo, markdown: str, drifted: bool) -> None:
    from opsrepo import github
    from opsrepo.cli.actions import github_api, github_token, notify, token_guard
    from opsrepo.github.drift_issue import sync_drift_issue

    name = repo.org.github_repo or os.environ.get("GITHUB_REPOSITORY")
    if not name:
        raise OpsrepoError("no GitHub repository for the drift issue", "set github.repo in opsrepo.yaml")
    token = github_token(f"can open and close issues of {name}", "permissions: issues: write")
    with token_guard(token):
        tracker = github.connect(name, token, github_api(None, repo.org), notify=notify)
        outcome = sync_drift_issue(tracker, markdown, drifted)
    click.echo(
        f"opsrepo: drift issue {outcome.action}" + (f": {outcome.url}" if outcome.url else ""), err=True
    )
