"""Who a schedule names, what it derives from, and the shape of its layers and overrides."""

from __future__ import annotations

from collections.abc import Iterator

from opsrepo import model as m
from opsrepo.errors import Cause, Diagnostic
from opsrepo.oncall.engine import override_span
from opsrepo.oncall.rotation import MIN_LENGTH
from opsrepo.rules import Context, rule, suggest, unloaded
from opsrepo.rules.references import dangling
from opsrepo.rules.schedules.common import MAX_HORIZON
from opsrepo.timeutil import format_duration, format_wall


@rule("OPS213", "member-not-in-team")
def people_in_team(ctx: Context) -> Iterator[Diagnostic]:
    """Layer members and override people are people of the repo and members of the schedule's team."""
    repo = ctx.repo
    for schedule in repo.schedules.values():
        named: list[tuple[str, m.Src, tuple[str | int, ...]]] = [
            (p, layer.src, ("members", i)) for layer in schedule.layers for i, p in enumerate(layer.members)
        ]
        named += [(o.person, o.src, ("person",)) for o in schedule.overrides]
        yield from dangling(repo, repo.people, "person", "person", named)
        team = repo.teams.get(schedule.team)
        if team is None or repo.is_broken("members", team.id):
            continue
        members = frozenset(team.members)  # a set: each of a rotation's members is looked up in it
        for person, src, path in named:
            if person in repo.people and person not in members:
                yield src.at(*path).error(
                    "OPS213", f"'{person}' is not a member of team '{team.id}', which schedule "
                    f"'{schedule.id}' belongs to",
                    f"add {person} to members in {team.src.file}, or name a member of the team")


@rule("OPS214", "derive-source")
def derive_resolves(ctx: Context) -> Iterator[Diagnostic]:
    """A derived schedule names an existing schedule, without a cycle, and has no layers of its own."""
    repo = ctx.repo
    for schedule in repo.schedules.values():
        if schedule.derive is None:
            continue
        source, chain = schedule.derive.source, _chain(repo, schedule)
        cause = repo.broken_cause("schedule", source)
        if source not in repo.schedules and cause is not None:
            yield unloaded(schedule.src.at("derive", "from"), "OPS214", "schedule", source, cause)
        elif source not in repo.schedules and not repo.is_broken("schedule", source):
            yield schedule.src.at("derive", "from").error(
                "OPS214", f"schedule '{schedule.id}' derives from unknown schedule '{source}'",
                suggest(source, repo.schedules, "schedule"))
        elif chain[-1] in chain[:-1]:
            yield schedule.src.at("derive", "from").error(
                "OPS214", f"schedule '{schedule.id}' derives from a cycle: {' -> '.join(chain)}",
                "derive from a schedule that has layers")
        if schedule.layers:
            yield schedule.src.at("derive", key=True).error(
                "OPS214", f"schedule '{schedule.id}' has both derive and layers; a derived schedule follows "
                "the layers of the schedule it derives from", "remove the layers, or remove derive")


def derive_cause(repo: m.Repo, schedule: m.Schedule) -> Cause | None:
    """Why a derived schedule has nobody: the OPS214 (or the load problem) of the first link that fails."""
    names, current = [schedule.id], schedule
    while current.derive is not None:
        source = current.derive.source
        if source not in repo.schedules:
            lost = repo.broken_cause("schedule", source)
            if lost is not None:
                return lost.cause_key
            if repo.is_broken("schedule", source):
                return None
            return _derive_at(current)
        if source in names:  # every schedule whose chain ends in a cycle has an OPS214 of its own
            return _derive_at(schedule)
        current = repo.schedules[source]
        names.append(source)
    return None


def _derive_at(schedule: m.Schedule) -> Cause:
    where = schedule.src.at("derive", "from")
    return Cause("OPS214", where.file, where.line, where.column)


def _chain(repo: m.Repo, schedule: m.Schedule) -> list[str]:
    """The ids ``schedule`` derives through; it ends on a repeated id when there is a cycle."""
    names, current = [schedule.id], schedule
    while current.derive is not None and current.derive.source in repo.schedules:
        current = repo.schedules[current.derive.source]
        names.append(current.id)
        if current.id in names[:-1]:
            break
    return names


