"""What Slack should show now: each user group's members and each channel topic, from who is on call.

A user group named in ``slack.user_groups`` holds everyone on call at this
instant in any of its schedules (in the order of its schedules). A channel
topic reads like ``On call: Payments primary: Alice Moreau until Mon 30 Nov
09:00 CET | Payments secondary: Bruno Keller until ...`` (the end of each
person's stretch, in the schedule's zone), cut to Slack's 250 characters.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from opsrepo.model import Repo
from opsrepo.oncall import Shift, on_call, stretch_end
from opsrepo.timeutil import get_zone

#: Slack's longest channel topic
TOPIC_LIMIT = 250


@dataclass(frozen=True)
class OnCall:
    """Who holds ``schedule`` now (``None``: a gap) and until when (``None``: beyond the horizon)."""

    schedule: str
    person: str | None
    until: datetime | None


@dataclass(frozen=True)
class GroupPlan:
    """A user group's wanted members (person ids) and the schedules with nobody on call."""

    handle: str
    people: tuple[str, ...]
    gaps: tuple[str, ...]


@dataclass(frozen=True)
class TopicPlan:
    """A channel's wanted topic."""

    channel: str
    text: str


def now_on_call(repo: Repo, schedule_ids: Iterable[str], at: datetime) -> dict[str, OnCall]:
    """Who is on call at ``at`` in each schedule (each computed once)."""
    found = {}
    for sid in dict.fromkeys(schedule_ids):
        shift: Shift | None = on_call(repo, sid, at) if sid in repo.schedules else None
        found[sid] = OnCall(sid, shift.person if shift else None, stretch_end(repo, shift) if shift else None)
    return found


def plan_slack(repo: Repo, at: datetime) -> tuple[list[GroupPlan], list[TopicPlan]]:
    """The user groups and topics ``slack:`` names, as they should be at ``at``."""
    config = repo.org.slack
    named = [sid for target in (*config.user_groups, *config.topics) for sid in target.schedules]
    now = now_on_call(repo, named, at)
    groups = []
    for group in config.user_groups:
        people = tuple(dict.fromkeys(now[s].person for s in group.schedules if now[s].person))
        gaps = tuple(s for s in group.schedules if now[s].person is None)
        groups.append(GroupPlan(group.name, tuple(p for p in people if p), gaps))
    topics = [TopicPlan(topic.name, topic_text(repo, [now[s] for s in topic.schedules]))
              for topic in config.topics]
    return groups, topics


def topic_text(repo: Repo, entries: list[OnCall]) -> str:
    """``On call: <schedule>: <person> until <when> | ...``, at most 250 characters."""
    parts = []
    for entry in entries:
        schedule = repo.schedules.get(entry.schedule)
        name = schedule.name if schedule else entry.schedule
        if entry.person is None:
            parts.append(f"{name}: nobody")
            continue
        person = repo.people[entry.person].name if entry.person in repo.people else entry.person
        until = (f" until {entry.until.astimezone(get_zone(schedule.timezone)):%a %d %b %H:%M %Z}"
                 if entry.until is not None and schedule is not None else "")
        parts.append(f"{name}: {person}{until}")
    text = "On call: " + " | ".join(parts)
    return text if len(text) <= TOPIC_LIMIT else text[: TOPIC_LIMIT - 1].rstrip() + "…"
