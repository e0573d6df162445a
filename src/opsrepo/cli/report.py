"""``opsrepo report``: incident and on-call metrics for the weekly or monthly review."""

from __future__ import annotations

import os
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

import click

from opsrepo.cli.common import (
    echo,
    format_option,
    input_clock,
    kind_of,
    now,
    output_zone,
    repo_option,
    resolve_root,
    say,
    tz_option,
    warn_if_broken,
)
from opsrepo.errors import OpsrepoError, UsageError

if TYPE_CHECKING:
    from opsrepo.model import Repo
    from opsrepo.pay import PayPeriod
    from opsrepo.report.oncall_load import ShiftSource


@click.group("report", invoke_without_command=True)
@repo_option
@click.option("--since", metavar="D",
              help="Start of the period: a date (in the org's zone) or a time as --at reads it, e.g. -30d "
                   "(default: 12 calendar months back).")
@click.option("--until", metavar="D",
              help="End of the period: a date (included) or a time as --at reads it (default: now).")
@tz_option
@format_option("text", "md", "json")
@click.option("--status", "status_file", default=None,
              type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="The action-item status file (default: status/actions.json in the repo).")
@click.option("--publish-issue", is_flag=True,
              help="Also write the Markdown report into the pinned 'Weekly reliability review' issue "
                   "(opened the first time; token from $GITHUB_TOKEN).")
@click.option("--repo-name", metavar="OWNER/NAME",
              help="The GitHub repository of the review issue (default: github.repo in opsrepo.yaml, "
                   "else $GITHUB_REPOSITORY).")
@click.pass_context
def command(ctx: click.Context, repo: Path | None, since: str | None, until: str | None, tz: str | None,
            output_format: str, status_file: Path | None, publish_issue: bool, repo_name: str | None) -> None:
    """Incident metrics (MTTD, MTTA, MTTR), repeats, action items, on-call load, stale runbooks.

    The period defaults to the last 12 calendar months up to now. Every figure
    is defined at the end of the report. Text shows times in --tz ($TZ, else
    the org's zone); Markdown and the review issue in --tz, else the org's
    zone. 'opsrepo report pay' prints on-call hours and pay instead.
    """
    if ctx.invoked_subcommand is not None:
        return
    from opsrepo.actions.status import status_path
    from opsrepo.load.repo import load_repo
    from opsrepo.report import ReportRequest, build_report
    from opsrepo.report.render import render
    from opsrepo.report.status import read_snapshot

    root = resolve_root(repo)
    loaded = load_repo(root)
    warn_if_broken(loaded.diagnostics, "left out of the report")
    zone = loaded.repo.org.timezone
    request = ReportRequest(
        now=now(),
        since=_instant("--since", since, zone, tz, end=False),
        until=_instant("--until", until, zone, tz, end=True),
        status=read_snapshot(status_file or status_path(root)), shifts=_shift_source(),
        last_changed=_runbook_changes(root, loaded.repo),
    )
    report = build_report(loaded.repo, request)
    echo(render(report, output_format, output_zone(output_format, tz, zone)), kind=kind_of(output_format))
    if publish_issue:
        _publish(loaded.repo, repo_name, render(report, "md", output_zone("md", tz, zone)))


def _publish(repo: Repo, repo_name: str | None, markdown: str) -> None:
    """Open or update the review issue; one line on stderr says what happened."""
    from opsrepo import github
    from opsrepo.cli.actions import github_api, github_token, notify, token_guard
    from opsrepo.github.review_issue import upsert_review_issue

    name = repo_name or repo.org.github_repo or os.environ.get("GITHUB_REPOSITORY")
    if not name:
        raise OpsrepoError("no GitHub repository for the review issue",
                           "set github.repo in opsrepo.yaml, or pass --repo-name owner/name")
    token = github_token(f"can write issues of {name}", "permissions: issues: write")
    api = github_api(None, repo.org)
    with token_guard(token):
        tracker = github.connect(name, token, api, notify=notify)
        outcome = upsert_review_issue(tracker, markdown)
    verb = {"created": "opened", "updated": "updated", "unchanged": "left unchanged"}[outcome.action]
    where = f": {outcome.url}" if outcome.url else ""
    say(f"opsrepo: {verb} the review issue {name}#{outcome.number}{where}")
    if outcome.warning:
        say(f"opsrepo: warning: {outcome.warning}")


