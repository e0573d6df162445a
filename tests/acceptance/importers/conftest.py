from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def short_pauses(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, float]]:
    """Retries against the local servers pause a millisecond, not seconds; the waits a 429 asked for are kept."""
    from opsrepo.vendors import opsgenie, pagerduty

    asked: list[tuple[str, float]] = []
    monkeypatch.setattr(pagerduty, "PAUSE", 0.001)
    monkeypatch.setattr(pagerduty, "sleep", lambda seconds: asked.append(("pagerduty", seconds)))
    monkeypatch.setattr(opsgenie, "sleep", lambda seconds: asked.append(("opsgenie", seconds)))
    return asked
