"""What every test shares: the machine's own ``$TZ`` never reaches a command under test.

Commands show times in ``--tz``, else ``$TZ``, else the org's zone: expected
outputs are written for the org's zone, so a test that means another zone sets it.
"""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _no_machine_zone(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TZ", raising=False)
