"""Handoffs and window bounds inside a spring-forward gap are reported (the vendors place them later)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from opsrepo.importers.gaps import gaps, report_gaps
from opsrepo.importers.result import Item, Loss

BERLIN = ZoneInfo("Europe/Berlin")
NOW = datetime(2026, 11, 23, tzinfo=UTC)


def losses(layer: dict[str, Any], zone: ZoneInfo = BERLIN, now: datetime = NOW) -> list[Loss]:
    item = Item("schedule", "S1", "Nights")
    report_gaps([{"name": "Layer 1", "members": ["ana"], **layer}], zone, now, "PagerDuty", item)
    return item.losses


def test_the_gaps_of_a_zone_are_its_forward_jumps_only() -> None:
    assert gaps(BERLIN, NOW, NOW + timedelta(days=366)) == [(datetime(2027, 3, 28, 2, 0), timedelta(hours=1))]
    lord_howe = gaps(ZoneInfo("Australia/Lord_Howe"), NOW, NOW + timedelta(days=366))
    assert lord_howe == [(datetime(2027, 10, 3, 2, 0), timedelta(minutes=30))]
    assert gaps(ZoneInfo("Asia/Tokyo"), NOW, NOW + timedelta(days=3660)) == []


def test_a_window_ending_inside_the_gap_is_a_loss_with_both_placements() -> None:
    night = {"start": "2026-03-23T00:00", "length": "1d", "restrictions": [{"from": "18:30", "to": "02:30"}]}
    assert losses(night) == [
        Loss(
            "layer 'Layer 1': window end at 02:30 in a spring-forward gap",
            "Europe/Berlin skips 02:00–03:00 on 2027-03-28 (and at each such change): PagerDuty then moves it "
            "later by the gap, to 03:30; opsrepo to 03:00, the first valid instant",
        )
    ]


def test_a_window_on_other_days_or_a_bound_at_the_gaps_start_is_exact() -> None:
    weekdays = {"days": ["mon", "tue", "wed", "thu", "fri"], "from": "02:30", "to": "06:00"}
    assert losses({"start": "2026-03-23T00:00", "length": "1d", "restrictions": [weekdays]}) == []
    at_the_jump = {"from": "22:00", "to": "02:00"}
    assert losses({"start": "2026-03-23T00:00", "length": "1d", "restrictions": [at_the_jump]}) == []


def test_a_window_crossing_midnight_counts_for_the_day_it_ends_on() -> None:
    saturday_night = {"days": ["sat"], "from": "22:00", "to": "02:15"}  # ends on Sunday 2027-03-28
    found = losses({"start": "2026-03-23T00:00", "length": "1w", "restrictions": [saturday_night]})
    assert [loss.what for loss in found] == ["layer 'Layer 1': window end at 02:15 in a spring-forward gap"]


def test_handoffs_inside_the_gap_are_found_for_any_turn_length() -> None:
    assert [loss.what for loss in losses({"start": "2026-01-04T02:30", "length": "1w"})] == [
        "layer 'Layer 1': handoff at 02:30 in a spring-forward gap"
    ]
    assert losses({"start": "2026-01-05T02:30", "length": "1w"}) == []  # Mondays: never on the change
    # 5-hour turns from 02:30 come back to 02:30 on the day of the change; 7-hour ones do not (03:30)
    assert [loss.what for loss in losses({"start": "2026-11-23T02:30", "length": "5h"})] == [
        "layer 'Layer 1': handoff at 02:30 in a spring-forward gap"
    ]
    assert losses({"start": "2026-11-23T02:30", "length": "7h"}) == []


def test_a_layer_in_utc_or_ended_before_the_change_is_exact() -> None:
    night = {"start": "2026-03-23T00:00", "length": "1d", "restrictions": [{"from": "18:30", "to": "02:30"}]}
    assert losses({**night, "timezone": "UTC"}) == []
    assert losses({**night, "end": "2027-03-01T00:00"}) == []
