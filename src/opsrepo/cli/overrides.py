"""What ``opsrepo swap`` and ``opsrepo cover`` share: the options, reading, checking, writing, proposing.

Without ``--pr`` the schedule file in the working tree is edited. With
``--pr`` nothing on disk changes: the files are read at the base revision
(default ``origin/<site.branch>``), the edited file is committed on a new
branch, the branch is pushed and a pull request opened whose body is the
``opsrepo diff`` preview and which asks the other person to review.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from opsrepo.cli.common import echo, input_clock, now, resolve_root, warn_if_broken
from opsrepo.errors import OpsrepoError, Severity, UsageError

if TYPE_CHECKING:
    from opsrepo.git.revisions import Revision
    from opsrepo.load.repo import Loaded
    from opsrepo.model import Repo, Schedule
    from opsrepo.rota.plan import RotaChange

F = Callable[..., Any]


def change_options(function: F) -> F:
    """``--from``, ``--to``, ``--reason``, ``--dry-run`` and the pull-request options."""
    for option in reversed([
        click.option("--from", "start", required=True, metavar="T",
                      help="Start of the window: an ISO 8601 instant, a wall time in the --tz zone, "
                           "'tomorrow 09:00', 'sat 03:00', +7d..."),
        click.option("--to", "end", required=True, metavar="T",
                     help="End of the window (exclusive), written like --from."),
        click.option("--tz", "tz", default=None, metavar="ZONE",
                     help="IANA zone wall times are read in (default: $TZ, else the org's zone)."),
        click.option("--reason", default=None, help="A note added to each override's reason."),
        click.option("--dry-run", is_flag=True, help="Show the overrides and checks; write nothing."),
        click.option("--pr", "pull_request", is_flag=True,
                     help="Commit on a new branch, push it and open a pull request "
                          "(token from $GITHUB_TOKEN)."),
        click.option("--base", default=None, metavar="REV",
                     help="With --pr: the revision to change (default: origin/<site.branch>, "
                          "else the branch)."),
        click.option("--remote", default="origin", show_default=True, help="With --pr: the git remote."),
        click.option("--repo-name", default=None, metavar="OWNER/NAME",
                     help="With --pr: the GitHub repository (default: github.repo in opsrepo.yaml, else "
                          "$GITHUB_REPOSITORY)."),
        click.option("--base-url", default=None, metavar="URL", help="With --pr: the GitHub API root."),
    ]):
        function = option(function)
    return function


@dataclass(frozen=True)
class Options:
    """The options every rota change takes."""

    repo: Path | None
    schedule: str
    start: str
    end: str
    reason: str | None
    dry_run: bool
    pull_request: bool
    base: str | None
    remote: str
    repo_name: str | None
    base_url: str | None
    #: ``--tz``: the zone wall times are read in (else $TZ, else the org's)
    tz: str | None = None


@dataclass
class Source:
    """The files a change starts from: the working tree, or a git revision (with ``--pr``)."""

    root: Path
    files: dict[str, bytes]
    loaded: Loaded
    revision: Revision | None = None


def read_source(options: Options) -> Source:
    """Load the repo from the working tree, or from the base revision with ``--pr``."""
    from opsrepo.load.repo import load_files

    root = resolve_root(options.repo)
    if options.pull_request:
        from opsrepo.git.propose import default_base, files_at

        branch = _org_branch(root)
        found = files_at(root, options.base or default_base(root, branch))
        files, revision = found.files, found.revision
    else:
        files, revision = _working_tree(root), None
    loaded = load_files(root, files)
    warn_if_broken(loaded.diagnostics, "left out")
    return Source(root, files, loaded, revision)


def _org_branch(root: Path) -> str:
    from opsrepo.load.repo import load_files

    return load_files(root, {"opsrepo.yaml": (root / "opsrepo.yaml").read_bytes()}).repo.org.branch


def _working_tree(root: Path) -> dict[str, bytes]:
    from opsrepo.load.files import discover

    files = {}
    for _, path in discover(root):
        if path.is_file() and not path.is_symlink():
            files[path.relative_to(root).as_posix()] = path.read_bytes()
    return files


def window(repo: Repo, options: Options) -> tuple[Schedule, datetime, datetime]:
    """The schedule and ``--from``/``--to`` as instants (a wall time: in --tz, else $TZ, else the org's)."""
    from opsrepo.instants import parse_when
    from opsrepo.rota.plan import check_ids

    schedule = check_ids(repo, options.schedule)
    clock = input_clock(options.tz, repo.org.timezone)
    bounds = [parse_when(options.start, clock, "--from"), parse_when(options.end, clock, "--to")]
    if bounds[0] >= bounds[1]:
        raise UsageError(f"--from {options.start} is not before --to {options.end}", "swap the two")
    if bounds[1] - bounds[0] > timedelta(days=366):
        raise UsageError("the window is longer than a year", "change the rotation instead of overriding it")
    return schedule, bounds[0], bounds[1]


def carry_out(source: Source, change: RotaChange, options: Options) -> None:
    """Edit, check, then write the file or propose the change; refuse (exit 1) what fails the checks."""
    from opsrepo.load.repo import load_files
    from opsrepo.rota import plan
    from opsrepo.rota.edit import EditError, append_overrides

    repo = source.loaded.repo
    schedule = repo.schedules[change.schedule]
    relative = schedule.src.file
    added = plan.entries(change, schedule)
    try:
        text = append_overrides(source.files[relative].decode("utf-8"), added)
    except EditError as exc:
        raise OpsrepoError(f"cannot add overrides to {relative}: {exc}",
                           "fix the file, then try again") from None
    after = load_files(source.root, {**source.files, relative: text.encode("utf-8")})
    _report_plan(change, schedule, added, relative)
    _check(source.loaded, after, change)
    if options.dry_run:
        echo("dry run: nothing written\n")
    elif options.pull_request:
        _propose(source, change, relative, text, after, options)
    else:
        (source.root / relative).write_text(text, encoding="utf-8")
        echo(f"wrote {relative}\n")


def _report_plan(change: RotaChange, schedule: Schedule, added: list[dict[str, str]], relative: str) -> None:
    echo(f"{change.summary} ({schedule.timezone}):\n")
    for entry in added:
        echo(f"  + {entry['person']:<12} {entry['from']} to {entry['to']}  ({entry['reason']})\n")


def _check(before: Loaded, after: Loaded, change: RotaChange) -> None:
    from opsrepo.rota.check import conflicts, new_errors, taken_by
    from opsrepo.rota.plan import RotaError, held

    schedule = after.repo.schedules.get(change.schedule)
    for move in change.handovers:
        got = held(after.repo, schedule, move.taker, *_instants(move.start, move.end)) if schedule else []
        if not _covers(got, move.start, move.end):
            raise RotaError(f"the overrides do not put {move.taker} on call as planned",
                            "report this as a bug")
    zone = before.repo.schedules[change.schedule].timezone
    busy = []
    for person in dict.fromkeys(move.taker for move in change.handovers):
        for conflict in conflicts(before.repo, person, taken_by(change, person), change.schedule):
            if conflict.what == "time off":
                raise RotaError(f"{person} is not free: {conflict.text(zone)}",
                                "ask someone else (opsrepo cover without --by ranks who is free)")
            busy.append(f"{person} is also {conflict.text(zone)}")
    for line in busy:
        click.echo(f"opsrepo: warning: {line}", err=True)
    known = {(d.code, d.file, d.message) for d in before.diagnostics}
    problems = [d for d in after.diagnostics
                if d.severity is Severity.ERROR and (d.code, d.file, d.message) not in known]
    problems += new_errors(before.repo, after.repo, now(), change)
    if problems:
        for d in problems:
            click.echo(f"{d.file}:{d.line}:{d.column}: {d.code} error: {d.message}", err=True)
        several = len(problems) != 1
        raise RotaError(f"the change would make the repo invalid ({len(problems)} new "
                        f"error{'s' if several else ''} above): nothing written",
                        "pick another window or person, or change the limits first")
    echo("checked: free, and validation finds no new errors\n")


def _instants(start: int, end: int) -> tuple[datetime, datetime]:
    from opsrepo.oncall.clock import from_micros

    return from_micros(start), from_micros(end)


def _covers(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    return sum(min(b, end) - max(a, start) for a, b in spans if a < end and b > start) == end - start


def _propose(source: Source, change: RotaChange, relative: str, text: str, after: Loaded,
             options: Options) -> None:
    from opsrepo import github
    from opsrepo.cli.actions import github_api, github_token, notify, token_guard
    from opsrepo.git.propose import branch_name, commit_change, push
    from opsrepo.github import check_repo_name
    from opsrepo.github.pulls import open_pull_request

    assert source.revision is not None
    repo = source.loaded.repo
    name = options.repo_name or repo.org.github_repo or os.environ.get("GITHUB_REPOSITORY")
    if not name:
        raise UsageError("which GitHub repository?", "set github.repo in opsrepo.yaml, or pass --repo-name")
    check_repo_name(name)
    token = github_token(f"can open pull requests in {name}", "permissions: pull-requests: write")
    day = change.start.astimezone(_zone(repo, change)).strftime("%Y-%m-%d")
    branch = branch_name(change.kind, change.schedule, change.person, change.other, day)
    title = f"Rota: {change.summary} from {day}"
    proposal = commit_change(source.root, source.revision, relative, text.encode("utf-8"), branch,
                             f"{title}\n\n{_overrides_text(change, repo)}")
    push(source.root, options.remote, branch)
    echo(f"{'committed' if proposal.created else 'found'} {proposal.sha[:7]} on branch {branch}, pushed to "
         f"{options.remote}\n")
    body = pull_request_body(source.loaded, after, change)
    reviewer = repo.people[change.other].github
    base = _base_branch(source, repo.org.branch)
    with token_guard(token):
        tracker = github.connect(name, token, github_api(options.base_url, repo.org), notify=notify)
        outcome = open_pull_request(tracker, branch, base, title, body, [reviewer] if reviewer else [])
    verb = {"opened": "opened", "found": "found the open"}[outcome.action]
    asked = f", review requested from @{', @'.join(outcome.reviewers)}" if outcome.reviewers else ""
    url = f": {outcome.url}" if outcome.url else ""
    echo(f"{verb} pull request {name}#{outcome.number}{asked}{url}\n")
    if reviewer is None:
        click.echo(f"opsrepo: warning: {change.other} has no github login: no review requested", err=True)
    if outcome.warning:
        click.echo(f"opsrepo: warning: {outcome.warning}", err=True)


def _zone(repo: Repo, change: RotaChange) -> Any:
    from opsrepo.timeutil import get_zone

    return get_zone(repo.schedules[change.schedule].timezone)


def _base_branch(source: Source, branch: str) -> str:
    """The branch the pull request goes into: the base's branch name, without its remote."""
    assert source.revision is not None
    spec = source.revision.spec
    return spec.split("/", 1)[1] if spec.startswith("origin/") else (branch if spec == "HEAD" else spec)


def _overrides_text(change: RotaChange, repo: Repo) -> str:
    from opsrepo.rota.plan import entries

    return "\n".join(f"- {e['person']} {e['from']} to {e['to']}: {e['reason']}"
                     for e in entries(change, repo.schedules[change.schedule]))


def pull_request_body(before: Loaded, after: Loaded, change: RotaChange) -> str:
    """What the change does, then the ``opsrepo diff`` preview of it."""
    from opsrepo.diff import DEFAULT_HORIZON, diff_repos
    from opsrepo.diff.markdown import render_markdown
    from opsrepo.diff.model import Side

    at = min(now(), change.start)
    horizon = max(DEFAULT_HORIZON, change.end - at + timedelta(days=1))
    diff = diff_repos(before.repo, after.repo, at, horizon, base=Side("base"), head=Side("this change"))
    intro = (f"{change.summary}, proposed with `opsrepo {change.kind}`:\n\n"
             f"{_overrides_text(change, before.repo)}\n\n")
    return intro + render_markdown(diff, mention=True, zone=diff.org_zone)  # a PR: the org's zone
