"""What both vendors import the same way: people, teams, file paths and modelines, the org file."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from opsrepo.importers.ids import allocate, first_slug
from opsrepo.importers.result import Imported, Item, Report
from opsrepo.importers.timefmt import zone_name

#: where each kind of document goes, and its schema modeline (relative to the file)
MODELINES = {
    "org": "./schemas/org.schema.json",
    "team": "../schemas/team.schema.json",
    "schedule": "../schemas/schedule.schema.json",
    "escalation": "../../schemas/escalation.schema.json",
    "severity": "../schemas/severity.schema.json",
}
NO_TEAM = "imported"


def in_order(objects: Iterable[dict[str, Any]], name: str = "name") -> list[dict[str, Any]]:
    """Vendor objects by name, then id: what an import writes never depends on the order of a listing.

    (An API lists in its own order, a backup folder by file name; team members, the people of a team
    file and the report follow the order objects are read in.)
    """
    return sorted(
        objects,
        key=lambda o: (str(o.get(name) or "").casefold(), str(o.get(name) or ""), str(o.get("id") or "")),
    )


def path_of(kind: str, object_id: str = "") -> str:
    """The repo-relative path of a document."""
    return {
        "org": "opsrepo.yaml",
        "severity": "policies/severity.yaml",
        "team": f"teams/{object_id}.yaml",
        "schedule": f"schedules/{object_id}.yaml",
        "escalation": f"policies/escalation/{object_id}.yaml",
    }[kind]


def kind_of(path: str) -> str:
    """The document kind of a repo-relative path written by an import."""
    if path == "opsrepo.yaml":
        return "org"
    if path == "policies/severity.yaml":
        return "severity"
    if path.startswith("policies/escalation/"):
        return "escalation"
    return path.split("/", 1)[0].removesuffix("s")


@dataclass(frozen=True)
class Existing:
    """What the repo an import merges into already has: people by email, and ids in use."""

    people_by_email: dict[str, str] = field(default_factory=dict)
    person_ids: frozenset[str] = frozenset()
    timezone: str | None = None
    #: people without an email, by name (the placeholders of deleted users a former import wrote)
    people_by_name: dict[str, str] = field(default_factory=dict)


@dataclass
class User:
    """A vendor user, vendor-neutral."""

    vendor_id: str
    name: str
    email: str | None
    timezone: str | None
    #: other keys the vendor names this user by (Opsgenie usernames)
    aliases: tuple[str, ...] = ()


@dataclass
class TeamIn:
    """A vendor team, vendor-neutral: member vendor user ids in the vendor's order."""

    vendor_id: str
    name: str
    description: str | None
    members: list[str]


