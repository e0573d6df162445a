"""Large repos are read by two processes; the result must equal the serial read exactly."""

from __future__ import annotations

import sys
from pathlib import Path

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


def test_parallel_read_equals_serial_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    generate(tmp_path, schedules=700, runbooks=0)
    (tmp_path / "schedules" / "sched-5.yaml").write_text("id: sched-5\nname: [\n", encoding="utf-8")
    (tmp_path / "schedules" / "sched-600.yaml").write_text("id: sched-600\nname: X\nteam: 9:00\n", encoding="utf-8")
    assert len(list(tmp_path.rglob("*.yaml"))) >= repo_module.PARALLEL_THRESHOLD
    parallel = _summary(tmp_path)
    monkeypatch.setattr(repo_module, "PARALLEL_THRESHOLD", 10**9)
    serial = _summary(tmp_path)
    assert parallel == serial
    assert parallel[1] == [
        ("schedules/sched-5.yaml", 3, 1, "YAML syntax error: did not find expected node content (while parsing a flow node)"),
        ("schedules/sched-600.yaml", 3, 7, "unquoted 9:00 is read by YAML 1.1 as the number 540, not a time"),
    ]
