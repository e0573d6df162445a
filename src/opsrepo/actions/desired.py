"""What the repo wants on GitHub: one issue per action item.

``item_specs`` reads the repo once; ``desired_issue`` renders one item given
whether GitHub can assign its owner (learned at the edge, passed in).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from opsrepo.actions import labels
from opsrepo.actions.body import escape, issue_body, issue_title
from opsrepo.actions.model import DesiredIssue, ItemSpec, Key, Notice, Owner, milestone_title
from opsrepo.model import ActionItem, Postmortem, Repo


@dataclass(frozen=True)
class Links:
    """Where post-mortems are published: the site and the repo's web view."""

    site_base_url: str | None
    repo_url: str | None
    branch: str = "main"

    @classmethod
    def of(cls, repo: Repo) -> Links:
        """The links of ``repo``'s ``opsrepo.yaml``."""
        org = repo.org
        return cls(org.site_base_url, org.repo_url, org.branch)

    def site(self, pm_id: str) -> str | None:
        """The post-mortem's page on the site."""
        if not self.site_base_url:
            return None
        return f"{self.site_base_url.rstrip('/')}/postmortems/{pm_id}.html"  # the site writes flat pages

    def source(self, path: str) -> str | None:
        """The file on the repo's web view."""
        return f"{self.repo_url.rstrip('/')}/blob/{self.branch}/{path}" if self.repo_url else None


def item_specs(repo: Repo, links: Links) -> tuple[list[ItemSpec], list[Notice]]:
    """Every action item of every post-mortem, in file order; duplicates are reported, not synced."""
    specs: dict[Key, ItemSpec] = {}
    notices: list[Notice] = []
    for pm in sorted(repo.postmortems.values(), key=lambda p: p.id):
        for item in pm.action_items:
            key = (pm.id, item.id)
            if key in specs:
                notices.append(Notice(key, f"{pm.path}: action item id '{item.id}' is used twice; "
                                           "only the first is synced"))
                continue
            specs[key] = _spec(repo, pm, item, links)
    return list(specs.values()), notices


def _spec(repo: Repo, pm: Postmortem, item: ActionItem, links: Links) -> ItemSpec:
    level = repo.severity(pm.severity)
    return ItemSpec(
        key=(pm.id, item.id), title=item.title, owner=_owner(repo, item.owner), due=item.due,
        priority=item.priority, kind=item.kind, pm_title=pm.title, pm_path=pm.path,
        severity=pm.severity, severity_name=level.name if level else None,
        severity_rank=level.rank if level else None,
        services=tuple((s, repo.services[s].title if s in repo.services else s) for s in pm.services),
        started=pm.timeline.started, site_url=links.site(pm.id), source_url=links.source(pm.path),
    )


def _owner(repo: Repo, person_id: str) -> Owner:
    person = repo.people.get(person_id)
    if person is None:
        return Owner(person_id, None, None)
    return Owner(person_id, person.name, person.github, person.src.file if person.src.document else None)


def logins(specs: list[ItemSpec]) -> Iterator[str]:
    """Every GitHub login named as an owner."""
    yield from sorted({spec.owner.login for spec in specs if spec.owner.login})


def desired_issue(spec: ItemSpec, sync_label: str, assignable: bool | None, repo_name: str) -> DesiredIssue:
    """The issue ``spec`` should have; ``assignable`` says whether GitHub accepts the owner's login."""
    owner = spec.owner
    reason = _unassigned_because(owner, assignable, repo_name)
    assignee = owner.login if reason is None else None
    managed = [labels.sync_label(sync_label), labels.priority(spec.priority), labels.kind(spec.kind),
               labels.severity(spec.severity, spec.severity_rank)]
    if assignee is None:
        managed.append(labels.needs_owner())
    return DesiredIssue(
        key=spec.key, title=issue_title(spec.title), body=issue_body(spec, _owner_line(owner, reason)),
        labels=tuple(managed), assignee=assignee, milestone=milestone_title(spec.due), due=spec.due,
        unassigned_because=reason,
    )


def _unassigned_because(owner: Owner, assignable: bool | None, repo_name: str) -> str | None:
    if owner.name is None:
        return f"owner '{owner.person}' is not a person of the ops repo"
    if not owner.login:
        where = owner.file or "their team file"
        return f"{owner.person} has no GitHub login (add 'github:' to them in {where})"
    if assignable is False:
        return f"GitHub cannot assign {owner.login} ({owner.person}) in {repo_name}: they need access to it"
    return None


def _owner_line(owner: Owner, reason: str | None) -> str:
    name = escape(owner.name) if owner.name else f"`{owner.person}`"
    if reason is None:
        return f"{name} (`{owner.login}`)"
    return f"{name}, not assigned: {escape(reason)}"
