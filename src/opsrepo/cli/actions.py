"""``opsrepo actions``: post-mortem action items as GitHub issues (sync, status, remind)."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from opsrepo.cli.common import echo, format_option, kind_of, now, repo_option, resolve_root, say
from opsrepo.errors import OpsrepoError, UsageError

if TYPE_CHECKING:
    from opsrepo.actions.status import ActionStatus
    from opsrepo.actions.tracker import Tracker
    from opsrepo.model import Org, Repo

F = TypeVar("F", bound=Callable[..., Any])
TOKEN_VARIABLE = "GITHUB_TOKEN"


def github_options(function: F) -> F:
    """``--repo``, ``--repo-name``, ``--base-url``, ``--max-wait`` and ``--format``."""
    for option in reversed([
        repo_option,
        click.option("--repo-name", metavar="OWNER/NAME",
                     help="The GitHub repository of the issues (default: github.repo in opsrepo.yaml)."),
        click.option("--base-url", metavar="URL",
                     help="The GitHub API root the token is sent to (default: $GITHUB_API_URL, else "
                          "https://api.github.com; GitHub Enterprise Server: https://HOST/api/v3). Never "
                          "read from opsrepo.yaml."),
        click.option("--max-wait", default="15m", show_default=True, metavar="DURATION",
                     help="The longest single wait for GitHub's rate limits before giving up."),
        format_option("text", "json"),
    ]):
        function = option(function)
    return function


@click.group("actions")
def command() -> None:
    """Post-mortem action items as GitHub issues (token from $GITHUB_TOKEN)."""


@dataclass(frozen=True)
class Session:
    """What every subcommand sets up: the repo, its status file and a tracker."""

    root: Path
    repo: Repo
    tracker: Tracker
    previous: ActionStatus | None
    token: str


@command.command("sync")
@github_options
@click.option("--dry-run", is_flag=True, help="Print the plan (create / update / unchanged / attention); "
              "write nothing to GitHub or to the status file.")
def sync_command(repo: Path | None, repo_name: str | None, base_url: str | None, max_wait: str,
                 output_format: str, dry_run: bool) -> None:
    """Make every action item one GitHub issue and keep it in step; writes status/actions.json."""
    from opsrepo.actions import render
    from opsrepo.actions.flows import sync
    from opsrepo.actions.status import write_status

    session = open_session(repo, repo_name, base_url, max_wait)
    with token_guard(session.token):
        result = sync(session.repo, session.tracker, now(), session.previous, dry_run=dry_run,
                      on_step=_progress(session.tracker))
    for notice in result.plan.notices:
        say(render.notice_line(notice))
    if not dry_run:
        write_status(session.root, result.status)
    counters = session.tracker.counters
    echo(render.sync_json(result, counters) if output_format == "json"
         else render.sync_text(result, counters), kind=kind_of(output_format))


@command.command("status")
@github_options
def status_command(repo: Path | None, repo_name: str | None, base_url: str | None, max_wait: str,
                   output_format: str) -> None:
    """Pull each item's issue state into status/actions.json and list the overdue items (reads only)."""
    from opsrepo.actions import render
    from opsrepo.actions.flows import pull_status
    from opsrepo.actions.status import write_status

    session = open_session(repo, repo_name, base_url, max_wait)
    with token_guard(session.token):
        result = pull_status(session.repo, session.tracker, now(), session.previous)
    write_status(session.root, result.status)
    counters = session.tracker.counters
    echo(render.status_json(result, counters) if output_format == "json"
         else render.status_text(result, counters), kind=kind_of(output_format))


@command.command("remind")
@github_options
@click.option("--every", metavar="DURATION", help="Remind an issue at most this often "
              "(default: actions.remind_every in opsrepo.yaml, 7d).")
@click.option("--dry-run", is_flag=True, help="List the reminders without writing them.")
def remind_command(repo: Path | None, repo_name: str | None, base_url: str | None, max_wait: str,
                   output_format: str, every: str | None, dry_run: bool) -> None:
    """Comment on each overdue item's issue, once per interval."""
    from opsrepo.actions import render
    from opsrepo.actions.flows import remind

    interval = _duration("--every", every) if every else None
    session = open_session(repo, repo_name, base_url, max_wait)
    with token_guard(session.token):
        result = remind(session.repo, session.tracker, now(), session.previous, every=interval,
                        dry_run=dry_run)
    counters = session.tracker.counters
    echo(render.status_json(result, counters) if output_format == "json"
         else render.status_text(result, counters, reminding=True), kind=kind_of(output_format))


