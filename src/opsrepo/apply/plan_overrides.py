"""Which overrides to create and delete on each of opsrepo's schedules.

An override is opsrepo's when the state file records its id, or when it is
exactly one that a run had started to create (``pending``). One that opsrepo
wants and that exists already is kept, whoever made it; opsrepo deletes only
its own. A schedule's override objects are read only when PagerDuty's
rendering of its overrides over the horizon differs from what opsrepo wants
(or a create was pending): a run with nothing to do reads list pages only.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from opsrepo.apply.observe import PdOverride, PdSchedule, joined
from opsrepo.apply.overrides import Horizon, Wanted
from opsrepo.apply.pdmodel import Piece
from opsrepo.apply.state import State

#: reads a schedule's overrides that meet the horizon (PagerDuty id -> overrides)
Fetch = Callable[[str], list[PdOverride]]


@dataclass(frozen=True)
class OverridePlan:
    """One schedule's overrides: what to create and delete, what stays, what was made by hand."""

    schedule: str
    name: str
    #: the schedule's PagerDuty id (None: created by this run)
    pagerduty_id: str | None
    create: tuple[Wanted, ...] = ()
    delete: tuple[PdOverride, ...] = ()
    #: opsrepo's overrides that stay as they are
    keep: tuple[PdOverride, ...] = ()
    #: overrides made by hand, left as they are (they change who PagerDuty pages)
    foreign: tuple[PdOverride, ...] = ()
    #: False when the objects were not read (PagerDuty's rendering already matched)
    listed: bool = True

    @property
    def writes(self) -> int:
        """Requests this plan sends (one create for all new overrides, one delete each)."""
        return (1 if self.create else 0) + len(self.delete)


def wanted_pieces(wanted: Sequence[Wanted], users: Mapping[str, str], horizon: Horizon) -> list[Piece]:
    """The wanted overrides as PagerDuty would render them over ``[start, until)``."""
    pieces = [
        (max(w.start, horizon.start), min(w.end, horizon.until), users.get(w.person, f"?{w.person}"))
        for w in wanted
    ]
    return joined(p for p in pieces if p[0] < p[1])


def plan_schedule_overrides(
    key: str,
    name: str,
    wanted: Sequence[Wanted],
    have: PdSchedule | None,
    users: Mapping[str, str],
    state: State,
    horizon: Horizon,
    fetch: Fetch,
) -> OverridePlan:
    """The override plan of one owned schedule (``have`` None: created by this run)."""
    if have is None:
        return OverridePlan(key, name, None, tuple(wanted))
    pending = [p for p in state.pending if p.schedule == key]
    if (
        not pending
        and have.overrides is not None
        and list(have.overrides) == wanted_pieces(wanted, users, horizon)
    ):
        return OverridePlan(key, name, have.id, listed=False)
    existing = [o for o in fetch(have.id) if o.end > horizon.start]
    known = {o.pagerduty_id for o in state.overrides if o.schedule == key}
    spans = {p.span for p in pending}
    create: list[Wanted] = []
    keep: list[PdOverride] = []
    delete: list[PdOverride] = []
    foreign: list[PdOverride] = []
    unmatched = list(existing)
    for want in wanted:
        found = next((o for o in unmatched if matches(o, want, users, horizon)), None)
        if found is None:
            create.append(want)
        else:
            unmatched.remove(found)
            (keep if found.id in known or _span(found) in spans else foreign).append(found)
    for item in unmatched:
        mine = item.id in known or _span(item) in spans
        (delete if mine else foreign).append(item)
    foreign_kept = [o for o in foreign if not any(matches(o, w, users, horizon) for w in wanted)]
    return OverridePlan(key, name, have.id, tuple(create), tuple(delete), tuple(keep), tuple(foreign_kept))


def matches(override: PdOverride, want: Wanted, users: Mapping[str, str], horizon: Horizon) -> bool:
    """Whether an existing override is the wanted one (any start in the past is the same start)."""
    if override.user != users.get(want.person) or override.end != want.end:
        return False
    return override.start == want.start or (override.start <= horizon.start and want.start <= horizon.start)


def _span(override: PdOverride) -> tuple[str, int, int]:
    return (override.user, override.start, override.end)
