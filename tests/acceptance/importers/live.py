"""Golden outputs of ``opsrepo import`` from the fake PagerDuty and Opsgenie servers (``tests/fakevendors``).

The seeded fixture account (``make_account``: 44 schedules, 24 escalation
policies, with every case the issue lists) is loaded into a fake, imported over
HTTP at a fake clock, and the whole outcome is kept as one text bundle per case
in ``tests/fixtures/import/fakes/<case>.txt``: the exit code, every written
file but the exported schemas (``import-report.md`` included; stdout is the
same report), and ``opsrepo validate --format json`` of the result with its
exit code. The fakes render schedules from the vendors' documented semantics,
independently of opsrepo, so the report's verification is a differential test.

python -m tests.acceptance.importers.live --write   # then review `git diff`
"""

from __future__ import annotations

import dataclasses
import re
import sys
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from opsrepo.cli.main import cli
from tests.fakevendors import dump
from tests.fakevendors.accounts import Account, make_account
from tests.fakevendors.accounts_og import to_opsgenie
from tests.fakevendors.accounts_pd import to_pagerduty
from tests.fakevendors.og_server import KEY, FakeOpsgenie
from tests.fakevendors.pd_server import TOKEN, FakePagerDuty
from tests.helpers import FIXTURES

BUNDLES = FIXTURES / "import" / "fakes"
SECRETS = {"pagerduty": ("PAGERDUTY_TOKEN", TOKEN), "opsgenie": ("OPSGENIE_API_KEY", KEY)}
Fake = FakePagerDuty | FakeOpsgenie


@dataclass(frozen=True)
class Case:
    """One import: the vendor, the fake clock (also the import's now), the days verified, the account."""

    vendor: str
    now: str
    days: int = 28
    #: ``seeded`` (make_account as it is) or ``lossless`` (see :func:`lossless`)
    account: str = "seeded"

    @property
    def args(self) -> list[str]:
        return ["--verify-days", str(self.days)]


def _cases() -> dict[str, Case]:
    cases = {}
    for vendor in ("pagerduty", "opsgenie"):
        # the account's rotations begin around the 2026 changes: first turns, virtual starts, and the
        # autumn changes of Europe (10-25) and the US (11-01)
        cases[f"{vendor}-2026-10-15"] = Case(vendor, "2026-10-15T00:00:00Z")
        # spring 2027: the US (03-14), Europe (03-28) and Sydney's autumn change (04-04)
        cases[f"{vendor}-2027-03-10"] = Case(vendor, "2027-03-10T00:00:00Z")
        # autumn 2027 over 40 days: Sydney's spring change (10-03), Europe (10-31), the US (11-07)
        cases[f"{vendor}-2027-10-01"] = Case(vendor, "2027-10-01T00:00:00Z", days=40)
        cases[f"{vendor}-lossless-2026-11-23"] = Case(vendor, "2026-11-23T00:00:00Z", account="lossless")
    return cases


CASES = _cases()


def lossless(account: Account) -> Account:
    """The seeded account without what opsrepo reports as not carried over exactly.

    Every user gets a time zone, the deleted user is back, a window that ends inside a spring-forward
    gap (18:30 for 8 hours) lasts 9.5 hours, and a schedule with hourly turns under restrictions (which
    Opsgenie counts in elapsed hours) is in a zone without DST.
    """
    people = [dataclasses.replace(p, zone=p.zone or "Europe/Lisbon", deleted=False) for p in account.people]
    schedules = []
    for schedule in account.schedules:
        layers = [
            dataclasses.replace(
                layer,
                windows=[
                    dataclasses.replace(w, hours=9.5) if (w.start, w.hours) == ("18:30", 8) else w
                    for w in layer.windows
                ],
            )
            for layer in schedule.layers
        ]
        hourly = any(layer.kind == "hourly" and layer.windows for layer in layers)
        zone = "Asia/Kolkata" if hourly else schedule.zone
        schedules.append(dataclasses.replace(schedule, layers=layers, zone=zone))
    return dataclasses.replace(account, people=people, schedules=schedules)


def account_of(case: Case) -> dict[str, Any]:
    """The case's account as the vendor's objects."""
    account = make_account()
    if case.account == "lossless":
        account = lossless(account)
    return to_pagerduty(account) if case.vendor == "pagerduty" else to_opsgenie(account)


def load(fake: Fake, case: Case) -> None:
    """Put the case's account in an empty fake and set its clock."""
    fake.load(account_of(case))
    fake.now = datetime.fromisoformat(case.now)


