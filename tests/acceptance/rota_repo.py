"""A small ops repo for the swap and cover tests: one team, a weekly rotation, a second schedule, time off."""

from __future__ import annotations

from pathlib import Path

ORG = """name: Test
timezone: Europe/Berlin
github: {repo: kestrel-eng/ops}
site: {title: Test on-call, branch: main}
oncall:
  limits: {max_hours_28d: 360, max_turns_28d: 10, min_rest: 12h}
  fairness: {nights: 20, weekends: 6}
"""
TEAM = """id: core
name: Core
people:
  - {id: ana, name: Ana Silva, timezone: Europe/Berlin, country: DE, github: ana-silva}
  - {id: ben, name: Ben Okafor, timezone: Europe/Berlin, country: DE, github: ben-okafor}
  - {id: cleo, name: Cleo Park, timezone: Europe/Berlin, country: DE}
  - id: dan
    name: Dan Wu
    timezone: Europe/Berlin
    country: DE
    github: dan-wu
    time_off:
      - {from: 2026-12-07, to: 2026-12-13, reason: vacation}
  - {id: eve, name: Eve Adams, timezone: Europe/Berlin, country: DE, github: eve-adams}
members: [ana, ben, cleo, dan, eve]
services:
  - {id: api, name: API, tier: 2, escalation_policy: core}
"""
PRIMARY = """# yaml-language-server: $schema=../schemas/schedule.schema.json
id: core-primary
name: Core primary
team: core
timezone: Europe/Berlin
coverage: 24x7
layers:
  # weekly, handoff Monday 09:00
  - name: weekly
    members: [ana, ben, cleo]
    start: "2026-11-02T09:00"
    length: 1w
overrides:
  - {person: cleo, from: "2026-11-28T09:00", to: "2026-11-29T09:00", reason: trade}   # a Saturday
"""
SECONDARY = """id: core-secondary
name: Core secondary
team: core
timezone: Europe/Berlin
coverage: 24x7
layers:
  - name: weekly
    members: [dan, eve]
    start: "2026-11-02T09:00"
    length: 1w
"""
POLICY = "id: core\nlevels:\n  - {targets: [schedule:core-primary], escalate_after: 5m}\n"
SEVERITY = """levels:
  - {id: SEV1, name: Critical, pages: true, acknowledge_within: 5m, resolve_within: 4h}
"""
FILES = {"opsrepo.yaml": ORG, "teams/core.yaml": TEAM, "schedules/core-primary.yaml": PRIMARY,
         "schedules/core-secondary.yaml": SECONDARY, "policies/escalation/core.yaml": POLICY,
         "policies/severity.yaml": SEVERITY}


def write_rota_repo(root: Path) -> Path:
    """The repo at ``root``."""
    for relative, text in FILES.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root
