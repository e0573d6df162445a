"""``opsrepo apply pagerduty`` end to end: the CLI, PagerDuty's client and the fake PagerDuty over real HTTP.

Every request and answer is checked against PagerDuty's API description by
the fake (a finding fails the test). After an apply, the fake's own renderer
(written apart from opsrepo) must give every schedule opsrepo's final
schedule over the horizon, to the minute.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from opsrepo.pagerduty import pacing
from tests.fakevendors.pd_server import FakePagerDuty
from tests.helpers import ROOT
from tests.pagerduty_apply import NoSleep, as_json, assert_finals_equal, load, marked, run, seed_users

pytest_plugins = ["tests.fakevendors.fixtures", "tests.fakegithub.fixtures"]

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
            "Victor can travel; PagerDuty's layers have Victor Mendes") in result.stdout


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


def hand_made(fake: FakePagerDuty, users: dict[str, str]) -> dict[str, str]:
    """A schedule, a policy and a service somebody made in PagerDuty by hand (one override too)."""
    acc = fake.account
    schedule = acc.add("schedule", fake.stored("schedule", {
        "name": "Database on-call", "time_zone": "UTC", "description": "made by hand",
        "schedule_layers": [{"name": "Layer 1", "start": "2026-01-01T00:00:00Z",
                             "rotation_virtual_start": "2026-01-01T00:00:00Z", "rotation_turn_length_seconds": 86400,
                             "users": [{"user": {"id": users["alice"], "type": "user_reference"}}]}]}))
    acc.overrides[schedule["id"]] = [{"id": "QHAND1", "start": "2026-11-24T00:00:00Z", "end": "2026-11-25T00:00:00Z",
                                      "user": {"id": users["bruno"]}}]
    policy = acc.add("escalation_policy", fake.stored("escalation_policy", {
        "name": "Database", "num_loops": 0, "escalation_rules": [
            {"escalation_delay_in_minutes": 10, "targets": [{"id": schedule["id"], "type": "schedule_reference"}]}]}))
    service = acc.add("service", fake.stored("service", {
        "name": "Database", "escalation_policy": {"id": policy["id"], "type": "escalation_policy_reference"}}))
    return {"schedule": schedule["id"], "policy": policy["id"], "service": service["id"]}


def snapshot(fake: FakePagerDuty, ids: dict[str, str]) -> list[object]:
    acc = fake.account
    return [dict(acc.objects["schedule"][ids["schedule"]]), dict(acc.objects["escalation_policy"][ids["policy"]]),
            dict(acc.objects["service"][ids["service"]]), list(acc.overrides[ids["schedule"]])]


def test_objects_made_by_hand_are_never_changed_or_deleted(fake: FakePagerDuty, root: Path) -> None:
    repo = load(root)
    users = seed_users(fake, repo)
    ids = hand_made(fake, users)
    before = snapshot(fake, ids)
    assert run(fake, root, now=NOW).exit_code == 0
    (root / "schedules" / "platform-primary.yaml").unlink()
    for name in ("platform", "sre"):
        policy = root / "policies" / "escalation" / f"{name}.yaml"
        policy.write_text(policy.read_text(encoding="utf-8").replace("schedule:platform-primary", "person:hannah"),
                          encoding="utf-8")
    result = run(fake, root, now=NOW)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("Applied to PagerDuty (overrides up to 2026-12-21 10:00 Europe/Berlin): 0 to "
                                    "create, 2 to change, 1 to delete, ")
    assert "    - delete platform-primary 'Platform primary'" in result.stdout
    assert snapshot(fake, ids) == before
    assert "platform-primary" not in marked(fake, "schedule")
    written = {(r.method, r.path) for r in fake.log if r.write}
    assert not [w for w in written if any(pd_id in w[1] for pd_id in ids.values())]


def test_a_name_taken_by_hand_blocks_until_adopted_and_adoption_takes_it_over(fake: FakePagerDuty, root: Path) -> None:
    repo = load(root)
    users = seed_users(fake, repo)
    acc = fake.account
    taken = acc.add("escalation_policy", fake.stored("escalation_policy", {
        "name": "Payments", "num_loops": 0, "escalation_rules": [
            {"escalation_delay_in_minutes": 10, "targets": [{"id": users["alice"], "type": "user_reference"}]}]}))
    blocked = run(fake, root, now=NOW)
    assert blocked.exit_code == 1
    assert (f"    PagerDuty already has an escalation policy named 'Payments' ({taken['id']}) that opsrepo did not "
            f"make: adopt it with --adopt policy:payments={taken['id']}, or rename one of them") in blocked.stdout
    assert not [r for r in fake.log if r.write]
    adopted = run(fake, root, "--adopt", f"policy:payments={taken['id']}", now=NOW)
    assert adopted.exit_code == 0, adopted.output
    assert f"    ~ change payments 'Payments' ({taken['id']}), adopted" in adopted.stdout
    assert marked(fake, "escalation_policy")["payments"] == [taken["id"]]
    again = run(fake, root, "--format", "json", now=NOW)  # the marker and the state file remember the adoption
    assert as_json(again)["writes"] == 0, again.stdout


def test_check_is_clean_after_apply_and_a_day_later_and_names_each_hand_edit(fake: FakePagerDuty, root: Path) -> None:
    repo = load(root)
    users = seed_users(fake, repo)
    assert run(fake, root, now=DECEMBER).exit_code == 0
    clean = run(fake, root, "--check", now=DECEMBER)
    assert (clean.exit_code, clean.stdout) == (0, "PagerDuty holds what the repo says.\n")
    later = run(fake, root, "--check", now=datetime(2026, 12, 21, 9, tzinfo=UTC))  # new days entered the horizon
    assert (later.exit_code, later.stdout) == (0, "PagerDuty holds what the repo says.\n")
    acc = fake.account
    identity = marked(fake, "schedule")["identity-primary"][0]
    layer = acc.objects["schedule"][identity]["schedule_layers"][0]
    layer["users"] = layer["users"][::-1]  # someone reordered the rotation in the web app
    storefront = marked(fake, "schedule")["storefront-primary"][0]
    removed = acc.overrides[storefront].pop()
    acc.overrides[storefront].append({"id": "QHAND2", "start": "2026-12-22T00:00:00Z", "end": "2026-12-23T00:00:00Z",
                                      "user": {"id": users["zoe"]}})
    drifted = run(fake, root, "--check", now=DECEMBER)
    assert drifted.exit_code == 1
    lines = drifted.stdout.splitlines()
    assert lines[0] == "PagerDuty differs from the ops repo (judged up to 2027-01-17 10:00 Europe/Berlin):"
    assert any(line.startswith("  schedule identity-primary: apply would change it: layer 'daily': turn order ")
               for line in lines), lines
    assert any(line.startswith("  schedule storefront-primary: override missing: ") for line in lines), lines
    assert ("  schedule storefront-primary: override made by hand: 2026-12-21 18:00 → 2026-12-22 18:00 Zoe Carter"
            in lines), lines
    assert any(line.startswith("  schedule storefront-primary: PagerDuty's final schedule has ") for line in lines)
    fixed = run(fake, root, "--verify", now=DECEMBER)  # reads the overrides instead of trusting the state file
    assert fixed.exit_code == 0
    assert removed["user"]["id"] in {o["user"]["id"] for o in acc.overrides[storefront]}
    after = run(fake, root, "--check", now=DECEMBER)  # the override made by hand stays, and is still drift
    assert after.exit_code == 1
    assert after.stdout.splitlines()[1:] == [
        "  schedule storefront-primary: override made by hand: 2026-12-21 18:00 → 2026-12-22 18:00 Zoe Carter",
        "  schedule storefront-primary: PagerDuty's final schedule has Zoe Carter on call 2026-12-21 18:00 → "
        "2026-12-22 18:00 where the repo has " + after.stdout.split("where the repo has ")[1].splitlines()[0]]


def test_day_by_day_only_the_overrides_entering_the_horizon_are_written(fake: FakePagerDuty, root: Path) -> None:
    """Spring: the zones of the follow-the-sun schedule change their clocks on different days."""
    repo = load(root)
    users = seed_users(fake, repo)
    start = datetime(2026, 2, 20, 9, tzinfo=UTC)
    assert run(fake, root, now=start).exit_code == 0
    posted = 0
    for day in range(4, 52, 4):
        before = len(fake.log)
        later = start + timedelta(days=day)
        result = run(fake, root, now=later)
        assert result.exit_code == 0, result.output
        written = [r for r in fake.log[before:] if r.write]
        assert all(r.method == "POST" and r.path.endswith("/overrides") for r in written), day
        posted += len(written)
        assert_finals_equal(fake, repo, users, later)
    assert posted >= 2


def test_429_is_waited_out_for_its_retry_after_and_5xx_retried_without_duplicates(
        fake: FakePagerDuty, root: Path, no_sleep: NoSleep) -> None:
    repo = load(root)
    users = seed_users(fake, repo)
    fake.rate_limit(2, retry_after=7)
    fake.hooks.append(lambda logged: fake.server_errors(1, 503) if logged.seq in (6, 20) else None)
    result = run(fake, root, now=NOW)
    assert result.exit_code == 0, result.output
    assert no_sleep.sleeps[:2] == [7.0, 7.0]
    assert [r.status for r in fake.log[:3]] == [429, 429, 200]
    assert [r.status for r in fake.log if r.status >= 500] == [503, 503]
    assert {k: len(v) for k, v in marked(fake, "schedule").items()} == dict.fromkeys(repo.schedules, 1)
    assert {k: len(v) for k, v in marked(fake, "escalation_policy").items()} == dict.fromkeys(repo.policies, 1)
    assert_finals_equal(fake, repo, users, NOW)


def test_the_token_is_never_printed(fake: FakePagerDuty, root: Path) -> None:
    secret = "u+SECRETtokenNEVERshown"
    result = run(fake, root, "--plan", now=NOW, env={"PAGERDUTY_TOKEN": secret})
    assert result.exit_code == 1
    assert secret not in result.output and "SECRET" not in result.output
    assert result.stderr.startswith("opsrepo: error: PagerDuty refused to list ")


@pytest.mark.parametrize("now", [datetime(2026, 12, 10, 9, tzinfo=UTC), datetime(2026, 3, 25, 9, tzinfo=UTC),
                                 datetime(2026, 10, 28, 9, tzinfo=UTC)], ids=["december", "march", "october"])
def test_a_generated_org_gets_opsrepos_final_schedules(fake: FakePagerDuty, tmp_path: Path, now: datetime) -> None:
    """Three zones, three layers a schedule, overrides, time off (benchmarks/genorg.py)."""
    import sys

    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        import genorg
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    root = tmp_path / "org"
    genorg.generate(root, 24, 0)
    repo = load(root)
    users = seed_users(fake, repo)
    result = run(fake, root, "--format", "json", now=now)
    assert result.exit_code == 0, result.output
    document = as_json(result)
    assert document["counts"]["create"] == 24 + 6 + 12 and document["uncovered"] == []
    assert assert_finals_equal(fake, repo, users, now) == 24
    again = run(fake, root, "--format", "json", now=now)
    assert as_json(again)["writes"] == 0
    assert run(fake, root, "--check", now=now).exit_code == 0


def imported_finals(original: Path, imported: Path, since: datetime,
                    until: datetime) -> tuple[dict[str, object], dict[str, object]]:
    """Each schedule's final schedule (by name, people by email) in the original repo and the imported one."""
    from opsrepo.oncall import final_shifts
    from tests.pagerduty_apply import joined

    finals: list[dict[str, object]] = []
    for root in (original, imported):
        repo = load(root)
        email = {p.id: (p.email or "").casefold() for p in repo.people.values()}
        finals.append({s.name: joined((x.start, x.end, email[x.person])
                                      for x in final_shifts(repo, s.id, since, until))
                       for s in repo.schedules.values()})
    return finals[0], finals[1]


