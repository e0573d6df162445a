"""``opsrepo notify handoffs``: tell people whose shift starts soon, on GitHub and (when configured) Slack."""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

import click

from opsrepo.cli.common import echo, now, repo_option, resolve_root, warn_if_broken
from opsrepo.errors import OpsrepoError, UsageError

if TYPE_CHECKING:
    from opsrepo.model import Repo
    from opsrepo.rota.handoffs import Handoff

#: the longest --within: reminders further ahead would be forgotten by the time they matter
MAX_WITHIN = timedelta(days=14)
#: reminders are remembered (and looked for in the issue's comments) this long
MEMORY = timedelta(days=14)
KIND, PARTS = "handoffs", ("github", "slack")


@click.group("notify")
def command() -> None:
    """Notifications: reminders of upcoming on-call handoffs."""


@command.command("handoffs")
@repo_option
@click.option("--within", default="24h", show_default=True, metavar="DURATION",
              help="Remind of handoffs starting within this long from now.")
@click.option("--dry-run", is_flag=True, help="Print the reminder; post nothing (no token needed).")
@click.option("--no-slack", is_flag=True, help="Only comment on GitHub, even when slack.handoffs is set.")
@click.option("--repo-name", default=None, metavar="OWNER/NAME",
              help="The GitHub repository of the handoff issue (default: github.repo in opsrepo.yaml, else "
                   "$GITHUB_REPOSITORY).")
@click.option("--base-url", default=None, metavar="URL", help="The GitHub API root.")
@click.option("--slack-base-url", default=None, metavar="URL", help="The Slack Web API root.")
@click.option("--state", "state_file", default=None, type=click.Path(dir_okay=False, path_type=Path),
              help="The state file (default: status/handoffs.json in the repo).")
def handoffs(repo: Path | None, within: str, dry_run: bool, no_slack: bool, repo_name: str | None,
             base_url: str | None, slack_base_url: str | None, state_file: Path | None) -> None:
    """Comment on the pinned "On-call handoffs" issue, @mentioning whoever takes the pager soon.

    GitHub emails the people mentioned. With slack.handoffs.channel set in
    opsrepo.yaml the reminder is also posted there. Nobody is reminded twice of
    one shift: the comments carry a hidden marker per shift and the state file
    (status/handoffs.json) remembers what was sent where. Tokens come from
    $GITHUB_TOKEN and $SLACK_BOT_TOKEN.
    """
    from opsrepo.load.repo import load_repo
    from opsrepo.rota.handoffs import github_comment, upcoming
    from opsrepo.rota.state import read_state

    span = _within(within)
    root = resolve_root(repo)
    loaded = load_repo(root, kinds=("team", "schedule"))
    warn_if_broken(loaded.diagnostics, "left out")
    at = now()
    found = upcoming(loaded.repo, at, span)
    path = state_file or root / "status" / "handoffs.json"
    state = _forget(read_state(path, KIND, PARTS), at)
    echo(f"{len(found)} handoff{'s' if len(found) != 1 else ''} within {within}\n")
    if dry_run:
        fresh = [h for h in found if h.key not in state["github"]]
        if fresh:
            echo("\n" + github_comment(loaded.repo, fresh, at, span))
        return
    failures = []
    for channel, send in (("github", _github), ("slack", _slack)):
        if channel == "slack" and (no_slack or loaded.repo.org.slack.handoff_channel is None):
            continue
        try:
            send(loaded.repo, root, found, state, path, at, span,
                 base_url if channel == "github" else slack_base_url, repo_name)
        except OpsrepoError as exc:
            failures.append(exc)
            hint = f"\n  hint: {exc.hint}" if exc.hint else ""
            click.echo(f"opsrepo: error: {channel}: {exc.message}{hint}", err=True)
    if failures:
        raise OpsrepoError(f"{len(failures)} of the reminders could not be sent (above)",
                           "run again: what was sent is remembered and not sent twice")


def _within(text: str) -> timedelta:
    from opsrepo.timeutil import parse_duration

    try:
        span = parse_duration(text)
    except ValueError as exc:
        raise UsageError(f"--within: {exc}") from None
    if not timedelta(0) < span <= MAX_WITHIN:
        raise UsageError(f"--within {text} is out of range", "give a duration from 1m to 14d, e.g. 24h")
    return span


