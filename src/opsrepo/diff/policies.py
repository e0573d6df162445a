"""Escalation chains per service and severity, and the severity matrix, before vs after."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from datetime import timedelta

from opsrepo import model as m
from opsrepo.diff.model import Chain, ChainChange, ChainLevel, ChainTarget, FieldChange, SeverityChange
from opsrepo.escalation.engine import policy_id_for
from opsrepo.timeutil import format_duration

DEFAULT = "default"


def chain_changes(before: m.Repo, after: m.Repo) -> tuple[ChainChange, ...]:
    """Every (service, severity) whose escalation chain does something different."""
    found: list[ChainChange] = []
    for service_id in sorted(set(before.services) | set(after.services)):
        old, new = before.services.get(service_id), after.services.get(service_id)
        for severity in _severity_keys(old, new, after):
            was = _chain(before, old, severity)
            now = _chain(after, new, severity)
            if _shape(was) != _shape(now):
                name = new.title if new else old.title if old else service_id
                found.append(ChainChange(service_id, name, severity, was, now))
    return tuple(found)


def _severity_keys(old: m.Service | None, new: m.Service | None, repo: m.Repo) -> list[str]:
    """"default", then every severity that has its own policy at either revision."""
    overridden = set(old.severity_policies if old else ()) | set(new.severity_policies if new else ())
    rank = {level.id: level.rank for level in repo.severities}
    return [DEFAULT, *sorted(overridden, key=lambda s: (rank.get(s, len(rank)), s))]


def _chain(repo: m.Repo, service: m.Service | None, severity: str) -> Chain | None:
    if service is None:
        return None
    policy_id = policy_id_for(service, severity)
    policy = repo.policies.get(policy_id)
    if policy is None:
        return Chain(policy_id, f"{policy_id} (missing)", (), 0)
    levels = tuple(ChainLevel(tuple(_target(repo, t) for t in level.targets), level.escalate_after)
                   for level in policy.levels)
    return Chain(policy.id, policy.name or policy.id, levels, policy.repeat, policy.when_nobody)


def _target(repo: m.Repo, target: m.Target) -> ChainTarget:
    records: dict[str, Mapping[str, m.Schedule | m.Person | m.Team]] = {
        "schedule": repo.schedules, "person": repo.people, "team": repo.teams}
    found = records.get(target.kind, {}).get(target.id)
    return ChainTarget(target.kind, target.id, found.name if found is not None else target.id)


def _shape(chain: Chain | None) -> object:
    return None if chain is None else chain.shape()


# -- severity matrix ---------------------------------------------------------------------------------

def _duration(value: timedelta | None) -> str | None:
    return None if value is None else format_duration(value)


def _words(values: tuple[str, ...]) -> str | None:
    return ", ".join(values) if values else None


def _postmortem(rule: m.PostmortemRule) -> str:
    if not rule.required:
        return "not required"
    return f"required within {format_duration(rule.within)}" if rule.within else "required"


#: the fields of a severity level a reviewer cares about, and how each reads
SEVERITY_FIELDS: tuple[tuple[str, Callable[[m.SeverityLevel], str | None]], ...] = (
    ("name", lambda s: s.name),
    ("description", lambda s: s.description),
    ("impact", lambda s: s.impact),
    ("examples", lambda s: _words(s.examples)),
    ("pages", lambda s: "yes" if s.pages else "no"),
    ("channels", lambda s: _words(s.channels)),
    ("acknowledge_within", lambda s: _duration(s.acknowledge_within)),
    ("resolve_within", lambda s: _duration(s.resolve_within)),
    ("update_every", lambda s: _duration(s.update_every)),
    ("roles", lambda s: _words(s.roles)),
    ("monitor_after_fix", lambda s: _duration(s.monitor_after_fix)),
    ("postmortem", lambda s: _postmortem(s.postmortem)),
)


def severity_changes(before: m.Repo, after: m.Repo) -> tuple[SeverityChange, ...]:
    """Levels added, removed, reordered or with changed fields, in the new matrix's order."""
    old = {level.id: level for level in before.severities}
    new = {level.id: level for level in after.severities}
    moved = _reordered(before.severities, after.severities)
    found = [change for level in after.severities
             if (change := _level_change(old.get(level.id), level, moved)) is not None]
    found += [SeverityChange(level.id, level.name, "removed") for level in before.severities
              if level.id not in new]
    return tuple(found)


def _level_change(old: m.SeverityLevel | None, new: m.SeverityLevel,
                  moved: dict[str, tuple[int, int]]) -> SeverityChange | None:
    if old is None:
        return SeverityChange(new.id, new.name, "added")
    fields = list(_field_changes(old, new))
    if new.id in moved:
        was, now = moved[new.id]
        fields.insert(0, FieldChange("position", str(was), str(now)))
    return SeverityChange(new.id, new.name, "changed", tuple(fields)) if fields else None


def _field_changes(old: m.SeverityLevel, new: m.SeverityLevel) -> Iterator[FieldChange]:
    for name, read in SEVERITY_FIELDS:
        was, now = read(old), read(new)
        if was != now:
            yield FieldChange(name, was, now)


def _reordered(before: tuple[m.SeverityLevel, ...],
               after: tuple[m.SeverityLevel, ...]) -> dict[str, tuple[int, int]]:
    """Levels kept at both revisions whose place among the kept levels changed (1-based)."""
    kept = {level.id for level in before} & {level.id for level in after}
    old = [level.id for level in before if level.id in kept]
    new = [level.id for level in after if level.id in kept]
    return {level: (old.index(level) + 1, new.index(level) + 1)
            for level in kept if old.index(level) != new.index(level)}
