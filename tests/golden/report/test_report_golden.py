"""``opsrepo report`` output against reviewed golden files (example repo and the hand-worked fixture)."""

from __future__ import annotations

import json

import pytest

from tests.golden.report.regen import CASES, HERE, run


@pytest.mark.parametrize("name", CASES)
def test_output_matches_golden(name: str) -> None:
    repo, output_format = CASES[name]
    code, out = run(repo, output_format)
    assert code == 0
    assert out == (HERE / name).read_text(encoding="utf-8")


def test_example_json_is_one_document_with_every_section() -> None:
    document = json.loads((HERE / "example.json").read_text(encoding="utf-8"))
    assert list(document) == [
        "org", "generated_at", "period", "incidents", "response", "frequency", "repeats", "action_items",
        "postmortem_timeliness", "oncall_load", "runbooks", "definitions",
    ]
