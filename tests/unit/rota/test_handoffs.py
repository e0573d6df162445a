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


def test_long_reminders_are_split_and_every_shift_is_in_one_part() -> None:
    from opsrepo.rota.handoffs import github_comments, slack_messages

    found = repo(schedule("primary", layer("hourly", "ana ben cleo", "2026-11-02T09:00", "1h")))
    now = at("2026-11-09T09:30+01:00")
    handoffs = upcoming(found, now, timedelta(days=2))
    assert len(handoffs) == 48
    parts = github_comments(found, handoffs, now, timedelta(days=2), limit=2000)
    assert len(parts) > 1 and all(len(text) <= 2000 for text, _ in parts)
    assert sorted(k for _, keys in parts for k in keys) == sorted(h.key for h in handoffs)  # each once
    assert all(text.startswith("**Handoffs in the next 2d**") for text, _ in parts)
    messages = slack_messages(found, handoffs, {"ana": "U0ANA"}, limit=1000)
    assert all(len(text) <= 1000 for text, _ in messages)
    assert sorted(k for _, keys in messages for k in keys) == sorted(h.key for h in handoffs)
    assert "<@U0ANA> takes Primary" in messages[0][0]