def open_session(repo: Path | None, repo_name: str | None, base_url: str | None, max_wait: str) -> Session:
    """Load the repo, read the status file, connect to GitHub."""
    from opsrepo import github
    from opsrepo.actions.status import read_status
    from opsrepo.load.repo import load_repo

    wait = _duration("--max-wait", max_wait)
    root = resolve_root(repo)
    loaded = load_repo(root)
    org = loaded.repo.org
    name = repo_name or org.github_repo
    if not name:
        raise OpsrepoError("no GitHub repository for the action items",
                           "set github.repo in opsrepo.yaml, or pass --repo-name owner/name")
    token = github_token(f"can read and write issues of {name}",
                         "GITHUB_TOKEN: ${{ secrets.GITHUB_TOKEN }} and permissions: issues: write")
    tracker = github.connect(name, token, github_api(base_url, org), max_wait=wait.total_seconds(),
                             notify=notify)
    return Session(root, loaded.repo, tracker, _previous(root, read_status), token)


def github_token(can: str, workflow: str) -> str:
    """``$GITHUB_TOKEN``; when unset, an error whose hint asks for a token that ``can`` do the job.

    ``workflow`` says what a GitHub Actions workflow needs for that.
    """
    token = os.environ.get(TOKEN_VARIABLE, "").strip()
    if not token:
        raise OpsrepoError(f"{TOKEN_VARIABLE} is not set",
                           f"export {TOKEN_VARIABLE} with a token that {can} (in a workflow: {workflow})")
    return token


def github_api(option: str | None, org: Org) -> str | None:
    """The GitHub API root the token is sent to; None means https://api.github.com.

    ``--base-url``, else ``$GITHUB_API_URL`` (set by runners). Never a file of
    the repo: a pull request's own opsrepo.yaml would choose where the
    workflow's token goes. ``github.base_url`` there is only reported, unread.
    """
    if org.github_base_url and not option:
        say("opsrepo: note: github.base_url in opsrepo.yaml is not read (a pull request could change it "
            "and send the token elsewhere)")
        say("  hint: pass --base-url URL, or let the runner set GITHUB_API_URL (GitHub Enterprise does)")
    return option or os.environ.get("GITHUB_API_URL") or None


def notify(line: str) -> None:
    """A line about GitHub (a wait for its rate limits) on stderr."""
    say(f"opsrepo: {line}")


def _previous(root: Path, read: Callable[[Path], ActionStatus | None]) -> ActionStatus | None:
    """The last status file: a hint for finding issues whose label a person removed; unreadable is no hint."""
    try:
        return read(root)
    except OpsrepoError as exc:
        say(f"opsrepo: warning: {exc.message}; it is ignored and will be rewritten")
        return None


def _duration(option: str, text: str) -> timedelta:
    from opsrepo.timeutil import parse_duration

    try:
        return parse_duration(text)
    except ValueError as exc:
        raise UsageError(f"{option}: {exc}") from None


def _progress(tracker: Tracker) -> Callable[[Any], None]:
    """Every 100 issue changes, a line on stderr: first syncs of large orgs take a while."""
    done = [0]

    def step(_: Any) -> None:
        done[0] += 1
        if done[0] % 100 == 0:
            requests = tracker.counters.requests
            say(f"opsrepo: {done[0]} issue changes so far ({requests} requests)")

    return step


@contextmanager
def token_guard(token: str) -> Iterator[None]:
    """Whatever goes wrong, the token never reaches the terminal, not even with --debug."""
    try:
        yield
    except OpsrepoError as exc:
        exc.message = exc.message.replace(token, "***")
        exc.hint = exc.hint.replace(token, "***") if exc.hint else exc.hint
        raise
    except Exception as exc:
        text = f"{type(exc).__name__}: {exc}"
        if token in text:
            raise RuntimeError(text.replace(token, "***")) from None
        raise
