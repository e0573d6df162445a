"""The three operations of ``opsrepo actions``: sync, status and remind.

Each takes the loaded repo, a tracker and the instant (the edge reads the
clock), and returns data for a renderer; none prints or reads files.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta

from opsrepo.actions.desired import Links, item_specs
from opsrepo.actions.execute import Executor, Outcome
from opsrepo.actions.model import ItemSpec, Key, ObservedIssue, Step
from opsrepo.actions.plan import Plan, PlanContext, group_by_key, logins_to_check, make_plan
from opsrepo.actions.status import ActionStatus, ItemState
from opsrepo.actions.tracker import Tracker
from opsrepo.errors import OpsrepoError
from opsrepo.model import Repo
from opsrepo.timeutil import get_zone


@dataclass(frozen=True)
class SyncResult:
    """The plan, what was done, and the status to write."""

    plan: Plan
    outcome: Outcome
    status: ActionStatus
    dry_run: bool


def sync(repo: Repo, tracker: Tracker, now: datetime, previous: ActionStatus | None = None,
         dry_run: bool = False, on_step: Callable[[Step], None] = lambda step: None) -> SyncResult:
    """Bring the tracker's issues in line with every action item of ``repo``."""
    refuse_broken(repo)
    links = Links.of(repo)
    specs, notices = item_specs(repo, links)
    label = repo.org.actions_label
    observed = look_further(tracker, label, observe(tracker, label, previous), specs)
    checks = logins_to_check(specs, group_by_key(observed))
    assignable = {login: tracker.is_assignable(login) for login in sorted(checks)}
    context = PlanContext(
        repo=tracker.repo, label=label, notices=tuple(notices),
        broken=frozenset(ident for kind, ident in repo.broken if kind == "postmortem"),
        sources={pm.id: (pm.path, links.source(pm.path)) for pm in repo.postmortems.values()},
    )
    plan = make_plan(specs, observed, assignable, context)
    outcome = Executor(plan, tracker, observed, dry_run=dry_run, on_step=on_step).run()
    return SyncResult(plan, outcome, build_status(specs, outcome.issues, now, tracker.repo), dry_run)


def refuse_broken(repo: Repo) -> None:
    """Stop when a file that decides owners or the settings failed to load.

    Synced from a half-loaded repo, every item of a broken team would lose its
    assignee; one broken post-mortem only holds back its own issues.
    """
    kinds = sorted({kind for kind, _ in repo.broken if kind in ("org", "team", "person")})
    if kinds or ("postmortem", "*") in repo.broken:
        what = ", ".join(kinds) if kinds else "post-mortem"
        raise OpsrepoError(f"the ops repo does not load cleanly ({what} files have errors)",
                           "run 'opsrepo validate' and fix the errors, then sync again")


def observe(tracker: Tracker, label: str, previous: ActionStatus | None) -> list[ObservedIssue]:
    """The sync's issues: one listing by label, plus any the status file knows that lost the label.

    The status file is the sync's own record of which issue is which item's,
    so an issue it names keeps its item even when someone rewrote its
    description and the marker went with it (the next update puts it back).
    """
    issues = tracker.list_issues(label)
    if previous is None or previous.repo.casefold() != tracker.repo.casefold():
        return issues
    keys = {issue.key for issue in issues if issue.key}
    by_number = {issue.number: index for index, issue in enumerate(issues)}
    for entry in previous.items:
        if entry.key in keys:
            continue
        known = by_number.get(entry.issue)
        found = issues[known] if known is not None else tracker.get_issue(entry.issue)
        if found is None or found.key not in (None, entry.key):
            continue
        if known is not None:
            issues[known] = replace(found, key=entry.key)
        else:
            issues.append(replace(found, key=entry.key))
    return issues


def look_further(tracker: Tracker, label: str, observed: list[ObservedIssue],
                 specs: list[ItemSpec]) -> list[ObservedIssue]:
    """Before creating any issue, look for it beyond the sync's label; the issues, with any found.

    An issue whose label a person removed, or that carries the label the org
    used before changing ``actions.label``, is found by its marker among all
    the repository's issues; one whose description was rewritten (marker
    gone) but that still carries the label, by its title when exactly one
    such issue has the title of exactly one missing item. Only runs that
    would create pay for the listing.
    """
    missing = {spec.key for spec in specs} - {issue.key for issue in observed if issue.key}
    if not missing:
        return observed
    numbers = {issue.number for issue in observed}
    found = [issue for issue in tracker.list_issues(None)
             if issue.key in missing and issue.number not in numbers]
    missing -= {issue.key for issue in found}
    return [*_by_title(observed, specs, missing, label), *found]


