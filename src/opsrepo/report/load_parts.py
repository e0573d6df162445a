"""The on-call load in parts, one per team, computed apart and put together: the site's Reliability page.

:func:`opsrepo.report.oncall_load.oncall_load` computes the load in one
piece. The site shares the work out instead: each *part* is one team's
schedules (schedules are grouped by their ``team``, whether or not the team
loads), computed wherever a worker is free and kept between builds, then
:func:`assemble` puts the parts together into the same :class:`OncallLoad`.

A team's load needs only its own schedules (each person's load from those
schedules is what the one-piece ledger computes for it), so a part holds the
load every person has from its schedules, in the order the ledger finds them.
A person's overall load needs every schedule they hold: most hold one team's
schedules only, and their part's load is their overall load; for the people a
schedule outside the part names (:func:`opsrepo.oncall.shifts.schedules_of`,
the only people who can have turns there), the part also carries their turn
count and on-call time, which :func:`assemble` joins.

A part is plain JSON data (kept in a file between builds, pickled between
processes); floats survive both exactly.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from functools import partial
from typing import Any

from opsrepo.model import Repo
from opsrepo.oncall.intervals import Span, union
from opsrepo.oncall.load import rotation_members
from opsrepo.oncall.shifts import schedules_of
from opsrepo.report.oncall_load import (
    Ledger,
    OncallLoad,
    PersonLoad,
    ShiftSource,
    TeamLoad,
    person_load,
    schedule_turns,
    schedules_by_team,
    spread,
    team_totals,
)
from opsrepo.report.period import Period

#: one part's data: ``loads`` (rows of :class:`PersonLoad` fields), ``members`` (the team's rotation
#: members) and ``spans`` (person -> [turns, [start, end, start, end, ...]] for people held elsewhere too)
Part = Mapping[str, Any]


def load_parts(repo: Repo) -> dict[str, list[str]]:
    """Team id -> its schedules, by id: the parts of the load, the one-piece load's own grouping."""
    return schedules_by_team(repo)


def held_elsewhere(repo: Repo, parts: Mapping[str, Sequence[str]]) -> dict[str, list[str]]:
    """Team id -> the people its schedules name who are named by a schedule of another part too, sorted."""
    team_of = {schedule_id: team for team, ids in parts.items() for schedule_id in ids}
    found: dict[str, set[str]] = {}
    for person, schedule_ids in schedules_of(repo).items():
        teams = {team_of[schedule_id] for schedule_id in schedule_ids}
        if len(teams) > 1:
            for team in teams:
                found.setdefault(team, set()).add(person)
    return {team: sorted(people) for team, people in found.items()}


def load_part(repo: Repo, period: Period, shifts: ShiftSource, schedule_ids: Sequence[str],
              spans_of: Collection[str]) -> dict[str, Any]:
    """One part: the load people have from ``schedule_ids`` (one team's, sorted); ``spans_of``'s time too."""
    ledger = Ledger(repo, {sid: schedule_turns(shifts(repo, sid, period.since, period.until), period)
                           for sid in schedule_ids})
    loads = ledger.loads(schedule_ids)
    spans: dict[str, list[Any]] = {}
    for person in sorted(set(spans_of) & set(loads)):
        turns = [ledger.turns[sid][person] for sid in schedule_ids if person in ledger.turns[sid]]
        merged = union(span for each in turns for span in each)
        spans[person] = [sum(map(len, turns)), [instant for span in merged for instant in span]]
    members = dict.fromkeys(p for sid in schedule_ids for p in rotation_members(repo, repo.schedules[sid]))
    return {"loads": [list(vars(load).values()) for load in loads.values()], "members": list(members),
            "spans": spans}


def assemble(repo: Repo, parts: Mapping[str, Part], redo: Callable[[str], Part]) -> OncallLoad:
    """The load of every part of :func:`load_parts` put together, as :func:`oncall_load` computes it.

    ``redo(team)``: the team's part again with every person's time in it, for a
    person found in several parts whom one of them does not carry (the parts'
    names come from the engine's own list of who a schedule can put on call,
    so this is a safeguard).
    """
    grouped = load_parts(repo)
    local = {team: {row[0]: PersonLoad(*row) for row in parts[team]["loads"]} for team in grouped}
    found_in: dict[str, list[str]] = {}
    for team in grouped:
        for person in local[team]:
            found_in.setdefault(person, []).append(team)
    overall: dict[str, PersonLoad] = {}
    for person, found in found_in.items():
        if len(found) == 1:
            overall[person] = local[found[0]][person]
            continue
        held = [_time_of(parts[team], person, partial(redo, team)) for team in found]
        spans = union(span for _, each in held for span in each)
        overall[person] = person_load(repo.people[person], spans, sum(turns for turns, _ in held))
    people = tuple(sorted(overall.values(), key=lambda p: (-p.hours, p.person)))
    teams = sorted(set(grouped) & set(repo.teams))
    return OncallLoad(people, tuple(_team_load(repo, team, grouped[team], local[team], parts[team]["members"])
                                    for team in teams))


def _time_of(part: Part, person: str, again: Callable[[], Part]) -> tuple[int, list[Span]]:
    """A person's turn count and on-call time in a part (made ``again`` when it does not carry them)."""
    found = part["spans"].get(person)
    if found is None:
        found = again()["spans"][person]
    flat = found[1]
    return int(found[0]), [(flat[n], flat[n + 1]) for n in range(0, len(flat), 2)]


def _team_load(repo: Repo, team: str, schedule_ids: Iterable[str], loads: Mapping[str, PersonLoad],
               members: Iterable[str]) -> TeamLoad:
    """The team's load from its part, as the one-piece ledger computes it."""
    chosen = sorted(p for p in set(members) if p in repo.people)
    found = tuple(sorted((loads.get(p) or person_load(repo.people[p], [], 0) for p in chosen),
                         key=lambda p: (-p.hours, p.person)))
    return TeamLoad(team, tuple(schedule_ids), found, spread(repo, found), team_totals(loads.values()))
