"""Schedule documents of both vendors: zone, team, coverage, overrides, and the team membership they need."""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from opsrepo.importers.common import Builder, path_of
from opsrepo.importers.gaps import report_gaps
from opsrepo.importers.result import Imported, Item
from opsrepo.importers.timefmt import wall, wall_text, zone_or_none
from opsrepo.timeutil import get_zone, parse_local_datetime, resolve_wall_time

#: an override as instants: (person id, from, to)
Override = tuple[str, datetime, datetime]


class ScheduleMaker:
    """Writes schedule documents into a :class:`Builder` and remembers which vendor schedule became which."""

    def __init__(self, build: Builder, now: datetime) -> None:
        self.build = build
        self.now = now
        #: vendor schedule id -> the opsrepo schedules it became
        self.groups: dict[str, tuple[str, ...]] = {}

    def finish(self) -> Imported:
        """The builder's documents and report, with the schedules each vendor schedule became."""
        imported = self.build.finish()
        imported.groups = dict(self.groups)
        return imported

    def item(self, schedule: dict[str, Any], schedule_id: str) -> Item:
        """The report item of a vendor schedule, named as the vendor names it (else by its new id)."""
        return self.build.report.item("schedule", schedule["id"], schedule.get("name") or schedule_id)

    def zone(self, name: object, item: Item) -> ZoneInfo:
        """The schedule's zone; the organisation's (reported) when the vendor's is not an IANA zone."""
        zone = zone_or_none(name)
        if zone is None:
            item.lose("time zone", f"{name!r} is not a known time zone; {self.build.timezone} was used")
            return get_zone(self.build.timezone)
        return zone

    def override_items(self, item: Item, overrides: list[tuple[str, str, datetime, datetime]]) -> None:
        """One report item per vendor override: ``(vendor id, person id, from, to)``."""
        for vendor_id, person, start, end in overrides:
            entry = self.build.report.item(
                "override",
                vendor_id,
                f"{item.name}: {person} "
                f"{start.isoformat(timespec='minutes')} to {end.isoformat(timespec='minutes')}",
            )
            if end > self.now:
                entry.became.append(f"an override of {item.name} (see its schedule)")
            else:
                entry.note("it ended before the import: left out")

    def team(self, refs: list[dict[str, Any]], item: Item) -> str | None:
        """The first (by id) of the vendor teams the schedule belongs to that the import wrote."""
        known = sorted(self.build.team_ids[r["id"]] for r in refs if r.get("id") in self.build.team_ids)
        if len(known) > 1:
            item.note(f"belongs to several teams; written under {known[0]}")
        return known[0] if known else None

    def write(
        self,
        item: Item,
        vendor_id: str,
        schedule_id: str,
        name: str,
        team: str | None,
        zone: ZoneInfo,
        layers: list[dict[str, Any]],
        overrides: list[Override],
        description: str | None = None,
    ) -> None:
        """One schedule document; its people become members of its team."""
        people = [p for layer in layers for p in layer["members"]] + [o[0] for o in overrides]
        team = team or self._team_of(people)
        for person in dict.fromkeys(people):
            self.build.add_member(team, person)
        doc: dict[str, Any] = {"id": schedule_id, "name": name, "team": team}
        if description:
            doc["description"] = description
        doc["timezone"] = zone.key
        doc["coverage"] = "24x7" if self._always_covered(layers, zone) else "none"
        if doc["coverage"] == "none":
            item.note(
                "coverage: none (the vendor declares no coverage and some layer is restricted, ends or "
                "starts later): declare the coverage you need so validate checks it"
            )
        if layers:
            doc["layers"] = _unique_names(layers)
            report_gaps(doc["layers"], zone, self.now, self.build.report.vendor, item)
        if overrides:
            doc["overrides"] = [
                {"person": person, "from": wall_text(wall(start, zone)), "to": wall_text(wall(end, zone))}
                for person, start, end in overrides
            ]
        self.build.documents[path_of("schedule", schedule_id)] = doc
        self.groups[vendor_id] = (*self.groups.get(vendor_id, ()), schedule_id)
        item.became.append(f"schedule:{schedule_id}")

    def _team_of(self, people: list[str]) -> str:
        homes = Counter(self.build.home[p] for p in people if p in self.build.home)
        if homes:
            return min(homes.items(), key=lambda kv: (-kv[1], kv[0]))[0]
        return self.build.team_for_people()

    def _always_covered(self, layers: list[dict[str, Any]], zone: ZoneInfo) -> bool:
        """A layer with no restriction, no end, and a start already past: someone at every instant ahead."""
        for layer in layers:
            if "restrictions" in layer or "end" in layer:
                continue
            own = get_zone(layer["timezone"]) if "timezone" in layer else zone
            if resolve_wall_time(parse_local_datetime(layer["start"]), own) <= self.now:
                return True
        return False


def _unique_names(layers: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Layer names made unique (validation requires it) by a counter after repeats."""
    seen: Counter[str] = Counter()
    for layer in layers:
        seen[layer["name"]] += 1
        if seen[layer["name"]] > 1:
            layer["name"] = f"{layer['name']} ({seen[layer['name']]})"
    return layers
