"""``opsrepo import`` of the seeded accounts from the fake PagerDuty and Opsgenie: a differential test.

The fakes (``tests/fakevendors``) serve the accounts over HTTP, check every
request and answer against the vendors' API descriptions (a finding fails the
test at teardown) and render schedules from the vendors' documented semantics,
independently of opsrepo's engine. Each import's whole outcome is compared with
its golden bundle (``python -m tests.acceptance.importers.live --write``), and
what it proves is asserted on its own: the written repo validates, every
schedule's verification is exact or differs only where the report names a loss,
and the losses are exactly these report lines.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from opsrepo.vendors import opsgenie as og_api
from opsrepo.vendors import pagerduty as pd_api
from tests.acceptance.importers.live import (
    BACKUP,
    BACKUP_OF,
    CASES,
    Case,
    backup_outputs,
    expected,
    load,
    outcome,
    outputs,
    run_import,
)
from tests.fakevendors.og_server import NO_ACCESS_KEY
from tests.fakevendors.pd_server import NO_ACCESS_TOKEN

pytest_plugins = ["tests.fakevendors.fixtures"]

VENDOR = {"pagerduty": "PagerDuty", "opsgenie": "Opsgenie"}
#: the policies whose every target begins after 2026-10-15: before then an alert reaches nobody, in the
#: vendor as in the repo (the seeded rotations begin around the 2026 DST changes)
NOT_YET_STARTED = ["identity-escalation-12", "platform-escalation-16", "platform-escalation-19"]


def fake_for(request: pytest.FixtureRequest, case: Case) -> Any:
    fake = request.getfixturevalue(f"fake_{case.vendor}")
    load(fake, case)
    return fake


def loss_lines(report: str) -> list[str]:
    """Each report item with a loss, and its ``not carried over`` lines."""
    found: list[str] = []
    item = ""
    for line in report.splitlines():
        if line.startswith("- **"):
            item = line
        elif line.startswith("  - not carried over: "):
            found += [item, line] if item else [line]
            item = ""
    return found


def verification(report: str) -> dict[str, list[str]]:
    """Each verified schedule's result, and for those that differ, the lines of their differences."""
    rows = re.findall(r"^\| (.+) \(`[^`]+`\) \| .+ \| .+ \| (.+) \|$", report, re.MULTILINE)
    sections = {
        name: body.strip().splitlines()
        for name, body in re.findall(r"^### (.+)\n\n((?:[- ].+\n)+)", report, re.MULTILINE)
    }
    return {name: [result, *sections.get(name, [])] for name, result in rows}


def _gap(layer: str, zone: str, date: str, vendor: str) -> str:
    return (
        f"  - not carried over: layer '{layer}': window end at 02:30 in a spring-forward gap: {zone} skips "
        f"02:00–03:00 on {date} (and at each such change): {vendor} then moves it later by the gap, to "
        "03:30; opsrepo to 03:00, the first valid instant"
    )


def _hourly(zone: str) -> str:
    return (
        "  - not carried over: rotation 'Rotation {n}': hourly turns across DST: the vendor counts elapsed "
        f"hours, opsrepo the wall clock of {zone}, on which the rotation's restrictions are too: while that "
        "zone is on another UTC offset than at the rotation's start (for months each year), every handoff "
        "is the DST change (usually an hour) away from the vendor's"
    )


NO_ZONE = (
    "  - not carried over: time zone: it has none; the organisation's America/New_York was written instead"
)
DELETED = (
    "  - not carried over: user: the account has no such user (deleted?) though a rotation, override or "
    "escalation names it; a placeholder person was written so turns keep their order: replace it"
)


def expected_losses(case: Case) -> list[str]:
    """Every report line that names a loss: the seeded account's users, and its schedules' DST cases."""
    if case.account == "lossless":
        return []
    spring = ("2027-03-28", "2027-03-14") if case.now < "2027-03-15" else ("2028-03-26", "2028-03-12")
    if case.vendor == "pagerduty":
        return [
            "- **Bob Ivanov** (`PU00001`) → `person:bob-ivanov`",
            NO_ZONE,
            "- **Fatima Kowalski** (`PU00013`) → `person:fatima-kowalski`",
            DELETED,
            "- **Edge night 31** (`PS0000V`) → `schedule:edge-night-31`",
            _gap("Layer 1", "Europe/Berlin", spring[0], "PagerDuty"),
            "- **Payments secondary 41** (`PS00015`) → `schedule:payments-secondary-41`",
            _gap("Layer 1", "America/New_York", spring[1], "PagerDuty"),
        ]
    return [
        "- **Bob Ivanov** (`1b4bbe9e-e764-5b34-ac08-f2a2abacb9b5`) → `person:bob-ivanov`",
        NO_ZONE,
        "- **fatimakowalski.39@example.com** (`fatimakowalski.39@example.com`) → "
        "`person:fatimakowalski-39-example-com`",
        DELETED,
        "- **Edge night 31** (`b625ad20-8411-534e-a2a2-23c97c75908f`) → `schedule:edge-night-31`",
        _gap("Rotation 1", "Europe/Berlin", spring[0], "Opsgenie"),
        "- **Identity primary 20** (`b08cb44b-4b31-525b-a9b3-8f14453f6b8f`) → "
        "`schedule:identity-primary-20-rotation-1`, `schedule:identity-primary-20-rotation-2`",
        _hourly("Europe/Berlin").format(n=2),
        "- **Payments secondary 41** (`215018b0-0b96-53ba-8019-84c628c2d13c`) → `schedule:payments-secondary-41`",
        _hourly("America/New_York").format(n=1),
        _gap("Rotation 1", "America/New_York", spring[1], "Opsgenie"),
        "- **Platform night 11** (`47bf8e3f-47f6-54b2-92da-afec212d43bf`) → `schedule:platform-night-11`",
        _hourly("America/New_York").format(n=1),
    ]


