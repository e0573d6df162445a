"""People pages (contact, upcoming turns, time off, their calendar feed) and the index."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from functools import cache, partial
from typing import Any

from opsrepo.model import Person
from opsrepo.oncall import Shift
from opsrepo.oncall.shifts import Stretch, complete, merge_pieces
from opsrepo.site.format import duration, when
from opsrepo.site.state import DAY, FEEDS, ORG, PERSON_AHEAD, SCHEDULE, TEAM, Maker, Page, SiteState
from opsrepo.site.urls import INDEXES, Linker, page_path
from opsrepo.site.views.common import ref, team_ref
from opsrepo.site.views.oncall import feed_links
from opsrepo.timeutil import get_zone


def pages(state: SiteState) -> Iterator[Maker]:
    """One page per person, and the index."""
    for person_id in sorted(state.repo.people):
        yield Maker(page_path("person", person_id), frozenset({ORG, TEAM, SCHEDULE, DAY, FEEDS}),
                    partial(_person_page, state, state.repo.people[person_id]))
    yield Maker(INDEXES["people"], frozenset({ORG, TEAM}), partial(people_index, state))


def _person_page(state: SiteState, person: Person) -> Page:
    """The person's page, from every shift grouped by person (grouped once, when a person page is made)."""
    return person_page(state, person, state.shifts_by_person().get(person.id, []))


def person_page(state: SiteState, person: Person, shifts: list[Shift]) -> Page:
    """Who someone is, how to reach them, and when they are on call next."""
    here = page_path("person", person.id)
    link = Linker(here)
    zone = get_zone(person.timezone)
    wall_today = state.today.astimezone(zone).replace(tzinfo=None)
    data = {
        "person": {
            "id": person.id, "name": person.name, "zone": person.timezone, "email": person.email,
            "phone": person.phone, "github": person.github, "country": person.country,
            "team": team_ref(state, link, person.team),
        },
        "teams": [ref(link, "team", t.id, t.name) for t in sorted(state.repo.teams.values(), key=_id)
                  if person.id in t.members or person.id in t.people],
        "schedules": [ref(link, "schedule", s, state.repo.schedules[s].name)
                      for s in state.schedules_of.get(person.id, [])],
        "turns": _turns(state, link, upcoming(state, shifts), zone),
        "ahead": duration(PERSON_AHEAD),
        "time_off": [_absence(t.start, t.end, t.reason) for t in person.time_off if t.end > wall_today],
        "feed": feed_links(state, link, "people", person.id),
    }
    return Page(here, "person.html", person.name, data, search="Person")


def _id(record: Any) -> str:
    return str(record.id)


def upcoming(state: SiteState, pieces: list[Shift]) -> list[Stretch]:
    """The person's shifts (the engine's rule: touching pieces merged, whole) in the next PERSON_AHEAD."""
    start, end = state.window
    horizon = state.today + PERSON_AHEAD
    by_schedule: dict[str, list[Shift]] = {}
    for piece in pieces:
        by_schedule.setdefault(piece.schedule, []).append(piece)
    found = [stretch for own in by_schedule.values() for stretch in merge_pieces(own, start=start, end=end)
             if stretch.end > state.today and stretch.start < horizon]
    whole = [s if s.starts_known and s.ends_known else complete(state.repo, s) for s in found]
    return sorted(whole, key=lambda s: (s.start, s.schedule))


def _turns(state: SiteState, link: Linker, shifts: list[Stretch], zone: Any) -> list[dict[str, Any]]:
    """Each shift's schedule, start, end, length and why; each schedule's link and each length made once."""
    schedule = cache(lambda sid: ref(link, "schedule", sid, state.repo.schedules[sid].name))
    length = cache(duration)
    return [{"schedule": schedule(shift.schedule), "start": when(shift.start, zone),
             "end": when(shift.end, zone), "length": length(shift.end - shift.start), "kind": _kind(shift),
             "covering_for": _covering(state, shift)}
            for shift in shifts]


def _covering(state: SiteState, shift: Stretch) -> str | None:
    """Whose time off the shift covers (several: joined), or None."""
    return ", ".join(state.person_name(p.covering_for) for p in shift.pieces if p.covering_for) or None


def _kind(shift: Stretch) -> str:
    """``override`` when an override makes up part of the shift, else its first piece's kind."""
    return "override" if any(piece.kind == "override" for piece in shift.pieces) else shift.first.kind


def _absence(start: datetime, end: datetime, reason: str | None) -> dict[str, Any]:
    return {"start": start.strftime("%a %d %b %Y %H:%M"), "end": end.strftime("%a %d %b %Y %H:%M"),
            "reason": reason}


def people_index(state: SiteState) -> Page:
    """Everyone, with their team and timezone."""
    here = INDEXES["people"]
    link = Linker(here)
    rows = [{**ref(link, "person", p.id, p.name), "id": p.id, "team": team_ref(state, link, p.team),
             "zone": p.timezone}
            for p in sorted(state.repo.people.values(), key=lambda p: (p.name.lower(), p.id))]
    return Page(here, "people.html", "People", {"rows": rows})
