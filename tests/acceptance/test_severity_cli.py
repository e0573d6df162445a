"""``opsrepo severity``: the matrix as a table, Markdown and JSON; a missing matrix fails."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from opsrepo.cli.main import cli
from tests.helpers import FIXTURES, ROOT

REPO = FIXTURES / "repos" / "escalation-handoff"


def severity(*args: str, repo: Path = REPO, columns: int = 100) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["severity", "--repo", str(repo), *args], env={"COLUMNS": str(columns)})
    return result.exit_code, result.stdout, result.stderr


def test_text_table_with_levels_as_columns() -> None:
    assert severity() == (0, """\
Severity matrix (policies/severity.yaml), most urgent first

                    SEV1 Critical              SEV2 Major                 SEV3 Minor
Pages               yes                        yes                        no
Channels            phone, sms, slack          push, slack                slack
Acknowledge within  5m                         15m                        4h
Resolve within      4h                         1d                         3d
Status updates      every 30m                  -                          -
Roles               incident-commander,        -                          -
                    scribe
Monitor after fix   1d                         -                          -
Post-mortem         required within 5d         required within 14d        not required
""", "")


def test_narrow_terminals_get_one_block_per_level() -> None:
    code, out, _ = severity(columns=60)
    assert code == 0
    assert out.splitlines()[:12] == [
        "Severity matrix (policies/severity.yaml), most urgent first",
        "",
        "SEV1 Critical",
        "  Pages               yes",
        "  Channels            phone, sms, slack",
        "  Acknowledge within  5m",
        "  Resolve within      4h",
        "  Status updates      every 30m",
        "  Roles               incident-commander, scribe",
        "  Monitor after fix   1d",
        "  Post-mortem         required within 5d",
        "",
    ]


def test_markdown() -> None:
    assert severity("--format", "md") == (0, """\
# Severity matrix

Most urgent first.

| Level | Pages | Channels | Acknowledge within | Resolve within | Status updates | Roles | Monitor after fix | Post-mortem |
| --- | --- | --- | --- | --- | --- | --- | --- | --- |
| **SEV1** Critical | yes | phone, sms, slack | 5m | 4h | every 30m | incident-commander, scribe | 1d | required within 5d |
| **SEV2** Major | yes | push, slack | 15m | 1d | - | - | - | required within 14d |
| **SEV3** Minor | no | slack | 4h | 3d | - | - | - | not required |
""", "")


def test_markdown_shows_what_authors_wrote_and_nothing_more(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    shutil.copytree(REPO, root)
    (root / "policies" / "severity.yaml").write_text("""\
levels:
  - id: P1
    name: "Down | out"
    description: "# not a heading <script>alert(1)</script> [link](javascript:x)"
    impact: "*everyone*, page @payments-oncall"
    examples: ["- nested", "`code`"]
    pages: true
    channels: ["a|b"]
    acknowledge_within: 5m
    resolve_within: 1h30m
""", encoding="utf-8")
    code, out, _ = severity("--format", "md", repo=root)
    assert code == 0
    assert out.splitlines()[6:] == [
        "| **P1** Down \\| out | yes | a\\|b | 5m | 1h30m | - | - | - | not required |",
        "",
        "## P1 Down | out",
        "",
        "\\# not a heading &lt;script&gt;alert(1)&lt;/script&gt; \\[link\\](javascript:x)",
        "",
        "**Impact:** \\*everyone\\*, page &#64;payments-oncall",
        "",
        "**Examples:**",
        "",
        "- \\- nested",
        "- \\`code\\`",
    ]


def test_json_has_every_field_in_urgency_order() -> None:
    code, out, _ = severity("--format", "json")
    levels = json.loads(out)["levels"]
    assert code == 0
    assert [level["id"] for level in levels] == ["SEV1", "SEV2", "SEV3"]
    assert levels[0] == {
        "id": "SEV1", "name": "Critical", "rank": 0, "description": None, "impact": None, "examples": [],
        "pages": True, "channels": ["phone", "sms", "slack"], "acknowledge_within": "5m", "resolve_within": "4h",
        "update_every": "30m", "roles": ["incident-commander", "scribe"], "monitor_after_fix": "1d",
        "postmortem": {"required": True, "within": "5d"},
    }
    assert levels[2]["postmortem"] == {"required": False, "within": None}


def test_the_example_repo_describes_each_level() -> None:
    code, out, _ = severity(repo=ROOT, columns=120)
    assert code == 0
    assert "\nSEV0 Critical\n  Kestrel is down or losing money or data for many customers right now." in out


@pytest.mark.parametrize(("content", "err"), [
    (None, "opsrepo: error: the repo has no severity matrix (policies/severity.yaml is missing)\n"
           "  hint: create it with your levels, most urgent first (see docs/format.md)\n"),
    ("levels: [\n", "opsrepo: error: policies/severity.yaml does not load\n"
                    "  hint: run 'opsrepo validate' and fix what it reports\n"),
])
def test_no_usable_matrix_exits_1(tmp_path: Path, content: str | None, err: str) -> None:
    root = tmp_path / "repo"
    shutil.copytree(REPO, root)
    matrix = root / "policies" / "severity.yaml"
    if content is None:
        matrix.unlink()
    else:
        matrix.write_text(content, encoding="utf-8")
    assert severity(repo=root) == (1, "", err)
