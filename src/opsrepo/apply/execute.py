"""Run a plan: schedules, their overrides, policies, services, then deletions, saving the state as it goes.

Every step is safe to repeat, so a run stopped anywhere is completed by the
next one without duplicates: schedules, policies and services carry
opsrepo's marker and are looked for before anything is created (also when
PagerDuty's answer to a create was lost); an override is recorded as pending
before it is created, so the next run recognises it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from opsrepo.apply import observe
from opsrepo.apply.api import POLICIES, SCHEDULES, SERVICES, Api, ApiError, Uncertain
from opsrepo.apply.bodies import override_body, policy_body, schedule_body, service_body
from opsrepo.apply.desired import POLICY, SCHEDULE, SERVICE, WantPolicy, WantSchedule, WantService
from opsrepo.apply.plan import CREATE, DELETE, UPDATE, Change, Plan
from opsrepo.apply.plan_overrides import OverridePlan
from opsrepo.apply.state import OwnedOverride, State
from opsrepo.errors import OpsrepoError
from opsrepo.oncall.clock import from_micros

COLLECTION = {SCHEDULE: SCHEDULES, POLICY: POLICIES, SERVICE: SERVICES}
RESUME_HINT = "run 'opsrepo apply pagerduty' again: it resumes where this run stopped, without duplicates"
#: the state is saved after this many writes (and before every create of overrides, and at the end)
SAVE_EVERY = 20
#: overrides sent in one request
OVERRIDE_BATCH = 50
#: a create whose answer was lost is looked for, then tried again, this many times
CREATE_ATTEMPTS = 3


class ApplyIncomplete(OpsrepoError):
    """The run stopped part-way; the next run completes it."""


@dataclass
class Outcome:
    """What a run did: writes made, and the PagerDuty id of every object by (kind, opsrepo id)."""

    writes: int = 0
    ids: dict[tuple[str, str], str] = field(default_factory=dict)


@dataclass
class Executor:
    """Applies one plan; ``save`` is called with the state as it goes (see :data:`SAVE_EVERY`)."""

    plan: Plan
    api: Api
    state: State
    save: Callable[[State], None]
    now: datetime
    on_write: Callable[[str], None] = lambda line: None
    outcome: Outcome = field(default_factory=Outcome)

    def run(self) -> Outcome:
        """Every change in order; raises :class:`ApplyIncomplete` when PagerDuty fails part-way."""
        if self.plan.blocked:
            raise OpsrepoError(
                "the plan is blocked: nothing was written", "fix what the plan lists, then apply again"
            )
        total = sum(1 for c in self.plan.changes if c.writes) + sum(p.writes for p in self._override_plans())
        try:
            self._record_owned()
            for kind in (SCHEDULE,):
                self._changes(kind)
            for item in self._override_plans():
                self._overrides(item)
            self._changes(POLICY)
            self._changes(SERVICE)
            for kind in (POLICY, SCHEDULE):
                for change in (c for c in self.plan.changes if c.kind == kind and c.action == DELETE):
                    self._delete(change)
        except ApiError as exc:
            self.save(self.state)
            hint = f"{exc.hint}; then {RESUME_HINT}" if exc.hint else RESUME_HINT
            raise ApplyIncomplete(
                f"{exc.message} (stopped after {self.outcome.writes} of {total} writes)", hint
            ) from None
        self.state.applied_at = self.now
        self.save(self.state)
        return self.outcome

    def _override_plans(self) -> list[OverridePlan]:
        return [p for p in self.plan.overrides if isinstance(p, OverridePlan)]

    def _record_owned(self) -> None:
        """Objects found by their marker or adopted are written to the state before anything else."""
        for change in self.plan.changes:
            if change.pagerduty_id and change.action != DELETE:
                self.outcome.ids[(change.kind, change.id)] = change.pagerduty_id
                self.state.own(change.kind, change.id, change.pagerduty_id, change.adopted)
        self.save(self.state)

    def _changes(self, kind: str) -> None:
        for change in self.plan.changes:
            if change.kind != kind or change.action not in (CREATE, UPDATE):
                continue
            body = self._body(change)
            if change.action == CREATE:
                created = self._create(kind, change.id, body)
                self.outcome.ids[(kind, change.id)] = created
                self.state.own(kind, change.id, created)
            else:
                assert change.pagerduty_id is not None
                self.api.update(COLLECTION[kind], change.pagerduty_id, body)
            self._wrote(f"{change.action}d {kind.replace('_', ' ')} {change.id}")

    def _body(self, change: Change) -> dict[str, Any]:
        users, want = self.plan.users, change.want
        if isinstance(want, WantSchedule):
            return schedule_body(want, users, change.layer_ids)
        if isinstance(want, WantPolicy):
            schedules = {key: pd for (kind, key), pd in self.outcome.ids.items() if kind == SCHEDULE}
            return policy_body(want, users, schedules)
        assert isinstance(want, WantService)
        return service_body(want, self.outcome.ids[(POLICY, want.policy)])

    def _create(self, kind: str, object_id: str, body: dict[str, Any]) -> str:
        """Create once: a lost answer is followed by a look for the marker before trying again."""
        for _ in range(CREATE_ATTEMPTS):
            try:
                return str(self.api.create(COLLECTION[kind], body)["id"])
            except Uncertain:
                found = self._find_marked(kind, object_id)
                if found is not None:
                    return found
        raise ApiError(f"PagerDuty did not answer {CREATE_ATTEMPTS} times when creating {kind} {object_id}")

    def _find_marked(self, kind: str, object_id: str) -> str | None:
        for raw in self.api.list_all(COLLECTION[kind], {}):
            if observe.owner(str(raw.get("description") or "")) == (kind, object_id):
                return str(raw["id"])
        return None

    def _overrides(self, item: OverridePlan) -> None:
        schedule_id = item.pagerduty_id or self.outcome.ids.get((SCHEDULE, item.schedule))
        if schedule_id is None:
            return
        kept = {o.id for o in item.keep}
        if item.listed:
            self.state.overrides = [
                o for o in self.state.overrides if o.schedule != item.schedule or o.pagerduty_id in kept
            ]
            known = {o.pagerduty_id for o in self.state.overrides}
            self.state.overrides += [
                OwnedOverride(item.schedule, o.user, o.start, o.end, o.id)
                for o in item.keep
                if o.id not in known
            ]
            self.state.pending = [p for p in self.state.pending if p.schedule != item.schedule]
        horizon_start = self.plan.horizon.start
        self.state.overrides = [o for o in self.state.overrides if o.end > horizon_start]
        for start in range(0, len(item.create), OVERRIDE_BATCH):
            self._create_overrides(item.schedule, schedule_id, item.create[start : start + OVERRIDE_BATCH])
        for override in item.delete:
            self.api.delete_override(schedule_id, override.id)
            self.state.overrides = [o for o in self.state.overrides if o.pagerduty_id != override.id]
            self._wrote(f"deleted an override of {item.schedule}")

    def _create_overrides(self, key: str, schedule_id: str, batch: tuple[Any, ...]) -> None:
        users = self.plan.users
        pending = [OwnedOverride(key, users[w.person], w.start, w.end) for w in batch]
        self.state.pending += pending
        self.save(self.state)
        try:
            results = self.api.create_overrides(schedule_id, [override_body(w, users) for w in batch])
        except Uncertain:
            results = self._find_pending(schedule_id, pending)
        failed = []
        for entry, result in zip(pending, results, strict=False):
            made = result.get("override") if isinstance(result, dict) else None
            if isinstance(made, dict) and made.get("id") and int(result.get("status") or 201) < 300:
                self.state.overrides.append(
                    OwnedOverride(key, entry.user, entry.start, entry.end, str(made["id"]))
                )
            else:
                failed.append(
                    f"{from_micros(entry.start).isoformat()}: {result.get('errors') if result else '?'}"
                )
        self.state.pending = [p for p in self.state.pending if p not in pending]
        self._wrote(f"created {len(batch) - len(failed)} override(s) on {key}")
        if failed:
            raise ApiError(f"PagerDuty refused {len(failed)} override(s) on {key}: {'; '.join(failed[:3])}")

    def _find_pending(self, schedule_id: str, pending: list[OwnedOverride]) -> list[dict[str, Any]]:
        since, until = from_micros(min(p.start for p in pending)), from_micros(max(p.end for p in pending))
        found = [observe.override(raw) for raw in self.api.list_overrides(schedule_id, since, until)]
        results: list[dict[str, Any]] = []
        for entry in pending:
            match = next((o for o in found if (o.user, o.start, o.end) == entry.span), None)
            results.append(
                {"override": {"id": match.id}, "status": 201}
                if match
                else {"status": 0, "errors": ["PagerDuty's answer was lost and the override is not there"]}
            )
        return results

    def _delete(self, change: Change) -> None:
        assert change.pagerduty_id is not None
        self.api.delete(COLLECTION[change.kind], change.pagerduty_id)
        if self.state.owned_id(change.kind, change.id) == change.pagerduty_id:
            self.state.release(change.kind, change.id)
        if change.kind == SCHEDULE:
            self.state.overrides = [
                o
                for o in self.state.overrides
                if o.schedule != change.id or (SCHEDULE, change.id) in self.outcome.ids
            ]
        self._wrote(f"deleted {change.kind.replace('_', ' ')} {change.id} ({change.pagerduty_id})")

    def _wrote(self, line: str) -> None:
        """Count a write; the state is saved every few (markers and pending overrides cover the rest)."""
        self.outcome.writes += 1
        if self.outcome.writes % SAVE_EVERY == 0:
            self.save(self.state)
        self.on_write(line)
