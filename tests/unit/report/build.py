"""Small ops repos for report tests, written to a directory and loaded like any other."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import yaml

from opsrepo.load.repo import load_repo
from opsrepo.model import Repo

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)

ORG = {"name": "Test", "timezone": "Europe/Berlin", "site": {"title": "Test on-call"}}
CORE = {
    "id": "core", "name": "Core",
    "people": [
        {"id": "ana", "name": "Ana Silva", "timezone": "Europe/Berlin", "country": "DE"},
        {"id": "ben", "name": "Ben Okafor", "timezone": "Europe/Berlin", "country": "DE"},
        {"id": "cleo", "name": "Cleo Park", "timezone": "Europe/Berlin", "country": "DE"},
    ],
    "members": ["ana", "ben", "cleo"],
    "services": [{"id": "api", "escalation_policy": "core"}, {"id": "db", "escalation_policy": "core"}],
}
EDGE = {
    "id": "edge", "name": "Edge",
    "people": [{"id": "dan", "name": "Dan Reyes", "timezone": "America/New_York", "country": "US"}],
    "members": ["dan"],
    "services": [{"id": "cdn", "escalation_policy": "core"}],
}
SEVERITY = {"levels": [
    {"id": "SEV1", "name": "Critical", "pages": True, "acknowledge_within": "5m", "resolve_within": "4h",
     "postmortem": {"required": True, "within": "7d"}},
    {"id": "SEV2", "name": "Major", "pages": True, "acknowledge_within": "15m", "resolve_within": "1d",
     "postmortem": {"required": True, "within": "14d"}},
    {"id": "SEV3", "name": "Minor", "pages": False, "acknowledge_within": "4h", "resolve_within": "3d",
     "postmortem": {"required": False}},
]}
POLICY = {"id": "core", "levels": [{"targets": ["schedule:core-primary"], "escalate_after": "5m"}]}
SCHEDULE = {
    "id": "core-primary", "name": "Core primary", "team": "core", "timezone": "Europe/Berlin",
    "coverage": "24x7",
    "layers": [{"name": "weekly", "members": ["ana", "ben", "cleo"], "start": "2026-01-05T09:00", "length": "1w"}],
}


def write_repo(root: Path, postmortems: list[dict[str, Any]], runbooks: dict[str, dict[str, Any]] | None = None,
               org: dict[str, Any] | None = None, schedules: list[dict[str, Any]] | None = None) -> Path:
    """An ops repo at ``root`` with two teams, a severity matrix and the given post-mortems and runbooks."""
    _yaml(root / "opsrepo.yaml", {**ORG, **(org or {})})
    _yaml(root / "teams" / "core.yaml", CORE)
    _yaml(root / "teams" / "edge.yaml", EDGE)
    _yaml(root / "policies" / "severity.yaml", SEVERITY)
    _yaml(root / "policies" / "escalation" / "core.yaml", POLICY)
    for schedule in [SCHEDULE, *(schedules or [])]:
        _yaml(root / "schedules" / f"{schedule['id']}.yaml", schedule)
    for pm in postmortems:
        _markdown(root / "postmortems" / f"{pm['id']}.md", pm, "## Summary\n\nWhat happened.\n")
    for runbook_id, front in (runbooks or {}).items():
        _markdown(root / "runbooks" / f"{runbook_id}.md", front, "# Steps\n\nDo this.\n")
    return root


def load(root: Path) -> Repo:
    """The repo at ``root``; fails the test if any file did not load."""
    loaded = load_repo(root)
    assert [d for d in loaded.diagnostics if d.severity.value == "error"] == []
    return loaded.repo


def postmortem(pm_id: str, severity: str, started: str, resolved: str, **fields: Any) -> dict[str, Any]:
    """Front matter of a post-mortem; extra timeline instants as ``detected=...`` and so on."""
    timeline = {"started": started, "resolved": resolved}
    for name in ("detected", "acknowledged", "mitigated"):
        if name in fields:
            timeline[name] = fields.pop(name)
    front: dict[str, Any] = {
        "id": pm_id, "title": f"Incident {pm_id}", "severity": severity, "services": fields.pop("services", ["api"]),
        "status": fields.pop("status", "draft"), "timeline": timeline,
    }
    front.update(fields)
    return front


def status_file(path: Path, items: list[dict[str, Any]], generated_at: str = "2026-11-23T06:00:00Z") -> Path:
    """An ``actions sync`` status file with the given items."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"generated_at": generated_at, "repo": "test/ops", "items": items}), "utf-8")
    return path


def _yaml(path: Path, data: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")


def _markdown(path: Path, front: dict[str, Any], body: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"---\n{yaml.safe_dump(front, sort_keys=False)}---\n{body}", encoding="utf-8")
