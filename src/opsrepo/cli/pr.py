"""``opsrepo pr comment``: the sticky preview of what a pull request does to people."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

import click

from opsrepo.cli.common import echo, repo_option, resolve_root
from opsrepo.cli.diff import DiffRequest, horizon_option, parse_horizon, run_diff
from opsrepo.errors import UsageError

if TYPE_CHECKING:
    from opsrepo.github.pr_comment import PullRequest

MESSAGES = {
    "created": "created the preview comment on {pr}",
    "updated": "updated the preview comment on {pr}",
    "unchanged": "the preview comment on {pr} is up to date",
    "skipped": "nothing to preview on {pr}: no comment written",
    "summary": ("the token cannot comment on {pr} (a pull request from a fork?): "
                "the preview is in the job summary"),
}


@click.group("pr")
def command() -> None:
    """Pull-request review: preview a change's effect on people."""


@command.command("comment")
@repo_option
@click.option("--pr", "number", type=int, default=None, metavar="N",
              help="The pull request (default: from the GitHub Actions event).")
@click.option("--repo-name", default=None, metavar="OWNER/NAME",
              help="The GitHub repository (default: $GITHUB_REPOSITORY).")
@click.option("--base", default=None, metavar="REV",
              help="The revision to compare with (default: the event's base commit).")
@click.option("--head", default=None, metavar="REV", help="The new revision (default: the working tree).")
@horizon_option
@click.option("--base-url", default=None, metavar="URL",
              help="The GitHub API root the token is sent to (default: $GITHUB_API_URL, else "
                   "https://api.github.com). Never read from opsrepo.yaml.")
