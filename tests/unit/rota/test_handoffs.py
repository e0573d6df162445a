"""Upcoming handoffs: changes of person only (a person carrying on is none), with stable keys."""

from __future__ import annotations

from datetime import timedelta

from opsrepo.rota.handoffs import upcoming
from tests.unit.oncall.builders import at, layer, override, repo, schedule


def test_handoffs_are_changes_of_person_in_the_window() -> None:
    found = repo(schedule("primary", layer("weekly", "ana ben", "2026-11-02T09:00", "1w"),
                          # ben's own override after his week: he carries on until noon, no handoff at 09:00
                          overrides=[override("ben", "2026-11-16T09:00", "2026-11-16T12:00"),
                                     override("cleo", "2026-11-20T00:00", "2026-11-20T06:00")]))
    # from the instant of ben's handoff (not counted: the window is (now, now + 12 days])
    got = upcoming(found, at("2026-11-09T09:00+01:00"), timedelta(days=12))
    assert [(h.key, h.previous, h.until) for h in got] == [
        ("primary ana 2026-11-16T11:00Z", "ben", at("2026-11-20T00:00+01:00")),
        ("primary cleo 2026-11-19T23:00Z", "ana", at("2026-11-20T06:00+01:00")),
        ("primary ana 2026-11-20T05:00Z", "cleo", at("2026-11-23T09:00+01:00")),
    ]
