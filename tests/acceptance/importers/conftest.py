from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def short_pauses(monkeypatch: pytest.MonkeyPatch) -> None:
    """Retries against the local servers pause a millisecond, not seconds."""
    from opsrepo.vendors import opsgenie, pagerduty

    monkeypatch.setattr(pagerduty, "PAUSE", 0.001)
    monkeypatch.setattr(opsgenie, "sleep", lambda seconds: None)