def _forget(state: dict[str, dict[str, str]], at: datetime) -> dict[str, dict[str, str]]:
    """Drop reminders of shifts that started long ago (the value is the shift's start)."""
    horizon = (at - MEMORY).isoformat()
    return {part: {k: v for k, v in entries.items() if str(v) >= horizon} for part, entries in state.items()}


def _save(path: Path, state: dict[str, dict[str, str]]) -> None:
    from opsrepo.rota.state import write_state

    write_state(path, KIND, state)


Sender = Callable[..., None]


def _github(repo: Repo, root: Path, found: list[Handoff], state: dict[str, dict[str, str]], path: Path,
            at: datetime, span: timedelta, base_url: str | None, repo_name: str | None) -> None:
    from opsrepo import github
    from opsrepo.cli.actions import github_api, github_token, notify, token_guard
    from opsrepo.github.handoff_issue import announced, comment, handoff_issue
    from opsrepo.rota.handoffs import github_comments

    fresh = [h for h in found if h.key not in state["github"]]
    if not fresh:
        echo("github: nothing new to announce\n")
        return
    name = repo_name or repo.org.github_repo or os.environ.get("GITHUB_REPOSITORY")
    if not name:
        raise UsageError("no GitHub repository for the handoff issue",
                         "set github.repo in opsrepo.yaml, or pass --repo-name owner/name")
    token = github_token(f"can write issues of {name}", "permissions: issues: write")
    with token_guard(token):
        tracker = github.connect(name, token, github_api(base_url, repo.org), notify=notify)
        issue = handoff_issue(tracker)
        if issue.warning:
            click.echo(f"opsrepo: warning: {issue.warning}", err=True)
        since = at - MEMORY
        done = announced(tracker, issue.number, since)
        new = [h for h in fresh if h.key not in done]
        url, starts = None, {h.key: h.start.isoformat() for h in new}
        for text, keys in github_comments(repo, new, at, span):
            url = url or comment(tracker, issue.number, text, since, keys)
            state["github"].update({key: starts[key] for key in keys})
            _save(path, state)
    for handoff in fresh:
        state["github"][handoff.key] = handoff.start.isoformat()
    _save(path, state)
    opened = f"opened {name}#{issue.number} and " if issue.opened else ""
    if new:
        plural = "s" if len(new) != 1 else ""
        echo(f"github: {opened}announced {len(new)} handoff{plural} on {name}#{issue.number}"
             + (f": {url}" if url else "") + "\n")
    else:
        echo(f"github: {opened}already announced on {name}#{issue.number}\n")


def _slack(repo: Repo, root: Path, found: list[Handoff], state: dict[str, dict[str, str]], path: Path,
           at: datetime, span: timedelta, base_url: str | None, repo_name: str | None) -> None:
    from opsrepo.rota.handoffs import slack_messages
    from opsrepo.rota.state import read_state, write_state
    from opsrepo.slack.client import connect
    from opsrepo.slack.sync import SyncState, find_user

    fresh = [h for h in found if h.key not in state["slack"]]
    if not fresh:
        echo("slack: nothing new to announce\n")
        return
    token = os.environ.get("SLACK_BOT_TOKEN", "").strip()
    if not token:
        raise OpsrepoError("SLACK_BOT_TOKEN is not set, so slack.handoffs gets no reminders",
                           "export SLACK_BOT_TOKEN, or pass --no-slack")
    channel = repo.org.slack.handoff_channel
    assert channel is not None
    client = connect(token, base_url)
    users_file = root / "status" / "slack.json"
    saved = read_state(users_file, "slack", ("users", "topics"))
    cache = SyncState(saved["users"], saved["topics"])

    def keep(current: SyncState) -> None:
        write_state(users_file, "slack", {"users": current.users, "topics": current.topics})

    users = {}
    for handoff in fresh:
        email = repo.people[handoff.person].email if handoff.person in repo.people else None
        found_user = find_user(client, cache, email, keep) if email else None
        if found_user:
            users[handoff.person] = found_user
    starts = {h.key: h.start.isoformat() for h in fresh}
    try:
        for text, keys in slack_messages(repo, fresh, users):
            client.call("chat.postMessage", channel=channel, text=text)
            state["slack"].update({key: starts[key] for key in keys})
            _save(path, state)  # a message posted is remembered at once: a later failure never repeats it
    except OpsrepoError as exc:
        exc.message = exc.message.replace(token, "***")
        raise
    echo(f"slack: announced {len(fresh)} handoff{'s' if len(fresh) != 1 else ''} in {channel}\n")
