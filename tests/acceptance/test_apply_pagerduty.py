"""``opsrepo apply pagerduty`` end to end: the CLI, PagerDuty's client and the fake PagerDuty over real HTTP.

Every request and answer is checked against PagerDuty's API description by
the fake (a finding fails the test). After an apply, the fake's own renderer
(written apart from opsrepo) must give every schedule opsrepo's final
schedule over the horizon, to the minute.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from opsrepo.pagerduty import pacing
from tests.fakevendors.pd_server import FakePagerDuty
from tests.helpers import ROOT
from tests.pagerduty_apply import NoSleep, as_json, assert_finals_equal, load, marked, run, seed_users

pytest_plugins = ["tests.fakevendors.fixtures"]

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
EXAMPLE_DIRS = ("teams", "schedules", "policies")


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """A copy of the example ops repo's files that apply reads."""
    target = tmp_path / "ops"
    target.mkdir()
    shutil.copy(ROOT / "opsrepo.yaml", target / "opsrepo.yaml")
    for name in EXAMPLE_DIRS:
        shutil.copytree(ROOT / name, target / name)
    return target


@pytest.fixture(autouse=True)
def no_sleep(monkeypatch: pytest.MonkeyPatch) -> Iterator[NoSleep]:
    clock = NoSleep()
    monkeypatch.setattr(pacing, "system_clock", lambda: clock)
    yield clock


@pytest.fixture
def fake(fake_pagerduty: FakePagerDuty) -> FakePagerDuty:
    return fake_pagerduty


@pytest.mark.parametrize("now", [NOW, datetime(2026, 3, 20, 9, tzinfo=UTC), datetime(2026, 10, 20, 16, 45, tzinfo=UTC),
                                 datetime(2026, 12, 20, 9, tzinfo=UTC)], ids=["nov", "march-dst", "october-dst", "dec"])
def test_after_apply_every_final_schedule_is_opsrepos_and_a_second_apply_writes_nothing(
        fake: FakePagerDuty, root: Path, now: datetime) -> None:
    repo = load(root)
    users = seed_users(fake, repo)
    first = run(fake, root, "--format", "json", now=now)
    assert first.exit_code == 0, first.output
    document = as_json(first)
    assert document["applied"] is True and document["counts"]["create"] == 31
    assert assert_finals_equal(fake, repo, users, now) == 8
    assert {k: len(v) for k, v in marked(fake, "schedule").items()} == dict.fromkeys(repo.schedules, 1)
    assert {k: len(v) for k, v in marked(fake, "escalation_policy").items()} == dict.fromkeys(repo.policies, 1)
    assert {k: len(v) for k, v in marked(fake, "service").items()} == dict.fromkeys(repo.services, 1)
    before = len(fake.log)
    second = run(fake, root, "--format", "json", now=now)
    assert second.exit_code == 0, second.output
    assert as_json(second)["writes"] == 0
    assert all(not r.write for r in fake.log[before:])
    assert len(fake.log) - before == 4  # one page each of users, schedules, policies, services


def test_plan_writes_nothing_and_says_what_would_happen(fake: FakePagerDuty, root: Path) -> None:
    repo = load(root)
    seed_users(fake, repo)
    result = run(fake, root, "--plan", now=NOW)
    assert result.exit_code == 0, result.output
    assert not [r for r in fake.log if r.write]
    assert result.stdout.splitlines()[0] == (
        "PagerDuty plan (overrides up to 2026-12-21 10:00 Europe/Berlin): 31 to create, 0 to change, 0 to delete, "
        "0 unchanged; 1 override to create, 0 to delete")
    assert "    + create payments-primary 'Payments primary'" in result.stdout
    assert ("        + 2026-11-26 00:00 → 2026-11-27 00:00 Zoe Carter: override: Zoe covers Thanksgiving Day so "
            "Victor can travel (PagerDuty's layers have Victor Mendes)") in result.stdout


def test_a_person_without_a_user_is_listed_and_nothing_is_written(fake: FakePagerDuty, root: Path) -> None:
    repo = load(root)
    seed_users(fake, repo, skip=("alice", "tanya"))
    result = run(fake, root, now=NOW)
    assert result.exit_code == 1
    assert not [r for r in fake.log if r.write]
    assert "Nothing will be written until this is fixed:" in result.stdout
    assert "        Alice Moreau (alice): alice@kestrel.example" in result.stdout
    assert "        Tanya Okoye (tanya): tanya@kestrel.example" in result.stdout
    assert "opsrepo: error: nothing was written: the plan lists what to fix" in result.stderr


DECEMBER = datetime(2026, 12, 20, 9, tzinfo=UTC)  # time off around Christmas: 16 overrides on 7 schedules


def overrides_of(fake: FakePagerDuty) -> list[tuple[str, str, str, str]]:
    return sorted((sid, o["user"]["id"], o["start"], o["end"]) for sid, found in fake.account.overrides.items()
                  for o in found)


@pytest.mark.slow
def test_killed_at_every_request_a_rerun_converges_with_exactly_one_object_each(
        fake: FakePagerDuty, root: Path) -> None:
    repo = load(root)
    users = seed_users(fake, repo)
    assert run(fake, root, now=DECEMBER).exit_code == 0
    total, writes = len(fake.log), len([r for r in fake.log if r.write])
    wanted = overrides_of(fake)
    assert writes >= 38 and len(wanted) == 16
    state = root / "status" / "pagerduty.json"
    for k in range(total):
        fake.reset()
        users = seed_users(fake, repo)
        state.unlink(missing_ok=True)
        fake.dead_after = k
        killed = run(fake, root, now=DECEMBER)
        assert killed.exit_code == 1, (k, killed.output)
        assert "Traceback" not in killed.output
        if k >= 4:  # past the four list pages: it stopped while writing, and says the next run resumes
            assert "run 'opsrepo apply pagerduty' again: it resumes where this run stopped" in killed.stderr, k
        fake.clear_faults()
        if k % 3 == 2:
            state.unlink(missing_ok=True)  # the state went with the killed run: markers find the objects again
        again = run(fake, root, "--format", "json", now=DECEMBER)
        assert again.exit_code == 0, (k, again.output)
        assert {key: len(v) for key, v in marked(fake, "schedule").items()} == dict.fromkeys(repo.schedules, 1), k
        assert {key: len(v) for key, v in marked(fake, "escalation_policy").items()} == \
            dict.fromkeys(repo.policies, 1), k
        assert {key: len(v) for key, v in marked(fake, "service").items()} == dict.fromkeys(repo.services, 1), k
        assert len(fake.account.objects["schedule"]) == 8 and len(fake.account.objects["service"]) == 16, k
        assert [o[1:] for o in overrides_of(fake)] == [o[1:] for o in wanted], k
        assert_finals_equal(fake, repo, users, DECEMBER)
        before = len(fake.log)
        assert as_json(run(fake, root, "--format", "json", now=DECEMBER))["writes"] == 0, k
        assert not [r for r in fake.log[before:] if r.write], k
