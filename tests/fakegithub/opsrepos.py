"""Small ops repos for the action-item tests, written into a temporary directory."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

#: people of the test team: (id, name, GitHub login or None)
PEOPLE = [("ana", "Ana Silva", "ana-silva"), ("ben", "Ben Okafor", "ben-okafor"),
          ("cleo", "Cleo Park", None), ("dan", "Dan Wu", "dan-wu")]
#: logins the fake lets the sync assign (dan-wu has no access to the repository)
ASSIGNABLE = {"ana-silva", "ben-okafor", "opsrepo-bot"}

SEVERITY = """levels:
  - {id: SEV1, name: Critical, pages: true, acknowledge_within: 5m, resolve_within: 4h,
     postmortem: {required: true, within: 7d}}
  - {id: SEV2, name: Major, pages: true, acknowledge_within: 15m, resolve_within: 1d,
     postmortem: {required: true, within: 14d}}
  - {id: SEV3, name: Minor, pages: false, acknowledge_within: 4h, resolve_within: 3d}
"""


def item(ident: str, owner: str = "ana", due: str = "2026-12-01", title: str | None = None,
         priority: str = "high", kind: str = "prevent") -> dict[str, Any]:
    """An action item."""
    return {"id": ident, "title": title or f"Do {ident}", "owner": owner, "due": due, "priority": priority,
            "kind": kind}


def postmortem(ident: str, items: list[dict[str, Any]], severity: str = "SEV2", title: str | None = None,
               started: str = "2026-10-01T10:00:00Z") -> dict[str, Any]:
    """A post-mortem's front matter."""
    return {"id": ident, "title": title or f"Incident {ident}", "severity": severity, "services": ["api"],
            "status": "published", "published": "2026-10-05", "lead": "ana", "authors": ["ana"],
            "timeline": {"started": started, "resolved": started.replace("T10:", "T11:")},
            "action_items": items}


def write_ops_repo(root: Path, postmortems: list[dict[str, Any]], site: bool = True) -> Path:
    """An ops repo at ``root`` whose issues go to kestrel-eng/ops."""
    root.mkdir(parents=True, exist_ok=True)
    org: dict[str, Any] = {"name": "Test", "timezone": "Europe/Berlin", "github": {"repo": "kestrel-eng/ops"},
                           "site": {"title": "Test on-call"}}
    if site:
        org["site"].update({"base_url": "https://ops.example/", "repo_url": "https://github.example/kestrel-eng/ops"})
    (root / "opsrepo.yaml").write_text(yaml.safe_dump(org, sort_keys=False), encoding="utf-8")
    people = [{"id": i, "name": n, "timezone": "Europe/Berlin", **({"github": g} if g else {})} for i, n, g in PEOPLE]
    team = {"id": "core", "name": "Core", "people": people,
            "services": [{"id": "api", "name": "Public API", "escalation_policy": "core"}]}
    _write(root / "teams" / "core.yaml", yaml.safe_dump(team, sort_keys=False))
    _write(root / "policies" / "severity.yaml", SEVERITY)
    _write(root / "policies" / "escalation" / "core.yaml", "id: core\nlevels:\n  - {targets: [team:core], "
                                                          "escalate_after: 5m}\n")
    for front in postmortems:
        write_postmortem(root, front)
    return root


def write_postmortem(root: Path, front: dict[str, Any]) -> None:
    """Write (or overwrite) one post-mortem."""
    text = "---\n" + yaml.safe_dump(front, sort_keys=False) + "---\n## Summary\n\nIt broke.\n"
    _write(root / "postmortems" / f"{front['id']}.md", text)


def ten_items(root: Path) -> Path:
    """Two post-mortems with ten items between them, owners of every kind."""
    owners = ["ana", "ben", "ana", "cleo", "ben", "ana", "dan", "ben", "ana", "ben"]
    items = [item(f"item-{n}", owner, f"2026-12-{n + 1:02d}", priority=("high", "low")[n % 2],
                  kind=("prevent", "detect", "mitigate", "process")[n % 4]) for n, owner in enumerate(owners)]
    return write_ops_repo(root, [postmortem("2026-10-01-api-outage", items[:6], "SEV1"),
                                 postmortem("2026-10-20-db-failover", items[6:], "SEV2")])


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
