"""Text and JSON for ``opsrepo actions``: the sync plan, the status and the reminders."""

from __future__ import annotations

import json
from typing import Any

from opsrepo.actions.flows import Overdue, StatusResult, SyncResult
from opsrepo.actions.model import Notice, Step
from opsrepo.actions.tracker import Counters

ACTIONS = ("create", "update", "unchanged", "closed", "removed", "duplicate", "attention")
VERBS = {"create": "to create", "update": "to update", "unchanged": "unchanged",
         "closed": "closed (left alone)", "removed": "removed from their post-mortem",
         "duplicate": "duplicates to close", "attention": "need attention"}
DONE = {"create": "created", "update": "updated", "removed": "marked removed",
        "duplicate": "duplicates closed"}
#: actions listed one line per item (the others are only counted)
LISTED = ("create", "update", "removed", "duplicate", "attention")


def sync_text(result: SyncResult, counters: Counters) -> str:
    """The plan (dry run) or what the run did, one line per change."""
    plan, outcome = result.plan, result.outcome
    counts = ", ".join(f"{plan.count(a)} {_verb(a, result.dry_run)}" for a in ACTIONS if plan.count(a))
    head = "Plan for" if result.dry_run else "Synced"
    lines = [f"{head} {plan.repo} (label {plan.label}): {counts or 'no action items'}"]
    lines += [_step_line(step) for step in plan.steps if step.action in LISTED]
    made, fixed = ("to create", "to fix") if result.dry_run else ("created", "fixed")
    for what, names in ((f"Labels {made}", outcome.labels_created),
                        (f"Milestones {made}", outcome.milestones_created),
                        (f"Milestone due dates {fixed}", outcome.milestones_fixed)):
        if names:
            lines.append(f"{what}: {', '.join(names)}")
    lines.append(_requests(counters, " (dry run)" if result.dry_run else ""))
    return "\n".join(lines) + "\n"


def _verb(action: str, dry_run: bool) -> str:
    return VERBS[action] if dry_run or action not in DONE else DONE[action]


def _step_line(step: Step) -> str:
    ident = f"{step.key[0]}/{step.key[1]}"
    number = f"#{step.issue.number} " if step.issue is not None else ""
    if step.action == "create" and step.desired is not None:
        owner = step.desired.assignee or "unassigned"
        due = step.desired.due.isoformat()
        return f"  create  {ident}: {step.desired.title} (assignee {owner}, due {due})"
    if step.action == "update":
        return f"  update  {number}{ident}: {', '.join(step.fields.changed())}"
    if step.action == "removed":
        return f"  removed {number}{ident}: comment, then label removed-from-postmortem"
    if step.action == "duplicate":
        return f"  duplicate {number}{ident}: closed as a duplicate of #{step.canonical}"
    return f"  attention {number}{ident}: {step.note}"


def _requests(counters: Counters, note: str = "") -> str:
    waited = f", waited {counters.waited:.0f} s for GitHub's rate limits" if counters.waited >= 1 else ""
    count = counters.writes
    writes = f"{count} write{'' if count == 1 else 's'}" if count else "no writes"
    return f"{counters.requests} requests to GitHub, {writes}{note}{waited}"


def sync_json(result: SyncResult, counters: Counters) -> str:
    """The plan and outcome as one JSON document."""
    plan, outcome = result.plan, result.outcome
    return _dump({
        "repo": plan.repo, "label": plan.label, "dry_run": result.dry_run,
        "summary": {action: plan.count(action) for action in ACTIONS},
        "steps": [_step_dict(step, outcome.issues.get(step.key)) for step in plan.steps],
        "labels_created": outcome.labels_created, "milestones_created": outcome.milestones_created,
        "milestones_fixed": outcome.milestones_fixed,
        "warnings": [notice_dict(n) for n in plan.notices],
        "requests": {"total": counters.requests, "writes": counters.writes},
    })


def _step_dict(step: Step, after: Any) -> dict[str, Any]:
    issue = after if after is not None else step.issue
    return {"action": step.action, "postmortem": step.key[0], "item": step.key[1],
            "issue": issue.number if issue is not None else None,
            "url": issue.url if issue is not None else None,
            "changes": list(step.fields.changed()) if step.action == "update" else [], "note": step.note}


def notice_dict(notice: Notice) -> dict[str, Any]:
    """A warning's JSON shape."""
    key = notice.key or (None, None)
    return {"postmortem": key[0], "item": key[1], "issue": notice.issue, "message": notice.message}


def notice_line(notice: Notice) -> str:
    """A warning for stderr."""
    where = f"{notice.key[0]}/{notice.key[1]}: " if notice.key else ""
    return f"opsrepo: warning: {where}{notice.message}"


def status_text(result: StatusResult, counters: Counters, reminding: bool = False) -> str:
    """Counts and the overdue items, most overdue first."""
    items = result.status.items
    closed = sum(1 for i in items if i.state == "closed")
    lines = [f"{len(items) + len(result.unsynced)} action items in {result.status.repo} on "
             f"{result.today.isoformat()}: {len(items) - closed} open, {closed} closed, "
             f"{len(result.unsynced)} without an issue"]
    if result.overdue:
        lines.append("Overdue, most overdue first:")
        lines += [_overdue_line(o, reminding) for o in result.overdue]
    else:
        lines.append("Nothing is overdue.")
    lines.append(_requests(counters))
    return "\n".join(lines) + "\n"


def _overdue_line(item: Overdue, reminding: bool) -> str:
    spec = item.spec
    issue = f"#{item.issue.number}" if item.issue else "no issue (run 'opsrepo actions sync')"
    who = spec.owner.person + (f" ({spec.owner.login})" if spec.owner.login else "")
    action = f"  [{item.action}]" if reminding and item.action else ""
    days = f"{item.days} day{'' if item.days == 1 else 's'} ago"
    return f"  {spec.key[0]}/{spec.key[1]}  due {spec.due.isoformat()} ({days})  {who}  {issue}{action}"


def status_json(result: StatusResult, counters: Counters) -> str:
    """The status document plus the overdue list."""
    document = result.status.to_dict()
    document["today"] = result.today.isoformat()
    document["overdue"] = [{"postmortem": o.spec.key[0], "item": o.spec.key[1], "due": o.spec.due.isoformat(),
                            "days_overdue": o.days, "owner": o.spec.owner.person,
                            "issue": o.issue.number if o.issue else None,
                            "url": o.issue.url if o.issue else None, "action": o.action or None}
                           for o in result.overdue]
    document["unsynced"] = [{"postmortem": s.key[0], "item": s.key[1]} for s in result.unsynced]
    document["requests"] = {"total": counters.requests, "writes": counters.writes}
    return _dump(document)


def _dump(document: dict[str, Any]) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
