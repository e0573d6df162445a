"""Records for the planning tests, built directly."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from typing import Any

from opsrepo.actions.desired import desired_issue
from opsrepo.actions.model import ItemSpec, Milestone, ObservedIssue, Owner

REPO = "kestrel-eng/ops"
LABEL = "postmortem-action"


def spec(item: str = "canary", pm: str = "2026-10-01-api-outage", **changes: Any) -> ItemSpec:
    base = ItemSpec(
        key=(pm, item), title="Canary every config change", owner=Owner("ben", "Ben Okafor", "ben-okafor"),
        due=date(2026, 12, 1), priority="high", kind="prevent", pm_title="API outage after a bad deploy",
        pm_path=f"postmortems/{pm}.md", severity="SEV2", severity_name="Major", severity_rank=1,
        services=(("api", "Public API"),), started=datetime(2026, 10, 1, 10, 0, tzinfo=UTC),
        site_url=f"https://ops.example/postmortems/{pm}.html",
        source_url=f"https://github.example/kestrel-eng/ops/blob/main/postmortems/{pm}.md",
    )
    return replace(base, **changes)


def observed(item_spec: ItemSpec, number: int = 1, assignable: bool = True, **changes: Any) -> ObservedIssue:
    """The issue a previous sync made for ``item_spec``, then ``changes``."""
    desired = desired_issue(item_spec, LABEL, assignable, REPO)
    issue = ObservedIssue(
        number=number, url=f"https://github.example/{REPO}/issues/{number}", title=desired.title,
        body=desired.body, state="open", labels=desired.label_names,
        assignees=(desired.assignee,) if desired.assignee else (),
        milestone=Milestone(7, desired.milestone, desired.due), closed_at=None, key=item_spec.key,
    )
    return replace(issue, **changes)
