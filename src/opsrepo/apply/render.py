"""The plan in words: text for a terminal, Markdown for a pull request, JSON for scripts."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

from opsrepo.apply.compare import local_text
from opsrepo.apply.desired import POLICY, SCHEDULE, SERVICE
from opsrepo.apply.overrides import Wanted
from opsrepo.apply.plan import CREATE, DELETE, KEEP, UPDATE, Plan
from opsrepo.apply.plan_overrides import OverridePlan
from opsrepo.model import Repo
from opsrepo.oncall.clock import from_micros

SECTIONS = ((SCHEDULE, "Schedules"), (POLICY, "Escalation policies"), (SERVICE, "Services"))
SIGNS = {CREATE: "+", UPDATE: "~", DELETE: "-", KEEP: "="}
VERBS = {CREATE: "create", UPDATE: "change", DELETE: "delete", KEEP: "unchanged"}


def counts(plan: Plan) -> dict[str, int]:
    """Objects by action, overrides to create and delete, and the write requests the plan sends."""
    found = Counter(change.action for change in plan.changes)
    overrides = _override_plans(plan)
    return {
        "create": found[CREATE],
        "update": found[UPDATE],
        "delete": found[DELETE],
        "unchanged": found[KEEP],
        "overrides_create": sum(len(p.create) for p in overrides),
        "overrides_delete": sum(len(p.delete) for p in overrides),
        "writes": sum(1 for c in plan.changes if c.writes) + sum(p.writes for p in overrides),
    }


def summary(plan: Plan) -> str:
    """``2 to create, 1 to change, 0 to delete, 14 unchanged; 5 overrides to create, 1 to delete``."""
    n = counts(plan)
    return (
        f"{n['create']} to create, {n['update']} to change, {n['delete']} to delete, "
        f"{n['unchanged']} unchanged; "
        f"{n['overrides_create']} override{'s' if n['overrides_create'] != 1 else ''} to create, "
        f"{n['overrides_delete']} to delete"
    )


def lines(plan: Plan, repo: Repo, *, unchanged: bool = False, applied: bool = False) -> list[tuple[int, str]]:
    """``(depth, text)`` rows shared by the text and Markdown forms."""
    zone = repo.org.timezone
    horizon = local_text(from_micros(plan.horizon.until), zone)
    title = "Applied to PagerDuty" if applied else "PagerDuty plan"
    rows = [(0, f"{title} (overrides up to {horizon} {zone}): {summary(plan)}")]
    if plan.blocked:
        rows += _blocked(plan)
    for kind, title in SECTIONS:
        shown = [c for c in plan.changes if c.kind == kind and (unchanged or c.writes)]
        if shown:
            rows.append((0, title))
        for change in shown:
            where = f" ({change.pagerduty_id})" if change.pagerduty_id else ""
            adopted = ", adopted" if change.adopted else ""
            rows.append(
                (
                    1,
                    f"{SIGNS[change.action]} {VERBS[change.action]} {change.id} {change.name!r}"
                    f"{where}{adopted}",
                )
            )
            rows += [(2, detail) for detail in change.details]
        if kind == SCHEDULE:
            rows += _overrides(plan, repo)
    if plan.notes or plan.uncovered:
        rows.append((0, "PagerDuty cannot express, or opsrepo leaves as it is"))
        rows += [(1, f"{note.subject}: {note.text}") for note in plan.notes]
        for key, gap in plan.uncovered:
            zone_of = repo.schedules[key].timezone
            rows.append(
                (
                    1,
                    f"schedule {key}: nobody is on call from {local_text(from_micros(gap.start), zone_of)} "
                    f"to {local_text(from_micros(gap.end), zone_of)}, but PagerDuty's layers page "
                    f"{_person(repo, gap.person)} (an override cannot leave a gap)",
                )
            )
    return rows


def _blocked(plan: Plan) -> list[tuple[int, str]]:
    rows = [(0, "Nothing will be written until this is fixed:")]
    if plan.missing:
        rows.append(
            (
                1,
                f"{len(plan.missing)} "
                f"{'people have' if len(plan.missing) != 1 else 'person has'} no PagerDuty user "
                "(matched by email; opsrepo never creates users):",
            )
        )
        rows += [
            (2, f"{m.name} ({m.person}): {m.email or 'no email in the team file'}") for m in plan.missing
        ]
    rows += [(1, problem) for problem in plan.problems]
    return rows


def _overrides(plan: Plan, repo: Repo) -> list[tuple[int, str]]:
    rows: list[tuple[int, str]] = []
    for item in _override_plans(plan):
        if not (item.create or item.delete or item.foreign):
            continue
        zone = repo.schedules[item.schedule].timezone
        parts = [
            f"{len(item.create)} to create" if item.create else "",
            f"{len(item.delete)} to delete" if item.delete else "",
            f"{len(item.foreign)} made by hand" if item.foreign else "",
        ]
        rows.append((1, f"overrides of {item.schedule} ({zone}): " + ", ".join(p for p in parts if p)))
        rows += [
            (2, f"+ {_span(w.start, w.end, zone)} {_person(repo, w.person)}: {reason(w, repo, plan)}")
            for w in item.create
        ]
        rows += [
            (2, f"- {_span(o.start, o.end, zone)} {plan.name(o.user)}: no longer wanted") for o in item.delete
        ]
        rows += [
            (2, f"! {_span(o.start, o.end, zone)} {plan.name(o.user)}: made by hand, left as it is")
            for o in item.foreign
        ]
    return rows


def reason(want: Wanted, repo: Repo, plan: Plan) -> str:
    """Why opsrepo's final schedule has this person here, and whom PagerDuty's layers have instead."""
    layers = _person(repo, want.instead) if want.instead else "nobody"
    if want.kind == "override":
        why = "override" if want.source == "override" else f"override: {want.source}"
    elif want.kind == "time-off-cover":
        why = f"covers {_person(repo, want.covering or '?')}'s time off"
    else:
        why = f"layer {want.source!r} as opsrepo counts it (DST, time zone or layer order)"
    return f"{why}; PagerDuty's layers have {layers}"


def to_text(plan: Plan, repo: Repo, unchanged: bool = False, applied: bool = False) -> str:
    """Indented lines for a terminal or a log; ``applied``: what a run did (the plan it carried out)."""
    rows = lines(plan, repo, unchanged=unchanged, applied=applied)
    return "\n".join("    " * depth + text if depth else text for depth, text in rows) + "\n"


def to_markdown(plan: Plan, repo: Repo, applied: bool = False) -> str:
    """Markdown for a pull-request comment or a job summary."""
    out: list[str] = []
    for depth, text in lines(plan, repo, applied=applied):
        if depth == 0:
            out += [f"**{_md(text)}**" if out else f"#### {_md(text)}", ""]
            continue
        sign, _, rest = text.partition(" ")
        item = f"`{sign}` {_md(rest)}" if sign in SIGNS.values() or sign == "!" else _md(text)
        out.append("  " * (depth - 1) + f"- {item}")
    return _spaced(out)


def _spaced(rows: list[str]) -> str:
    """One blank line before each section, none doubled."""
    text = "\n".join(rows).replace("\n**", "\n\n**")
    while "\n\n\n" in text:
        text = text.replace("\n\n\n", "\n\n")
    return text.strip() + "\n"


def to_json(plan: Plan, repo: Repo, extra: dict[str, Any] | None = None) -> str:
    """One JSON document."""
    document: dict[str, Any] = {
        "vendor": "pagerduty",
        "blocked": plan.blocked,
        "counts": counts(plan),
        "horizon": {"from": _iso(plan.horizon.start), "until": _iso(plan.horizon.until)},
        "missing_users": [{"person": m.person, "name": m.name, "email": m.email} for m in plan.missing],
        "problems": list(plan.problems),
        "changes": [
            {
                "action": c.action,
                "kind": c.kind,
                "id": c.id,
                "name": c.name,
                "pagerduty_id": c.pagerduty_id,
                "adopted": c.adopted,
                "details": list(c.details),
            }
            for c in plan.changes
        ],
        "overrides": [_override_json(p, repo, plan) for p in _override_plans(plan)],
        "notes": [{"subject": n.subject, "text": n.text} for n in plan.notes],
        "uncovered": [
            {"schedule": key, "person": g.person, "from": _iso(g.start), "until": _iso(g.end)}
            for key, g in plan.uncovered
        ],
    }
    document.update(extra or {})
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _override_json(item: OverridePlan, repo: Repo, plan: Plan) -> dict[str, Any]:
    return {
        "schedule": item.schedule,
        "pagerduty_id": item.pagerduty_id,
        "create": [
            {
                "person": w.person,
                "user": plan.users.get(w.person),
                "from": _iso(w.start),
                "until": _iso(w.end),
                "reason": reason(w, repo, plan),
            }
            for w in item.create
        ],
        "delete": [
            {"id": o.id, "user": o.user, "from": _iso(o.start), "until": _iso(o.end)} for o in item.delete
        ],
        "kept": len(item.keep),
        "hand_made": [
            {"id": o.id, "user": o.user, "from": _iso(o.start), "until": _iso(o.end)} for o in item.foreign
        ],
    }


def _override_plans(plan: Plan) -> list[OverridePlan]:
    return [p for p in plan.overrides if isinstance(p, OverridePlan)]


def _span(start: int, end: int, zone: str) -> str:
    return f"{local_text(from_micros(start), zone)} → {local_text(from_micros(end), zone)}"


def _person(repo: Repo, person_id: str) -> str:
    person = repo.people.get(person_id)
    return person.name if person else person_id


def _iso(micros: int) -> str:
    return from_micros(micros).isoformat().replace("+00:00", "Z")


def _md(text: str) -> str:
    """Text safe in Markdown: nothing a name holds becomes markup or HTML."""
    for char in "\\`*_[]|":
        text = text.replace(char, "\\" + char)
    return text.replace("<", "&lt;").replace(">", "&gt;")
