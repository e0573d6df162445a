"""Generate a large, valid ops repo for benchmarks.

    python benchmarks/genorg.py OUTDIR --schedules 3000 --runbooks 2000 [--profile realistic] [--horizon 90]

The default profile: teams of 8 people across three zones; each schedule has
three layers (a weekly base, a business-hours daytime layer and a weekend
layer), two overrides, and its members take time off; policies, services with
alerts, runbooks of about 4 KB in a realistic vocabulary (prose, service
identifiers, hostnames, metric names, commands: benchmarks/runbooktext.py) and
post-mortems complete the org. The ``realistic`` profile
(benchmarks/realistic.py) varies every shape instead. Deterministic for a given
set of arguments.
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from realistic import generate_realistic
from runbooktext import runbook_body

PROFILES = ("default", "realistic")

ZONES = (("Europe/Berlin", "DE"), ("America/New_York", "US"), ("Australia/Sydney", "AU"))
TEAM_SIZE = 8
SCHEDULES_PER_TEAM = 4


def team_yaml(team: int, schedules: int, runbooks: int) -> str:
    zone, country = ZONES[team % len(ZONES)]
    lines = [f"id: team-{team}", f"name: Team {team}", "people:"]
    for person in range(TEAM_SIZE):
        pid = f"p{team}-{person}"
        lines += [
            f"  - id: {pid}", f"    name: Person {team}.{person}", f"    email: {pid}@example.com",
            f"    github: user-{team}-{person}", f"    timezone: {zone}", f'    country: "{country}"',
        ]
        if person % 4 == 1:
            first, last = 10 + person, 14 + person
            lines += ["    time_off:", f"      - {{from: 2026-12-{first:02d}, to: 2026-12-{last:02d}}}"]
    members = ", ".join(f"p{team}-{p}" for p in range(TEAM_SIZE))
    lines += [f"members: [{members}]", "services:"]
    for service in range(2):
        sid = f"svc-{team}-{service}"
        number = team * 2 + service
        runbook = f"team-{team}/rb-{number}" if number < runbooks else None
        lines += [f"  - id: {sid}", f"    name: Service {team}.{service}", f"    tier: {1 + service}",
                  f"    escalation_policy: policy-{team}"]
        if runbook:
            lines += [f"    runbooks: [{runbook}]", "    alerts:",
                      f"      - {{id: {sid}-errors, summary: error rate high, runbook: {runbook}}}"]
    del schedules
    return "\n".join(lines) + "\n"


def schedule_yaml(index: int, team: int) -> str:
    zone, _ = ZONES[team % len(ZONES)]
    people = [f"p{team}-{p}" for p in range(TEAM_SIZE)]
    rng = random.Random(index)
    rng.shuffle(people)
    base, day, weekend = people[:4], people[4:6], people[6:]
    return f"""id: sched-{index}
name: Schedule {index}
team: team-{team}
timezone: {zone}
coverage: 24x7
time_off: skip
layers:
  - name: base
    members: [{", ".join(base)}]
    start: "2026-01-05T09:00"
    length: 1w
  - name: daytime
    members: [{", ".join(day)}]
    start: "2026-01-05T09:00"
    length: 1d
    restrictions:
      - {{days: [mon, tue, wed, thu, fri], from: "09:00", to: "17:00"}}
  - name: weekend
    members: [{", ".join(weekend)}]
    start: "2026-01-03T08:00"
    length: 1w
    restrictions:
      - {{days: [sat, sun], from: "08:00", to: "20:00"}}
overrides:
  - {{person: {base[1]}, from: "2026-12-24T09:00", to: "2026-12-27T09:00", reason: swap}}
  - {{person: {base[2]}, from: "2027-01-02T09:00", to: "2027-01-03T09:00"}}
"""


def policy_yaml(team: int, schedules: list[int]) -> str:
    first = f"schedule:sched-{schedules[0]}" if schedules else f"team:team-{team}"
    second = f"schedule:sched-{schedules[1]}" if len(schedules) > 1 else f"person:p{team}-0"
    return f"""id: policy-{team}
name: Policy {team}
levels:
  - {{targets: [{first}], escalate_after: 5m}}
  - {{targets: [{second}], escalate_after: 10m}}
  - {{targets: [team:team-{team}], escalate_after: 15m}}
repeat: 1
"""


def runbook_md(index: int, team: int, rng: random.Random) -> str:
    """A runbook of about 4 KB in realistic words: prose, hosts, metrics, commands (runbooktext.py)."""
    return (f"---\ntitle: Runbook {index} for team {team}\nteam: team-{team}\n"
            f"services: [svc-{team}-0]\ntags: [generated]\n---\n{runbook_body(index, team, rng)}")


SEVERITY = """levels:
  - {id: SEV1, name: Critical, pages: true, acknowledge_within: 5m, resolve_within: 4h,
     postmortem: {required: true, within: 7d}}
  - {id: SEV2, name: Major, pages: true, acknowledge_within: 15m, resolve_within: 8h,
     postmortem: {required: true, within: 14d}}
  - {id: SEV3, name: Minor, pages: false, acknowledge_within: 1h, resolve_within: 3d}
"""


def generate(out: Path, schedules: int, runbooks: int, profile: str = "default",
             horizon_days: int | None = None) -> None:
    """Write the org into ``out`` (``horizon_days``: ``validation.horizon``, else opsrepo's default)."""
    if profile == "realistic":
        if runbooks:
            raise ValueError("the realistic profile has no runbooks yet")
        generate_realistic(out, schedules, horizon_days or 90)
        (out / "policies/severity.yaml").write_text(SEVERITY, encoding="utf-8")
        return
    teams = max(1, -(-schedules // SCHEDULES_PER_TEAM))
    for folder in ("teams", "schedules", "policies/escalation", "runbooks", "postmortems"):
        (out / folder).mkdir(parents=True, exist_ok=True)
    org = "name: Generated\ntimezone: Europe/Berlin\nsite: {title: Generated on-call}\n"
    if horizon_days:
        org += f"validation: {{horizon: {horizon_days}d}}\n"
    (out / "opsrepo.yaml").write_text(org, encoding="utf-8")
    (out / "policies/severity.yaml").write_text(SEVERITY, encoding="utf-8")
    by_team: dict[int, list[int]] = {}
    for index in range(schedules):
        team = index // SCHEDULES_PER_TEAM
        by_team.setdefault(team, []).append(index)
        (out / f"schedules/sched-{index}.yaml").write_text(schedule_yaml(index, team), encoding="utf-8")
    for team in range(teams):
        (out / f"teams/team-{team}.yaml").write_text(team_yaml(team, schedules, runbooks), encoding="utf-8")
        (out / f"policies/escalation/policy-{team}.yaml").write_text(
            policy_yaml(team, by_team.get(team, [])), encoding="utf-8")
    rng = random.Random(42)
    for index in range(runbooks):
        team = (index // 2) % teams
        team_runbooks = out / "runbooks" / f"team-{team}"
        team_runbooks.mkdir(exist_ok=True)
        (team_runbooks / f"rb-{index}.md").write_text(runbook_md(index, team, rng), encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--schedules", type=int, default=300)
    parser.add_argument("--runbooks", type=int, default=0)
    parser.add_argument("--profile", choices=PROFILES, default="default")
    parser.add_argument("--horizon", type=int, help="validation.horizon in days (default: opsrepo's)")
    args = parser.parse_args()
    generate(args.out, args.schedules, args.runbooks, args.profile, args.horizon)
    print(f"generated {args.schedules} schedules ({args.profile}), {args.runbooks} runbooks in {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
