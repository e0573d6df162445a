"""Make Slack's user groups and channel topics equal to a plan: idempotent, resumable, only what it was told.

One ``usergroups.list`` reads every group with its members; a group is
written (``usergroups.users.update``) only when its members differ from the
plan, a topic (``conversations.setTopic``) only when it differs from the one
this sync set last (kept in the state). People are found by email with
``users.lookupByEmail``, once: the state keeps email -> Slack user. Only the
groups and channels opsrepo.yaml names are touched; a group that does not
exist or is disabled is reported, never created or enabled. A failure on one
group or topic is reported and the others go on; the state is written after
each change, so a run killed half way resumes where it stopped.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from opsrepo.rota.slackplan import GroupPlan, TopicPlan
from opsrepo.slack.client import SlackClient, SlackError


@dataclass(frozen=True)
class Outcome:
    """One line of the report: a group or topic, what happened (``updated``, ``unchanged``, ...), detail."""

    target: str
    action: str
    detail: str = ""
    problem: bool = False


@dataclass
class SyncState:
    """Email -> Slack user id, and channel -> the topic last set."""

    users: dict[str, str] = field(default_factory=dict)
    topics: dict[str, str] = field(default_factory=dict)


@dataclass
class SlackSync:
    """One run: the client, the people's emails and names, the state and where to save it."""

    client: SlackClient
    emails: Mapping[str, str | None]
    state: SyncState
    save: Callable[[SyncState], None]
    outcomes: list[Outcome] = field(default_factory=list)

    def run(self, groups: list[GroupPlan], topics: list[TopicPlan]) -> list[Outcome]:
        """Sync every group, then every topic."""
        if groups:
            existing = self._groups()
            for plan in groups:
                self.outcomes.append(self._group(plan, existing.get(plan.handle)))
        for topic in topics:
            self.outcomes.append(self._topic(topic))
        return self.outcomes

    def _groups(self) -> dict[str, dict[str, Any]]:
        data = self.client.call("usergroups.list", include_users=True, include_disabled=True)
        return {str(g.get("handle")): g for g in data.get("usergroups") or [] if isinstance(g, dict)}

    def _group(self, plan: GroupPlan, existing: dict[str, Any] | None) -> Outcome:
        target = f"@{plan.handle}"
        if existing is None:
            return Outcome(target, "missing", "no such user group in Slack: create it there (opsrepo keeps "
                           "its members, it never creates groups)", True)
        if existing.get("date_delete"):
            return Outcome(target, "disabled", "the user group is disabled in Slack: enable it there", True)
        users, unknown = self._users(plan.people)
        names = ", ".join(plan.people) or "nobody"
        notes = [f"{p} not found in Slack" for p in unknown] + [f"nobody on call in {s}" for s in plan.gaps]
        if not users:
            return Outcome(target, "left as is", "; ".join([f"{names}: no Slack user to set", *notes]), True)
        current = list(existing.get("users") or [])
        if sorted(current) == sorted(users):
            return Outcome(target, "unchanged", "; ".join([names, *notes]))
        try:
            self.client.call("usergroups.users.update", usergroup=str(existing["id"]), users=users)
        except SlackError as exc:
            return Outcome(target, "error", exc.message, True)
        was = f"was {len(current)} member{'' if len(current) == 1 else 's'}"
        return Outcome(target, "updated", "; ".join([f"{names} ({was})", *notes]))

    def _users(self, people: tuple[str, ...]) -> tuple[list[str], list[str]]:
        """Slack user ids of ``people`` (looked up by email once), and those without one."""
        found, unknown = [], []
        for person in people:
            email = self.emails.get(person)
            ident = self._lookup(email) if email else None
            if ident is None:
                unknown.append(person)
            else:
                found.append(ident)
        return list(dict.fromkeys(found)), unknown

    def _lookup(self, email: str) -> str | None:
        return find_user(self.client, self.state, email, self.save)

    def _topic(self, plan: TopicPlan) -> Outcome:
        target = f"topic of {plan.channel}"
        if self.state.topics.get(plan.channel) == plan.text:
            return Outcome(target, "unchanged", plan.text)
        try:
            self.client.call("conversations.setTopic", channel=plan.channel, topic=plan.text)
        except SlackError as exc:
            return Outcome(target, "error", exc.message + (f" ({exc.hint})" if exc.hint else ""), True)
        self.state.topics[plan.channel] = plan.text
        self.save(self.state)
        return Outcome(target, "set", plan.text)


def find_user(client: SlackClient, state: SyncState, email: str,
              save: Callable[[SyncState], None]) -> str | None:
    """The Slack user with ``email`` (``users.lookupByEmail``, once: the state remembers); None if unknown."""
    key = email.casefold()
    if key in state.users:
        return state.users[key]
    try:
        data = client.call("users.lookupByEmail", email=email)
    except SlackError as exc:
        if exc.code == "users_not_found":
            return None
        raise
    ident = str((data.get("user") or {}).get("id"))
    state.users[key] = ident
    save(state)
    return ident
