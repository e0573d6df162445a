"""Drift: where PagerDuty no longer holds what the repo says (a hand edit, a failed run, a wrong model).

Judged over the part of the horizon the last apply wrote (from now to the
last apply plus the horizon): the days that entered the horizon since then
are the next run's to fill, not drift. Besides the plan's own differences
(objects changed or removed by hand, overrides missing or added), PagerDuty's
own rendering of each final schedule is compared with opsrepo's, person by
person and minute by minute: that also catches a difference in how the two
compute a schedule.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from itertools import pairwise

from opsrepo.apply.compare import local_text
from opsrepo.apply.desired import SCHEDULE
from opsrepo.apply.observe import PdOverride, joined
from opsrepo.apply.pdmodel import Piece
from opsrepo.apply.plan import Account, Plan
from opsrepo.apply.plan_overrides import OverridePlan
from opsrepo.apply.render import VERBS, reason
from opsrepo.apply.state import State
from opsrepo.model import Repo
from opsrepo.oncall import shift_segments
from opsrepo.oncall.clock import from_micros, to_micros

TITLE = "PagerDuty differs from the ops repo"


@dataclass(frozen=True)
class Finding:
    """One difference."""

    subject: str
    text: str


@dataclass
class Drift:
    """The plan behind the check and every difference found."""

    plan: Plan
    findings: list[Finding] = field(default_factory=list)
    #: the end of the judged part of the horizon (microseconds)
    until: int = 0

    @property
    def drifted(self) -> bool:
        """Whether PagerDuty differs from the repo."""
        return bool(self.findings)

    def lines(self) -> list[str]:
        """Each finding as ``subject: text``."""
        return [f"{f.subject}: {f.text}" for f in self.findings]


def drift(repo: Repo, plan: Plan, account: Account, state: State, horizon: timedelta) -> Drift:
    """Every difference between PagerDuty and the repo within the judged part of the horizon."""
    until = plan.horizon.until
    if state.applied_at is not None:
        until = max(plan.horizon.start, min(until, to_micros(state.applied_at + horizon)))
    found = Drift(plan, until=until)
    add = found.findings.append
    for missing in plan.missing:
        add(Finding(f"person {missing.person}", f"has no PagerDuty user ({missing.email or 'no email'})"))
    for problem in plan.problems:
        add(Finding("ownership", problem))
    for change in (c for c in plan.changes if c.writes):
        add(
            Finding(
                f"{change.kind.replace('_', ' ')} {change.id}",
                f"apply would {VERBS[change.action]} it: {'; '.join(change.details) or 'it is missing'}",
            )
        )
    for item in (p for p in plan.overrides if isinstance(p, OverridePlan)):
        _override_findings(repo, plan, item, until, found)
    for key, pd_id in _owned_schedules(plan):
        have = account.schedules.get(pd_id)
        if have is not None and have.final is not None:
            _final_findings(repo, plan, key, have.final, until, found)
    return found


def _override_findings(repo: Repo, plan: Plan, item: OverridePlan, until: int, found: Drift) -> None:
    zone = repo.schedules[item.schedule].timezone
    subject = f"schedule {item.schedule}"
    for want in item.create:
        if want.start < until:
            found.findings.append(
                Finding(
                    subject,
                    f"override missing: {_span(want.start, want.end, zone)} "
                    f"{_person(repo, want.person)}: {reason(want, repo, plan)}",
                )
            )
    _pd_override_findings(plan, subject, "no longer wanted", item.delete, until, zone, found)
    _pd_override_findings(plan, subject, "made by hand", item.foreign, until, zone, found)


def _pd_override_findings(
    plan: Plan,
    subject: str,
    what: str,
    overrides: tuple[PdOverride, ...],
    until: int,
    zone: str,
    found: Drift,
) -> None:
    """A finding ``override WHAT: SPAN USER`` for each of ``overrides`` that starts before ``until``."""
    for override in overrides:
        if override.start < until:
            found.findings.append(
                Finding(
                    subject,
                    f"override {what}: {_span(override.start, override.end, zone)} "
                    f"{plan.name(override.user)}",
                )
            )


def _final_findings(
    repo: Repo, plan: Plan, key: str, theirs: tuple[Piece, ...], until: int, found: Drift
) -> None:
    start = plan.horizon.start
    ours = joined(
        (s.start, s.end, plan.users.get(s.person, f"?{s.person}"))
        for s in shift_segments(repo, key, from_micros(start), from_micros(until))
    )
    clipped = joined((max(a, start), min(b, until), who) for a, b, who in theirs if a < until and b > start)
    gaps = [(g.start, g.end) for k, g in plan.uncovered if k == key]
    differences = [d for d in _differences(ours, clipped) if not _inside(d, gaps)]
    if not differences:
        return
    zone = repo.schedules[key].timezone
    low, high, mine, other = differences[0]
    text = (
        f"PagerDuty's final schedule has {plan.name(other) if other else 'nobody'} on call "
        f"{_span(low, high, zone)} where the repo has {plan.name(mine) if mine else 'nobody'}"
    )
    if len(differences) > 1:
        text += f" (and {len(differences) - 1} more difference{'s' if len(differences) > 2 else ''})"
    found.findings.append(Finding(f"schedule {key}", text))


def _differences(ours: list[Piece], theirs: list[Piece]) -> list[tuple[int, int, str | None, str | None]]:
    points = sorted({p for a, b, _ in (*ours, *theirs) for p in (a, b)})
    out: list[tuple[int, int, str | None, str | None]] = []
    for low, high in pairwise(points):
        mine = next((w for a, b, w in ours if a <= low < b), None)
        other = next((w for a, b, w in theirs if a <= low < b), None)
        if mine != other:
            if out and out[-1][1] == low and out[-1][2:] == (mine, other):
                out[-1] = (out[-1][0], high, mine, other)
            else:
                out.append((low, high, mine, other))
    return out


def _inside(difference: tuple[int, int, str | None, str | None], gaps: list[tuple[int, int]]) -> bool:
    return difference[2] is None and any(a <= difference[0] and difference[1] <= b for a, b in gaps)


def _owned_schedules(plan: Plan) -> list[tuple[str, str]]:
    return [
        (c.id, c.pagerduty_id)
        for c in plan.changes
        if c.kind == SCHEDULE and c.pagerduty_id and c.action != "delete"
    ]


def _span(start: int, end: int, zone: str) -> str:
    return f"{local_text(from_micros(start), zone)} → {local_text(from_micros(end), zone)}"


def _person(repo: Repo, person_id: str) -> str:
    person = repo.people.get(person_id)
    return person.name if person else person_id


def drift_text(found: Drift, repo: Repo) -> str:
    """The check's answer for a terminal."""
    if not found.drifted:
        return "PagerDuty holds what the repo says.\n"
    zone = repo.org.timezone
    head = f"{TITLE} (judged up to {local_text(from_micros(found.until), zone)} {zone}):"
    return "\n".join([head, *(f"  {line}" for line in found.lines())]) + "\n"


def drift_markdown(found: Drift, repo: Repo) -> str:
    """The check's answer for a GitHub issue or job summary."""
    if not found.drifted:
        return "PagerDuty holds what the repo says.\n"
    zone = repo.org.timezone
    rows = [
        f"**{TITLE}** (judged up to {local_text(from_micros(found.until), zone)} {zone}).",
        "",
        "Someone changed PagerDuty by hand, or the last apply did not finish. Make lasting changes in "
        "the ops repo (`opsrepo swap` / `opsrepo cover` write overrides); the next apply puts opsrepo's "
        "objects back as the repo says and leaves objects made by hand as they are.",
        "",
    ]
    rows += [f"- **{f.subject}**: {f.text}".replace("<", "&lt;") for f in found.findings]
    return "\n".join(rows) + "\n"
