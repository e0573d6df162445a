"""Post-mortems: timelines in order, action items sane, deadlines kept (OPS5xx)."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from datetime import date, timedelta

from opsrepo.errors import Diagnostic
from opsrepo.model import Postmortem, Repo
from opsrepo.rules import Context, rule
from opsrepo.timeutil import format_duration


@rule("OPS501", "timeline-order")
def timeline_in_order(ctx: Context) -> Iterator[Diagnostic]:
    """Timeline instants are in order: started ≤ detected ≤ acknowledged ≤ mitigated ≤ resolved."""
    for pm in ctx.repo.postmortems.values():
        line = pm.timeline
        present = [(name, getattr(line, name)) for name in line.MILESTONES if getattr(line, name) is not None]
        for (before, earlier), (after, later) in itertools.pairwise(present):
            if later < earlier:
                yield pm.src.at("timeline", after).error(
                    "OPS501", f"'{after}' ({later.isoformat()}) is before '{before}' ({earlier.isoformat()})",
                    f"an incident is {' ≤ '.join(line.MILESTONES)}; check the date, hour and UTC offset",
                )


@rule("OPS502", "action-item-due")
def due_dates_after_incident(ctx: Context) -> Iterator[Diagnostic]:
    """An action item is not due before the incident started."""
    for pm in ctx.repo.postmortems.values():
        started = pm.timeline.started.date()
        for item in pm.action_items:
            if item.due < started:
                yield item.src.at("due").error(
                    "OPS502", f"action item '{item.id}' is due {item.due}, before the incident started "
                    f"({started})", "set a due date after the incident",
                )


@rule("OPS503", "duplicate-action-item")
def action_item_ids_unique(ctx: Context) -> Iterator[Diagnostic]:
    """Action item ids are unique within their post-mortem (the GitHub sync finds issues by them)."""
    for pm in ctx.repo.postmortems.values():
        seen: dict[str, int] = {}
        for item in pm.action_items:
            if item.id in seen:
                yield item.src.at("id").error(
                    "OPS503", f"action item id '{item.id}' is used twice in this post-mortem "
                    f"(first on line {seen[item.id]})", "give each action item its own id",
                )
            else:
                seen[item.id] = item.src.at("id").line


@rule("OPS504", "published-date")
def published_has_date(ctx: Context) -> Iterator[Diagnostic]:
    """A published post-mortem has a ``published`` date, not before the incident was resolved."""
    for pm in ctx.repo.postmortems.values():
        if pm.status == "published" and pm.published is None:
            # a warning, not an error: the SPEC's own example has none; only timeliness needs the date
            yield pm.src.at("status").warning(
                "OPS504", f"post-mortem '{pm.id}' is published but has no 'published' date, so whether it "
                "was on time cannot be told",
                "add 'published: YYYY-MM-DD' (the day it was published)",
            )
        elif pm.published is not None and pm.published < pm.timeline.resolved.date():
            yield pm.src.at("published").error(
                "OPS504", f"published {pm.published} is before the incident was resolved "
                f"({pm.timeline.resolved.date()})", "check the published date",
            )


def _deadline(repo: Repo, pm: Postmortem) -> tuple[date, timedelta] | None:
    level = repo.severity(pm.severity)
    if level is None or not level.postmortem.required or level.postmortem.within is None:
        return None
    within = level.postmortem.within
    return (pm.timeline.resolved + within).date(), within


@rule("OPS505", "postmortem-overdue")
def required_postmortem_published(ctx: Context) -> Iterator[Diagnostic]:
    """A post-mortem the severity matrix requires is published by its deadline."""
    today = ctx.now.date()
    for pm in ctx.repo.postmortems.values():
        found = _deadline(ctx.repo, pm)
        if found is None:
            continue
        deadline, within = found
        if pm.status != "published" and today > deadline:
            yield pm.src.at("status").error(
                "OPS505", f"{pm.severity} post-mortem '{pm.id}' was due by {deadline} "
                f"({format_duration(within)} after resolution) and is still {pm.status}",
                "finish the review and publish it (status: published, published: <date>)",
            )
        elif pm.published is not None and pm.published > deadline:
            days = (pm.published - deadline).days
            yield pm.src.at("published").warning(
                "OPS505", f"{pm.severity} post-mortem '{pm.id}' was published {days} day"
                f"{'s' if days != 1 else ''} after its deadline ({deadline})",
                "the severity matrix sets the deadline; this is recorded for the report",
            )


@rule("OPS506", "unlinked-repeat")
def repeats_are_linked(ctx: Context) -> Iterator[Diagnostic]:
    """An incident with the same root-cause category as an earlier one in the repeat window links it."""
    window = ctx.repo.org.repeat_window
    ordered = sorted(ctx.repo.postmortems.values(), key=lambda pm: pm.timeline.started)
    for index, pm in enumerate(ordered):
        if pm.root_cause_category is None:
            continue
        earlier = [
            other for other in ordered[:index]
            if other.root_cause_category == pm.root_cause_category
            and pm.timeline.started - other.timeline.started <= window
        ]
        if earlier and not set(pm.related) & {other.id for other in earlier}:
            previous = earlier[-1]
            yield pm.src.at("root_cause", "category").warning(
                "OPS506", f"root cause '{pm.root_cause_category}' repeats post-mortem '{previous.id}' "
                f"from {previous.timeline.started.date()}, which 'related' does not list",
                f"add related: [{previous.id}] so the repeat is tracked",
            )
