"""Markdown the sync writes on GitHub: issue bodies, the removal note and reminders.

Everything a file author wrote is escaped so that a title cannot mention
people, link issues, or forge the hidden marker the sync finds its issues by.
"""

from __future__ import annotations

import re
from datetime import UTC, date

from opsrepo.actions.model import ItemSpec, Key

MARKER_RE = re.compile(r"<!-- opsrepo:action postmortem=([a-z0-9][a-z0-9-]*) item=([a-z0-9][a-z0-9-]*) -->")
REMOVED_MARK = "<!-- opsrepo:removed -->"
DUPLICATE_MARK = "<!-- opsrepo:duplicate -->"
REMINDER_MARK = "<!-- opsrepo:reminder -->"
#: GitHub refuses longer titles
TITLE_LIMIT = 256
_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#!|~@:])")


def marker(key: Key) -> str:
    """The hidden line that ties an issue to its action item."""
    return f"<!-- opsrepo:action postmortem={key[0]} item={key[1]} -->"


def parse_marker(body: str | None) -> Key | None:
    """The (post-mortem, item) of the first marker in ``body``."""
    found = MARKER_RE.search(body or "")
    return (found.group(1), found.group(2)) if found else None


def escape(text: str) -> str:
    """``text`` as literal Markdown: no emphasis, links, HTML, mentions or references."""
    return _SPECIAL.sub(r"\\\1", " ".join(text.split()))


def issue_title(title: str) -> str:
    """The issue title: the item's title on one line, cut to GitHub's limit."""
    flat = " ".join(title.split())
    return flat if len(flat) <= TITLE_LIMIT else flat[: TITLE_LIMIT - 1] + "…"


def issue_body(spec: ItemSpec, owner_line: str) -> str:
    """The body of an item's issue; ``owner_line`` says who owns it and whether GitHub can assign them."""
    links = [f"[on the site]({spec.site_url})" if spec.site_url else None,
             f"[in the repo]({spec.source_url})" if spec.source_url else f"`{spec.pm_path}`"]
    where = " · ".join(link for link in links if link)
    severity = spec.severity
    if spec.severity_name is not None:
        severity += f" ({escape(spec.severity_name)})"
    services = ", ".join(f"{escape(name)} (`{ident}`)" if name != ident else f"`{ident}`"
                         for ident, name in spec.services) or "none"
    lines = [
        marker(spec.key),
        f"Action item `{spec.key[1]}` of the post-mortem **{escape(spec.pm_title)}** ({where}).",
        "",
        f"- **Due:** {spec.due.isoformat()}",
        f"- **Owner:** {owner_line}",
        f"- **Priority:** {spec.priority}",
        f"- **Kind:** {spec.kind}",
        f"- **Severity:** {severity}",
        f"- **Services:** {services}",
        f"- **Incident:** started {spec.started.astimezone(UTC):%Y-%m-%d %H:%M} UTC",
        "",
        "This issue is kept in step with the post-mortem by `opsrepo actions sync`: change the title, "
        "owner or due date there (edits to this description are overwritten). "
        "Close the issue when the work is done; the sync never reopens it.",
        "",
    ]
    return "\n".join(lines)


def removal_comment(key: Key, pm_path: str | None, source_url: str | None) -> str:
    """The note left once on the issue of an item that left its post-mortem."""
    if pm_path is None:
        where = f"The post-mortem `{key[0]}` is no longer in the ops repo"
    else:
        shown = f"[`{pm_path}`]({source_url})" if source_url else f"`{pm_path}`"
        where = f"The action item `{key[1]}` is no longer in the post-mortem {shown}"
    return (f"{REMOVED_MARK}\n{where} (removed, or its id changed). opsrepo no longer updates this issue "
            "and never closes it: close it if the work is no longer needed.\n")


def duplicate_comment(key: Key, canonical: int) -> str:
    """The note on a second issue of one item before it is closed (two syncs ran at once, or a copy)."""
    return (f"{DUPLICATE_MARK}\nDuplicate of #{canonical}: both issues are for the action item `{key[1]}` of "
            f"`{key[0]}`. opsrepo keeps #{canonical} in step and closes this one.\n")


def reminder_comment(due: date, today: date, assignee: str | None, pm_path: str) -> str:
    """A reminder on an overdue item's issue."""
    days = (today - due).days
    late = f"{days} day{'s' if days != 1 else ''}"
    who = (f"@{assignee}: please finish it and close this issue" if assignee
           else "It has no assignee: the owner named in the post-mortem cannot be assigned on GitHub. "
                "Please find an owner")
    return (f"{REMINDER_MARK}\nThis action item was due on **{due.isoformat()}** ({late} ago) and is still "
            f"open.\n\n{who}, or agree a new due date and change it in `{pm_path}`.\n")