def _by_title(observed: list[ObservedIssue], specs: list[ItemSpec], missing: set[Key],
              label: str) -> list[ObservedIssue]:
    """``observed`` with each unmarked labelled issue matched to the one missing item of its title."""
    from opsrepo.actions.body import issue_title

    wanted: dict[str, list[Key]] = {}
    for spec in specs:
        if spec.key in missing:
            wanted.setdefault(issue_title(spec.title), []).append(spec.key)
    unmarked: dict[str, list[int]] = {}
    for index, issue in enumerate(observed):
        if issue.key is None and label.casefold() in {name.casefold() for name in issue.labels}:
            unmarked.setdefault(issue.title, []).append(index)
    matched = list(observed)
    for title, indexes in unmarked.items():
        keys = wanted.get(title, [])
        if len(keys) == 1 and len(indexes) == 1:
            matched[indexes[0]] = replace(observed[indexes[0]], key=keys[0])
    return matched


def build_status(specs: Iterable[ItemSpec], issues: dict[Key, ObservedIssue], now: datetime,
                 repo_name: str) -> ActionStatus:
    """The status file's content: every item of the repo that has an issue."""
    items = []
    for spec in specs:
        issue = issues.get(spec.key)
        if issue is None:
            continue
        login = spec.owner.login
        assignee = next((a for a in issue.assignees if login and a.casefold() == login.casefold()),
                        issue.assignees[0] if issue.assignees else None)
        items.append(ItemState(spec.key[0], spec.key[1], issue.number, issue.url, issue.state, assignee,
                               issue.closed_at, spec.due, spec.owner.person))
    return ActionStatus(now, repo_name, tuple(items))


def local_today(repo: Repo, now: datetime) -> date:
    """Today's date in the organisation's timezone."""
    return now.astimezone(get_zone(repo.org.timezone)).date()


@dataclass(frozen=True)
class Overdue:
    """An open item past its due date."""

    spec: ItemSpec
    issue: ObservedIssue | None
    days: int
    #: remind: ``reminded``, ``would remind``, ``reminded recently``; status: ``""``
    action: str = ""


@dataclass(frozen=True)
class StatusResult:
    """The status file's content and every overdue item."""

    status: ActionStatus
    overdue: tuple[Overdue, ...]
    today: date
    #: items that have no issue yet (never synced)
    unsynced: tuple[ItemSpec, ...] = field(default=())


def pull_status(repo: Repo, tracker: Tracker, now: datetime,
                previous: ActionStatus | None = None) -> StatusResult:
    """Each item's issue state, and the overdue items."""
    specs, _ = item_specs(repo, Links.of(repo))
    found = _canonical(observe(tracker, repo.org.actions_label, previous))
    today = local_today(repo, now)
    return StatusResult(build_status(specs, found, now, tracker.repo), tuple(overdue(specs, found, today)),
                        today, tuple(spec for spec in specs if spec.key not in found))


def overdue(specs: Iterable[ItemSpec], issues: dict[Key, ObservedIssue], today: date) -> list[Overdue]:
    """Items past due whose issue is open (or that have no issue), most overdue first."""
    late = [Overdue(spec, issues.get(spec.key), (today - spec.due).days) for spec in specs
            if spec.due < today and (spec.key not in issues or issues[spec.key].state == "open")]
    return sorted(late, key=lambda o: (-o.days, o.spec.key))


def remind(repo: Repo, tracker: Tracker, now: datetime, previous: ActionStatus | None = None,
           every: timedelta | None = None, dry_run: bool = False) -> StatusResult:
    """Comment once on each overdue issue not reminded within ``every`` (default ``actions.remind_every``)."""
    from opsrepo.actions.body import REMINDER_MARK, reminder_comment

    result = pull_status(repo, tracker, now, previous)
    since = now - (every or repo.org.remind_every)
    done = []
    for item in result.overdue:
        if item.issue is None:
            done.append(item)
            continue
        number = item.issue.number
        if tracker.has_comment(number, REMINDER_MARK, since):
            done.append(_with(item, "reminded recently"))
            continue
        if not dry_run:
            assignee = item.issue.assignees[0] if item.issue.assignees else None
            text = reminder_comment(item.spec.due, result.today, assignee, item.spec.pm_path)
            tracker.comment(number, text, REMINDER_MARK)
        done.append(_with(item, "would remind" if dry_run else "reminded"))
    return StatusResult(result.status, tuple(done), result.today, result.unsynced)


def _with(item: Overdue, action: str) -> Overdue:
    return Overdue(item.spec, item.issue, item.days, action)


def _canonical(observed: list[ObservedIssue]) -> dict[Key, ObservedIssue]:
    return {key: issues[0] for key, issues in group_by_key(observed).items()}