@pytest.mark.parametrize("name", sorted(CASES))
def test_an_account_from_the_fake_imports_as_recorded_and_as_the_vendor_renders_it(
    name: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    case = CASES[name]
    fake = fake_for(request, case)
    found = outputs(case, fake.url, tmp_path / "out")
    assert found == expected(name)
    assert fake.violations == []  # every request and answer as the vendor's API description allows

    report = found["import-report.md"]
    assert loss_lines(report) == expected_losses(case)
    checked = verification(report)
    assert len(checked) == 44  # every schedule of the account, over the whole window
    unexplained = {
        schedule: lines
        for schedule, lines in checked.items()
        if lines[0] != "exact" and not any(line.startswith("  - explained by: ") for line in lines)
    }
    assert unexplained == {}
    if case.account == "lossless":  # nothing lossy: exit 0, and every schedule exact
        assert found["exit-code"] == "0\n"
        assert {lines[0] for lines in checked.values()} == {"exact"}
    errors = [(e["code"], e["file"]) for e in json.loads(found["validate.json"])["errors"]]
    late = [("OPS415", f"policies/escalation/{p}.yaml") for p in NOT_YET_STARTED]
    assert errors == (late if case.now.startswith("2026-10-15") else [])


def test_pagerduty_saved_with_save_dir_imports_again_from_dir_byte_for_byte(
    fake_pagerduty: Any, tmp_path: Path
) -> None:
    name = "pagerduty-2027-03-10"
    case = CASES[name]
    load(fake_pagerduty, case)
    saved = tmp_path / "saved"
    live = run_import(case, tmp_path / "live", "--api-url", fake_pagerduty.url, "--save-dir", str(saved))
    assert outcome(case, tmp_path / "live", *live) == expected(name)
    asked = len(fake_pagerduty.log)
    offline = run_import(case, tmp_path / "offline", "--from-dir", str(saved), env={"PAGERDUTY_TOKEN": ""})
    assert outcome(case, tmp_path / "offline", *offline) == expected(name)
    assert len(fake_pagerduty.log) == asked  # nothing was asked of the API
    assert sorted(p.name for p in saved.iterdir()) == [
        "escalation_policies.json",
        "meta.json",
        "overrides.json",
        "schedules.json",
        "services.json",
        "team_members.json",
        "teams.json",
        "users.json",
        "v3_schedules.json",
    ]
    files = sorted(p.relative_to(tmp_path / "live") for p in (tmp_path / "live").rglob("*") if p.is_file())
    assert [(tmp_path / "offline" / p).read_bytes() for p in files] == [
        (tmp_path / "live" / p).read_bytes() for p in files
    ]


def test_opsgenie_from_a_configuration_backup_writes_the_files_the_api_import_writes(
    fake_opsgenie: Any, tmp_path: Path
) -> None:
    """Only the report differs: a backup holds no rendering, so no schedule is verified."""
    case = CASES[BACKUP_OF]
    load(fake_opsgenie, case)
    found = backup_outputs(case, fake_opsgenie.url, tmp_path)
    assert found == {**expected(BACKUP_OF), **expected(BACKUP)}
    assert sorted(expected(BACKUP)) == ["import-report.md"]
    unverified = ["not verified: the vendor's rendering is not at hand (a backup holds none)"]
    assert list(verification(found["import-report.md"]).values()) == [unverified] * 44


def _pages(fake: Any) -> dict[str, list[tuple[str, str]]]:
    """Each list path the fake served, with the (limit, offset) of each page asked."""
    found: dict[str, list[tuple[str, str]]] = {}
    for logged in fake.log:
        if "offset" in logged.query:
            found.setdefault(logged.path, []).append((logged.query["limit"][0], logged.query["offset"][0]))
    return found


def test_pagerduty_lists_read_in_small_pages_give_the_same_import(
    fake_pagerduty: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    name = "pagerduty-2027-03-10"
    monkeypatch.setattr(pd_api, "PAGE_SIZE", 7)
    load(fake_pagerduty, CASES[name])
    assert outputs(CASES[name], fake_pagerduty.url, tmp_path / "out") == expected(name)
    pages = _pages(fake_pagerduty)
    by_seven = [("7", str(offset)) for offset in range(0, 43, 7)]
    assert (pages["/users"], pages["/teams"], pages["/services"]) == (
        by_seven[:6],
        by_seven[:2],
        by_seven[:4],
    )
    assert (pages["/escalation_policies"], pages["/schedules"]) == (by_seven[:4], by_seven)
    members = {path: asked for path, asked in pages.items() if path.endswith("/members")}
    assert list(members.values()) == [[("7", "0")]] * 8  # six members a team: one page each


def test_opsgenie_users_read_in_small_pages_give_the_same_import(
    fake_opsgenie: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    name = "opsgenie-2027-03-10"
    monkeypatch.setattr(og_api, "PAGE", 7)
    load(fake_opsgenie, CASES[name])
    assert outputs(CASES[name], fake_opsgenie.url, tmp_path / "out") == expected(name)
    assert _pages(fake_opsgenie) == {"/v2/users": [("7", str(offset)) for offset in range(0, 36, 7)]}


@pytest.mark.parametrize(
    ("vendor", "path", "waits"),
    [
        # PagerDuty's client backs off by its own timer too (made a millisecond here); Opsgenie's pauses
        # twice as long after each 5xx: 2 ** attempt seconds
        ("pagerduty", "/users", [3.0, 3.0]),
        ("opsgenie", "/v2/users", [3.0, 3.0, 4.0, 8.0]),
    ],
)
def test_429_with_retry_after_and_5xx_answers_are_retried_to_the_same_import(
    vendor: str,
    path: str,
    waits: list[float],
    request: pytest.FixtureRequest,
    tmp_path: Path,
    short_pauses: list[tuple[str, float]],
) -> None:
    name = f"{vendor}-2027-03-10"
    fake = fake_for(request, CASES[name])
    fake.rate_limit(2, retry_after=3)
    fake.server_errors(1, status=500)
    fake.server_errors(1, status=503)
    assert outputs(CASES[name], fake.url, tmp_path / "out") == expected(name)
    assert [(r.path, r.status) for r in fake.log[:5]] == [
        (path, 429),
        (path, 429),
        (path, 500),
        (path, 503),
        (path, 200),
    ]
    assert short_pauses == [(vendor, seconds) for seconds in waits]


@pytest.mark.parametrize(
    ("vendor", "key", "message"),
    [
        (
            "pagerduty",
            "not-a-token",
            "opsrepo: error: PagerDuty did not accept the token (401 Unauthorized)\n"
            "  hint: check $PAGERDUTY_TOKEN (a REST API key of the account), and --api-url for an EU "
            "account (https://api.eu.pagerduty.com)\n",
        ),
        (
            "pagerduty",
            NO_ACCESS_TOKEN,
            "opsrepo: error: PagerDuty refused the token access to GET /users (403 Forbidden)\n"
            "  hint: use a key that may read users, teams, services, escalation policies and schedules (an "
            "account's read-only REST API key may)\n",
        ),
        (
            "opsgenie",
            "not-a-key",
            "opsrepo: error: Opsgenie did not accept the key (401 Unauthorized)\n"
            "  hint: check $OPSGENIE_API_KEY, and --region: an EU account's key works only with --region eu\n",
        ),
        (
            "opsgenie",
            NO_ACCESS_KEY,
            "opsrepo: error: Opsgenie refused the key access to GET /v2/users (403 Forbidden)\n"
            "  hint: use a key from Settings > API key management with the Read and Configuration access "
            "rights (a team integration's key, or one restricted from configurations, cannot read users, "
            "teams, schedules and escalations)\n",
        ),
    ],
)
def test_a_refused_key_stops_the_import_with_exit_2_and_says_what_to_do(
    vendor: str, key: str, message: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    case = CASES[f"{vendor}-2027-03-10"]
    fake = fake_for(request, case)
    variable = {"pagerduty": "PAGERDUTY_TOKEN", "opsgenie": "OPSGENIE_API_KEY"}[vendor]
    code, stdout, stderr = run_import(case, tmp_path / "out", "--api-url", fake.url, env={variable: key})
    assert (code, stdout, stderr) == (2, "", message)
    assert not (tmp_path / "out").exists()
    assert len(fake.log) == 1  # the first refusal ends it: nothing is retried
