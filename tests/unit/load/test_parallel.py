"""Large repos are read by two processes; the result must equal the serial read exactly."""

from __future__ import annotations

import concurrent.futures
import os
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from opsrepo.load import repo as repo_module
from opsrepo.load.repo import load_repo

sys.path.insert(0, str(Path(__file__).parents[3] / "benchmarks"))
from genorg import generate


def _summary(root: Path) -> tuple[list[str], list[tuple[str, int, int, str]], list[str]]:
    loaded = load_repo(root)
    return (
        [d.path for d in loaded.documents],
        [(d.file, d.line, d.column, d.message) for d in loaded.diagnostics],
        sorted(loaded.repo.schedules),
    )


@pytest.mark.skipif(sys.platform != "linux", reason="the parallel read forks, on Linux only")
def test_parallel_read_equals_serial_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    generate(tmp_path, schedules=700, runbooks=0)
    (tmp_path / "schedules" / "sched-5.yaml").write_text("id: sched-5\nname: [\n", encoding="utf-8")
    (tmp_path / "schedules" / "sched-600.yaml").write_text("id: sched-600\nname: X\nteam: 9:00\n", encoding="utf-8")
    found = len(list(tmp_path.rglob("*.yaml")))
    assert found >= repo_module.PARALLEL_THRESHOLD
    handed_over: list[int] = []

    class Counting(ProcessPoolExecutor):
        def submit(self, fn: Any, /, *args: Any, **kwargs: Any) -> Any:
            handed_over.append(len(args[1]))
            return super().submit(fn, *args, **kwargs)

    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", Counting)
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    parallel = _summary(tmp_path)
    assert handed_over == [found * 9 // 20], "the child process read its share"
    monkeypatch.setattr(repo_module, "PARALLEL_THRESHOLD", 10**9)
    serial = _summary(tmp_path)
    assert parallel == serial
    assert parallel[1] == [
        ("schedules/sched-5.yaml", 3, 1, "YAML syntax error: did not find expected node content (while parsing a flow node)"),
        ("schedules/sched-600.yaml", 3, 7, "unquoted 9:00 is read by YAML 1.1 as the number 540, not a time"),
    ]
