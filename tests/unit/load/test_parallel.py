"""Large repos are read by two processes; the result must equal the serial read exactly."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from opsrepo.load import repo as repo_module
from opsrepo.load.repo import load_repo

sys.path.insert(0, str(Path(__file__).parents[3] / "benchmarks"))
from genorg import generate

#: run in a fresh interpreter: the loader forks only when no other thread runs, and a test session keeps
#: server and browser threads alive (the parallel path would quietly not be taken here)
CHILD = """
import concurrent.futures, json, os, sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from opsrepo.load.repo import load_repo

handed_over = []


class Counting(ProcessPoolExecutor):
    def submit(self, fn, /, *args, **kwargs):
        handed_over.append(len(args[1]))
        return super().submit(fn, *args, **kwargs)


concurrent.futures.ProcessPoolExecutor = Counting
os.cpu_count = lambda: 2
loaded = load_repo(Path(sys.argv[1]))
print(json.dumps({"handed_over": handed_over, "summary": [
    [d.path for d in loaded.documents],
    [[d.file, d.line, d.column, d.message] for d in loaded.diagnostics],
    sorted(loaded.repo.schedules),
]}))
"""


def _summary(root: Path) -> list[Any]:
    loaded = load_repo(root)
    return [
        [d.path for d in loaded.documents],
        [[d.file, d.line, d.column, d.message] for d in loaded.diagnostics],
        sorted(loaded.repo.schedules),
    ]


@pytest.mark.skipif(sys.platform != "linux", reason="the parallel read forks, on Linux only")
def test_parallel_read_equals_serial_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    generate(tmp_path, schedules=700, runbooks=0)
    (tmp_path / "schedules" / "sched-5.yaml").write_text("id: sched-5\nname: [\n", encoding="utf-8")
    (tmp_path / "schedules" / "sched-600.yaml").write_text("id: sched-600\nname: X\nteam: 9:00\n", encoding="utf-8")
    found = len(list(tmp_path.rglob("*.yaml")))
    assert found >= repo_module.PARALLEL_THRESHOLD
    done = subprocess.run([sys.executable, "-c", CHILD, str(tmp_path)], capture_output=True, text=True, check=True)
    parallel = json.loads(done.stdout)
    assert parallel["handed_over"] == [found * 9 // 20], "the child process read its share"
    monkeypatch.setattr(repo_module, "PARALLEL_THRESHOLD", 10**9)
    assert parallel["summary"] == _summary(tmp_path)
    assert parallel["summary"][1] == [
        ["schedules/sched-5.yaml", 3, 1, "YAML syntax error: a value is missing (a list or mapping is "
         "left open), or it starts with a character YAML reserves (the parser says: did not find expected node "
         "content (while parsing a flow node))"],
        ["schedules/sched-600.yaml", 3, 7, "unquoted 9:00 is read by YAML 1.1 as the number 540, not text"],
    ]
