"""Which overrides apply creates, keeps and deletes; what it reads to know."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from opsrepo.apply.observe import PdOverride, PdSchedule
from opsrepo.apply.overrides import Horizon, Wanted
from opsrepo.apply.plan_overrides import plan_schedule_overrides
from opsrepo.apply.state import OwnedOverride, State
from opsrepo.oncall.clock import to_micros

NOW = datetime(2026, 11, 23, 9, tzinfo=UTC)
HORIZON = Horizon.from_now(NOW, timedelta(days=28))
USERS = {"ana": "PANA", "ben": "PBEN"}
HAVE = PdSchedule("PSCHED", "Core", "", "Europe/Berlin", ())


def micros(day: int, hour: int = 0) -> int:
    return to_micros(datetime(2026, 11, day, hour, tzinfo=UTC))


def want(person: str, start: int, end: int) -> Wanted:
    return Wanted(person, start, end, "override", "override")


class Reads:
    def __init__(self, found: list[PdOverride]) -> None:
        self.found, self.calls = found, 0

    def __call__(self, schedule_id: str) -> list[PdOverride]:
        self.calls += 1
        return self.found


def test_the_state_vouches_for_the_wanted_overrides_and_nothing_is_read() -> None:
    state = State(overrides=[OwnedOverride("core", "PANA", micros(25), micros(26), "Q1")])
    reads = Reads([])
    plan = plan_schedule_overrides("core", "Core", [want("ana", micros(25), micros(26))], HAVE, USERS, state,
                                   HORIZON, reads)
    assert (plan.listed, plan.create, plan.delete, reads.calls) == (False, (), (), 0)


def test_an_override_that_began_before_now_matches_any_start_in_the_past() -> None:
    state = State(overrides=[OwnedOverride("core", "PANA", micros(20), micros(26), "Q1")])
    reads = Reads([])
    plan = plan_schedule_overrides("core", "Core", [want("ana", HORIZON.start, micros(26))], HAVE, USERS, state,
                                   HORIZON, reads)
    assert (plan.listed, reads.calls) == (False, 0)


def test_when_the_state_does_not_vouch_the_overrides_are_read_and_only_opsrepos_are_deleted() -> None:
    ours = PdOverride("Q1", micros(25), micros(26), "PANA")
    by_hand = PdOverride("QHAND", micros(27), micros(28), "PBEN")
    state = State(overrides=[OwnedOverride("core", "PANA", micros(25), micros(26), "Q1")])
    reads = Reads([ours, by_hand])
    plan = plan_schedule_overrides("core", "Core", [want("ben", micros(29), micros(30))], HAVE, USERS, state,
                                   HORIZON, reads)
    assert reads.calls == 1
    assert [w.person for w in plan.create] == ["ben"]
    assert plan.delete == (ours,) and plan.foreign == (by_hand,) and plan.keep == ()


def test_a_pending_create_found_again_is_opsrepos_and_kept() -> None:
    made = PdOverride("Q9", micros(25), micros(26), "PANA")
    state = State(pending=[OwnedOverride("core", "PANA", micros(25), micros(26))])
    plan = plan_schedule_overrides("core", "Core", [want("ana", micros(25), micros(26))], HAVE, USERS, state,
                                   HORIZON, Reads([made]))
    assert (plan.keep, plan.create, plan.foreign) == ((made,), (), ())


def test_an_override_made_by_hand_that_is_the_wanted_one_is_left_and_not_made_again() -> None:
    same = PdOverride("QHAND", micros(25), micros(26), "PANA")
    plan = plan_schedule_overrides("core", "Core", [want("ana", micros(25), micros(26))], HAVE, USERS, State(),
                                   HORIZON, Reads([same]))
    assert (plan.create, plan.delete, plan.keep, plan.foreign) == ((), (), (), ())


def test_verify_reads_even_when_the_state_vouches() -> None:
    state = State(overrides=[OwnedOverride("core", "PANA", micros(25), micros(26), "Q1")])
    reads = Reads([])
    plan = plan_schedule_overrides("core", "Core", [want("ana", micros(25), micros(26))], HAVE, USERS, state,
                                   HORIZON, reads, verify=True)
    assert reads.calls == 1 and [w.person for w in plan.create] == ["ana"]