@click.option("--dry-run", is_flag=True, help="Print the comment instead of posting it.")
@click.option("--save", "save", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write the preview to FILE for a job that may comment (needs no token).")
@click.option("--from", "saved", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Post the preview saved in FILE by --save (runs no diff, reads no repo).")
@click.option("--head-sha", default=None, metavar="SHA",
              help="With --from: the commit the preview ran on (workflow_run.head_sha); the pull "
                   "request must be at it.")
def comment(repo: Path | None, number: int | None, repo_name: str | None, base: str | None, head: str | None,
            horizon: str, base_url: str | None, dry_run: bool, save: Path | None, saved: Path | None,
            head_sha: str | None) -> None:
    """Post or update one sticky comment with the diff, mentioning the people whose turns move.

    Compares the pull request's base (its merge base with HEAD) with the
    working tree. When opsrepo.yaml configures `apply`, the comment ends with
    the PagerDuty plan (read with $PAGERDUTY_TOKEN, a read-only key is
    enough). When the token may not comment (a pull request from a fork),
    the preview is written to $GITHUB_STEP_SUMMARY instead. In a workflow,
    the job that runs the pull request's code saves the preview (--save) and
    a workflow_run job with the write token posts it (--from).
    """
    from opsrepo.cli.apply_session import pagerduty_section
    from opsrepo.diff.markdown import DEFAULT_LIMIT, render_markdown
    from opsrepo.github.pr_comment import comment_body

    if saved is not None:
        _post_saved(saved, head_sha, repo_name, base_url)
        return
    root = resolve_root(repo)
    pull = _pull_request(number, repo_name)
    revision = base or (pull.base_sha if pull else None)
    if revision is None:
        raise UsageError("no base revision to compare with", "pass --base REV (e.g. origin/main)")
    head_label = f"pull request #{pull.number}" if pull is not None and head is None else None
    diff = run_diff(DiffRequest(root, revision, head, parse_horizon(horizon), merge_base=True,
                                head_label=head_label))
    plan, plan_changes = pagerduty_section(root)
    # a comment read in many zones: the org's, named in every time (docs/time.md)
    markdown = render_markdown(diff, mention=True, limit=DEFAULT_LIMIT - len(plan), zone=diff.org_zone) + plan
    if dry_run:
        echo(comment_body(markdown))
        return
    if save is not None:
        _save(save, pull, markdown, diff.changed)
        return
    if pull is None:
        raise UsageError("which pull request?", "pass --pr N and --repo-name owner/name, or run in a "
                                                "pull_request workflow")
    _publish(root, pull, markdown, diff.changed or plan_changes, base_url)


def _save(path: Path, pull: PullRequest | None, markdown: str, changed: bool) -> None:
    """The preview job: the preview to a file (and the job summary), for the job that may comment."""
    from opsrepo.github.pr_artifact import SavedPreview, save_preview
    from opsrepo.github.pr_comment import write_summary

    if pull is None or pull.head_sha is None:
        raise UsageError("which pull request?",
                         "run in a pull_request workflow: its event names the pull request and its head")
    save_preview(path, SavedPreview(pull.number, pull.head_sha, markdown, changed))
    summary = os.environ.get("GITHUB_STEP_SUMMARY")
    if summary:
        write_summary(Path(summary), markdown)
    echo(f"saved the preview of {pull.repo}#{pull.number} to {path}\n")


def _post_saved(path: Path, head_sha: str | None, repo_name: str | None, base_url: str | None) -> None:
    """The commenting job: the saved preview, posted once GitHub says the pull request is at ``head_sha``."""
    from opsrepo import github
    from opsrepo.cli.actions import github_token, notify, token_guard
    from opsrepo.github.pr_artifact import check_head, read_preview
    from opsrepo.github.pr_comment import PullRequest, publish

    if head_sha is None:
        raise UsageError("--from needs --head-sha", "pass the workflow_run's head_sha")
    name = repo_name or os.environ.get("GITHUB_REPOSITORY")
    if not name:
        raise UsageError("which repository?", "pass --repo-name owner/name, or run in a workflow")
    preview = read_preview(path)
    pull = PullRequest(github.check_repo_name(name), preview.number)
    token = github_token("may comment on pull requests", "permissions: pull-requests: write")
    api = base_url or os.environ.get("GITHUB_API_URL") or None  # never a file of the pull request
    with token_guard(token):
        tracker = github.connect(pull.repo, token, api, notify=notify)
        check_head(tracker, preview, head_sha)
        outcome = publish(tracker, pull, preview.markdown, changed=preview.changed, summary=None)
    line = MESSAGES[outcome.action].format(pr=f"{pull.repo}#{pull.number}")
    echo(line + (f": {outcome.url}" if outcome.url else "") + "\n")


def _pull_request(number: int | None, repo_name: str | None) -> PullRequest | None:
    from opsrepo.github import check_repo_name
    from opsrepo.github.pr_comment import PullRequest, pull_request_from_event

    event = pull_request_from_event(os.environ.get("GITHUB_EVENT_PATH"), os.environ.get("GITHUB_REPOSITORY"))
    name = repo_name or (event.repo if event else os.environ.get("GITHUB_REPOSITORY"))
    pr = number if number is not None else (event.number if event else None)
    if name is None or pr is None:
        return None
    same = event is not None and event.number == pr and event.repo == name
    return PullRequest(check_repo_name(name), pr, event.base_sha if same and event else None,
                       event.head_sha if same and event else None)


def _publish(root: Path, pull: PullRequest, markdown: str, changed: bool, base_url: str | None) -> None:
    from opsrepo import github
    from opsrepo.cli.actions import github_api, github_token, notify, token_guard
    from opsrepo.github.pr_comment import publish
    from opsrepo.load.repo import load_files

    token = github_token("may comment on pull requests", "permissions: pull-requests: write")
    org = load_files(root, {"opsrepo.yaml": (root / "opsrepo.yaml").read_bytes()}).repo.org
    api = github_api(base_url, org)
    summary = os.environ.get("GITHUB_STEP_SUMMARY")
    with token_guard(token):
        tracker = github.connect(pull.repo, token, api, notify=notify)
        outcome = publish(tracker, pull, markdown, changed=changed,
                          summary=Path(summary) if summary else None)
    line = MESSAGES[outcome.action].format(pr=f"{pull.repo}#{pull.number}")
    echo(line + (f": {outcome.url}" if outcome.url else "") + "\n")
