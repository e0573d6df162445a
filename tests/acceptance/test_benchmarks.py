"""Every benchmark imports and runs: its smallest size, from the test environment (the README's install).

A smoke test, not a measurement: each script under ``benchmarks/`` runs once
with ``--quick`` (or, for the scripts owned elsewhere that have no such flag,
its smallest arguments) in a process of its own, with this interpreter's
``bin/`` first on PATH as in the activated ``.venv``. It fails when one
crashes or exits non-zero, and checks that each printed its figures. The
scripts run two at a time: most of their time is waiting for processes.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.helpers import ROOT

BENCHMARKS = ROOT / "benchmarks"
#: how each script runs at its smallest; the figure its output must show
RUNS: dict[str, tuple[list[str], str]] = {
    "apply.py": (["--quick"], "ms/object"),
    "diff.py": (["--quick"], "ms/schedule"),
    "escalation.py": (["--quick"], "ms/schedule"),
    "genorg.py": (["{tmp}/org", "--schedules", "3", "--runbooks", "2"], ""),
    "hostile.py": (["--quick"], "us/item"),
    "import.py": (["--quick"], "ms/schedule"),
    "oncall.py": (["--quick"], "us/shift"),
    "reliability.py": (["--quick"], "ms/schedule"),
    "report.py": (["--quick"], "ms/post-mortem"),
    "rota.py": (["--quick"], "compute/person"),
    "search.py": (["--quick"], "ms CPU a page (ms/page)"),
    "site.py": (["--sizes", "10:2,20:3,40:6", "--repeat", "1", "--no-rebuilds"], "ms/page"),
    "sync.py": (["--quick"], "ms/item"),
    "validate.py": (["--quick"], "ratio CPU"),
}


#: modules of the scripts, not scripts: run through them
HELPERS = {"realistic.py", "runbooktext.py"}  # modules genorg.py imports: its realistic profile, its runbooks' text


def test_every_benchmark_has_a_smoke_run() -> None:
    assert sorted(p.name for p in BENCHMARKS.glob("*.py") if p.name not in HELPERS) == sorted(RUNS)


@pytest.mark.parametrize("name", sorted(RUNS))
def test_every_benchmark_imports(name: str) -> None:
    spec = importlib.util.spec_from_file_location(f"benchmark_{name[:-3]}", BENCHMARKS / name)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    path, modules = list(sys.path), set(sys.modules)
    sys.path.insert(0, str(BENCHMARKS))  # as running the script puts its folder first
    sys.modules[spec.name] = module  # dataclasses look their module up while it loads
    try:
        spec.loader.exec_module(module)
    finally:
        # benchmarks/site.py and genorg.py must not stay importable as top-level modules here
        sys.path[:] = path
        for added in set(sys.modules) - modules:
            if added == spec.name or added == "genorg":
                del sys.modules[added]
    assert callable(getattr(module, "main", None)), f"{name} has no main()"


def _run(name: str, tmp: Path) -> tuple[str, int, str]:
    args, _ = RUNS[name]
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    done = subprocess.run([sys.executable, str(BENCHMARKS / name), *(a.format(tmp=tmp) for a in args)],
                          capture_output=True, text=True, check=False, env=env, cwd=tmp, timeout=300)
    return name, done.returncode, done.stdout + done.stderr


@pytest.mark.slow
@pytest.mark.browser
def test_every_benchmark_runs_at_its_smallest_size(tmp_path: Path) -> None:
    folders = {name: tmp_path / name[:-3] for name in RUNS}
    for folder in folders.values():
        folder.mkdir()
    with ThreadPoolExecutor(2) as pool:
        results = list(pool.map(lambda name: _run(name, folders[name]), sorted(RUNS)))
    failed = {name: output[-2000:] for name, code, output in results if code != 0}
    assert failed == {}
    missing = [name for name, _, output in results if RUNS[name][1] not in output]
    assert missing == []
    assert (folders["genorg.py"] / "org" / "opsrepo.yaml").is_file()
