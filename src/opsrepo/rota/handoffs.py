"""Handoffs coming up: who takes the pager in which schedule soon, and the reminder texts.

A handoff is the start of a stretch of one person on call in one schedule
after someone else (or nobody): the final schedule's shifts, with pieces of
the same person joined, as ``opsrepo oncall --next`` shows them. Each has a
stable key (schedule, person, start in UTC) by which a reminder is found
again: the GitHub comment carries it in a hidden marker, the state file lists
it, so nobody is reminded twice of one shift, and a shift that moves is a new
one to remind of.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from opsrepo.model import Repo
from opsrepo.oncall.clock import DAY, from_micros, to_micros
from opsrepo.oncall.engine import final_segments
from opsrepo.timeutil import format_duration, get_zone

#: reminders of one run are found again by this marker, one per handoff
MARKER = "<!-- opsrepo:handoff {key} -->"
#: how far past its window a stretch is followed to say until when
_REACH = 35 * DAY


@dataclass(frozen=True)
class Handoff:
    """``person`` takes ``schedule`` at ``start`` (UTC) from ``previous`` until ``until`` (None: later)."""

    schedule: str
    person: str
    start: datetime
    previous: str | None
    until: datetime | None

    @property
    def key(self) -> str:
        """``schedule person 2026-11-30T08:00Z``: the same shift has the same key on every run."""
        return f"{self.schedule} {self.person} {self.start.astimezone(UTC):%Y-%m-%dT%H:%MZ}"


def upcoming(repo: Repo, now: datetime, within: timedelta) -> list[Handoff]:
    """Every handoff in ``(now, now + within]``, by start, then schedule."""
    low, high = to_micros(now), to_micros(now + within)
    found = []
    for schedule in repo.schedules.values():
        segments = final_segments(repo, schedule, low - DAY, high + _REACH)
        previous = None
        stretches: list[tuple[int, int, str, str | None]] = []
        for segment in segments:
            touches = previous is not None and previous.end == segment.start
            joined = touches and previous is not None and previous.person == segment.person
            if joined:
                start, _, person, before = stretches[-1]
                stretches[-1] = (start, segment.end, person, before)
            else:
                before = previous.person if previous is not None and previous.end == segment.start else None
                stretches.append((segment.start, segment.end, segment.person, before))
            previous = segment
        last = segments[-1].end if segments else None
        for start, end, person, before in stretches:
            if low < start <= high:
                until = from_micros(end) if end != last else None
                found.append(Handoff(schedule.id, person, from_micros(start), before, until))
    return sorted(found, key=lambda h: (h.start, h.schedule))


def when(repo: Repo, handoff: Handoff, instant: datetime) -> str:
    """``Mon 30 Nov 09:00 CET`` in the schedule's zone."""
    zone = get_zone(repo.schedules[handoff.schedule].timezone)
    return f"{instant.astimezone(zone):%a %d %b %H:%M %Z}"


def _line(repo: Repo, handoff: Handoff, who: str) -> str:
    schedule = repo.schedules[handoff.schedule]
    until = f" until {when(repo, handoff, handoff.until)}" if handoff.until is not None else ""
    previous = repo.people.get(handoff.previous) if handoff.previous else None
    before = previous.name if previous else handoff.previous
    return (f"{who} takes {schedule.name} from {when(repo, handoff, handoff.start)}{until}"
            + (f", from {before}" if before else ""))


#: GitHub refuses comments longer than 65536 characters; Slack shows about 4000 of a message's text
GITHUB_LIMIT, SLACK_LIMIT = 65_000, 3_500


def github_comments(repo: Repo, handoffs: Iterable[Handoff], now: datetime, within: timedelta,
                    limit: int = GITHUB_LIMIT) -> list[tuple[str, set[str]]]:
    """The issue comments (each with the keys it announces): one line per handoff, GitHub logins @mentioned.

    GitHub emails the people mentioned. A long list is split into several comments.
    """
    head = (f"**Handoffs in the next {format_duration(within)}** "
            f"(as of {now.astimezone(UTC):%Y-%m-%d %H:%M} UTC)\n\n")
    foot = "\n_Posted by `opsrepo notify handoffs`; each shift is announced once._\n"
    lines = []
    for handoff in handoffs:
        person = repo.people.get(handoff.person)
        name = person.name if person else handoff.person
        who = f"@{person.github}" if person and person.github else f"**{name}**"
        lines.append((f"- {_line(repo, handoff, who)} {MARKER.format(key=handoff.key)}\n", handoff.key))
    return [(head + "".join(text for text, _ in chunk) + foot, {key for _, key in chunk})
            for chunk in _chunks(lines, limit - len(head) - len(foot))]


def github_comment(repo: Repo, handoffs: Iterable[Handoff], now: datetime, within: timedelta) -> str:
    """All the issue comments of :func:`github_comments`, one after the other (for a dry run)."""
    return "\n".join(text for text, _ in github_comments(repo, handoffs, now, within))


def slack_messages(repo: Repo, handoffs: Iterable[Handoff], slack_users: Mapping[str, str],
                   limit: int = SLACK_LIMIT) -> list[tuple[str, set[str]]]:
    """The Slack messages (each with the keys it announces), people mentioned as Slack users when known."""
    head = "*On-call handoffs coming up*\n"
    lines = []
    for handoff in handoffs:
        person = repo.people.get(handoff.person)
        user = slack_users.get(handoff.person)
        who = f"<@{user}>" if user else (person.name if person else handoff.person)
        lines.append((f"• {_line(repo, handoff, who)}\n", handoff.key))
    return [((head + "".join(text for text, _ in chunk)).rstrip("\n"), {key for _, key in chunk})
            for chunk in _chunks(lines, limit - len(head))]


def _chunks(lines: list[tuple[str, str]], room: int) -> list[list[tuple[str, str]]]:
    """``lines`` in runs whose texts add up to at most ``room`` characters (a longer line alone)."""
    chunks: list[list[tuple[str, str]]] = []
    used = room
    for line in lines:
        if used + len(line[0]) > room:
            chunks.append([])
            used = 0
        chunks[-1].append(line)
        used += len(line[0])
    return chunks
