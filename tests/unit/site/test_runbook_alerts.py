"""A runbook page lists the Prometheus alerts whose runbook_url opens it, and those its front matter names."""

from __future__ import annotations

import re
from pathlib import Path

from opsrepo.load.repo import load_repo
from opsrepo.site import build_site
from tests.helpers import MINIMAL, NOW, copy_repo, overlay

RULES = """\
groups:
  - name: api
    rules:
      - alert: Api5xx
        expr: up == 0
        labels: {severity: SEV2}
        annotations: {runbook_url: core/api-errors}
      - alert: Api5xx
        expr: up == 0
        labels: {severity: critical}
        annotations: {runbook_url: "https://ops.example/runbooks/core/api-errors.html#top"}
      - alert: Elsewhere
        expr: up == 0
        labels: {severity: SEV3}
        annotations: {runbook_url: "https://wiki.example/x"}
"""

RUNBOOK = """\
---
title: API errors
team: core
services: [api]
alerts: [api-5xx, ApiSlow]
---
# API errors

Roll back the last deploy.
"""


def test_the_runbook_page_lists_its_alerts_with_their_levels(tmp_path: Path) -> None:
    root = copy_repo(MINIMAL, tmp_path / "repo")
    overlay(root, {
        "opsrepo.yaml": "name: Minimal\ntimezone: Europe/Berlin\n"
                        "site: {title: Minimal on-call, base_url: 'https://ops.example/'}\n"
                        "alerts: {severity_labels: {critical: SEV1}}\n",
        "alerts/api.yaml": RULES, "runbooks/core/api-errors.md": RUNBOOK,
    })
    out = tmp_path / "site"
    build_site(load_repo(root), out, NOW, search=False)
    html = (out / "runbooks" / "core" / "api-errors.html").read_text(encoding="utf-8")
    found = re.search(r"<dt>Alerts</dt>\s*<dd>(.*?)</dd>", html, re.S)
    assert found is not None
    assert found.group(1) == "<code>Api5xx</code> (SEV2, SEV1), <code>ApiSlow</code>"
