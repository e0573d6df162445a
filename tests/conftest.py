"""What every test shares.

The machine's own ``$TZ`` never reaches a command under test: commands show
times in ``--tz``, else ``$TZ``, else the org's zone, and expected outputs are
written for the org's zone, so a test that means another zone sets it.

Hypothesis's per-example deadline (200 ms) measures the machine, not the code:
on a loaded CI runner a property test that is well within budget fails once in
a while. No property test here is about speed (the benchmarks are), so the
deadline is off for all of them; a test's own ``@settings`` still sets its
example count.

The user's cache folder is the session's own: the site build keeps compiled
templates, parsed files and opsrepo's code digest under ``$XDG_CACHE_HOME``,
and a test run must neither read what the machine's earlier builds left there
nor leave its own behind. Tests about the cache set their own folder.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, settings

settings.register_profile("opsrepo", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("opsrepo")


@pytest.fixture(autouse=True)
def _no_machine_zone(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TZ", raising=False)


@pytest.fixture(autouse=True, scope="session")
def _session_cache_folder(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    before = os.environ.get("XDG_CACHE_HOME")
    os.environ["XDG_CACHE_HOME"] = str(tmp_path_factory.mktemp("xdg-cache"))
    yield
    if before is None:
        del os.environ["XDG_CACHE_HOME"]
    else:
        os.environ["XDG_CACHE_HOME"] = before
