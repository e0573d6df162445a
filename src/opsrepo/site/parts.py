"""Pages made from parts (:class:`opsrepo.site.state.Parts`): the parts a build makes, and those it keeps.

A page made from parts (the Reliability page) is planned before pages are
made: the parts whose key (a digest of what each reads, and of the design,
which holds opsrepo's code) matches the last build's are taken from the file
kept beside the site; the others are handed to the workers in runs of about
equal work, ahead of the pages, and the page is put together from every part
once they are made.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path
from typing import Any

from opsrepo.site.files import write_json
from opsrepo.site.state import Maker, Page, Parts

PARTS_FILE = ".opsrepo-site-parts.json"
#: a run of parts a worker takes at a time is about this much work (the Reliability page's: schedules)
RUN_WEIGHT = 100

#: a run: the plan's index and the names of its parts
Run = tuple[int, tuple[str, ...]]


@dataclass
class Plan:
    """One page to make from parts: each part's key, the data at hand, and the parts still to make."""

    maker: Maker
    keys: dict[str, str]
    data: dict[str, Any]
    todo: list[str]

    @property
    def parts(self) -> Parts:
        """The page's parts."""
        assert self.maker.parts is not None
        return self.maker.parts

    def assembled(self) -> Maker:
        """The page's maker, making it from the parts' data (every part made or kept by then)."""
        return replace(self.maker, make=partial(_assemble, self), parts=None)


#: what putting a page together from kept parts of the wrong shape raises (a file edited or damaged by hand)
_DAMAGED = (KeyError, TypeError, ValueError, AttributeError, IndexError)


def _assemble(plan: Plan) -> Page:
    """The page from its parts; made in one piece where kept parts turn out not to fit together."""
    try:
        return plan.parts.assemble(plan.data)
    except _DAMAGED:
        if len(plan.todo) == len(plan.keys):  # every part made by this build: a bug to show, not to hide
            raise
        return plan.maker.make()


#: what :func:`read_parts` found: page path -> part name -> ``{"key", "data"}``
Kept = dict[str, dict[str, Any]]


def plan_parts(makers: Iterable[Maker], out: Path, design: str) -> tuple[list[Plan], Kept]:
    """The plans of the pages made from parts that this build makes; kept parts taken as they are.

    Also returns the kept parts as read, for :func:`save_parts` (the file is read once a build).
    """
    chosen = [maker for maker in makers if maker.parts is not None]
    kept = read_parts(out) if chosen else {}
    plans = []
    for maker in chosen:
        assert maker.parts is not None
        keys = {name: f"{design}:{key}" for name, key in maker.parts.part_keys().items()}
        before = kept.get(maker.path, {})
        data = {name: part["data"] for name, part in before.items()
                if name in keys and isinstance(part, dict) and part.get("key") == keys[name]
                and "data" in part}
        plans.append(Plan(maker, keys, data, [name for name in keys if name not in data]))
    return plans, kept


def runs(plans: list[Plan]) -> list[Run]:
    """The parts to make in runs of about :data:`RUN_WEIGHT`, in order."""
    found: list[Run] = []
    for index, plan in enumerate(plans):
        names: list[str] = []
        weight = 0
        for name in plan.todo:
            names.append(name)
            weight += plan.parts.weight(name)
            if weight >= RUN_WEIGHT:
                found.append((index, tuple(names)))
                names, weight = [], 0
        if names:
            found.append((index, tuple(names)))
    return found


def make_run(plans: list[Plan], run: Run) -> tuple[int, dict[str, Any]]:
    """One run's parts, made."""
    index, names = run
    return index, {name: plans[index].parts.make(name) for name in names}


def take(plans: list[Plan], made: tuple[int, dict[str, Any]]) -> None:
    """A run's parts into their plan."""
    plans[made[0]].data.update(made[1])


def read_parts(out: Path) -> Kept:
    """The parts the last build kept: page path -> part name -> ``{"key", "data"}`` (none when unreadable)."""
    try:
        document = json.loads((out / PARTS_FILE).read_text(encoding="utf-8"))
        pages = document["pages"]
        return {str(path): dict(parts) for path, parts in pages.items() if isinstance(parts, dict)}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return {}


def save_parts(out: Path, plans: list[Plan], kept: Kept) -> None:
    """Keep the parts of the pages made from parts for the next build, when any of them changed.

    ``kept``: what :func:`plan_parts` read; the other pages' kept parts stay as they were.
    """
    if not any(plan.todo for plan in plans):  # every part kept: the file holds them already
        return
    pages: dict[str, Any] = dict(kept)
    for plan in plans:
        pages[plan.maker.path] = {name: {"key": key, "data": plan.data[name]}
                                  for name, key in plan.keys.items() if name in plan.data}
    write_json(out / PARTS_FILE, {"pages": pages})
