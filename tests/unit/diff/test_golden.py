from __future__ import annotations

import pytest

from tests.unit.diff.golden_scenario import FILES, HERE, outputs

RENDERED = outputs()


@pytest.mark.parametrize("name", sorted(FILES.values()))
def test_output_matches_the_golden_file(name: str) -> None:
    assert RENDERED[name] == (HERE / name).read_text(encoding="utf-8"), (
        "regenerate with: python -m tests.unit.diff.golden_scenario (and review the diff)")
