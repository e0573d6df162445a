"""``opsrepo apply pagerduty``: reconcile PagerDuty to the repo (plan, apply, drift check)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

import click

from opsrepo.cli.common import echo, repo_option, resolve_root
from opsrepo.errors import OpsrepoError, UsageError

if TYPE_CHECKING:
    from opsrepo.apply.flows import Settings
    from opsrepo.apply.state import State
    from opsrepo.model import Repo
    from opsrepo.pagerduty.rest import RestApi

TOKEN_VARIABLE = "PAGERDUTY_TOKEN"
URL_VARIABLE = "PAGERDUTY_API_URL"


@click.group("apply")
def command() -> None:
    """Keep a vendor in step with the repo (token from the environment)."""


@dataclass(frozen=True)
class Session:
    """The repo, the state file and a connection."""

    root: Path
    repo: Repo
    api: RestApi
    state: State
    state_path: Path
    token: str


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
    settings = Settings(_now(), _horizon(horizon, session.repo), parse_adoptions(adopt, session.repo), verify)
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
        echo(render.to_markdown(plan, session.repo))
    else:
        echo(render.to_text(plan, session.repo, unchanged=show_all))
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


def open_session(repo: Path | None, api_url: str | None, state_file: Path | None, max_wait: str) -> Session:
    """Load the repo and the state, connect to PagerDuty."""
    from opsrepo import pagerduty
    from opsrepo.apply.state import State, read_state, state_path
    from opsrepo.cli.actions import _duration, notify
    from opsrepo.load.repo import load_repo

    wait = _duration("--max-wait", max_wait)
    root = resolve_root(repo)
    loaded = load_repo(root, kinds=("team", "schedule", "escalation"))
    token = os.environ.get(TOKEN_VARIABLE, "").strip()
    if not token:
        raise OpsrepoError(
            f"{TOKEN_VARIABLE} is not set",
            f"export {TOKEN_VARIABLE} with a PagerDuty REST API key (read-only is enough for "
            "--plan and --check)",
        )
    api = pagerduty.connect(
        token, api_url or os.environ.get(URL_VARIABLE) or None, max_wait=wait.total_seconds(), notify=notify
    )
    path = state_file or state_path(root)
    return Session(root, loaded.repo, api, read_state(path) or State(), path, token)


def parse_adoptions(values: tuple[str, ...], repo: Repo) -> dict[tuple[str, str], str]:
    """``schedule:payments-primary=PABC123`` -> ``{("schedule", "payments-primary"): "PABC123"}``."""
    from opsrepo.apply.desired import KIND_NAMES

    found: dict[tuple[str, str], str] = {}
    known = {"schedule": repo.schedules, "escalation_policy": repo.policies, "service": repo.services}
    for value in values:
        head, _, pd_id = value.partition("=")
        kind_name, _, object_id = head.partition(":")
        kind = KIND_NAMES.get(kind_name)
        if kind is None or not object_id or not pd_id.strip():
            raise UsageError(
                f"--adopt {value!r}: write KIND:ID=PAGERDUTY_ID, KIND one of schedule, policy, service"
            )
        if object_id not in known[kind]:
            raise UsageError(f"--adopt {value!r}: the repo has no {kind_name} {object_id!r}")
        found[(kind, object_id)] = pd_id.strip()
    return found


def _horizon(option: str | None, repo: Repo) -> timedelta:
    from opsrepo.cli.actions import _duration

    return _duration("--horizon", option) if option else repo.org.apply_horizon


def _now() -> datetime:
    from opsrepo.cli.common import now

    return now()


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


#: the longest plan a pull-request comment carries (GitHub's comments end at 65,536 characters)
PLAN_LIMIT = 20000


def pagerduty_section(root: Path) -> tuple[str, bool]:
    """The PagerDuty plan for the pull-request comment, and whether it changes anything.

    Empty when opsrepo.yaml does not configure ``apply``; a line saying why
    when there is no token (a pull request from a fork) or PagerDuty fails:
    the comment is never held up by it.
    """
    from opsrepo.load.repo import load_repo

    org = load_repo(root, kinds=()).repo.org
    if org.apply_vendor != "pagerduty":
        return "", False
    head = "\n### PagerDuty\n\n"
    if not os.environ.get(TOKEN_VARIABLE, "").strip():
        return head + (f"_No plan: ${TOKEN_VARIABLE} is not set here (a pull request from a fork gets no "
                       "secrets); the `pagerduty` workflow's job summary has it._\n"), False
    try:
        markdown, changes = _plan_markdown(root)
    except OpsrepoError as exc:
        return head + f"_No plan: {exc.message}._\n", False
    if len(markdown) > PLAN_LIMIT:
        markdown = markdown[:PLAN_LIMIT].rsplit("\n", 1)[0] + (
            "\n\n_\u2026 cut to fit; run `opsrepo apply pagerduty --plan` for the rest._\n")
    return head + markdown, changes


def _plan_markdown(root: Path) -> tuple[str, bool]:
    from opsrepo.apply import render
    from opsrepo.apply.flows import Settings, make_plan
    from opsrepo.cli.actions import token_guard

    session = open_session(root, None, None, "15m")
    try:
        with token_guard(session.token):
            settings = Settings(_now(), session.repo.org.apply_horizon)
            plan = make_plan(session.repo, session.api, session.state, settings)
    finally:
        session.api.close()
    changes = plan.blocked or render.counts(plan)["writes"] > 0
    return render.to_markdown(plan, session.repo), changes
