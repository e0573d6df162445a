"""Benchmark: ``opsrepo import`` from saved accounts, and its verification, at three account sizes.

    python benchmarks/import.py [--sizes 50:30,200:120,500:300] [--repeat 3] [--work DIR] [--quick]

For each size (schedules:policies) the seeded fixture account of the tests
(``tests/fakevendors/accounts.make_account``) is served by the fake PagerDuty
and Opsgenie and saved once, the way users save it: ``opsrepo import pagerduty
--save-dir`` (the API's JSON with PagerDuty's rendering of 28 days) and the
layout of Opsgenie's configuration-backup tool (``tests/fakevendors/dump.py``).
``--work DIR`` keeps them for the next run. Then it times, with "now" pinned:

* import: ``opsrepo import pagerduty --from-dir`` and ``opsrepo import opsgenie
  --from-backup`` with ``--verify-days 0`` into an empty folder, as whole
  processes (best of N). Budget (issue 14): <= 3 s at 500 schedules and 300
  policies.
* verification: the ``verify`` phase of an import in this process (opsrepo's
  final schedule of every imported schedule over 28 days, compared with the
  vendor's rendering; best of N): PagerDuty from the saved folder, which holds
  the rendering; Opsgenie over the fake's API, whose fetching (the timelines
  included) is the ``read`` phase and not counted. Budget: <= 5 s for 500
  schedules x 28 days beyond fetching.

Figures per schedule show how each grows with the account. ``--quick``: an
account of 10 schedules and 6 policies, once: a smoke run.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from opsrepo.vendors.run import ImportRequest, Outcome, run  # noqa: E402
from tests.fakevendors import dump  # noqa: E402
from tests.fakevendors.accounts import make_account  # noqa: E402
from tests.fakevendors.accounts_og import to_opsgenie  # noqa: E402
from tests.fakevendors.accounts_pd import to_pagerduty  # noqa: E402
from tests.fakevendors.og_server import KEY, FakeOpsgenie  # noqa: E402
from tests.fakevendors.pd_server import TOKEN, FakePagerDuty  # noqa: E402

NOW = "2027-03-10T00:00:00+00:00"  # every fixture rotation has begun; the spring DST changes are ahead
DAYS = 28


def saved(work: Path, schedules: int, policies: int) -> tuple[Path, Path]:
    """The PagerDuty folder and the Opsgenie backup of the account of this size (made once)."""
    folder = work / f"{schedules}-{policies}"
    pd_dir, og_dir = folder / "pagerduty", folder / "opsgenie"
    if not (pd_dir / "meta.json").is_file():
        account = make_account(schedules=schedules, policies=policies)
        fake = FakePagerDuty(now=datetime.fromisoformat(NOW))
        try:
            fake.load(to_pagerduty(account))
            started = time.perf_counter()
            with tempfile.TemporaryDirectory() as out:
                request = ImportRequest("pagerduty", fake.now, Path(out), TOKEN, fake.url, None, pd_dir, DAYS)
                run(request)
            print(f"  saved PagerDuty's account over its API in {time.perf_counter() - started:.1f} s")
        finally:
            fake.stop()
    if not (og_dir / "OpsGenieBackups").is_dir():
        og = FakeOpsgenie(now=datetime.fromisoformat(NOW))
        try:
            og.load(to_opsgenie(make_account(schedules=schedules, policies=policies)))
            dump.save_opsgenie(og.url, og_dir)
        finally:
            og.stop()
    return pd_dir, og_dir


def process_seconds(repeat: int, vendor: str, option: str, source: Path) -> float:
    """Best wall-clock time of ``opsrepo import VENDOR OPTION SOURCE --verify-days 0`` as a process."""
    found = shutil.which("opsrepo")
    opsrepo = [found] if found else [sys.executable, "-m", "opsrepo"]
    best = float("inf")
    for _ in range(repeat):
        with tempfile.TemporaryDirectory() as out:
            command = [*opsrepo, "import", vendor, option, str(source), "--out", out, "--verify-days", "0"]
            started = time.perf_counter()
            done = subprocess.run(command, capture_output=True, text=True, check=False, env=_env())
            best = min(best, time.perf_counter() - started)
            if done.returncode not in (0, 1):
                raise SystemExit(f"{' '.join(command)} failed ({done.returncode}): {done.stderr}")
    return best


def _env() -> dict[str, str]:
    return {**os.environ, "OPSREPO_NOW": NOW}


def verify_seconds(repeat: int, request: ImportRequest) -> Outcome:
    """The import (in this process) whose ``verify`` phase was fastest of ``repeat``."""
    best: Outcome | None = None
    for _ in range(repeat):
        with tempfile.TemporaryDirectory() as out:
            outcome = run(dataclasses.replace(request, out=Path(out)))
        if best is None or outcome.seconds["verify"] < best.seconds["verify"]:
            best = outcome
    assert best is not None
    return best


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes", default="50:30,200:120,500:300", help="schedules:policies, comma separated"
    )
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--work", type=Path, default=None, help="keep the saved accounts here for the next run"
    )
    parser.add_argument("--quick", action="store_true", help="10 schedules and 6 policies, once: a smoke run")
    args = parser.parse_args()
    if args.quick:
        args.sizes, args.repeat = "10:6", 1
    sizes = [tuple(int(n) for n in size.split(":")) for size in args.sizes.split(",")]
    now = datetime.fromisoformat(NOW)
    with tempfile.TemporaryDirectory() as tmp:
        work = args.work or Path(tmp)
        rows = []
        for schedules, policies in sizes:
            print(f"account: {schedules} schedules, {policies} policies")
            pd_dir, og_dir = saved(work, schedules, policies)
            pd_import = process_seconds(args.repeat, "pagerduty", "--from-dir", pd_dir)
            og_import = process_seconds(args.repeat, "opsgenie", "--from-backup", og_dir)
            pd = verify_seconds(
                args.repeat, ImportRequest("pagerduty", now, Path(), None, None, pd_dir, None, DAYS)
            )
            fake = FakeOpsgenie(now=now)
            try:
                fake.load(to_opsgenie(make_account(schedules=schedules, policies=policies)))
                og = verify_seconds(
                    args.repeat, ImportRequest("opsgenie", now, Path(), KEY, fake.url, None, None, DAYS)
                )
            finally:
                fake.stop()
            rows.append((schedules, policies, pd_import, og_import, pd, og))
            print(
                f"  verified: PagerDuty {len(pd.imported.report.verifications)} schedules "
                f"({pd.imported.report.verifications[0].status}...), Opsgenie "
                f"{len(og.imported.report.verifications)}; phases (s): PagerDuty "
                + ", ".join(f"{k} {v:.2f}" for k, v in pd.seconds.items())
                + "; Opsgenie "
                + ", ".join(f"{k} {v:.2f}" for k, v in og.seconds.items())
            )
        print()
        print(
            "| schedules / policies | import pagerduty --from-dir | import opsgenie --from-backup "
            f"| verify PagerDuty, {DAYS} days | verify Opsgenie, {DAYS} days |"
        )
        print("| --- | --- | --- | --- | --- |")
        for schedules, policies, pd_import, og_import, pd, og in rows:
            cells = [
                f"{seconds:.2f} s ({1000 * seconds / schedules:.1f} ms/schedule)"
                for seconds in (pd_import, og_import, pd.seconds["verify"], og.seconds["verify"])
            ]
            print(f"| {schedules} / {policies} | " + " | ".join(cells) + " |")
        print("budgets (500 / 300): import <= 3 s (whole process); verification <= 5 s beyond fetching")
    return 0


if __name__ == "__main__":
    sys.exit(main())