class Builder:
    """Collects documents and report items while one vendor's objects are mapped."""

    def __init__(self, vendor: str, existing: Existing) -> None:
        self.report = Report(vendor)
        self.existing = existing
        self.documents: dict[str, dict[str, Any]] = {}
        self.people: dict[str, str] = {}
        self.aliases: dict[str, str] = {}
        self.person_docs: dict[str, dict[str, Any]] = {}
        self.home: dict[str, str] = {}
        self.teams: dict[str, dict[str, Any]] = {}
        self.team_ids: dict[str, str] = {}
        #: each team's members as the vendor lists them (schedules may add more)
        self.vendor_members: dict[str, tuple[str, ...]] = {}
        self.timezone = "UTC"
        self._no_team: str | None = None

    # -- people and teams ------------------------------------------------------------------------------

    def org_zone(self, zones: Iterable[str | None]) -> str:
        """The organisation's zone: the repo's, else the vendor's most common schedule zone, else UTC."""
        if self.existing.timezone:
            self.timezone = self.existing.timezone
            return self.timezone
        counted = Counter(z for z in (zone_name(z) for z in zones) if z)
        self.timezone = min(counted.items(), key=lambda kv: (-kv[1], kv[0]))[0] if counted else "UTC"
        return self.timezone

    def add_people(self, users: list[User]) -> None:
        """Person ids (an existing person with the same email keeps hers), person documents, report items."""
        reuse = {
            u.vendor_id: self.existing.people_by_email[u.email.lower()]
            for u in users
            if u.email and u.email.lower() in self.existing.people_by_email
        }
        wanted = [
            (u.vendor_id, first_slug(u.name, (u.email or "").split("@")[0], u.vendor_id))
            for u in users
            if u.vendor_id not in reuse
        ]
        ids = {**allocate(wanted, taken=self.existing.person_ids | set(reuse.values())), **reuse}
        for user in sorted(users, key=lambda u: ids[u.vendor_id]):
            person_id = ids[user.vendor_id]
            self.people[user.vendor_id] = person_id
            for alias in user.aliases:
                self.aliases[alias] = person_id
            item = self.report.item("user", user.vendor_id, user.name)
            item.became.append(f"person:{person_id}")
            self.person_docs[person_id] = self._person(user, person_id, item)

    def _person(self, user: User, person_id: str, item: Item) -> dict[str, Any]:
        doc: dict[str, Any] = {"id": person_id, "name": user.name or person_id}
        if user.email:
            doc["email"] = user.email
        zone = zone_name(user.timezone)
        if zone is None:
            why = "it has none" if not user.timezone else f"{user.timezone!r} is not a known time zone"
            item.lose("time zone", f"{why}; the organisation's {self.timezone} was written instead")
            zone = self.timezone
        doc["timezone"] = zone
        return doc

    def placeholder(self, vendor_id: str, name: str | None) -> str:
        """A person for a user the account no longer has (deleted), so the turns keep their order."""
        if vendor_id in self.people:
            return self.people[vendor_id]
        taken = set(self.people.values()) | self.existing.person_ids
        person_id = (
            self.existing.people_by_name.get(name or "")
            or allocate([(vendor_id, first_slug(name, f"deleted-{vendor_id}"))], taken)[vendor_id]
        )
        self.people[vendor_id] = person_id
        item = self.report.item("user", vendor_id, name or "(deleted user)")
        item.became.append(f"person:{person_id}")
        item.lose(
            "user",
            "the account has no such user (deleted?) though a rotation, override or escalation "
            "names it; a placeholder person was written so turns keep their order: replace it",
        )
        self.person_docs[person_id] = {
            "id": person_id,
            "name": name or f"Deleted user {vendor_id}",
            "timezone": self.timezone,
        }
        return person_id

    def person_of(self, vendor_id: str, name: str | None = None) -> str:
        """The person id of a vendor user reference (a placeholder for an unknown user)."""
        return self.people.get(vendor_id) or self.aliases.get(vendor_id) or self.placeholder(vendor_id, name)

    def add_teams(self, teams: list[TeamIn]) -> None:
        """Team ids (two teams of one name get distinct ids), documents, and each person's home team."""
        self.team_ids = allocate([(t.vendor_id, first_slug(t.name, t.vendor_id)) for t in teams])
        for team in sorted(teams, key=lambda t: self.team_ids[t.vendor_id]):
            team_id = self.team_ids[team.vendor_id]
            doc: dict[str, Any] = {"id": team_id, "name": team.name or team_id}
            if team.description:
                doc["description"] = team.description
            doc["people"], doc["members"], doc["services"] = [], [], []
            members = [self.person_of(m) for m in team.members]
            doc["members"] = list(dict.fromkeys(members))
            self.vendor_members[team_id] = tuple(doc["members"])
            self.teams[team_id] = doc
            item = self.report.item("team", team.vendor_id, team.name)
            item.became.append(f"team:{team_id}")
            for person in members:
                self.home.setdefault(person, team_id)

    def team_for_people(self) -> str:
        """The id of the team that holds people no vendor team has (created on first use)."""
        if self._no_team is None:
            self._no_team = allocate([("", NO_TEAM)], taken=self.teams.keys())[""]
            self.teams[self._no_team] = {
                "id": self._no_team,
                "name": "Imported",
                "description": "People the vendor account has in no team.",
                "people": [],
                "members": [],
                "services": [],
            }
        return self._no_team

    def add_member(self, team_id: str, person_id: str) -> None:
        """``person_id`` counts as a member of ``team_id`` (schedules need their members in their team)."""
        members = self.teams[team_id]["members"]
        if person_id not in members:
            members.append(person_id)

    # -- finishing --------------------------------------------------------------------------------------

    def finish(self) -> Imported:
        """Team documents with their people, and the documents of every kind by path."""
        for person_id in sorted(self.person_docs):
            team_id = self.home.get(person_id) or self.team_for_people()
            self.teams[team_id]["people"].append(self.person_docs[person_id])
        for team_id, doc in sorted(self.teams.items()):
            own = [p["id"] for p in doc["people"]]
            members = [*doc["members"], *(p for p in own if p not in doc["members"])]
            if set(members) == set(own):
                doc.pop("members")
            else:
                doc["members"] = members
            for key in ("people", "services"):
                if not doc[key]:
                    doc.pop(key)
            self.documents[path_of("team", team_id)] = doc
        self.report.items.sort(
            key=lambda item: (_KIND_ORDER.get(item.kind, 9), item.name.casefold(), item.vendor_id)
        )
        return Imported(
            dict(sorted(self.documents.items())),
            self.report,
            people=dict(self.people),
            aliases=dict(self.aliases),
            timezone=self.timezone,
        )


_KIND_ORDER = {"user": 0, "team": 1, "schedule": 2, "override": 3, "escalation policy": 4, "service": 5}


def org_document(vendor: str, timezone: str) -> dict[str, Any]:
    """``opsrepo.yaml`` for a repo the import starts."""
    return {"name": f"Imported from {vendor}", "timezone": timezone, "site": {"title": "On-call"}}


def severity_document() -> dict[str, Any]:
    """A starting severity matrix (validation needs one; neither vendor's account defines it here)."""
    return {
        "levels": [
            {
                "id": "SEV1",
                "name": "Critical",
                "description": "Written by opsrepo import: make it your own.",
                "pages": True,
                "acknowledge_within": "15m",
                "resolve_within": "4h",
                "postmortem": {"required": True, "within": "7d"},
            },
            {
                "id": "SEV2",
                "name": "Major",
                "pages": True,
                "acknowledge_within": "30m",
                "resolve_within": "1d",
                "postmortem": {"required": True, "within": "14d"},
            },
            {
                "id": "SEV3",
                "name": "Minor",
                "pages": False,
                "acknowledge_within": "4h",
                "resolve_within": "3d",
                "postmortem": {"required": False},
            },
        ]
    }
