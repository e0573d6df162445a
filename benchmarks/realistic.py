"""The ``realistic`` profile of benchmarks/genorg.py: an org shaped like the ones users run.

Shaped independently of the default profile (which repeats one three-layer
schedule): teams of 4-12 people spread over one to three regions in 14
countries (with holiday subdivisions where they matter), and per team a
primary schedule drawn from the shapes on-call teams use (weekly handoffs on
different weekdays and hours, daily, 12-hour, business hours over a weekly
base, weekend layers, split weeks, two-week turns, a rotation change that
ends one layer where the next starts, follow-the-sun across zones), often a
secondary derived from it, sometimes a business-hours schedule; overrides at
random hours, vacations and part days off, limits set by the org and by some
schedules, fairness bounds on some. Dates are relative to :data:`NOW`, which
the benchmark pins with ``OPSREPO_NOW``. Deterministic for a given size.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

#: the instant the org is generated for (the benchmark runs ``validate`` at it)
NOW = datetime(2026, 12, 7, 9, 0)

#: (zone, country, subdivision) of the places people work from
REGIONS = {
    "americas": (
        ("America/New_York", "US", "NY"),
        ("America/Chicago", "US", "IL"),
        ("America/Los_Angeles", "US", "CA"),
        ("America/Toronto", "CA", "ON"),
        ("America/Sao_Paulo", "BR", None),
    ),
    "emea": (
        ("Europe/London", "GB", "ENG"),
        ("Europe/Dublin", "IE", None),
        ("Europe/Berlin", "DE", "BY"),
        ("Europe/Paris", "FR", None),
        ("Europe/Madrid", "ES", "MD"),
        ("Europe/Warsaw", "PL", None),
        ("Europe/Amsterdam", "NL", None),
    ),
    "apac": (
        ("Asia/Kolkata", "IN", None),
        ("Asia/Tokyo", "JP", None),
        ("Asia/Singapore", "SG", None),
        ("Australia/Sydney", "AU", "NSW"),
    ),
}
AREAS = (
    "payments",
    "checkout",
    "search",
    "identity",
    "ledger",
    "mobile",
    "data",
    "platform",
    "edge",
    "billing",
    "messaging",
    "catalog",
    "fraud",
    "growth",
    "infra",
    "storage",
    "ml",
    "notifications",
    "pricing",
    "api",
)
FIRST = (
    "ana",
    "ben",
    "chen",
    "dara",
    "eli",
    "fatima",
    "gus",
    "hana",
    "ivan",
    "jo",
    "kofi",
    "lena",
    "mateo",
    "nora",
    "omar",
    "pia",
    "quinn",
    "ravi",
    "sara",
    "tomas",
    "uma",
    "vik",
    "wen",
    "xavi",
    "yara",
    "zeno",
)
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
#: primary schedule shapes and how often teams pick them
SHAPES = (
    ("weekly", 30),
    ("daily", 9),
    ("twelve-hour", 8),
    ("business-over-weekly", 16),
    ("weekend-layer", 10),
    ("split-week", 7),
    ("two-week", 5),
    ("rotation-change", 7),
    ("follow-the-sun", 8),
)


@dataclass
class Person:
    id: str
    zone: str
    country: str
    subdivision: str | None
    time_off: list[tuple[str, str, str]] = field(default_factory=list)


@dataclass
class Team:
    id: str
    people: list[Person]
    schedules: list[str] = field(default_factory=list)
    files: dict[str, str] = field(default_factory=dict)


def _wall(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M")


def _people(rng: random.Random, team: str, regions: list[str]) -> list[Person]:
    size = rng.choice((4, 5, 5, 6, 6, 6, 7, 8, 8, 9, 10, 12))
    found = []
    for number in range(size):
        zone, country, subdivision = rng.choice(REGIONS[regions[number % len(regions)]])
        person = Person(f"{rng.choice(FIRST)}-{team}-{number}", zone, country, subdivision)
        _time_off(rng, person)
        found.append(person)
    return found


def _time_off(rng: random.Random, person: Person) -> None:
    if rng.random() < 0.3:  # the end-of-year break
        first = date(2026, 12, rng.randint(18, 27))
        person.time_off.append(
            (first.isoformat(), (first + timedelta(days=rng.randint(4, 12))).isoformat(), "end-of-year break")
        )
    for _ in range(rng.choice((0, 0, 1, 1, 1, 2, 3))):
        first = NOW.date() + timedelta(days=rng.randint(-20, 300))
        length = rng.choice((1, 2, 3, 5, 7, 10, 14))
        person.time_off.append((first.isoformat(), (first + timedelta(days=length)).isoformat(), "vacation"))
    if rng.random() < 0.15:  # a part day: an appointment, a conference talk
        start = datetime.combine(NOW.date() + timedelta(days=rng.randint(1, 120)), datetime.min.time())
        start += timedelta(hours=rng.choice((8, 9, 13, 14)))
        end = start + timedelta(hours=rng.choice((3, 4, 20)))
        person.time_off.append((_wall(start), _wall(end), "appointment"))


def _start(rng: random.Random, weekday: int, hour: int) -> datetime:
    """A handoff on ``weekday`` at ``hour``, some months before now."""
    day = NOW.date() - timedelta(days=rng.randint(30, 600))
    day -= timedelta(days=(day.weekday() - weekday) % 7)
    return datetime.combine(day, datetime.min.time()) + timedelta(hours=hour)


def _layer(
    name: str,
    members: list[Person],
    start: datetime,
    length: str,
    *,
    zone: str | None = None,
    end: datetime | None = None,
    windows: list[str] | None = None,
) -> list[str]:
    lines = [
        f"  - name: {name}",
        f"    members: [{', '.join(p.id for p in members)}]",
        f'    start: "{_wall(start)}"',
        f"    length: {length}",
    ]
    if zone:
        lines.append(f"    timezone: {zone}")
    if end:
        lines.append(f'    end: "{_wall(end)}"')
    if windows:
        lines.append("    restrictions:")
        lines += [f"      - {window}" for window in windows]
    return lines


def _window(days: tuple[str, ...] | None, start: str, end: str) -> str:
    which = f"days: [{', '.join(days)}], " if days else ""
    return f'{{{which}from: "{start}", to: "{end}"}}'


def _pick(rng: random.Random, people: list[Person], least: int) -> list[Person]:
    chosen = rng.sample(people, k=rng.randint(min(least, len(people)), len(people)))
    return chosen


def _primary_layers(rng: random.Random, shape: str, team: Team) -> list[str]:
    people = team.people
    hour = rng.choice((9, 9, 9, 10, 10, 11, 16, 17))
    weekday = rng.choice((0, 0, 0, 0, 1, 2, 4))
    if shape == "weekly":
        return _layer("weekly", _pick(rng, people, 4), _start(rng, weekday, hour), "1w")
    if shape == "two-week":
        return _layer("fortnightly", _pick(rng, people, 4), _start(rng, weekday, hour), "2w")
    if shape == "daily":
        return _layer("daily", _pick(rng, people, 4), _start(rng, weekday, rng.choice((8, 9, 10))), "1d")
    if shape == "twelve-hour":
        return _layer(
            "twelve-hours", _pick(rng, people, 4), _start(rng, weekday, rng.choice((7, 8, 9))), "12h"
        )
    if shape == "business-over-weekly":
        split = max(3, len(people) // 2)
        office = rng.choice(((9, 17), (9, 18), (8, 16), (10, 18)))
        return [
            *_layer("after-hours", people[:split], _start(rng, weekday, hour), "1w"),
            *_layer(
                "office-hours",
                people[split:] or people[:2],
                _start(rng, 0, office[0]),
                rng.choice(("1d", "1w")),
                windows=[_window(WEEKDAYS[:5], f"{office[0]:02d}:00", f"{office[1]:02d}:00")],
            ),
        ]
    if shape == "weekend-layer":
        weekend = people[-2:] if len(people) > 5 else people[:2]
        return [
            *_layer("weekdays", _pick(rng, people, 4), _start(rng, weekday, hour), "1w"),
            *_layer(
                "weekends",
                weekend,
                _start(rng, 5, 0),
                "1w",
                windows=[_window(("sat", "sun"), "00:00", "00:00")],
            ),
        ]
    if shape == "split-week":
        return [
            *_layer(
                "mon-thu",
                _pick(rng, people, 3),
                _start(rng, 0, 9),
                "1w",
                windows=[_window(WEEKDAYS[:4], "09:00", "09:00")],
            ),
            *_layer(
                "fri-sun",
                _pick(rng, people, 3),
                _start(rng, 4, 9),
                "1w",
                windows=[_window(("fri", "sat", "sun"), "09:00", "09:00")],
            ),
        ]
    if shape == "rotation-change":
        change = _start(rng, weekday, hour).replace(year=NOW.year, month=NOW.month, day=NOW.day)
        change += timedelta(days=7 * rng.randint(1, 8) + (weekday - change.weekday()) % 7)
        before = _pick(rng, people, 4)
        after = [*before[1:], before[0], *(p for p in people if p not in before)][: len(before) + 1]
        return [
            *_layer(
                "weekly-until-change", before, _start(rng, change.weekday(), change.hour), "1w", end=change
            ),
            *_layer("weekly", after, change, "1w"),
        ]
    return _follow_the_sun(rng, team)


def _follow_the_sun(rng: random.Random, team: Team) -> list[str]:
    by_region: dict[str, list[Person]] = {}
    for person in team.people:
        region = next(name for name, places in REGIONS.items() if any(p[0] == person.zone for p in places))
        by_region.setdefault(region, []).append(person)
    lines = _layer("backstop", team.people[: max(3, len(team.people) // 2)], _start(rng, 0, 9), "1w")
    for region, members in sorted(by_region.items()):
        start = {"americas": (9, 18), "emea": (8, 17), "apac": (9, 18)}[region]
        lines += _layer(
            region,
            members,
            _start(rng, 0, start[0]),
            rng.choice(("1w", "1d")),
            zone=members[0].zone,
            windows=[_window(None, f"{start[0]:02d}:00", f"{start[1]:02d}:00")],
        )
    return lines


def _overrides(rng: random.Random, team: Team, count: int) -> list[str]:
    lines: list[str] = []
    day = NOW - timedelta(days=rng.randint(0, 20))
    for _ in range(count):
        day += timedelta(days=rng.randint(2, 40), hours=rng.choice((0, 1, 8, 9, 13, 18)))
        begin = day.replace(minute=0)
        end = begin + timedelta(hours=rng.choice((12, 24, 24, 48, 72)))
        person = rng.choice(team.people)
        reason = rng.choice(("swap", "covering a conference day", "holiday swap", "", "paid back"))
        text = f", reason: {reason}" if reason else ""
        lines.append(f'  - {{person: {person.id}, from: "{_wall(begin)}", to: "{_wall(end)}"{text}}}')
        day = end
    return ["overrides:", *lines] if lines else []


def _schedule(team: Team, sid: str, zone: str, body: list[str], extra: list[str]) -> None:
    head = [f"id: {sid}", f"name: {sid.replace('-', ' ').title()}", f"team: {team.id}", f"timezone: {zone}"]
    team.files[f"schedules/{sid}.yaml"] = "\n".join([*head, *extra, *body]) + "\n"
    team.schedules.append(sid)


def _limits(rng: random.Random) -> list[str]:
    extra = []
    if rng.random() < 0.12:
        extra.append(
            f"limits: {{max_hours_28d: {rng.choice((360, 400))}, min_rest: {rng.choice(('6h', '8h'))}}}"
        )
    if rng.random() < 0.1:
        extra.append(f"fairness: {{nights: {rng.choice((30, 40))}, weekends: {rng.choice((14, 20))}}}")
    return extra


def make_team(rng: random.Random, number: int, room: int) -> Team:
    """One team with its people, at most ``room`` schedules and its policies (files by relative path)."""
    tid = f"{rng.choice(AREAS)}-{number}"
    clusters = rng.choice(
        (
            ["emea"],
            ["emea"],
            ["americas"],
            ["americas"],
            ["apac"],
            ["emea", "americas"],
            ["americas", "emea", "apac"],
        )
    )
    team = Team(tid, _people(rng, tid, clusters))
    zone = team.people[0].zone
    shape = (
        "follow-the-sun"
        if len(clusters) == 3
        else rng.choices([s for s, _ in SHAPES[:-1]], weights=[w for _, w in SHAPES[:-1]])[0]
    )
    mode = "flag" if rng.random() < 0.04 else "skip"
    primary = f"{tid}-primary"
    _schedule(
        team,
        primary,
        zone,
        [
            "layers:",
            *_primary_layers(rng, shape, team),
            *_overrides(rng, team, rng.choice((0, 1, 2, 2, 3, 4, 6))),
        ],
        ["coverage: 24x7", f"time_off: {mode}", *_limits(rng)],
    )
    if rng.random() < 0.45 and len(team.schedules) < room:
        _schedule(
            team,
            f"{tid}-secondary",
            zone,
            [
                f"derive: {{from: {primary}, offset: {rng.choice((1, 1, 1, 2))}}}",
                *_overrides(rng, team, rng.choice((0, 0, 1, 2))),
            ],
            ["coverage: 24x7"],
        )
    if rng.random() < 0.25 and len(team.schedules) < room:
        hours = rng.choice((("09:00", "17:00"), ("08:00", "18:00")))
        window = _window(WEEKDAYS[:5], *hours)
        _schedule(
            team,
            f"{tid}-office",
            zone,
            [
                "layers:",
                *_layer("office", _pick(rng, team.people, 2), _start(rng, 0, 9), "1w", windows=[window]),
                *_overrides(rng, team, rng.choice((0, 1))),
            ],
            ["coverage:", f"  - {window}", "time_off: skip"],
        )
    _policy(rng, team)
    return team


def _policy(rng: random.Random, team: Team) -> None:
    primary, *others = team.schedules
    second = f"schedule:{others[0]}" if others and "secondary" in others[0] else f"person:{team.people[0].id}"
    levels = [
        f"  - {{targets: [schedule:{primary}], escalate_after: {rng.choice(('5m', '10m'))}}}",
        f"  - {{targets: [{second}], escalate_after: {rng.choice(('10m', '15m'))}}}",
        f"  - {{targets: [team:{team.id}], escalate_after: 30m}}",
    ]
    extra = "when_nobody: skip\n" if rng.random() < 0.3 else ""
    team.files[f"policies/escalation/{team.id}.yaml"] = (
        f"id: {team.id}\nname: {team.id} default\n{extra}levels:\n"
        + "\n".join(levels)
        + f"\nrepeat: {rng.choice((0, 1, 1, 2))}\n"
    )
    office = next((s for s in others if s.endswith("-office")), None)
    if office:
        team.files[f"policies/escalation/{team.id}-office.yaml"] = (
            f"id: {team.id}-office\nname: {team.id} office hours\nlevels:\n"
            f"  - {{targets: [schedule:{office}], escalate_after: 5m}}\n"
            f"  - {{targets: [schedule:{primary}], escalate_after: 15m}}\n"
        )


def team_file(team: Team, rng: random.Random) -> str:
    """``teams/<id>.yaml``: people (zone, country, time off) and services."""
    lines = [f"id: {team.id}", f"name: {team.id.replace('-', ' ').title()}", "people:"]
    for person in team.people:
        lines += [
            f"  - id: {person.id}",
            f"    name: {person.id.split('-')[0].title()} {team.id}",
            f"    email: {person.id}@example.com",
            f"    timezone: {person.zone}",
            f'    country: "{person.country}"',
        ]
        if person.subdivision:
            lines.append(f'    subdivision: "{person.subdivision}"')
        if person.time_off:
            lines.append("    time_off:")
            lines += [f'      - {{from: "{a}", to: "{b}", reason: {why}}}' for a, b, why in person.time_off]
    lines += [f"members: [{', '.join(p.id for p in team.people)}]", "services:"]
    office = f"{team.id}-office" if f"policies/escalation/{team.id}-office.yaml" in team.files else None
    for number in range(rng.randint(1, 4)):
        tier = rng.choice((1, 2, 2, 3, 3, 4))
        policy = office if office and tier >= 3 else team.id
        lines += [f"  - id: {team.id}-svc-{number}", f"    tier: {tier}", f"    escalation_policy: {policy}"]
    return "\n".join(lines) + "\n"


ORG = """name: Realistic
timezone: Europe/London
site: {title: Realistic on-call}
validation: {horizon: HORIZON}
oncall:
  limits: {max_hours_28d: 400, min_rest: 6h}
"""


def generate_realistic(out: Path, schedules: int, horizon_days: int = 90) -> None:
    """Write an org of ``schedules`` schedules (the last team's extra schedules are dropped)."""
    rng = random.Random(schedules * 7919 + 1)
    for folder in ("teams", "schedules", "policies/escalation", "runbooks", "postmortems"):
        (out / folder).mkdir(parents=True, exist_ok=True)
    (out / "opsrepo.yaml").write_text(ORG.replace("HORIZON", f"{horizon_days}d"), encoding="utf-8")
    written, number = 0, 0
    while written < schedules:
        team = make_team(rng, number, schedules - written)
        for path, text in team.files.items():
            (out / path).write_text(text, encoding="utf-8")
        (out / f"teams/{team.id}.yaml").write_text(team_file(team, rng), encoding="utf-8")
        written += len(team.schedules)
        number += 1
