"""On a large repo a forked child deals and measures part of the schedules; the findings must not change."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parents[3] / "benchmarks"))
from genorg import generate

#: a fresh interpreter: the rules fork only when no other thread runs (a test session keeps some alive)
CHILD = """
import json, os, sys
from datetime import datetime, UTC
from pathlib import Path

import opsrepo.rules.schedules.common as common
import opsrepo.workers as workers
from opsrepo.load.repo import load_repo
from opsrepo.rules import run_rules

forks = []
in_two = workers.in_two


def counting(work, items):
    forks.append(len(items))
    return in_two(work, items)


common.in_two = counting
common.available_cpus = lambda: 2
common.PARALLEL_SCHEDULES = int(sys.argv[2])
common.PARALLEL_COMPOSITIONS = 1
repo = load_repo(Path(sys.argv[1])).repo
found = run_rules(repo, datetime(2026, 12, 7, 9, tzinfo=UTC))
print(json.dumps({"forks": forks, "found": [d.to_dict() for d in found]}))
"""


@pytest.mark.skipif(sys.platform != "linux", reason="the schedule checks fork on Linux only")
@pytest.mark.parametrize("profile", ["default", "realistic"])
def test_schedules_checked_in_two_processes_give_the_same_findings(tmp_path: Path, profile: str) -> None:
    generate(tmp_path, 240, 0, profile)

    def run(threshold: int) -> dict[str, list[object]]:
        done = subprocess.run([sys.executable, "-c", CHILD, str(tmp_path), str(threshold)],
                              capture_output=True, text=True, check=True)
        found: dict[str, list[object]] = json.loads(done.stdout)
        return found

    parallel, serial = run(50), run(10**9)
    assert len(parallel["forks"]) == 1 and parallel["forks"][0] >= 50
    assert serial["forks"] == []
    assert parallel["found"] == serial["found"]
    assert any(d["code"] == "OPS309" for d in serial["found"])  # the checks had something to find
