"""Post-mortem action items added, removed or changed between two revisions."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from opsrepo import model as m
from opsrepo.diff.model import ActionItemChange, FieldChange

Key = tuple[str, str]


def action_item_changes(before: m.Repo, after: m.Repo) -> tuple[ActionItemChange, ...]:
    """Every action item whose title, owner, due date, priority or kind differs, in key order."""
    old, new = _items(before), _items(after)
    found: list[ActionItemChange] = []
    for key in sorted(set(old) | set(new)):
        was, now = old.get(key), new.get(key)
        if was is None and now is not None:
            found.append(ActionItemChange(*key, now.title, "added", tuple(_fields(after, now))))
        elif now is None and was is not None:
            found.append(ActionItemChange(*key, was.title, "removed"))
        elif was is not None and now is not None:
            fields = tuple(_changed(before, after, was, now))
            if fields:
                found.append(ActionItemChange(*key, now.title, "changed", fields))
    return tuple(found)


def _items(repo: m.Repo) -> dict[Key, m.ActionItem]:
    return {(pm.id, item.id): item for pm in repo.postmortems.values() for item in pm.action_items}


def _owner(repo: m.Repo, person_id: str) -> str:
    person = repo.people.get(person_id)
    return f"{person.name} ({person_id})" if person is not None else person_id


FIELDS: tuple[tuple[str, Callable[[m.Repo, m.ActionItem], str]], ...] = (
    ("title", lambda _repo, item: item.title),
    ("owner", lambda repo, item: _owner(repo, item.owner)),
    ("due", lambda _repo, item: item.due.isoformat()),
    ("priority", lambda _repo, item: item.priority),
    ("kind", lambda _repo, item: item.kind),
)


def _fields(repo: m.Repo, item: m.ActionItem) -> Iterator[FieldChange]:
    """A new item's fields (title excepted: it is the change's own title)."""
    for name, read in FIELDS[1:]:
        yield FieldChange(name, None, read(repo, item))


def _changed(before: m.Repo, after: m.Repo, was: m.ActionItem, now: m.ActionItem) -> Iterator[FieldChange]:
    for name, read in FIELDS:
        old, new = read(before, was), read(after, now)
        # a renamed owner is not a change of owner
        if name == "owner" and was.owner == now.owner:
            continue
        if old != new:
            yield FieldChange(name, old, new)