@pytest.mark.parametrize("generated", [False, True], ids=["example", "generated"])
def test_importing_what_apply_wrote_gives_back_the_same_final_schedules(
        fake: FakePagerDuty, root: Path, tmp_path: Path, generated: bool) -> None:
    """The round trip: repo -> apply -> PagerDuty -> opsrepo import pagerduty -> repo, over the horizon."""
    from click.testing import CliRunner

    from opsrepo.cli.main import cli
    from tests.fakevendors.pd_server import TOKEN

    if generated:
        import sys

        sys.path.insert(0, str(ROOT / "benchmarks"))
        try:
            import genorg
        finally:
            sys.path.remove(str(ROOT / "benchmarks"))
        root = tmp_path / "org"
        genorg.generate(root, 12, 0)
    seed_users(fake, load(root))
    assert run(fake, root, now=DECEMBER).exit_code == 0
    out = tmp_path / "imported"
    result = CliRunner().invoke(cli, ["import", "pagerduty", "--api-url", fake.url, "--out", str(out)],
                                env={"PAGERDUTY_TOKEN": TOKEN, "OPSREPO_NOW": DECEMBER.isoformat()},
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    since = DECEMBER.replace(second=0)
    ours, theirs = imported_finals(root, out, since, since + timedelta(days=28))
    assert ours.keys() == theirs.keys() and len(ours) == (12 if generated else 8)
    for name, spans in ours.items():
        assert theirs[name] == spans, name


def scratch_with_apply(tmp_path: Path) -> object:
    """A git repo: the minimal ops repo with emails and ``apply`` configured (base), Dev added (working tree)."""
    from tests.unit.diff.gitrepo import minimal_scratch

    scratch = minimal_scratch(tmp_path / "ops")
    for person in ("ana", "ben", "cleo"):
        scratch.replace("teams/core.yaml", f"github: {person}", f"email: {person}@example.com, github: {person}")
    scratch.replace("opsrepo.yaml", "site: {title: Minimal on-call}\n",
                    "site: {title: Minimal on-call}\napply: {vendor: pagerduty}\n")
    scratch.commit("emails, apply")
    scratch.replace("teams/core.yaml", "members: [ana, ben, cleo]",
                    "  - {id: dev, name: Dev Patel, timezone: America/New_York, email: dev@example.com}\n"
                    "members: [ana, ben, cleo, dev]")
    scratch.replace("schedules/core-primary.yaml", "[ana, ben, cleo]", "[ana, ben, cleo, dev]")
    return scratch


def test_the_pull_request_comment_ends_with_the_pagerduty_plan(fake: FakePagerDuty, tmp_path: Path) -> None:
    from click.testing import CliRunner

    from opsrepo.cli.main import cli
    from tests.fakevendors.pd_server import TOKEN

    scratch = scratch_with_apply(tmp_path)
    root = scratch.root  # type: ignore[attr-defined]
    seed_users(fake, load(root))
    fake.now = NOW
    env = {"OPSREPO_NOW": NOW.isoformat(), "GITHUB_EVENT_PATH": "", "GITHUB_REPOSITORY": "",
           "GITHUB_STEP_SUMMARY": "", "PAGERDUTY_API_URL": fake.url}
    argv = ["pr", "comment", "--repo", str(root), "--base", "HEAD", "--dry-run"]
    result = CliRunner().invoke(cli, argv, env={**env, "PAGERDUTY_TOKEN": TOKEN}, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    preview, plan = result.stdout.split("\n### PagerDuty\n\n")
    assert preview.startswith("<!-- opsrepo:pr-preview -->\n### On-call preview\n")
    assert plan.startswith("#### PagerDuty plan (overrides up to 2026-12-21 10:00 Europe/Berlin): 3 to create, "
                           "0 to change, 0 to delete, 0 unchanged; 0 overrides to create, 0 to delete\n")
    assert "- `+` create core-primary 'Core primary'\n  - layer 'weekly': Ana Silva, Ben Okafor, Cleo Park, " \
        "Dev Patel, 1w turns from 2026-01-05 09:00\n" in plan
    assert not [r for r in fake.log if r.write]
    without = CliRunner().invoke(cli, argv, env={**env, "PAGERDUTY_TOKEN": ""}, catch_exceptions=False)
    assert without.exit_code == 0
    assert without.stdout.endswith(
        "\n### PagerDuty\n\n_No plan: $PAGERDUTY_TOKEN is not set here (a pull request from a fork gets no "
        "secrets); the `pagerduty` workflow's job summary has it._\n")


def test_the_daily_check_opens_one_drift_issue_updates_it_and_closes_it_when_drift_is_gone(
        fake: FakePagerDuty, root: Path, fake_github: object) -> None:
    from opsrepo.github.drift_issue import LABEL, MARKER, RESOLVED
    from tests.fakegithub import FakeGitHub

    assert isinstance(fake_github, FakeGitHub)
    repo = load(root)
    seed_users(fake, repo)
    assert run(fake, root, now=DECEMBER).exit_code == 0
    env = {"GITHUB_API_URL": fake_github.url}
    clean = run(fake, root, "--check", "--issue", now=DECEMBER, env=env)
    assert clean.exit_code == 0 and fake_github.repo.issues == {}
    identity = marked(fake, "schedule")["identity-primary"][0]
    layer = fake.account.objects["schedule"][identity]["schedule_layers"][0]
    layer["users"] = layer["users"][::-1]
    first = run(fake, root, "--check", "--issue", now=DECEMBER, env=env)
    assert first.exit_code == 1
    (issue,) = fake_github.repo.issues.values()
    assert issue.title == "PagerDuty differs from the ops repo" and issue.labels == [LABEL.name]
    assert issue.body.startswith(f"{MARKER}\n**PagerDuty differs from the ops repo**")
    assert "- **schedule identity-primary**: apply would change it: layer 'daily': turn order " in issue.body
    again = run(fake, root, "--check", "--issue", now=DECEMBER, env=env)
    assert again.exit_code == 1 and len(fake_github.repo.issues) == 1
    assert "opsrepo: drift issue unchanged" in again.stderr
    assert run(fake, root, now=DECEMBER).exit_code == 0  # the next apply puts the layer back
    gone = run(fake, root, "--check", "--issue", now=DECEMBER, env=env)
    assert gone.exit_code == 0 and "opsrepo: drift issue closed" in gone.stderr
    assert issue.state == "closed"
    assert [c["body"] for c in issue.comments] == [RESOLVED]
