"""Which overrides to create and delete on each of opsrepo's schedules.

An override is opsrepo's when the state file records its id, or when it is
exactly one that a run had started to create (``pending``). One that opsrepo
wants and that exists already is kept, whoever made it; opsrepo deletes only
its own. A schedule's override objects are read only when the state file
does not vouch for them (it records exactly the wanted ones), a create was
pending, or ``--verify`` asks: a run with nothing to do reads list pages
only. ``--check`` compares PagerDuty's own rendering of the overrides instead
of the state file, so overrides deleted or added by hand show up there, and
``--verify`` (the daily run) puts them back.
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
    verify: bool = False,
) -> OverridePlan:
    """The override plan of one owned schedule (``have`` None: created by this run).

    The schedule's overrides are read only when what is known does not vouch
    for them: PagerDuty's rendering of its overrides when the listing gave it
    (``--check``), else the state file; ``verify`` always reads them.
    """
    if have is None:
        return OverridePlan(key, name, None, tuple(wanted))
    pending = [p for p in state.pending if p.schedule == key]
    if not pending and not verify and _vouched(key, wanted, have, users, state, horizon):
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


def _vouched(key: str, wanted: Sequence[Wanted], have: PdSchedule, users: Mapping[str, str], state: State,
             horizon: Horizon) -> bool:
    """Whether the overrides are known to be the wanted ones without reading them."""
    if have.overrides is not None:
        return list(have.overrides) == wanted_pieces(wanted, users, horizon)
    known = [o for o in state.overrides if o.schedule == key and o.end > horizon.start]
    as_found = [PdOverride(o.pagerduty_id, o.start, o.end, o.user) for o in known]
    if len(as_found) != len(wanted):
        return False
    return all(any(matches(o, w, users, horizon) for o in as_found) for w in wanted) and all(
        any(matches(o, w, users, horizon) for w in wanted) for o in as_found
    )


def matches(override: PdOverride, want: Wanted, users: Mapping[str, str], horizon: Horizon) -> bool:
    """Whether an existing override is the wanted one (any start in the past is the same start)."""
    if override.user != users.get(want.person) or override.end != want.end:
        return False
    return override.start == want.start or (override.start <= horizon.start and want.start <= horizon.start)


def _span(override: PdOverride) -> tuple[str, int, int]:
    return (override.user, override.start, override.end)