def invoke(args: list[str], now: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    """``opsrepo ARGS`` in this process with "now" pinned: (exit code, stdout, stderr)."""
    result = CliRunner().invoke(cli, args, env={"OPSREPO_NOW": now, **(env or {})})
    return result.exit_code, result.stdout, result.stderr


def run_import(
    case: Case, out: Path, *source: str, env: dict[str, str] | None = None
) -> tuple[int, str, str]:
    """``opsrepo import VENDOR --out OUT SOURCE... --verify-days N`` (text report)."""
    variable, secret = SECRETS[case.vendor]
    return invoke(
        ["import", case.vendor, "--out", str(out), *source, *case.args],
        case.now,
        {variable: secret, **(env or {})},
    )


def written(out: Path) -> dict[str, str]:
    """Every file under ``out`` but the exported schemas, by relative path."""
    return {
        p.relative_to(out).as_posix(): p.read_text(encoding="utf-8")
        for p in sorted(out.rglob("*"))
        if p.is_file() and p.relative_to(out).parts[0] != "schemas"
    }


def outcome(case: Case, out: Path, code: int, stdout: str, stderr: str) -> dict[str, str]:
    """The bundle's sections of one finished import into ``out``."""
    assert stderr == "", stderr
    assert stdout == (out / "import-report.md").read_text(encoding="utf-8")
    found = {"exit-code": f"{code}\n", **written(out)}
    checked, report, _ = invoke(["validate", "--repo", str(out), "--format", "json"], case.now)
    found["validate.json"] = report
    found["validate-exit-code"] = f"{checked}\n"
    return found


def outputs(case: Case, url: str, out: Path) -> dict[str, str]:
    """The bundle of importing the case's account from the fake at ``url`` into ``out``."""
    return outcome(case, out, *run_import(case, out, "--api-url", url))


#: the Opsgenie case whose account is also imported from a configuration backup of it (BACKUP's bundle
#: keeps only what differs from that case's: the report, as a backup holds no rendering to verify with)
BACKUP_OF = "opsgenie-2027-03-10"
BACKUP = "opsgenie-backup-2027-03-10"


def backup_outputs(case: Case, url: str, tmp: Path) -> dict[str, str]:
    """The bundle of importing the configuration backup of the fake's account (``dump.save_opsgenie``)."""
    folder = dump.save_opsgenie(url, tmp / "backup")
    out = tmp / "from-backup"
    return outcome(
        case, out, *run_import(case, out, "--from-backup", str(folder), env={"OPSGENIE_API_KEY": ""})
    )


# -- bundles ---------------------------------------------------------------------------------------------

_HEADER = re.compile(r"^==> (.+) <==\n", re.MULTILINE)


def to_bundle(sections: dict[str, str]) -> str:
    """Sections as one text: a ``==> name <==`` line before each (each section ends with a line break)."""
    assert all(text.endswith("\n") for text in sections.values())
    return "".join(f"==> {name} <==\n{text}" for name, text in sections.items())


def from_bundle(text: str) -> dict[str, str]:
    """The sections of :func:`to_bundle`'s text."""
    parts = _HEADER.split(text)
    assert parts[0] == ""
    return dict(zip(parts[1::2], parts[2::2], strict=True))


def bundle_path(case: str) -> Path:
    return BUNDLES / f"{case}.txt"


def expected(case: str) -> dict[str, str]:
    return from_bundle(bundle_path(case).read_text(encoding="utf-8"))


def write(name: str, sections: dict[str, str]) -> None:
    bundle_path(name).write_text(to_bundle(sections), encoding="utf-8")
    print(f"wrote {bundle_path(name)}")


def main() -> int:
    if sys.argv[1:] != ["--write"]:
        print(__doc__)
        return 2
    fakes: dict[str, Fake] = {"pagerduty": FakePagerDuty(), "opsgenie": FakeOpsgenie()}
    try:
        BUNDLES.mkdir(parents=True, exist_ok=True)
        for name, case in CASES.items():
            fake = fakes[case.vendor]
            fake.reset()
            load(fake, case)
            with tempfile.TemporaryDirectory() as tmp:
                found = outputs(case, fake.url, Path(tmp) / "out")
                if name == BACKUP_OF:
                    other = backup_outputs(case, fake.url, Path(tmp))
                    write(BACKUP, {k: v for k, v in other.items() if found.get(k) != v})
            if fake.violations:
                raise SystemExit(
                    f"{name}: the fake saw requests or answers its API forbids: {fake.violations}"
                )
            write(name, found)
    finally:
        for fake in fakes.values():
            fake.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