@rule("OPS302", "override-inverted")
def overrides_not_inverted(ctx: Context) -> Iterator[Diagnostic]:
    """An override ends after it starts."""
    for schedule in ctx.repo.schedules.values():
        for override in schedule.overrides:
            low, high = override_span(schedule, override)
            if high > low:
                continue
            if override.end < override.start:
                what, hint = "ends before it starts", "swap from and to, or fix the dates"
            elif override.end == override.start:
                what, hint = "is empty: it ends when it starts", "end it after its start, or remove it"
            else:  # both wall times are in the hour the clocks skip; each is read as the instant after it
                what = (f"is empty: both times fall in the gap when the clocks in {schedule.timezone} go "
                        "forward, which does not exist")
                hint = "end it after the clocks have gone forward, or remove it"
            yield override.src.at("to").error(
                "OPS302", f"override of '{override.person}' from {format_wall(override.start)} to "
                f"{format_wall(override.end)} {what}", hint)


@rule("OPS303", "override-overlap")
def overrides_do_not_overlap(ctx: Context) -> Iterator[Diagnostic]:
    """Overrides of one schedule do not overlap (where they do, the last listed wins)."""
    for schedule in ctx.repo.schedules.values():
        spans = sorted((*override_span(schedule, o), o.index) for o in schedule.overrides)
        reach: tuple[int, int] | None = None  # (end, index) of the override reaching furthest so far
        for low, high, index in spans:
            if high <= low:
                continue
            if reach is not None and low < reach[0]:
                later, earlier = sorted((index, reach[1]), reverse=True)
                yield _overlap(schedule.overrides[later], schedule.overrides[earlier])
            if reach is None or high > reach[0]:
                reach = (high, index)


def _overlap(later: m.Override, earlier: m.Override) -> Diagnostic:
    return later.src.at().warning(
        "OPS303", f"override of '{later.person}' ({format_wall(later.start)} to {format_wall(later.end)}) "
        f"overlaps the override of '{earlier.person}' on line {earlier.src.at().line} "
        f"({format_wall(earlier.start)} to {format_wall(earlier.end)}); the one listed last wins where "
        "they overlap",
        "make the overrides follow each other, or remove the one that no longer applies")


@rule("OPS310", "layer-shape")
def layers_well_formed(ctx: Context) -> Iterator[Diagnostic]:
    """A layer's turns last at least an hour, it ends after it starts, and its name is unique."""
    for schedule in ctx.repo.schedules.values():
        seen: dict[str, int] = {}
        for layer in schedule.layers:
            if layer.length < MIN_LENGTH:
                yield layer.src.at("length").error(
                    "OPS310", f"layer '{layer.name}' has turns of {format_duration(layer.length)}; a turn "
                    f"lasts at least {format_duration(MIN_LENGTH)}",
                    "write the turn length, e.g. 12h, 1d or 1w")
            if layer.end is not None and layer.end <= layer.start:
                yield layer.src.at("end").error(
                    "OPS310", f"layer '{layer.name}' ends at {format_wall(layer.end)}, not after its start "
                    f"{format_wall(layer.start)}", "end the layer after its start, or remove it")
            if layer.name in seen:
                yield layer.src.at("name").error(
                    "OPS310", f"layer name '{layer.name}' is already used by layer {seen[layer.name] + 1}",
                    "give each layer of a schedule its own name")
            seen.setdefault(layer.name, layer.index)


@rule("OPS313", "horizon-too-long")
def horizon_is_bounded(ctx: Context) -> Iterator[Diagnostic]:
    """The validation horizon is at most 366 days (the checks look no further)."""
    org = ctx.repo.org
    if org.horizon > MAX_HORIZON and org.src.document is not None:
        yield org.src.at("validation", "horizon").error(
            "OPS313", f"validation.horizon {format_duration(org.horizon)} is longer than the "
            f"{MAX_HORIZON.days} days opsrepo checks ahead", "check a year ahead at most, e.g. 90d or 52w")
