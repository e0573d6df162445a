"""What every test shares.

The machine's own ``$TZ`` never reaches a command under test: commands show
times in ``--tz``, else ``$TZ``, else the org's zone, and expected outputs are
written for the org's zone, so a test that means another zone sets it.

Hypothesis's per-example deadline (200 ms) measures the machine, not the code:
on a loaded CI runner a property test that is well within budget fails once in
a while. No property test here is about speed (the benchmarks are), so the
deadline is off for all of them; a test's own ``@settings`` still sets its
example count.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, settings

settings.register_profile("opsrepo", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("opsrepo")


@pytest.fixture(autouse=True)
def _no_machine_zone(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TZ", raising=False)
