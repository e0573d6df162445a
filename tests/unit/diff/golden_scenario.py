"""One change that touches every section of a diff, rendered in every format (golden files).

Regenerate after a deliberate change to the output, and review the diff:

    python -m tests.unit.diff.golden_scenario
"""

from __future__ import annotations

from pathlib import Path

from opsrepo.diff import RepoDiff, Side, diff_repos
from opsrepo.diff.render import render
from tests.unit.diff.repos import NOW, minimal_text, repo

HERE = Path(__file__).parent / "golden"
FILES = {"text": "diff.txt", "markdown": "diff.md", "json": "diff.json", "mention": "comment.md"}

TEAM = minimal_text("teams/core.yaml").replace(
    "members: [ana, ben, cleo]",
    "  - {id: dev, name: \"Dev <Patel> | @dev\", timezone: America/New_York, country: US, github: dev-patel}\n"
    "  - {id: eve, name: Eve Moreau, timezone: Europe/Paris, country: FR}\n"
    "members: [ana, ben, cleo, dev, eve]",
).replace("    escalation_policy: core\n", "    escalation_policy: core\n    severity_policies: {SEV1: urgent}\n")

SCHEDULE = minimal_text("schedules/core-primary.yaml").replace("[ana, ben, cleo]", "[ana, ben, cleo, dev]") + (
    'overrides:\n  - {person: eve, from: "2026-11-25T09:00", to: "2026-11-26T09:00", reason: swap}\n')

WEEKEND = """id: core-weekend
name: Core weekend
team: core
timezone: Europe/Paris
coverage:
  - {days: [sat, sun], from: "09:00", to: "18:00"}
layers:
  - name: weekend-days
    members: [eve, ben]
    start: "2026-12-05T09:00"
    length: 1w
    restrictions:
      - {days: [sat, sun], from: "09:00", to: "18:00"}
"""

URGENT = "id: urgent\nname: Urgent\nlevels:\n  - {targets: [schedule:core-primary, person:ana], escalate_after: 5m}\n" \
         "  - {targets: [team:core], escalate_after: 5m}\nrepeat: 2\n"

PM = "postmortems/2026-10-01-api-outage.md"

RULES = """groups:
  - name: api
    rules:
      - alert: Api5xx
        expr: job:http_errors:rate5m{job="api"} > 0.01
        for: 5m
        labels: {severity: SEV2, service: api}
        annotations: {summary: 5xx above 1%, runbook_url: core/api-errors}
      - alert: ApiLatency
        expr: api:latency:p99 > 1
        labels: {severity: SEV3, service: api}
        annotations: {runbook_url: "https://vendor.example/runbooks/latency"}
      - alert: ApiCertExpiry
        expr: probe_ssl_earliest_cert_expiry - time() < 86400 * 7
        labels: {severity: SEV3}
"""
#: a second threshold of Api5xx that pages at SEV1, a new alert, one removed, one unchanged
RULES_AFTER = RULES.replace("      - alert: ApiLatency\n", """      - alert: Api5xx
        expr: job:http_errors:rate5m{job=~"api|api-canary"} > 0.25
        for: 2m
        labels: {severity: SEV1, service: api}
        annotations: {summary: a quarter of requests fail, runbook_url: "runbooks/core/api-errors.md#roll-back"}
      - alert: ApiDown
        expr: up{job="api"} == 0
        labels: {severity: SEV1, service: api}
        annotations: {runbook_url: core/api-errors}
      - alert: ApiLatency
""").split("      - alert: ApiCertExpiry")[0]


def scenario() -> RepoDiff:
    """The minimal repo before and after a change that touches every section."""
    after = repo({
        "teams/core.yaml": TEAM,
        "schedules/core-primary.yaml": SCHEDULE,
        "schedules/core-weekend.yaml": WEEKEND,
        "policies/escalation/urgent.yaml": URGENT,
        "policies/severity.yaml": minimal_text("policies/severity.yaml").replace(
            "acknowledge_within: 5m", "acknowledge_within: 10m").replace(
            "    pages: false\n", "    pages: false\n    channels: [slack, email]\n"),
        "alerts/core.yaml": RULES_AFTER,
        PM: minimal_text(PM).replace("owner: ben, due: 2026-10-20", "owner: dev, due: 2026-12-15").replace(
            "kind: prevent}\n", "kind: prevent}\n  - {id: alert-5xx, title: \"Alert on 5xx | *any* spike\", "
                                "owner: eve, due: 2026-12-01, priority: medium, kind: detect}\n"),
    })
    before = repo({"alerts/core.yaml": RULES})
    return diff_repos(before, after, NOW, base=Side("main (1a2b3c4)"), head=Side("working tree"))


def outputs() -> dict[str, str]:
    """Every golden file's expected content."""
    diff = scenario()
    rendered = {name: render(diff, name) for name in ("text", "markdown", "json")}
    rendered["mention"] = render(diff, "markdown", mention=True)
    return {FILES[name]: text for name, text in rendered.items()}


def main() -> None:
    HERE.mkdir(exist_ok=True)
    for name, text in outputs().items():
        (HERE / name).write_text(text, encoding="utf-8")
        print(f"wrote {HERE / name}")


if __name__ == "__main__":
    main()
