"""Running ``opsrepo actions`` against the fake, as a user would."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

from click.testing import CliRunner, Result

from opsrepo.cli.main import cli
from tests.fakegithub.server import FakeGitHub

NOW = "2026-11-23T09:00:00Z"


def actions(fake: FakeGitHub, root: Path, *args: str, now: str = NOW, env: dict[str, str] | None = None) -> Result:
    """``opsrepo actions ARGS --repo ROOT --base-url FAKE`` at ``now`` (GitHub's clock moves on to it too)."""
    fake.clock.t = max(fake.clock.t, datetime.fromisoformat(now.replace("Z", "+00:00")).timestamp())
    command, *rest = args
    return CliRunner().invoke(cli, ["actions", command, "--repo", str(root), "--base-url", fake.url, *rest],
                              env={"OPSREPO_NOW": now, **(env or {})}, catch_exceptions=False)


def status_file(root: Path) -> dict[str, Any]:
    """The status file the last run wrote."""
    document: dict[str, Any] = json.loads((root / "status" / "actions.json").read_text(encoding="utf-8"))
    return document


def by_key(fake: FakeGitHub) -> dict[tuple[str, str], Any]:
    """The fake's issues by the marker in their body."""
    from opsrepo.actions.body import parse_marker

    found: dict[tuple[str, str], Any] = {}
    for issue in fake.repo.issues.values():
        key = parse_marker(issue.body)
        assert key is not None and key not in found, f"issue #{issue.number} is a duplicate or has no marker"
        found[key] = issue
    return found
