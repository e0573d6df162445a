"""``opsrepo slack sync``: Slack user groups such as @payments-oncall hold whoever is on call now."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

import click

from opsrepo.cli.common import echo, now, repo_option, resolve_root, warn_if_broken
from opsrepo.errors import OpsrepoError

if TYPE_CHECKING:
    from opsrepo.model import Repo
    from opsrepo.rota.slackplan import GroupPlan, TopicPlan

TOKEN_VARIABLE = "SLACK_BOT_TOKEN"


@click.group("slack")
def command() -> None:
    """Slack: user groups and channel topics that follow the on-call schedules."""


@command.command("sync")
@repo_option
@click.option("--dry-run", is_flag=True, help="Print what Slack should show; send nothing (no token needed).")
@click.option("--base-url", default=None, metavar="URL",
              help="The Slack Web API root (default https://slack.com/api/).")
@click.option("--max-wait", default="15m", show_default=True, metavar="DURATION",
              help="The longest time to wait in all for Slack's rate limits before stopping.")
@click.option("--state", "state_file", default=None, type=click.Path(dir_okay=False, path_type=Path),
              help="The state file (default: status/slack.json in the repo).")
def sync(repo: Path | None, dry_run: bool, base_url: str | None, max_wait: str,
         state_file: Path | None) -> None:
    """Set each user group of slack.user_groups to who is on call now, and each topic of slack.topics.

    People are matched by the email in their team file. Groups are only
    changed when their members differ; run it at every handoff (the workflow
    runs it every 15 minutes). The token comes from $SLACK_BOT_TOKEN.
    """
    from opsrepo.cli.actions import _duration
    from opsrepo.load.repo import load_repo
    from opsrepo.rota.slackplan import plan_slack

    root = resolve_root(repo)
    loaded = load_repo(root, kinds=("team", "schedule"))
    warn_if_broken(loaded.diagnostics, "left out")
    config = loaded.repo.org.slack
    if not config.user_groups and not config.topics:
        raise OpsrepoError("opsrepo.yaml names no Slack user groups or topics",
                           "add e.g. slack: {user_groups: [{handle: payments-oncall, schedules: "
                           "[payments-primary]}]}")
    groups, topics = plan_slack(loaded.repo, now())
    if dry_run:
        for group in groups:
            echo(f"@{group.handle}: {', '.join(group.people) or 'nobody'}\n")
        for topic in topics:
            echo(f"topic of {topic.channel}: {topic.text}\n")
        return
    _sync(loaded.repo, groups, topics, base_url, _duration("--max-wait", max_wait).total_seconds(),
          state_file or root / "status" / "slack.json")


def _sync(repo: Repo, groups: list[GroupPlan], topics: list[TopicPlan], base_url: str | None, max_wait: float,
          path: Path) -> None:
    from opsrepo.rota.state import read_state, write_state
    from opsrepo.slack.client import connect
    from opsrepo.slack.sync import SlackSync, SyncState

    token = os.environ.get(TOKEN_VARIABLE, "").strip()
    if not token:
        raise OpsrepoError(f"{TOKEN_VARIABLE} is not set",
                           f"export {TOKEN_VARIABLE} with the Slack app's bot token")
    client = connect(token, base_url, max_wait=max_wait)
    saved = read_state(path, "slack", ("users", "topics"))
    state = SyncState(saved["users"], saved["topics"])

    def save(current: SyncState) -> None:
        write_state(path, "slack", {"users": current.users, "topics": current.topics})

    emails = {pid: person.email for pid, person in repo.people.items()}
    try:
        outcomes = SlackSync(client, emails, state, save).run(groups, topics)
    except OpsrepoError as exc:
        exc.message = exc.message.replace(token, "***")
        raise
    for outcome in outcomes:
        echo(f"{outcome.target}: {outcome.action}" + (f": {outcome.detail}" if outcome.detail else "") + "\n")
    counters = client.counters
    click.echo(f"opsrepo: {counters.requests} Slack request{'s' if counters.requests != 1 else ''}, "
               f"{counters.writes} write{'s' if counters.writes != 1 else ''}"
               + (f", waited {counters.waited:.0f} s for rate limits" if counters.waited else ""), err=True)
    problems = [o for o in outcomes if o.problem]
    if problems:
        raise OpsrepoError(f"{len(problems)} of {len(outcomes)} Slack targets need attention (above)",
                           "fix them in Slack or in opsrepo.yaml; the others are in step")