def _instant(option: str, text: str | None, zone_name: str, tz: str | None, end: bool) -> datetime | None:
    """A date means its first instant in the org's zone (for ``--until``, the next day's).

    Other text is read like every command's ``--at`` (:mod:`opsrepo.instants`).
    """
    if text is None:
        return None
    import re

    from opsrepo.instants import parse_when
    from opsrepo.report.period import start_of_day
    from opsrepo.timeutil import get_zone, parse_date

    if re.match(r"\d{4}-\d{2}-\d{2}\Z", text.strip()):
        try:
            day = parse_date(text.strip())
        except ValueError:
            raise UsageError(f"{option} {text!r} is not a date", "write a date such as 2026-11-01") from None
        return start_of_day(day + timedelta(days=1) if end else day, get_zone(zone_name))
    return parse_when(text, input_clock(tz, zone_name), option)


def _shift_source() -> ShiftSource:
    """The schedule engine's final shifts, as segments in microseconds."""
    from opsrepo.oncall import shift_segments

    return shift_segments


def _runbook_changes(root: Path, repo: Repo) -> dict[str, date]:
    """Runbook id -> local date of its last commit, for runbooks without ``reviewed`` (format.md)."""
    from opsrepo.git.history import last_changes
    from opsrepo.timeutil import get_zone

    paths = {runbook.path: runbook.id for runbook in repo.runbooks.values() if runbook.reviewed is None}
    zone = get_zone(repo.org.timezone)
    return {paths[path]: change.when.astimezone(zone).date()
            for path, change in last_changes(root, paths).items() if change.when is not None}



@command.command("pay")
@repo_option
@click.option("--month", metavar="YYYY-MM", help="The calendar month (default: the last complete month).")
@click.option("--from", "first", metavar="DATE",
              help="First day of the period (with --to; instead of --month).")
@click.option("--to", "last", metavar="DATE", help="Last day of the period, included.")
@format_option("text", "csv", "json")
def pay(repo: Path | None, month: str | None, first: str | None, last: str | None,
        output_format: str) -> None:
    """On-call hours per person by weekday, weekday night, weekend and public holiday, priced by pay: rules.

    Each person's days are counted on their own clock; holidays are those of
    their country and subdivision. Time on two schedules at once counts once
    unless a pay rule says 'overlap: each'.
    """
    from opsrepo.load.repo import load_repo
    from opsrepo.pay import pay_report
    from opsrepo.pay.render import NO_RULES, render

    period = _pay_period(month, first, last)
    root = resolve_root(repo)
    loaded = load_repo(root, kinds=("team", "schedule"))
    broken = warn_if_broken(loaded.diagnostics, "left out of the pay report")
    if "opsrepo.yaml" in broken:
        raise OpsrepoError("opsrepo.yaml has errors, so the pay rules may be incomplete: no pay report",
                           "run 'opsrepo validate', fix opsrepo.yaml, then run the report again")
    report = pay_report(loaded.repo, period)
    if report.currency is None and output_format != "text":
        click.echo(f"opsrepo: note: {NO_RULES}", err=True)
    echo(render(report, output_format))


#: the longest period a pay report covers
MAX_PAY_DAYS = 366


def _pay_period(month: str | None, first: str | None, last: str | None) -> PayPeriod:
    from opsrepo.pay import PayPeriod, month_period
    from opsrepo.timeutil import parse_date

    if month is not None and (first or last):
        raise UsageError("--month and --from/--to are exclusive", "pass a month, or the first and last days")
    if month is not None:
        try:
            return month_period(month)
        except ValueError:
            raise UsageError(f"--month {month!r} is not a month",
                             "write it as YYYY-MM, e.g. 2026-11") from None
    if (first is None) != (last is None):
        raise UsageError("--from and --to go together",
                         "pass both days, e.g. --from 2026-01-01 --to 2026-12-31")
    if first is None or last is None:
        return _last_month()
    try:
        days = parse_date(first), parse_date(last)
    except ValueError:
        raise UsageError(f"--from {first!r} / --to {last!r}: not dates",
                         "write dates as YYYY-MM-DD") from None
    if not 0 <= (days[1] - days[0]).days < MAX_PAY_DAYS:
        raise UsageError(f"--from {first} --to {last} is not a period of 1 to {MAX_PAY_DAYS} days",
                         "put --to on or after --from, at most a year later")
    return PayPeriod(*days)


def _last_month() -> PayPeriod:
    from opsrepo.pay import month_period

    today = now().date()
    previous = today.replace(day=1) - timedelta(days=1)
    return month_period(f"{previous.year:04d}-{previous.month:02d}")
