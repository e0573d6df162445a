"""Fixture accounts: variety, determinism, loading into the fakes and the saved-folder layouts."""

from __future__ import annotations

import json
from pathlib import Path

from tests.fakevendors import dump, pd_render
from tests.fakevendors.accounts import make_account
from tests.fakevendors.accounts_og import to_opsgenie
from tests.fakevendors.accounts_pd import to_pagerduty
from tests.fakevendors.og_server import FakeOpsgenie
from tests.fakevendors.pd_server import FakePagerDuty

pytest_plugins = ["tests.fakevendors.fixtures"]
SINCE, UNTIL = "2026-10-26T00:00:00Z", "2026-11-09T00:00:00Z"


def test_the_account_has_every_case_the_importer_must_meet() -> None:
    account = make_account()
    pd, og = to_pagerduty(account), to_opsgenie(account)
    assert len(pd["schedules"]) >= 40 and len(pd["escalation_policies"]) >= 20
    assert len(og["schedules"]) >= 40 and len(og["escalations"]) >= 20
    turns = {layer["rotation_turn_length_seconds"] for s in pd["schedules"] for layer in s["schedule_layers"]}
    assert {604800, 86400, 43200} <= turns or {604800, 86400, 28800} <= turns
    kinds = {r["type"] for s in pd["schedules"] for layer in s["schedule_layers"] for r in layer["restrictions"]}
    assert kinds == {"daily_restriction", "weekly_restriction"}
    assert any(len(s["schedule_layers"]) >= 3 for s in pd["schedules"])
    assert sum(len(o) for o in pd["overrides"].values()) >= 10
    assert {r["type"] for s in og["schedules"] for r in s["rotations"]} == {"weekly", "daily", "hourly"}
    assert {r["timeRestriction"]["type"] for s in og["schedules"] for r in s["rotations"] if "timeRestriction" in r} == {
        "time-of-day", "weekday-and-time-of-day"}
    assert sum("time_zone" not in u for u in pd["users"]) == 1 and sum("timeZone" not in u for u in og["users"]) == 1
    gone = next(iter(pd["deleted"]))
    assert gone not in {u["id"] for u in pd["users"]}
    assert any(t["id"] == gone for p in pd["escalation_policies"] for r in p["escalation_rules"] for t in r["targets"])
    assert any(o["user"]["id"] == gone for os in pd["overrides"].values() for o in os)
    names = [t["name"] for t in pd["teams"]]
    assert len(names) > len(set(names))
    assert any(not u["name"].isascii() for u in pd["users"]) and any(not s["name"].isascii() for s in og["schedules"])
    sun = next(s for s in pd["schedules"] if s["name"].startswith("Follow the sun"))
    assert len({u["user"]["id"] for layer in sun["schedule_layers"] for u in layer["users"]}) == 12
    weekend = {"startDay": "friday", "startHour": 18, "startMin": 0, "endDay": "monday", "endHour": 8, "endMin": 0}
    assert any(weekend in r.get("timeRestriction", {}).get("restrictions", []) for s in og["schedules"]
               for r in s["rotations"])


def test_accounts_are_deterministic_and_have_a_size_knob() -> None:
    assert to_pagerduty(make_account(3)) == to_pagerduty(make_account(3))
    assert to_opsgenie(make_account(3)) != to_opsgenie(make_account(4))
    big = make_account(schedules=500, policies=300)
    assert (len(big.schedules), len(big.policies)) == (500, 300)


def test_pagerduty_layout_round_trip(fake_pagerduty: FakePagerDuty, tmp_path: Path) -> None:
    fake_pagerduty.load(to_pagerduty(make_account()))
    dump.save_pagerduty(fake_pagerduty.url, tmp_path, SINCE, UNTIL)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        ["meta.json", "users.json", "teams.json", "team_members.json", "services.json", "escalation_policies.json",
         "schedules.json", "overrides.json", "oncalls.json"])
    read = {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in tmp_path.iterdir()}
    assert read["schedules"]["total"] == len(read["schedules"]["schedules"]) == 44
    assert set(read["overrides"]) == {s["id"] for s in read["schedules"]["schedules"]}
    for schedule in read["schedules"]["schedules"]:
        own = pd_render.render(fake_pagerduty.account.objects["schedule"][schedule["id"]],
                               fake_pagerduty.account.overrides.get(schedule["id"], []),
                               pd_render.parse(SINCE), pd_render.parse(UNTIL))
        saved = schedule["final_schedule"]["rendered_schedule_entries"]
        assert [(pd_render.parse(e["start"]), pd_render.parse(e["end"]), e["user"]["id"]) for e in saved] == [
            (s.start, s.end, s.who) for s in own.final]
    sun = next(s for s in read["schedules"]["schedules"] if s["name"].startswith("Follow the sun"))
    assert sun["final_schedule"]["rendered_coverage_percentage"] == 100.0


def test_opsgenie_backup_layout_round_trip(fake_opsgenie: FakeOpsgenie, tmp_path: Path) -> None:
    account = to_opsgenie(make_account())
    fake_opsgenie.load(account)
    base = dump.save_opsgenie(fake_opsgenie.url, tmp_path)
    assert sorted(p.name for p in base.iterdir()) == ["escalations", "schedules", "teams", "users"]
    assert len(list((base / "teams").iterdir())) == len(account["teams"])  # two teams share a name
    user = account["users"][0]
    saved = json.loads((base / "users" / f"{user['username']}-{user['id']}.json").read_text(encoding="utf-8"))
    assert saved == {"user": dump.jackson_dates(user), "notificationRuleList": []}
    sun = next(s for s in account["schedules"] if s["name"].startswith("Follow the sun"))
    kept = json.loads((base / "schedules" / f"{sun['name']}-{sun['id']}.json").read_text(encoding="utf-8"))
    assert kept["schedule"]["rotations"][0]["startDate"].endswith(".000Z") and kept["scheduleOverrideList"] == []
    with_overrides = [p for p in (base / "schedules").iterdir()
                      if json.loads(p.read_text(encoding="utf-8"))["scheduleOverrideList"]]
    assert len(with_overrides) == len(account["overrides"])
    assert len(list((base / "escalations").iterdir())) == len(account["escalations"])
