"""Large repos are read by two processes; the result must equal the serial read exactly."""

from __future__ import annotations

import json
import os
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
import json, os, sys
from pathlib import Path

from opsrepo.load import repo as repo_module
from opsrepo.load.repo import load_repo

serial = repo_module._read_chunk
log = Path(sys.argv[2])


parent = os.getpid()


def counting(root, found):
    with log.open("a") as out:  # the child's count, too, reaches the test
        out.write(f"{os.getpid()} {len(found)}\\n")
    if os.environ.get("FAIL_IN_CHILD") and os.getpid() != parent:
        raise RuntimeError("the child fails")
    return serial(root, found)


repo_module._read_chunk = counting
repo_module.available_cpus = lambda: 2
repo_module.PARALLEL_THRESHOLD = 1000  # the generated org's 1,050 files: enough to fork
loaded = load_repo(Path(sys.argv[1]))
handed_over = [int(files) for pid, files in (line.split() for line in log.read_text().splitlines())
               if int(pid) != parent]
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
    assert found >= 1000
    done = subprocess.run([sys.executable, "-c", CHILD, str(tmp_path), str(tmp_path / "reads.log")],
                          capture_output=True, text=True, check=True)
    parallel = json.loads(done.stdout)
    dealt = len([index for index in range(found) if index % 20 < 9])  # 9 of every 20, dealt in turn
    assert parallel["handed_over"] == [dealt], "the child process read its share"
    monkeypatch.setattr(repo_module, "PARALLEL_THRESHOLD", 10**9)
    assert parallel["summary"] == _summary(tmp_path)
    assert parallel["summary"][1] == [
        ["schedules/sched-5.yaml", 3, 1, "YAML syntax error: a value is missing (a list or mapping is "
         "left open), or it starts with a character YAML reserves (the parser says: did not find expected node "
         "content (while parsing a flow node))"],
        ["schedules/sched-600.yaml", 3, 7, "unquoted 9:00 is read by YAML 1.1 as the number 540, not text"],
    ]


@pytest.mark.skipif(sys.platform != "linux", reason="the parallel read forks, on Linux only")
def test_a_child_that_fails_leaves_its_share_to_the_parent(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    generate(tmp_path / "org", schedules=700, runbooks=0)
    done = subprocess.run([sys.executable, "-c", CHILD, str(tmp_path / "org"), str(tmp_path / "reads.log")],
                          capture_output=True, text=True, check=True, env={**os.environ, "FAIL_IN_CHILD": "1"})
    parallel = json.loads(done.stdout)
    assert len(parallel["handed_over"]) == 1
    monkeypatch.setattr(repo_module, "PARALLEL_THRESHOLD", 10**9)
    assert parallel["summary"] == _summary(tmp_path / "org")
