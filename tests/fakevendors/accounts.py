"""Deterministic, seeded fixture accounts for both vendors, loadable into the fakes and dumpable to disk.

:func:`make_account` draws one vendor-neutral account (people, teams, schedules
made of layers, overrides, escalation policies) and :mod:`accounts_pd` /
:mod:`accounts_og` turn it into each vendor's objects. The default size has 44
schedules and 24 escalation policies; ``schedules=500, policies=300`` makes a
benchmark account. Every account has, whatever the seed:

* weekly, daily and hourly (custom length) rotations; daily restrictions
  (one across midnight) and weekly ones (one from Friday evening across the
  week's end to Monday morning); multi-layer schedules; overrides, two of which
  overlap;
* a user without a time zone, a user deleted from the account but still named
  by an escalation policy and a past override, unicode names, two teams of the
  same name;
* a 12-person follow-the-sun schedule (three regions of four, 8 hours each).

Handoffs and restriction times fall on the hour or half hour (Opsgenie moves
other minutes to the nearest 0 or 30), in 2026 around both DST changes.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from tests.fakevendors.intervals import local

FIRST = ["Ann", "Bob", "Zoë", "José", "Åsa", "Jürgen", "Siobhán", "Ólafur", "Łucja", "Dmitri", "Chloé", "Nnamdi",
         "Priya", "Mei", "Kenji", "Fatima", "Søren", "Ines", "Tomás", "Aroha", "Björn", "Ngozi", "Ravi", "Elif"]
LAST = ["Okafor", "Núñez", "Öberg", "Weiß", "Ní Bhriain", "Þórsson", "Łukasiewicz", "Ivanov", "Müller", "Zhang",
        "Tanaka", "Haddad", "García", "Kowalski", "Dubois", "Smith", "Rossi", "Kaur", "Nakamura", "Silva"]
ZONES = ["Europe/Berlin", "America/New_York", "Australia/Sydney", "Europe/London", "America/Los_Angeles",
         "Asia/Tokyo", "UTC", "Asia/Kolkata"]
TEAMS = ["Platform", "Payments", "Search", "Platform", "Identity", "Data", "Mobile", "Edge"]
SERVICES = ["Checkout", "Ledger", "Indexer", "Gateway", "Login", "Warehouse", "App API", "CDN"]


@dataclass
class Person:
    key: int
    name: str
    email: str
    zone: str | None
    deleted: bool = False


@dataclass
class Window:
    """A restriction: ``day`` None for every day, else ISO weekday 1-7; ``start`` local "HH:MM"; length in hours."""

    day: int | None
    start: str
    hours: float


@dataclass
class Layer:
    kind: str  # weekly | daily | hourly
    hours: int  # turn length
    people: list[int]
    handoff: datetime  # aware, local to the schedule's zone
    windows: list[Window] = field(default_factory=list)


@dataclass
class Override:
    person: int
    start: datetime
    end: datetime
    layer: int | None = None  # Opsgenie: the one rotation it replaces (None: all)


@dataclass
class Schedule:
    key: int
    name: str
    zone: str
    team: int
    layers: list[Layer]
    overrides: list[Override] = field(default_factory=list)
    description: str = ""


@dataclass
class Policy:
    key: int
    name: str
    team: int
    rules: list[tuple[int, list[tuple[str, int]]]]  # (delay minutes, [("schedule"|"user", key)])
    loops: int = 0


@dataclass
class Account:
    seed: int
    people: list[Person]
    teams: list[tuple[str, list[int]]]
    schedules: list[Schedule]
    policies: list[Policy]

    @property
    def live(self) -> list[Person]:
        return [p for p in self.people if not p.deleted]


def at(zone: str, text: str) -> datetime:
    return local(datetime.fromisoformat(text), ZoneInfo(zone)).astimezone(ZoneInfo(zone))


def make_account(seed: int = 0, schedules: int = 44, policies: int = 24) -> Account:
    rng = random.Random(seed)
    n_people = max(40, schedules // 2)
    people = []
    for key in range(n_people):
        name = f"{FIRST[key % len(FIRST)]} {LAST[(key * 7 + seed) % len(LAST)]}"
        slug = "".join(c for c in name.lower().encode("ascii", "ignore").decode() if c.isalnum())
        people.append(Person(key, name, f"{slug}.{key}@example.com", ZONES[key % len(ZONES)]))
    people[1].zone = None  # a user without a time zone
    people[-1].deleted = True  # deleted, yet named by a policy and a past override
    live = [p.key for p in people if not p.deleted]
    teams = [(name, sorted(rng.sample(live, 6))) for name in TEAMS]
    out = [follow_the_sun(live[:12]), weekend_and_nights(live), overlapping_overrides(live, people[-1].key)]
    while len(out) < schedules:
        out.append(random_schedule(rng, len(out), live))
    for key, schedule in enumerate(out):
        schedule.key, schedule.team = key, key % len(teams)
    pols = []
    for key in range(policies):
        rules = []
        for level in range(rng.randint(1, 3)):
            targets = [("schedule", (key + level * 17) % len(out))]
            if rng.random() < 0.3:
                targets.append(("user", rng.choice(live)))
            rules.append((rng.choice([5, 10, 15, 30]), targets))
        if key == 1:
            rules[-1][1].append(("user", people[-1].key))
        pols.append(Policy(key, f"{TEAMS[key % len(TEAMS)]} escalation {key}", key % len(teams), rules,
                           rng.choice([0, 0, 1, 2])))
    return Account(seed, people, teams, out, pols)


def follow_the_sun(twelve: list[int]) -> Schedule:
    regions = [("APAC", "00:00"), ("EMEA", "08:00"), ("AMER", "16:00")]
    layers = [Layer("weekly", 168, twelve[4 * i:4 * i + 4], at("UTC", "2026-01-05T00:00"), [Window(None, start, 8)])
              for i, (_, start) in enumerate(regions)]
    return Schedule(0, "Follow the sun 🌍", "UTC", 0, layers, description="12 people, three regions of four")


def weekend_and_nights(live: list[int]) -> Schedule:
    zone = "Europe/Berlin"
    weekdays = Layer("daily", 24, live[12:16], at(zone, "2026-03-02T09:00"), [Window(None, "19:00", 12)])
    weekend = Layer("weekly", 168, live[16:19], at(zone, "2026-03-06T18:00"), [Window(5, "18:00", 62)])
    return Schedule(1, "Nights & weekends", zone, 0, [weekdays, weekend])


def overlapping_overrides(live: list[int], deleted: int) -> Schedule:
    zone = "America/New_York"
    layer = Layer("weekly", 168, live[19:23], at(zone, "2026-10-26T10:00"))
    overrides = [Override(live[23], at(zone, "2026-11-02T12:00"), at(zone, "2026-11-02T20:00")),
                 Override(live[24], at(zone, "2026-11-02T16:00"), at(zone, "2026-11-03T02:00")),
                 Override(deleted, at(zone, "2026-01-10T08:00"), at(zone, "2026-01-10T18:00"))]
    return Schedule(2, "Primary — across the autumn change", zone, 0, [layer], overrides)


def random_schedule(rng: random.Random, key: int, live: list[int]) -> Schedule:
    zone = rng.choice(ZONES)
    kind = ["weekly", "daily", "hourly"][key % 3]
    day = rng.choice(["2026-03-23", "2026-03-27", "2026-10-19", "2026-10-30", "2026-04-03", "2026-09-28"])
    layers = []
    for n in range(1 + (key % 4 == 0) + (key % 8 == 0)):
        hours = {"weekly": 168, "daily": 24 * rng.choice([1, 1, 2]), "hourly": rng.choice([8, 12])}[kind]
        handoff = at(zone, f"{day}T{rng.choice(['00:00', '08:00', '09:30', '17:00'])}")
        windows = []
        if n > 0 or key % 5 == 1:
            windows = ([Window(None, rng.choice(["09:00", "18:30", "22:00"]), rng.choice([8, 9.5, 12]))]
                       if key % 2 else [Window(d, "09:00", 8) for d in range(1, 6)])
        layers.append(Layer(kind, hours, rng.sample(live, rng.randint(1, 6)), handoff, windows))
    overrides = []
    if key % 3 == 0:
        person = rng.choice(live)
        start = layers[0].handoff + timedelta(days=rng.randint(1, 20), hours=2)
        overrides.append(Override(person, start, start + timedelta(hours=rng.choice([4, 24, 48])),
                                  layer=0 if len(layers) > 1 else None))
    name = f"{TEAMS[key % len(TEAMS)]} {['primary', 'secondary', 'business hours', 'night'][key % 4]} {key}"
    return Schedule(key, name, zone, 0, layers, overrides)
