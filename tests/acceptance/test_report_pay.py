"""``opsrepo report pay`` end to end: formats, periods, usage errors and a broken pay configuration."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from opsrepo.cli.main import cli
from tests.helpers import MINIMAL, copy_repo

ENV = {"OPSREPO_NOW": "2026-11-23T09:00:00Z"}
PAY = """pay:
  currency: EUR
  rules:
    - name: standard
      rates:
        weekday: {per_hour: 2.5}
        weekday_night: {per_hour: 4}
        weekend: {per_hour: 5}
        holiday: {per_shift: 100}
"""


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = copy_repo(MINIMAL, tmp_path / "repo")
    with (root / "opsrepo.yaml").open("a", encoding="utf-8") as out:
        out.write(PAY)
    return root


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["report", "pay", *args], env=ENV)
    return result.exit_code, result.stdout, result.stderr


def test_csv_for_a_month(repo: Path) -> None:
    # weekly turns from Monday 09:00 (Berlin): ana to 2 November (Sunday 1 November is All Saints' Day, a holiday
    # only in some states: people without a subdivision do not have it), ben from then, cleo; cleo's last turn
    # runs into December
    code, out, err = invoke("--repo", str(repo), "--month", "2026-11", "--format", "csv")
    assert (code, err) == (0, "")
    assert out == """\
person,name,team,weekday,weekday_night,weekend,holiday,total,shifts,amount,currency
ana,Ana Silva,core,83.00,46.00,72.00,0.00,201.00,1,751.50,EUR
ben,Ben Okafor,core,160.00,80.00,96.00,0.00,336.00,2,1200.00,EUR
cleo,Cleo Park,core,93.00,42.00,48.00,0.00,183.00,2,640.50,EUR
total,,,336.00,168.00,216.00,0.00,720.00,5,2592.00,EUR
"""


def test_the_default_period_is_the_last_complete_month(repo: Path) -> None:
    assert invoke("--repo", str(repo))[1] == invoke("--repo", str(repo), "--month", "2026-10")[1]


def test_a_period_of_days(repo: Path) -> None:
    code, out, err = invoke("--repo", str(repo), "--from", "2026-11-02", "--to", "2026-11-08", "--format", "text")
    assert (code, err) == (0, "")
    assert out == """\
On-call pay for 2026-11-02 to 2026-11-08, each person's days on their own clock; amounts in EUR

person  name        team  weekday  weekday night  weekend  holiday   total  shifts  amount
ana     Ana Silva   core     3.00           6.00     0.00     0.00    9.00       0   31.50
ben     Ben Okafor  core    77.00          34.00    48.00     0.00  159.00       1  568.50
total                       80.00          40.00    48.00     0.00  168.00       1  600.00

Hours are on call by the final schedules; time on two schedules at once counts once unless a pay rule says 'overlap: each'.
"""


def test_without_pay_rules_hours_only(tmp_path: Path) -> None:
    root = copy_repo(MINIMAL, tmp_path / "repo")
    code, out, err = invoke("--repo", str(root), "--month", "2026-11", "--format", "json")
    assert code == 0
    assert err == "opsrepo: note: no pay rules (pay: in opsrepo.yaml): hours only\n"
    assert '"amount": null' in out and '"currency": null' in out


@pytest.mark.parametrize(("args", "message"), [
    (["--month", "2026-13"], "opsrepo: error: --month '2026-13' is not a month\n  hint: write it as YYYY-MM, "
                             "e.g. 2026-11\n"),
    (["--month", "2026-11", "--from", "2026-11-01"],
     "opsrepo: error: --month and --from/--to are exclusive\n  hint: pass a month, or the first and last days\n"),
    (["--from", "2026-11-01"], "opsrepo: error: --from and --to go together\n  hint: pass both days, e.g. "
                               "--from 2026-01-01 --to 2026-12-31\n"),
    (["--from", "2026-11-01", "--to", "2026-10-01"],
     "opsrepo: error: --from 2026-11-01 --to 2026-10-01 is not a period of 1 to 366 days\n  hint: put --to on or "
     "after --from, at most a year later\n"),
    (["--from", "1 Nov", "--to", "2026-11-30"],
     "opsrepo: error: --from '1 Nov' / --to '2026-11-30': not dates\n  hint: write dates as YYYY-MM-DD\n"),
])
def test_usage_errors_exit_2(repo: Path, args: list[str], message: str) -> None:
    assert invoke("--repo", str(repo), *args) == (2, "", message)


def test_bad_format_exits_2(repo: Path) -> None:
    code, _, err = invoke("--repo", str(repo), "--format", "xlsx")
    assert code == 2 and "Invalid value for '--format'" in err


def test_a_broken_pay_section_is_named_and_validate_locates_it(tmp_path: Path) -> None:
    root = copy_repo(MINIMAL, tmp_path / "repo")
    with (root / "opsrepo.yaml").open("a", encoding="utf-8") as out:
        out.write("pay: {currency: EUR, rules: [{name: x, rates: {weekday: {per_hour: lots}}}]}\n")
    code, out, err = invoke("--repo", str(root), "--month", "2026-11")
    # pay is money: a report from pay rules that lost a rate would pay too little, so there is none
    assert (code, out) == (1, "")
    assert err == ("opsrepo: warning: 1 file failed to load and is left out of the pay report: opsrepo.yaml\n"
                   "  hint: run 'opsrepo validate' to see what to fix\n"
                   "opsrepo: error: opsrepo.yaml has errors, so the pay rules may be incomplete: no pay report\n"
                   "  hint: run 'opsrepo validate', fix opsrepo.yaml, then run the report again\n")
    result = CliRunner().invoke(cli, ["validate", "--repo", str(root)], env=ENV)
    assert result.exit_code == 1
    assert result.stdout.startswith("opsrepo.yaml:4:68: OPS103 error: expected a number, got the text 'lots' in "
                                    "pay.rules[0].rates.weekday.per_hour\n")
