"""benchmarks/site.py times opsrepo's builds with compiled bytecode, as an installed opsrepo has it."""

from __future__ import annotations

import importlib.util
import os
import shutil
import sys
from pathlib import Path

import pytest

from tests.helpers import ROOT


def test_the_warm_up_leaves_every_site_module_compiled_for_the_builds(tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PYTHONDONTWRITEBYTECODE", "1")  # as on the shared host; restored after the test
    monkeypatch.setenv("PYTHONPYCACHEPREFIX", "")
    monkeypatch.syspath_prepend(str(ROOT / "benchmarks"))
    spec = importlib.util.spec_from_file_location("benchmark_site_bytecode", ROOT / "benchmarks" / "site.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, spec.name, module)
    spec.loader.exec_module(module)
    monkeypatch.delitem(sys.modules, "genorg", raising=False)
    opsrepo = shutil.which("opsrepo", path=f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}")
    assert opsrepo is not None

    module.compiled_bytecode(opsrepo, tmp_path)

    assert "PYTHONDONTWRITEBYTECODE" not in os.environ
    assert os.environ["PYTHONPYCACHEPREFIX"] == str(tmp_path / "pycache")
    site = ROOT / "src" / "opsrepo" / "site"
    compiled = tmp_path / "pycache" / site.relative_to(site.anchor)
    tag = sys.implementation.cache_tag
    assert sorted(p.name for p in compiled.glob("*.pyc")) == sorted(f"{p.stem}.{tag}.pyc" for p in site.glob("*.py"))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pycache"]  # the warm-up's org and site are gone
