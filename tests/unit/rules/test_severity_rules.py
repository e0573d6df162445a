"""OPS401-OPS407: the severity matrix is complete and ordered; severities named elsewhere exist."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from opsrepo.validate import validate_repo
from tests.helpers import MINIMAL, NOW, copy_repo, overlay


def diagnostics(tmp_path: Path, files: dict[str, Any]) -> list[list[Any]]:
    """Every diagnostic of the minimal repo with ``files`` overlaid: [code, file, line, column, message, hint]."""
    root = copy_repo(MINIMAL, tmp_path / "repo")
    overlay(root, files)
    return [[d.code, d.file, d.line, d.column, d.message, d.hint] for d in validate_repo(root, NOW).diagnostics]


def matrix(*levels: str) -> dict[str, str]:
    return {"policies/severity.yaml": "levels:\n" + "".join(f"  - {level}\n" for level in levels)}


SEV1 = "{id: SEV1, name: Critical, pages: true, acknowledge_within: 5m, resolve_within: 4h, " \
       "postmortem: {required: true, within: 7d}}"
SEV3 = "{id: SEV3, name: Minor, pages: false, acknowledge_within: 4h, resolve_within: 3d, postmortem: {required: false}}"

CASES: dict[str, tuple[dict[str, Any], list[list[Any]]]] = {
    "missing-matrix": ({"policies/severity.yaml": None}, [
        ["OPS401", "policies/severity.yaml", 1, 1, "the repo has no severity matrix (policies/severity.yaml is missing)",
         "create policies/severity.yaml with your levels, most urgent first (see docs/format.md)"],
    ]),
    "a-broken-matrix-is-reported-once": ({"policies/severity.yaml": "levels: [\n"}, [
        ["OPS002", "policies/severity.yaml", 2, 1,
         "YAML syntax error: a value is missing (a list or mapping is left open), or it starts with a "
         "character YAML reserves (the parser says: did not find expected node content (while parsing a flow "
         "node))",
         "check the indentation and quoting on this line and the one before it"],
    ]),
    "duplicate-id": (matrix(SEV1, SEV1.replace("Critical", "Again"),
                            "{id: SEV2, name: Major, pages: true, acknowledge_within: 15m, resolve_within: 1d, "
                            "postmortem: {required: true, within: 14d}}"), [
        ["OPS402", "policies/severity.yaml", 3, 10, "severity id 'SEV1' is already used on line 2",
         "give each level its own id"],
    ]),
    "acknowledge-and-resolve-targets-grow-with-less-urgency": (matrix(
        SEV1,
        "{id: SEV2, name: Major, pages: true, acknowledge_within: 3m, resolve_within: 2h, "
        "postmortem: {required: true, within: 14d}}",
        SEV3.replace("resolve_within: 3d", "resolve_within: 3h"),
    ), [
        ["OPS403", "policies/severity.yaml", 3, 62,
         "SEV2 must be acknowledged within 3m, sooner than the more urgent SEV1 (5m)",
         "levels go from most to least urgent: give SEV2 at least 5m, or reorder the levels"],
        ["OPS403", "policies/severity.yaml", 3, 82,
         "SEV2 must be resolved within 2h, sooner than the more urgent SEV1 (4h)",
         "levels go from most to least urgent: give SEV2 at least 4h, or reorder the levels"],
        ["OPS403", "policies/severity.yaml", 4, 83,
         "SEV3 must be resolved within 3h, sooner than the more urgent SEV1 (4h)",
         "levels go from most to least urgent: give SEV3 at least 4h, or reorder the levels"],
        ["OPS416", "policies/escalation/core.yaml", 3, 56,
         "SEV2 must be acknowledged within 3m, but level 1 of policy 'core' waits 5m before escalating "
         "(used for SEV2 by api)", "escalate after 3m or less, so the next level is paged before the target is missed"],
    ]),
    "equal-targets-are-fine": (matrix(SEV1, SEV1.replace("SEV1", "SEV2"), SEV3), []),
    "post-mortem-and-paging-implied-by-less-urgent-levels": (matrix(
        "{id: SEV1, name: Critical, pages: false, acknowledge_within: 5m, resolve_within: 4h, "
        "postmortem: {required: false}}",
        "{id: SEV2, name: Major, pages: true, acknowledge_within: 15m, resolve_within: 1d, "
        "postmortem: {required: true, within: 14d}}",
        SEV3,
    ), [
        ["OPS406", "policies/severity.yaml", 2, 39, "SEV1 does not page, but the less urgent SEV2 does",
         "set pages: true on SEV1, or reorder the levels"],
        ["OPS404", "policies/severity.yaml", 2, 113,
         "SEV1 does not require a post-mortem, but the less urgent SEV2 does",
         "set postmortem: {required: true, within: ...} on SEV1"],
    ]),
    "required-post-mortem-needs-a-deadline": (matrix(SEV1.replace(", within: 7d", ""), SEV3), [
        ["OPS405", "policies/severity.yaml", 2, 112, "SEV1 requires a post-mortem but sets no deadline",
         "add within: (e.g. postmortem: {required: true, within: 5d}), counted from resolution"],
        ["OPS209", "postmortems/2026-10-01-api-outage.md", 4, 11, "unknown severity 'SEV2'",
         "did you mean 'SEV3'?"],
        ["OPS407", "teams/core.yaml", 15, 56, "alert 'api-5xx' has severity 'SEV2', which is not a level of the "
         "severity matrix", "did you mean 'SEV3'?"],
    ]),
    "severity-policies-keys-are-levels": ({"teams/core.yaml": """\
id: core
name: Core
people:
  - {id: ana, name: Ana Silva, timezone: Europe/Berlin}
  - {id: ben, name: Ben Okafor, timezone: Europe/Berlin}
  - {id: cleo, name: Cleo Park, timezone: Europe/Berlin}
members: [ana, ben, cleo]
services:
  - id: api
    escalation_policy: core
    severity_policies: {SEV1: core, P1: core}
"""}, [
        ["OPS407", "teams/core.yaml", 11, 37, "severity_policies names 'P1', which is not a level of the severity matrix",
         "check the spelling, or define the severity first"],
    ]),
}


@pytest.mark.parametrize("name", CASES)
def test_severity_rules(name: str, tmp_path: Path) -> None:
    files, expected = CASES[name]
    assert diagnostics(tmp_path, files) == expected
