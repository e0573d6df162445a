"""The definitions are written once: the report's footer and the README's section come from one constant."""

from __future__ import annotations

import re

import pytest

from opsrepo.report.definitions import DEFINITIONS, definitions_markdown
from tests.helpers import ROOT

BEGIN, END = "<!-- report-definitions: begin -->", "<!-- report-definitions: end -->"


def test_every_measure_of_the_report_is_defined() -> None:
    assert [term for term, _ in DEFINITIONS] == [
        "Period", "MTTD", "MTTA", "Time to mitigate", "MTTR", "Missing", "Median, p90, mean", "Targets", "Trend",
        "Repeat incident", "Action items", "Post-mortem timeliness", "On-call load", "Runbook review",
    ]


def test_the_readme_copy_is_the_constant() -> None:
    """Refresh the README block with: python -c "from opsrepo.report.definitions import *; print(definitions_markdown())"."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    found = re.search(re.escape(BEGIN) + r"\n(.*?)" + re.escape(END), readme, re.S)
    if found is None:
        pytest.fail("the README lost its report-definitions block")
    assert found.group(1) == definitions_markdown()
