"""Running ``opsrepo apply pagerduty`` against the fake PagerDuty, and reading back what it holds."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from click.testing import CliRunner, Result

from opsrepo.cli.main import cli
from opsrepo.load.repo import load_repo
from opsrepo.model import Repo
from opsrepo.oncall import final_shifts
from tests.fakevendors.pd_render import render
from tests.fakevendors.pd_server import TOKEN, FakePagerDuty

MARKER = re.compile(r"\[opsrepo:(schedule|escalation_policy|service):([a-z0-9-]+)\]")
Spans = list[tuple[datetime, datetime, str]]


class NoSleep:
    """A clock for the client's pacing: waiting moves time on at once (a test never sleeps)."""

    def __init__(self) -> None:
        self.t = 0.0
        self.sleeps: list[float] = []

    def now(self) -> float:
        return self.t

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.t += seconds


def seed_users(fake: FakePagerDuty, repo: Repo, skip: Iterable[str] = ()) -> dict[str, str]:
    """A PagerDuty user for every person of the repo (but ``skip``); person id -> user id."""
    found = {}
    for person in sorted(repo.people.values(), key=lambda p: p.id):
        if person.id in skip or not person.email:
            continue
        # some addresses in upper case: PagerDuty's and the repo's spelling of an email may differ in case
        email = person.email.upper() if person.id.startswith("a") else person.email
        user = fake.account.add("user", {"name": person.name, "email": email, "time_zone": person.timezone,
                                         "role": "user"})
        found[person.id] = user["id"]
    return found


def run(fake: FakePagerDuty, root: Path, *args: str, now: datetime, state: Path | None = None,
        env: dict[str, str] | None = None) -> Result:
    """``opsrepo apply pagerduty ARGS`` for the ops repo at ``root``, PagerDuty's clock set to ``now``."""
    fake.now = now
    state = state or root / "status" / "pagerduty.json"
    argv = ["apply", "pagerduty", "--repo", str(root), "--api-url", fake.url, "--state", str(state), *args]
    environment = {"PAGERDUTY_TOKEN": TOKEN, "OPSREPO_NOW": now.isoformat(), "PAGERDUTY_API_URL": "", **(env or {})}
    return CliRunner().invoke(cli, argv, env=environment, catch_exceptions=False)


def as_json(result: Result) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(result.stdout)
    return document


def marked(fake: FakePagerDuty, kind: str) -> dict[str, list[str]]:
    """opsrepo id -> the ids of the fake's objects of ``kind`` that carry its marker."""
    found: dict[str, list[str]] = {}
    for pd_id, obj in fake.account.objects[kind].items():
        match = MARKER.search(obj.get("description") or "")
        if match and match.group(1) == kind:
            found.setdefault(match.group(2), []).append(pd_id)
    return found


def fake_final(fake: FakePagerDuty, schedule_id: str, since: datetime, until: datetime) -> Spans:
    """The fake's own rendering of a schedule's final schedule (its renderer, not opsrepo's)."""
    obj = fake.account.objects["schedule"][schedule_id]
    rendered = render(obj, fake.account.overrides.get(schedule_id, []), since, until)
    return joined((s.start, s.end, s.who) for s in rendered.final)


def repo_final(repo: Repo, schedule_id: str, users: dict[str, str], since: datetime, until: datetime) -> Spans:
    """opsrepo's final schedule with PagerDuty user ids."""
    return joined((s.start, s.end, users[s.person]) for s in final_shifts(repo, schedule_id, since, until))


def joined(spans: Iterable[tuple[datetime, datetime, str]]) -> Spans:
    out: Spans = []
    for start, end, who in sorted(spans):
        start, end = start.astimezone(UTC), end.astimezone(UTC)
        if out and out[-1][2] == who and out[-1][1] == start:
            out[-1] = (out[-1][0], end, who)
        else:
            out.append((start, end, who))
    return out


def assert_finals_equal(fake: FakePagerDuty, repo: Repo, users: dict[str, str], now: datetime,
                        horizon: timedelta = timedelta(days=28)) -> int:
    """Every schedule's final schedule in the fake equals opsrepo's over the horizon, to the minute."""
    schedules = marked(fake, "schedule")
    since = now.replace(second=0, microsecond=0)
    until = since + horizon
    for schedule_id in repo.schedules:
        (pd_id,) = schedules[schedule_id]
        theirs = fake_final(fake, pd_id, since, until)
        ours = repo_final(repo, schedule_id, users, since, until)
        assert theirs == ours, f"{schedule_id}: first difference {_first_difference(theirs, ours)}"
    return len(repo.schedules)


def _first_difference(theirs: Spans, ours: Spans) -> str:
    for a, b in zip(theirs, ours, strict=False):
        if a != b:
            return f"PagerDuty {a} / opsrepo {b}"
    return f"lengths {len(theirs)} / {len(ours)}"


def load(root: Path) -> Repo:
    return load_repo(root).repo
